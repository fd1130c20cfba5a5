"""The Bot Connector webhook (``POST /api/messages``): Teams, Web Chat and the Bot Framework Emulator.

botbuilder's ``CloudAdapter.process`` is not used as is: on 4.17.1 it answers 500 for a missing
Content-Type, for every authentication failure and for every invoke that returns a body, and it runs
turns of one conversation concurrently. This module reads the request itself, answers 400/401/413/415
as HTTP means them (503 with Retry-After when Microsoft's signing keys cannot be fetched), serializes turns
per conversation, and passes invoke bodies through unchanged.
With ``SAMVERKAN_ALLOWED_TENANTS`` set it answers 403 to authenticated activities from other tenants.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterable
from typing import Any

import jwt
from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError
from botbuilder.core import Bot, InvokeResponse, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from msrest.exceptions import DeserializationError

from bot.channels import botframework_fixes, invoke_replies
from bot.channels.invoke_replies import MalformedInvoke
from bot.channels.references import tenant_of
from bot.channels.signing_keys import SigningKeysUnavailable
from bot.channels.turn_locks import ConversationLocks

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024
READ_TIMEOUT_SECONDS = 15  # a body that trickles in slower than this is dropped (408), not waited for
CONVERSATION_TYPES = frozenset({"personal", "channel", "groupChat", "groupchat"})


class BotFrameworkConfiguration:
    """The attribute names botbuilder's ConfigurationBotFrameworkAuthentication reads."""

    def __init__(self, app_id: str = "", app_password: str = "", tenant_id: str = "",
                 app_type: str = "MultiTenant"):
        self.APP_ID = app_id
        self.APP_PASSWORD = app_password
        self.APP_TENANTID = tenant_id
        self.APP_TYPE = app_type


def create_adapter(config: BotFrameworkConfiguration, **auth_kwargs: Any) -> CloudAdapter:
    botframework_fixes.apply()
    return CloudAdapter(ConfigurationBotFrameworkAuthentication(config, **auth_kwargs))


def conversation_key(activity: Activity) -> str:
    return f"{activity.channel_id}:{activity.conversation.id}"


def _restore_tenant(activity: Activity, body: dict) -> None:
    """msrest drops ``conversation.tenantId`` (the schema says ``tenantID``); Teams puts it in channelData."""
    tenant = tenant_of(activity) or (body.get("conversation") or {}).get("tenantId")
    if isinstance(tenant, str) and tenant and activity.conversation is not None and not activity.conversation.tenant_id:
        activity.conversation.tenant_id = tenant


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


# The longest identifier each field may carry: what the columns that keep it hold (conversation_references,
# member_identities). A longer one is no channel's, and would fail the turn at the database (PostgreSQL).
_ID_LIMITS = {("channelId",): 32, ("serviceUrl",): 512, ("conversation", "id"): 960,
              ("conversation", "tenantId"): 64, ("from", "id"): 255, ("from", "aadObjectId"): 255,
              ("recipient", "id"): 255, ("channelData", "tenant", "id"): 64, ("channelData", "team", "id"): 255,
              ("channelData", "channel", "id"): 255}


def _identifier_problem(body: dict) -> str | None:
    """An identifier longer than its column, or with a NUL character (which PostgreSQL text cannot hold)."""
    for path, limit in _ID_LIMITS.items():
        value: Any = body
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str) and len(value) > limit:
            return f"'{'.'.join(path)}' is longer than {limit} characters"
        if isinstance(value, str) and "\x00" in value:
            return f"'{'.'.join(path)}' holds a NUL character"
    return None


def _shape_problem(body: dict) -> str | None:
    """What makes a decoded body something no channel sends: the turn would fail on it later, as a 500 or
    an apology in the chat, so it is refused here as a 400."""
    for key in ("from", "recipient"):
        party = body.get(key)
        if party is not None and not (isinstance(party, dict) and isinstance(party.get("id", ""), str)):
            return f"'{key}' must be an object with a string id"
    if body.get("type") in ("message", "invoke") and not isinstance(body.get("recipient"), dict):
        return "activity has no recipient"
    identifier_problem = _identifier_problem(body)
    if identifier_problem is not None:
        return identifier_problem
    conversation_type = body["conversation"].get("conversationType")
    if conversation_type is not None and conversation_type not in CONVERSATION_TYPES:
        return "unknown conversationType"
    data = body.get("channelData")
    if data is not None:
        if not isinstance(data, dict):
            return "channelData must be an object"
        for key in ("tenant", "team", "channel"):
            part = data.get(key)
            if part is not None and not (isinstance(part, dict) and isinstance(part.get("id", ""), str)):
                return f"channelData.{key} must be an object with a string id"
    for key in ("entities", "attachments"):
        items = body.get(key)
        if items is not None and not (isinstance(items, list) and all(isinstance(i, dict) for i in items)):
            return f"'{key}' must be a list of objects"
    for entity in body.get("entities") or ():
        if not isinstance(entity.get("type"), str):
            return "an entity must have a type"
        if entity.get("type") == "mention" and not (isinstance(entity.get("mentioned"), dict)
                                                     and isinstance(entity.get("text", ""), str)):
            return "a mention must name who is mentioned"
    return None


