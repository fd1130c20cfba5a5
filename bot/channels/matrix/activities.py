"""Matrix rooms as the activities the one handler reads: a room message, the bot joining or leaving a room.

A room message becomes a message activity (channel ``matrix``, conversation = the room id, from = the sender's
MXID, id = the event id); which event the answer replies to (and its thread) rides in ``channel_data``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount, ConversationReference

CHANNEL_ID = "matrix"
LOCALE = "sv-SE"


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
