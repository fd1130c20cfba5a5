"""One sync's rooms as turns of the handler: invites, the bot joining and leaving, messages and ✅ reactions.

Invites are joined only from ``MATRIX_ALLOWED_INVITERS`` or known members, else refused (and audited). In a
direct room every message is for the bot; in a shared room only what addresses it (a mention, its name
first, a reply to its message). Every event is claimed by id before it is handled, so a batch fetched again
after an error or a restart answers nothing twice. A message that cannot be decrypted yet waits a while for
its room key; a catch-up sync that left a gap ("limited") has the gap fetched, so no message is lost.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from typing import TYPE_CHECKING, Any

from nio import (
    AsyncClient,
    InviteMemberEvent,
    LocalProtocolError,
    MegolmEvent,
    MessageDirection,
    ReactionEvent,
    RoomGetEventResponse,
    RoomMemberEvent,
    RoomMessageFormatted,
    RoomMessageMedia,
    RoomMessageNotice,
    RoomMessagesResponse,
    RoomMessageText,
    SyncResponse,
)
from nio.exceptions import EncryptionError

from bot.channels.matrix.activities import (
    CHANNEL_ID,
    RoomKind,
    membership_activity,
    message_activity,
    room_kind,
)
from bot.channels.matrix.adapter import MatrixAdapter
from bot.channels.matrix.session import MatrixSession
from bot.channels.matrix.tasks import BackgroundTasks
from bot.channels.matrix.text import strip_reply_fallback
from bot.channels.references import Identity
from dialogs.help import NO_TEXT_TEXT
from storage.matrix_sync import MatrixSyncState

if TYPE_CHECKING:
    from bot.handler import SamverkanBot

log = logging.getLogger(__name__)

CATCH_UP_LIMIT = 500  # events fetched per room when a catch-up sync left a gap (timeline "limited")
UNDECRYPTED_PATIENCE = 60.0  # seconds an undecryptable message waits for its room key
CHECK_MARKS = frozenset({"✅", "✔", "☑"})
_ACTION_NUMBER = re.compile(r"(?<![\w#])#(\d+)\b")

REACTION_HINT = ("Reagera med ✅ på ett meddelande som gäller en enda åtgärd (till exempel en påminnelse om #12) "
                 "för att markera den som klar – eller skriv ”#12 klar”.")
UNDECRYPTABLE_TEXT = ("Jag kunde inte läsa ditt krypterade meddelande (nyckeln kom inte fram till mig). "
                      "Skriv det gärna igen.")


class RoomEvents:
    """Hands the events of each sync to ``bot`` through ``adapter``, claiming each in ``state`` first."""

    def __init__(self, session: MatrixSession, adapter: MatrixAdapter, state: MatrixSyncState, bot: SamverkanBot):
        self.session = session
        self.client: AsyncClient = session.client
        self.user_id = session.user_id
        self.homeserver: str = session.settings.matrix_homeserver
        self.allowed_inviters: tuple[str, ...] = tuple(session.settings.matrix_allowed_inviters)
        self.adapter = adapter
        self.state = state
        self.bot = bot
        self.background = BackgroundTasks()  # room-key requests, held until done
        self._inviters: dict[str, str] = {}
        self._undecrypted: dict[str, tuple[float, str, MegolmEvent]] = {}

    async def handle(self, response: SyncResponse, *, history: bool, since: str | None) -> None:
        """One sync's batch; ``history``: answer it (not on the very first start); ``since``: the token the
        batch was asked from, where a gap ends."""
        for room_id, info in response.rooms.invite.items():
            await self._invited(room_id, info.invite_state)
        for room_id, info in response.rooms.join.items():
            room = self.client.rooms.get(room_id)
            events = list(info.timeline.events)
            if history and info.timeline.limited and info.timeline.prev_batch and since \
                    and own_join(events, self.user_id) is None:
                events = await self._gap(room_id, info.timeline.prev_batch, since) + events
            joined = own_join(events, self.user_id)
            if joined is not None:
                events = events[joined:]  # what was said before the bot came in is not for it
            for event in events:
                await self._event(room, room_id, event, history=history)
        for room_id, info in response.rooms.leave.items():
            for event in info.timeline.events:
                if isinstance(event, RoomMemberEvent) and event.state_key == self.user_id \
                        and event.membership in ("leave", "ban"):
                    await self._left(room_id, event)
        await self._retry_undecrypted()

    async def close(self) -> None:
        await self.background.cancel_all()

    async def _gap(self, room_id: str, prev_batch: str, since: str) -> list[Any]:
        """The events a limited catch-up sync left out, oldest first: back from ``prev_batch`` to ``since``."""
        events: list[Any] = []
        start = prev_batch
        while len(events) < CATCH_UP_LIMIT:
            page = await self.client.room_messages(room_id, start=start, end=since,
                                                   direction=MessageDirection.back, limit=100)
            if not isinstance(page, RoomMessagesResponse) or not page.chunk:
                break
            events.extend(page.chunk)
            if not page.end or page.end == start:
                break
            start = page.end
        log.info("Matrix: caught up %d events in %s from before the gap", len(events), room_id)
        return list(reversed(events))

    # --- invites and membership -----------------------------------------------------------------------

    async def _invited(self, room_id: str, invite_state: list[Any]) -> None:
        invite = next((e for e in invite_state if isinstance(e, InviteMemberEvent)
                       and e.state_key == self.user_id and e.membership == "invite"), None)
        inviter = invite.sender if invite is not None else ""
        if await self._may_invite(inviter):
            response = await self.client.join(room_id)
            if getattr(response, "room_id", None):
                self._inviters[room_id] = inviter
                log.info("Matrix: joined %s, invited by %s", room_id, inviter)
            else:
                log.warning("Matrix: could not join %s: %s", room_id, response)
            return
        log.warning("Matrix: refused an invite to %s from %s (not in MATRIX_ALLOWED_INVITERS and not a member)",
                    room_id, inviter or "an unknown user")
        await self.client.room_leave(room_id)
        await self.state.record_refused_invite(room_id, inviter)

    async def _may_invite(self, inviter: str) -> bool:
        if not inviter:
            return False
        for allowed in self.allowed_inviters:
            if inviter == allowed or (allowed.startswith(":") and inviter.endswith(allowed)):
                return True
        return await self.bot.members.lookup(Identity(CHANNEL_ID, inviter)) is not None

    async def _joined(self, room, room_id: str, event: RoomMemberEvent) -> None:
        """The bot joined a room it was invited to: the handler keeps the room and greets, as in Teams."""
        activity = membership_activity(room_id=room_id, kind=room_kind(room), event_id=event.event_id,
                                       sender=self._inviters.pop(room_id, None) or self.user_id,
                                       bot_user_id=self.user_id, homeserver=self.homeserver, added=True)
        await self.adapter.process(activity, self.bot.on_turn)

    async def _left(self, room_id: str, event: RoomMemberEvent) -> None:
        """Kicked, banned or left: the room's reference (if it had one) stops being used."""
        known = await self.state.known_room(room_id)
        if known is not None and await self.state.claim(event.event_id):
            activity = membership_activity(room_id=room_id, kind=RoomKind(known.conversation_type),
                                           event_id=event.event_id, sender=event.sender, bot_user_id=self.user_id,
                                           homeserver=self.homeserver, added=False)
            await self.adapter.process(activity, self.bot.on_turn)

    # --- room events ----------------------------------------------------------------------------------

    async def _event(self, room, room_id: str, event, *, history: bool) -> None:
        log.debug("Matrix event %s %s in %s from %s", type(event).__name__, getattr(event, "event_id", "?"), room_id,
                  getattr(event, "sender", "?"))
        if isinstance(event, RoomMemberEvent):
            if history and event.state_key == self.user_id and event.membership == "join" \
                    and event.prev_membership == "invite" and await self.state.claim(event.event_id):
                await self._joined(room, room_id, event)
            return
        sender = getattr(event, "sender", None)
        if not history or sender is None or sender == self.user_id or isinstance(event, RoomMessageNotice):
            return  # never history on a first start, never the bot's own events, never notices (other bots)
        if isinstance(event, MegolmEvent):
            self._undecryptable(room_id, event)
        elif isinstance(event, RoomMessageText):
            await self._message(room, room_id, event)
        elif isinstance(event, ReactionEvent):
            await self._reaction(room, room_id, event)
        elif isinstance(event, RoomMessageMedia | RoomMessageFormatted) and room_kind(room).personal:
            if await self.state.claim(event.event_id):  # an image, a file, an emote in a 1:1: say what works
                await self.adapter.send_notice(room_id, NO_TEXT_TEXT, reply_to=event.event_id)

    async def _message(self, room, room_id: str, event: RoomMessageText) -> None:
        content = event.source.get("content") or {}
        relation = content.get("m.relates_to") or {}
        if relation.get("rel_type") == "m.replace":
            return  # an edit of an earlier message: that one was answered already
        kind = room_kind(room)
        reply_to_event = (relation.get("m.in_reply_to") or {}).get("event_id")
        text = strip_reply_fallback(event.body) if reply_to_event else event.body
        if not kind.personal:
            text = await self._addressed(room_id, content, text, reply_to_event)
            if text is None:
                return  # room talk not meant for the bot
        if not await self.state.claim(event.event_id):
            return
        thread = relation.get("event_id") if relation.get("rel_type") == "m.thread" else None
        activity = message_activity(
            room_id=room_id, kind=kind, event_id=event.event_id, sender=event.sender,
            sender_name=room.user_name(event.sender) if room is not None else None, text=text,
            bot_user_id=self.user_id, homeserver=self.homeserver,
            timestamp_ms=event.server_timestamp, thread=thread)
        await self.adapter.process(activity, self.bot.on_turn)

    async def _addressed(self, room_id: str, content: dict[str, Any], text: str,
                         reply_to_event: str | None) -> str | None:
        """In a shared room the bot answers what is meant for it (as in a Teams channel, where one @mentions
        the bot): a mention, a message starting with its name, or a reply to one of its messages. The text
        comes back without the name; None: not for the bot."""
        mentioned = self.user_id in ((content.get("m.mentions") or {}).get("user_ids") or [])
        for name in self.session.names:
            match = re.match(rf"\s*@?{re.escape(name)}\b\s*[:,]?\s*", text, flags=re.IGNORECASE)
            if match:
                return text[match.end():]
        if mentioned:
            return text
        if reply_to_event and await self._bot_text(room_id, reply_to_event) is not None:
            return text
        return None

    async def _bot_text(self, room_id: str, event_id: str) -> str | None:
        """The text of the bot's own event ``event_id`` (None when it is someone else's or cannot be read)."""
        if event_id in self.adapter.sent:
            return self.adapter.sent[event_id]
        response = await self.client.room_get_event(room_id, event_id)
        if not isinstance(response, RoomGetEventResponse):
            return None
        event = response.event
        if getattr(event, "sender", None) != self.user_id:
            return None
        return getattr(event, "body", None) or ""

    async def _reaction(self, room, room_id: str, event: ReactionEvent) -> None:
        """✅ on the bot's message about one action closes it, as if the reactor wrote "#12 klar"."""
        if event.key.replace("\ufe0f", "").strip() not in CHECK_MARKS:
            return
        text = await self._bot_text(room_id, event.reacts_to)
        if text is None or not await self.state.claim(event.event_id):
            return
        numbers = set(_ACTION_NUMBER.findall(text))
        if len(numbers) != 1:
            if await self.bot.members.lookup(Identity(CHANNEL_ID, event.sender)) is not None:
                await self.adapter.send_notice(room_id, REACTION_HINT, reply_to=event.reacts_to)
            return
        activity = message_activity(
            room_id=room_id, kind=room_kind(room), event_id=event.event_id, sender=event.sender,
            sender_name=room.user_name(event.sender) if room is not None else None, text=f"#{numbers.pop()} klar",
            bot_user_id=self.user_id, homeserver=self.homeserver,
            timestamp_ms=event.server_timestamp, reply_to=event.reacts_to)
        await self.adapter.process(activity, self.bot.on_turn)

    # --- messages the bot could not decrypt yet -------------------------------------------------------

    def _undecryptable(self, room_id: str, event: MegolmEvent) -> None:
        """Its room key may still be on the way (a to-device message in a later sync): wait for it a while,
        and ask the sender's devices for it meanwhile."""
        if event.event_id not in self._undecrypted:
            log.info("Matrix: cannot decrypt %s in %s yet (session %s)", event.event_id, room_id, event.session_id)
            self._undecrypted[event.event_id] = (time.monotonic(), room_id, event)
            if self.client.olm is not None:
                self.background.start(self._request_key(event), name=f"room key request for {event.event_id}")

    async def _request_key(self, event: MegolmEvent) -> None:
        try:
            await self.client.request_room_key(event)
        except LocalProtocolError as error:  # already asked for this session's key: the answer is on its way
            log.debug("Matrix: no new room key request for %s: %s", event.event_id, error)

    async def _retry_undecrypted(self) -> None:
        for event_id, (since, room_id, event) in list(self._undecrypted.items()):
            try:
                decrypted = self.client.decrypt_event(event)
            except (EncryptionError, AssertionError):
                if time.monotonic() - since > UNDECRYPTED_PATIENCE:
                    del self._undecrypted[event_id]
                    log.warning("Matrix: gave up decrypting %s in %s%s", event_id, room_id,
                                " (the key store is unusable: see the error above)" if self.session.key_problem
                                else "")
                    room = self.client.rooms.get(room_id)
                    if room is not None and room_kind(room).personal and await self.state.claim(event_id):
                        with contextlib.suppress(Exception):
                            await self.adapter.send_notice(room_id, UNDECRYPTABLE_TEXT, reply_to=event_id)
                continue
            del self._undecrypted[event_id]
            await self._event(self.client.rooms.get(room_id), room_id, decrypted, history=True)


def own_join(events: list[Any], user_id: str) -> int | None:
    """The index of the bot's own (last) joining in ``events``, if it joined there."""
    found = None
    for index, event in enumerate(events):
        if isinstance(event, RoomMemberEvent) and event.state_key == user_id and event.membership == "join" \
                and event.prev_membership != "join":
            found = index
    return found