def _invoke_problem(body: dict) -> MalformedInvoke | None:
    """What makes an invoke's value one no client sends, with the error answer its name documents."""
    if body["type"] != "invoke":
        return None
    if body.get("name") == invoke_replies.CARD_ACTION:
        return invoke_replies.card_action_problem(body.get("value"))
    if body.get("name") == invoke_replies.TOKEN_EXCHANGE:
        return invoke_replies.token_exchange_problem(body.get("value"))
    return None


def parse_activity(raw: bytes) -> Activity:
    """Decode a webhook body into an Activity, or raise ValueError saying why it is not one
    (``MalformedInvoke`` when the invoke's name documents an error answer)."""
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"body is not JSON: {exc.msg if hasattr(exc, 'msg') else exc}") from None
    except RecursionError:
        raise ValueError("body is nested too deeply") from None
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, RecursionError):
        raise ValueError("body holds text that is not valid Unicode (a lone surrogate) or is nested too deeply") \
            from None
    if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
        raise ValueError("body is not an activity (no 'type')")
    conversation = body.get("conversation")
    if not isinstance(conversation, dict) or not isinstance(conversation.get("id"), str) or not conversation["id"]:
        raise ValueError("activity has no conversation id")
    if not isinstance(body.get("serviceUrl"), str) or not body["serviceUrl"].startswith(("http://", "https://")):
        raise ValueError("activity has no serviceUrl")
    problem = _shape_problem(body)
    if problem is not None:
        raise ValueError(problem)
    invoke_problem = _invoke_problem(body)
    if invoke_problem is not None:
        raise invoke_problem
    try:
        activity = Activity().deserialize(body)
    except (DeserializationError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"activity does not match the schema: {exc}") from None
    if activity.text is not None and not isinstance(activity.text, str):
        raise ValueError("text must be a string")
    _restore_tenant(activity, body)
    return activity


def _is_refused_token(exc: Exception) -> bool:
    """Whether botbuilder's ``authenticate_request`` failed because of the caller's token (answered 401).

    PermissionError: no header, wrong audience/issuer, serviceurl claim not the activity's serviceUrl.
    jwt.PyJWTError: not a JWT, expired, not yet valid, bad signature, unusable key.
    KeyError: a token without ``iss``.  IndexError: a ``kid`` (or none) not among the published keys
    (``_OpenIdMetadata._find`` takes ``[0]`` of an empty list).  A plain ``Exception``: a key that does
    not endorse the activity's channel, an algorithm other than RS256.  Anything else is not the caller's
    fault and is re-raised (the signing keys unreachable are answered 503 before this is asked).
    """
    return isinstance(exc, PermissionError | jwt.PyJWTError | KeyError | IndexError) or type(exc) is Exception


def _invoke_body(response: InvokeResponse) -> Any:
    body = response.body
    if body is None or isinstance(body, dict | list | str | int | float | bool):
        return body
    return serializer_helper(body)


class BotFrameworkWebhook:
    """aiohttp handler for ``POST /api/messages``."""

    def __init__(self, adapter: CloudAdapter, bot: Bot, locks: ConversationLocks,
                 allowed_tenants: Iterable[str] = ()):
        self.adapter = adapter
        self.bot = bot
        self.locks = locks
        self.allowed_tenants = frozenset(t.lower() for t in allowed_tenants)  # empty: any tenant

    async def __call__(self, request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            return _error(415, "Content-Type must be application/json")
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            return _error(413, f"body larger than {MAX_BODY_BYTES} bytes")
        try:
            raw = await asyncio.wait_for(request.read(), READ_TIMEOUT_SECONDS)
        except web.HTTPRequestEntityTooLarge:
            return _error(413, f"body larger than {MAX_BODY_BYTES} bytes")
        except TimeoutError:
            return _error(408, "the body did not arrive in time")
        except (HttpProcessingError, RequestPayloadError):
            return _error(400, "the body could not be read (its Content-Encoding?)")
        if len(raw) > MAX_BODY_BYTES:
            return _error(413, f"body larger than {MAX_BODY_BYTES} bytes")
        try:
            activity = parse_activity(raw)
        except MalformedInvoke as exc:
            return web.json_response(exc.body, status=400)
        except ValueError as exc:
            return _error(400, str(exc))

        auth = self.adapter.bot_framework_authentication
        try:
            authenticated = await auth.authenticate_request(activity, request.headers.get("Authorization", ""))
        except SigningKeysUnavailable as exc:
            # Ours, not the caller's: the Bot Connector retries after Retry-After.
            response = _error(503, "the token signing keys cannot be fetched now")
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        except Exception as exc:
            if not _is_refused_token(exc):
                raise
            log.info("refused unauthenticated activity: %s", type(exc).__name__)
            return _error(401, "unauthorized")

        allowed = self.allowed_tenants
        if allowed and tenant_of(activity).lower() not in allowed:
            log.warning("refused activity from tenant %r: not in SAMVERKAN_ALLOWED_TENANTS", tenant_of(activity))
            return _error(403, "tenant not allowed")

        async with self.locks.hold(conversation_key(activity)):
            response = await self.adapter.process_activity(authenticated, activity, self.bot.on_turn)
        if response is not None:
            return web.json_response(_invoke_body(response), status=response.status or 200)
        return web.Response(status=200)
