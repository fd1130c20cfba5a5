"""Matrix as a channel: the same ``SamverkanBot`` in Matrix rooms, over matrix-nio.

``MatrixAdapter`` is a botbuilder ``BotAdapter`` like the console's: a room message becomes a message
activity (channel ``matrix``, conversation = the room id, from = the sender's MXID, id = the event id) for the
one handler, and what the handler sends becomes room events: an ``m.notice`` (bots answer with notices, so
no bot answers another) with a plain ``body`` and an HTML ``formatted_body``, as a reply to the user's event
(in its thread when it was in one). A chart (a PNG data URI) is uploaded to the media repository and sent
as ``m.image``; Adaptive Cards are Teams-only and dropped (their text is sent). ``MatrixDelivery`` lets the
scheduler speak first: in a stored room, or in a member's direct room, opened on first need.

The sync loop, invites, the stored sync token and the key store are ``bot.matrix_runner``'s.
"""

from __future__ import annotations

import base64
import html
import io
import logging
import struct
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
    ResourceResponse,
)
from nio import (
    AsyncClient,
    ErrorResponse,
    LocalProtocolError,
    RoomCreateError,
    RoomPreset,
    RoomSendResponse,
    UploadResponse,
)

from bot.channels.proactive import Delivery, Target

log = logging.getLogger(__name__)

CHANNEL_ID = "matrix"
LOCALE = "sv-SE"
HTML_FORMAT = "org.matrix.custom.html"
ENCRYPTION_STATE = {"type": "m.room.encryption", "state_key": "",
                    "content": {"algorithm": "m.megolm.v1.aes-sha2"}}
SENT_MEMORY = 1000  # the bot's recent events and their text: what a ✅ reaction or a reply points at
ROOM_WAIT = 30.0  # seconds a new direct room may take to come back through the sync
NOT_READY_RETRY = 60.0  # seconds before the outbox tries again while Matrix is still connecting
GONE_ERRORS = frozenset({"M_FORBIDDEN", "M_NOT_FOUND", "M_UNKNOWN_ROOM"})
RATE_LIMITED = frozenset({"M_LIMIT_EXCEEDED", "429"})


class MatrixSendError(Exception):
    """A room event the homeserver did not take; ``gone`` when the bot can no longer post in the room."""

    def __init__(self, message: str, *, gone: bool = False, retry_after: float | None = None):
        super().__init__(message)
        self.gone = gone
        self.retry_after = retry_after


# --- text -----------------------------------------------------------------------------------------------

def html_of(text: str) -> str:
    """The HTML ``formatted_body`` of a reply: escaped, "- " lines as a list, other newlines as <br>."""
    parts: list[tuple[str, str | list[str]]] = []
    for line in text.split("\n"):
        if line.startswith("- "):
            if parts and parts[-1][0] == "list":
                parts[-1][1].append(html.escape(line[2:], quote=False))
            else:
                parts.append(("list", [html.escape(line[2:], quote=False)]))
        else:
            parts.append(("text", html.escape(line, quote=False)))
    out: list[str] = []
    previous = None
    for kind, value in parts:
        if kind == "list":
            out.append("<ul>" + "".join(f"<li>{item}</li>" for item in value) + "</ul>")
        else:
            if previous == "text":
                out.append("<br>")
            out.append(value)
        previous = kind
    return "".join(out)


def strip_reply_fallback(body: str) -> str:
    """A reply's body without the quoted message clients put before it ('> <@bot:hs> …' and a blank line)."""
    lines = body.split("\n")
    if not lines or not lines[0].startswith(">"):
        return body
    index = 0
    while index < len(lines) and lines[index].startswith(">"):
        index += 1
    if index < len(lines) and not lines[index].strip():
        index += 1
    return "\n".join(lines[index:])


def png_of(url: str | None) -> bytes | None:
    """The bytes of a ``data:image/png;base64,…`` URI (the chart), or None."""
    prefix = "data:image/png;base64,"
    if not url or not url.startswith(prefix):
        return None
    try:
        return base64.b64decode(url[len(prefix):], validate=True)
    except ValueError:
        return None


def png_size(png: bytes) -> tuple[int, int] | None:
    if len(png) >= 24 and png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR":
        width, height = struct.unpack(">II", png[16:24])
        return width, height
    return None


