"""A local Bot Connector service that records what the bot sends, over real HTTP on loopback.

It answers the Bot Framework v3 routes the bot uses (replies, new posts, updates, new
conversations); the webhook answers only after the turn, so tests and ``bench/webhook.py`` read
``sent`` right after their request returns.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Sent:
    method: str
    path: str
    conversation_id: str
    reply_to_id: str | None
    body: dict[str, Any]
    authorization: str | None

    @property
    def text(self) -> str:
        return self.body.get("text") or ""

    @property
    def message(self) -> dict[str, Any] | None:
        """The message this call adds to the conversation: a new conversation's first message (if it has
        one), a posted activity; an update adds none."""
        if self.path == "/v3/conversations":
            return self.body.get("activity")
        return self.body if self.method == "POST" else None


@dataclass
class RecordingConnector:
    host: str = "127.0.0.1"
    sent: list[Sent] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    url: str = ""
    refused: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    roster: dict[str, dict[str, Any]] = field(default_factory=dict)  # Teams user id -> TeamsChannelAccount JSON
    _failures: list[tuple[int, int | None]] = field(default_factory=list)

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create_conversation)
        app.router.add_get("/v3/conversations/{conversation_id}/members/{member_id}", self._member)
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._activity)
        app.router.add_post("/v3/conversations/{conversation_id}/activities/{reply_to_id}", self._activity)
        app.router.add_put("/v3/conversations/{conversation_id}/activities/{reply_to_id}", self._activity)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.url = f"http://{self.host}:{port}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def clear(self) -> None:
        self.sent.clear()

    def fail_next(self, status: int, *, times: int = 1, retry_after: int | None = None) -> None:
        """The next ``times`` posts are answered ``status`` (with Retry-After), as Teams throttles or refuses."""
        self._failures.extend([(status, retry_after)] * times)

    def texts(self, conversation_id: str | None = None) -> list[str]:
        return [s.text for s in self.sent if conversation_id in (None, s.conversation_id)]

    def messages(self, conversation_id: str | None = None) -> list[dict[str, Any]]:
        """Every message that reached a conversation as its members see them, first messages of new
        conversations included."""
        return [s.message for s in self.sent
                if s.message is not None and conversation_id in (None, s.conversation_id)]

    async def _activity(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self._failures:
            status, retry_after = self._failures.pop(0)
            self.refused.append((status, body))
            headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
            return web.json_response({"error": {"code": "Throttled" if status == 429 else "Forbidden"}},
                                     status=status, headers=headers)
        self.sent.append(Sent(
            method=request.method,
            path=request.path,
            conversation_id=request.match_info["conversation_id"],
            reply_to_id=request.match_info.get("reply_to_id"),
            body=body,
            authorization=request.headers.get("Authorization"),
        ))
        return web.json_response({"id": str(uuid.uuid4())}, status=200)

    async def _member(self, request: web.Request) -> web.Response:
        member = self.roster.get(request.match_info["member_id"])
        if member is None:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
        return web.json_response(member)

    async def _create_conversation(self, request: web.Request) -> web.Response:
        body = await request.json()
        activity_id = str(uuid.uuid4())
        channel = ((body.get("channelData") or {}).get("channel") or {}).get("id")
        # As Teams answers: a new channel post is a thread, "<channel>;messageid=<its first message>".
        conversation_id = f"{channel};messageid={activity_id}" if channel else f"created-{uuid.uuid4()}"
        self.sent.append(Sent("POST", request.path, conversation_id, None, body,
                              request.headers.get("Authorization")))
        return web.json_response({"id": conversation_id, "activityId": activity_id}, status=201)
