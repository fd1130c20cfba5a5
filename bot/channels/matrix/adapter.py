"""The Matrix channel's botbuilder ``BotAdapter``: turns of the one handler, answered as room events.

What the handler sends becomes an ``m.notice`` (see ``text``) as a reply to the user's event (in its thread
when it was in one); a chart (a PNG data URI) is uploaded to the media repository and sent as ``m.image``;
Adaptive Cards are Teams-only and dropped (their text is sent). A send the homeserver refuses raises
``MatrixSendError``, which says whether the room is gone or when to try again.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ConversationReference, ResourceResponse
from nio import AsyncClient, ErrorResponse, LocalProtocolError, RoomSendResponse, UploadResponse

from bot.channels.matrix.text import notice_content, png_of, png_size, relation_of
from bot.channels.recent import Recent

log = logging.getLogger(__name__)

SENT_MEMORY = 1000  # the bot's recent events and their text: what a ✅ reaction or a reply points at
GONE_ERRORS = frozenset({"M_FORBIDDEN", "M_NOT_FOUND", "M_UNKNOWN_ROOM"})
RATE_LIMITED = frozenset({"M_LIMIT_EXCEEDED", "429"})


class MatrixSendError(Exception):
    """A room event the homeserver did not take; ``gone`` when the bot can no longer post in the room."""

    def __init__(self, message: str, *, gone: bool = False, retry_after: float | None = None):
        super().__init__(message)
        self.gone = gone
        self.retry_after = retry_after


class MatrixAdapter(BotAdapter):
    """Turns into room events. ``client`` is a logged-in nio ``AsyncClient`` whose rooms are synced."""

    def __init__(self, client: AsyncClient, on_turn_error=None):
        super().__init__(on_turn_error)
        self.client = client
        # The bot's own recent events (id -> text): a reply or a ✅ on one of them needs no round trip.
        self.sent: Recent[str, str] = Recent(SENT_MEMORY)

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
            raise send_error(upload, "upload")
        info: dict[str, Any] = {"mimetype": "image/png", "size": len(png)}
        size = png_size(png)
        if size:
            info["w"], info["h"] = size
        content: dict[str, Any] = {"msgtype": "m.image", "body": name, "info": info}
        if encrypt:
            content["file"] = {"url": upload.content_uri, **(keys or {})}
        else:
            content["url"] = upload.content_uri
        relation = relation_of(None, thread)
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
            raise send_error(response, "send")
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
            raise send_error(response, "redact")

    def _remember(self, event_id: str, text: str) -> None:
        self.sent[event_id] = text


def send_error(response: ErrorResponse, what: str) -> MatrixSendError:
    code = str(getattr(response, "status_code", "") or "")
    retry_after_ms = getattr(response, "retry_after_ms", None)
    message = f"Matrix {what} failed: {code} {getattr(response, 'message', '')}".strip()
    return MatrixSendError(message, gone=code in GONE_ERRORS,
                           retry_after=retry_after_ms / 1000 if code in RATE_LIMITED and retry_after_ms else None)