def notice_content(text: str, *, reply_to: str | None = None, thread: str | None = None,
                   mentions: list[str] | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {"msgtype": "m.notice", "body": text, "format": HTML_FORMAT,
                               "formatted_body": html_of(text),
                               # Nobody is pinged by a name in the text; only ``mentions`` are.
                               "m.mentions": {"user_ids": mentions} if mentions else {}}
    relation = _relation(reply_to, thread)
    if relation:
        content["m.relates_to"] = relation
    return content


def _relation(reply_to: str | None, thread: str | None) -> dict[str, Any] | None:
    if thread:
        return {"rel_type": "m.thread", "event_id": thread, "is_falling_back": reply_to is None,
                "m.in_reply_to": {"event_id": reply_to or thread}}
    if reply_to:
        return {"m.in_reply_to": {"event_id": reply_to}}
    return None


# --- activities -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RoomKind:
    """What the handler is told about a room: a member's 1:1 ("personal") or a shared room ("room")."""

    conversation_type: str
    name: str | None = None

    @property
    def personal(self) -> bool:
        return self.conversation_type == "personal"


def room_kind(room) -> RoomKind:
    """A room of two (the bot and one person) without a name is a direct chat; anything else is a room."""
    if room is not None and room.member_count <= 2 and room.is_group:
        return RoomKind("personal")
    return RoomKind("room", room.display_name if room is not None else None)


def bot_account(user_id: str, name: str | None = None) -> ChannelAccount:
    return ChannelAccount(id=user_id, name=name or "Samverkansboten")


def conversation_of(room_id: str, kind: RoomKind) -> ConversationAccount:
    return ConversationAccount(id=room_id, conversation_type=kind.conversation_type, is_group=not kind.personal,
                               name=kind.name)


def message_activity(*, room_id: str, kind: RoomKind, event_id: str, sender: str, sender_name: str | None,
                     text: str, bot_user_id: str, homeserver: str, timestamp_ms: int | None = None,
                     reply_to: str | None = None, thread: str | None = None) -> Activity:
    """A room message as the activity the handler reads; ``reply_to``: which event the answer replies to."""
    return Activity(
        type=ActivityTypes.message,
        id=event_id,
        timestamp=datetime.fromtimestamp(timestamp_ms / 1000, UTC) if timestamp_ms else datetime.now(UTC),
        channel_id=CHANNEL_ID,
        service_url=homeserver,
        conversation=conversation_of(room_id, kind),
        from_property=ChannelAccount(id=sender, name=sender_name or sender),
        recipient=bot_account(bot_user_id),
        text=text,
        locale=LOCALE,
        channel_data={"matrix": {"reply_to": reply_to if reply_to is not None else event_id, "thread": thread}},
    )


def membership_activity(*, room_id: str, kind: RoomKind, event_id: str, sender: str, bot_user_id: str,
                        homeserver: str, added: bool) -> Activity:
    """The bot joined (``added``) or left a room: a conversationUpdate, as Teams sends on installation."""
    bot = bot_account(bot_user_id)
    return Activity(
        type=ActivityTypes.conversation_update,
        id=event_id,
        timestamp=datetime.now(UTC),
        channel_id=CHANNEL_ID,
        service_url=homeserver,
        conversation=conversation_of(room_id, kind),
        from_property=ChannelAccount(id=sender),
        recipient=bot,
        members_added=[bot] if added else None,
        members_removed=None if added else [bot],
        locale=LOCALE,
        channel_data={"matrix": {"reply_to": None, "thread": None}},
    )


def personal_reference(room_id: str, user_id: str, *, bot_user_id: str, homeserver: str) -> dict[str, Any]:
    """botbuilder's serialized reference for a member's direct room (kept like one the member started)."""
    return ConversationReference(
        activity_id=None, bot=bot_account(bot_user_id), channel_id=CHANNEL_ID,
        conversation=conversation_of(room_id, RoomKind("personal")), user=ChannelAccount(id=user_id),
        service_url=homeserver, locale=LOCALE).serialize()


# --- the adapter ----------------------------------------------------------------------------------------

class MatrixAdapter(BotAdapter):
    """Turns into room events. ``client`` is a logged-in nio ``AsyncClient`` whose rooms are synced."""

    def __init__(self, client: AsyncClient, on_turn_error=None):
        super().__init__(on_turn_error)
        self.client = client
        # The bot's own recent events (id -> text): a reply or a ✅ on one of them needs no round trip.
        self.sent: OrderedDict[str, str] = OrderedDict()

    @property
    def user_id(self) -> str:
        return self.client.user_id

    async def process(self, activity: Activity, logic: Callable[[TurnContext], Awaitable]) -> None:
        await self.run_pipeline(TurnContext(self, activity), logic)

    async def send_activities(self, context: TurnContext, activities: list[Activity]) -> list[ResourceResponse]:
        incoming = context.activity
        data = ((incoming.channel_data or {}).get("matrix") or {}) if isinstance(incoming.channel_data, dict) else {}
        reply_to = data.get("reply_to") if incoming.type == ActivityTypes.message else None
        thread = data.get("thread")
        personal = (incoming.conversation.conversation_type or "personal") == "personal"
        mentions = [incoming.from_property.id] if reply_to and not personal and incoming.from_property else None
        responses = []
        for activity in activities:
            room_id = activity.conversation.id if activity.conversation else incoming.conversation.id
            event_id = await self.post(room_id, activity, reply_to=reply_to, thread=thread, mentions=mentions)
            responses.append(ResourceResponse(id=event_id or ""))
        return responses

    async def post(self, room_id: str, activity: Activity, *, reply_to: str | None = None,
                   thread: str | None = None, mentions: list[str] | None = None) -> str | None:
        """Send one outgoing activity: its text as a notice, its images as ``m.image``; the first event id."""
        if activity.type != ActivityTypes.message:
            return None  # typing, delays, invoke responses: nothing to show in a room
        first: str | None = None
        if activity.text:
            first = await self.send_notice(room_id, activity.text, reply_to=reply_to, thread=thread,
                                           mentions=mentions)
        for attachment in activity.attachments or []:
            png = png_of(attachment.content_url) if (attachment.content_type or "").startswith("image/") else None
            if png is None:
                continue  # Adaptive Cards and the like: Teams only; the text says the same
            event_id = await self.send_image(room_id, png, attachment.name or "bild.png", thread=thread)
            first = first or event_id
        return first

    async def send_notice(self, room_id: str, text: str, *, reply_to: str | None = None,
                          thread: str | None = None, mentions: list[str] | None = None) -> str:
        content = notice_content(text, reply_to=reply_to, thread=thread, mentions=mentions)
        event_id = await self.room_send(room_id, "m.room.message", content)
        self._remember(event_id, text)
        return event_id

    async def send_image(self, room_id: str, png: bytes, name: str, *, thread: str | None = None) -> str:
        room = self.client.rooms.get(room_id)
        encrypt = bool(room is not None and room.encrypted)
        upload, keys = await self.client.upload(io.BytesIO(png), content_type="image/png", filename=name,
                                                encrypt=encrypt, filesize=len(png))
        if not isinstance(upload, UploadResponse):
            raise _send_error(upload, "upload")
        info: dict[str, Any] = {"mimetype": "image/png", "size": len(png)}
        size = png_size(png)
        if size:
            info["w"], info["h"] = size
        content: dict[str, Any] = {"msgtype": "m.image", "body": name, "info": info}
        if encrypt:
            content["file"] = {"url": upload.content_uri, **(keys or {})}
        else:
            content["url"] = upload.content_uri
        relation = _relation(None, thread)
        if relation:
            content["m.relates_to"] = relation
        return await self.room_send(room_id, "m.room.message", content)

    async def room_send(self, room_id: str, event_type: str, content: dict[str, Any]) -> str:
        """Send an event (encrypted in an encrypted room, to every device: a bot verifies nobody).

        A 429 is waited out by nio, ``retry_after_ms`` each time (``AsyncClientConfig.max_limit_exceeded``
        times); what still fails raises ``MatrixSendError``."""
        try:
            response = await self.client.room_send(room_id, event_type, content, ignore_unverified_devices=True)
        except LocalProtocolError as error:  # the room is not (yet) known to this client
            raise MatrixSendError(str(error), gone=room_id not in self.client.rooms) from error
        if not isinstance(response, RoomSendResponse):
            raise _send_error(response, "send")
        return response.event_id

    async def update_activity(self, context: TurnContext, activity: Activity) -> ResourceResponse:
        """An edit (``m.replace``) of the bot's event ``activity.id``."""
        text = activity.text or ""
        new = notice_content(text)
        new.pop("m.relates_to", None)
        content = {**notice_content("* " + text), "m.new_content": new,
                   "m.relates_to": {"rel_type": "m.replace", "event_id": activity.id}}
        room_id = activity.conversation.id if activity.conversation else context.activity.conversation.id
        await self.room_send(room_id, "m.room.message", content)
        self._remember(activity.id, text)
        return ResourceResponse(id=activity.id)

    async def delete_activity(self, context: TurnContext, reference: ConversationReference) -> None:
        response = await self.client.room_redact(reference.conversation.id, reference.activity_id)
        if isinstance(response, ErrorResponse):
            raise _send_error(response, "redact")

    def _remember(self, event_id: str, text: str) -> None:
        self.sent[event_id] = text
        while len(self.sent) > SENT_MEMORY:
            self.sent.popitem(last=False)


def _send_error(response: ErrorResponse, what: str) -> MatrixSendError:
    code = str(getattr(response, "status_code", "") or "")
    retry_after_ms = getattr(response, "retry_after_ms", None)
    message = f"Matrix {what} failed: {code} {getattr(response, 'message', '')}".strip()
    return MatrixSendError(message, gone=code in GONE_ERRORS,
                           retry_after=retry_after_ms / 1000 if code in RATE_LIMITED and retry_after_ms else None)


# --- speaking first -------------------------------------------------------------------------------------

class MatrixDelivery:
    """The scheduler's Matrix side: a stored room (a bound room, or a member's direct room), or a new direct
    room with a member (``is_direct``, encrypted when encryption is on) that the outbox then keeps.

    ``wait_for_room`` is the sync loop's: a new room can take encrypted messages only once its state (with the
    invited member, whose devices get the room key) came back through a sync."""

    def __init__(self, adapter: MatrixAdapter, *, homeserver: str, encryption: bool,
                 wait_for_room: Callable[..., Awaitable[bool]], ready: Callable[[], bool] = lambda: True):
        self.adapter = adapter
        self.homeserver = homeserver
        self.encryption = encryption
        self.wait_for_room = wait_for_room
        self.ready = ready

    async def send(self, target: Target, activity: Activity) -> tuple[Delivery, Target | None]:
        if not self.ready():  # logging in or reconnecting: rooms are unknown, which is not "gone"
            return Delivery("retry", "Matrix is not connected yet", NOT_READY_RETRY), None
        try:
            opened: Target | None = None
            conversation = (target.reference or {}).get("conversation") or {}
            room_id = conversation.get("id")
            if room_id and not self._usable(room_id, conversation.get("conversationType") == "personal"):
                # A member who left their direct room gets a new one rather than a post to nobody; a shared
                # room the bot is no longer in is gone (the scheduler stops using it and tells the admins).
                user = ((target.reference or {}).get("user") or {}).get("id")
                if conversation.get("conversationType") != "personal" or not user:
                    return Delivery("gone", "the bot is not in the room"), None
                room_id = None
                target = Target(channel=CHANNEL_ID, user_id=user)
            if room_id is None:
                if not target.user_id:
                    return Delivery("gone", "no room and no user to open one with"), None
                room_id = await self.open_direct(target.user_id)
                opened = Target(channel=CHANNEL_ID, reference=personal_reference(
                    room_id, target.user_id, bot_user_id=self.adapter.user_id, homeserver=self.homeserver))
            await self.adapter.post(room_id, activity)
            return Delivery("sent"), opened
        except MatrixSendError as error:
            log.warning("Matrix proactive send failed: %s", error)
            if error.gone:
                return Delivery("gone", str(error)[:200]), None
            return Delivery("retry", str(error)[:200], error.retry_after), None
        except Exception as error:  # network errors, timeouts, nio's own (e.g. SendRetryError): try again later
            log.warning("Matrix proactive send failed: %r", error)
            return Delivery("retry", type(error).__name__), None

    def _usable(self, room_id: str, personal: bool) -> bool:
        room = self.adapter.client.rooms.get(room_id)
        if room is None:
            return False
        return not personal or room.member_count >= 2

    async def open_direct(self, user_id: str) -> str:
        response = await self.adapter.client.room_create(
            is_direct=True, invite=[user_id], preset=RoomPreset.trusted_private_chat,
            initial_state=[ENCRYPTION_STATE] if self.encryption else [])
        if isinstance(response, RoomCreateError):
            raise _send_error(response, "room creation")
        log.info("opened a direct room %s with %s", response.room_id, user_id)
        if not await self.wait_for_room(response.room_id, ROOM_WAIT, member=user_id, encrypted=self.encryption):
            raise MatrixSendError(f"the new room {response.room_id} did not come back through the sync")
        return response.room_id
