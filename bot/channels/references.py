"""What must be kept of an inbound activity to message that user, channel or room again later."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity


@dataclass(frozen=True)
class Identity:
    """Who wrote: a Teams user by Entra object id and tenant, anyone else by their channel's user id."""

    channel: str
    user_key: str
    tenant_id: str = ""

    def __str__(self) -> str:
        return f"{self.channel}:{self.user_key}" + (f"@{self.tenant_id}" if self.tenant_id else "")


def tenant_of(activity: Activity) -> str:
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = _id(data.get("tenant"))
    return tenant or (activity.conversation.tenant_id if activity.conversation else None) or ""


def _id(part) -> str | None:
    """The ``id`` of a channelData part, when it is an object with a string id (clients send anything)."""
    value = part.get("id") if isinstance(part, dict) else None
    return value if isinstance(value, str) else None


def identity_of(activity: Activity) -> Identity | None:
    sender = activity.from_property
    if sender is None or not sender.id:
        return None
    user_key = (sender.aad_object_id or sender.id) if activity.channel_id == "msteams" else sender.id
    return Identity(activity.channel_id or "unknown", user_key, tenant_of(activity))


def teams_ids(activity: Activity) -> tuple[str | None, str | None]:
    """The Teams team and channel ids from channelData (None elsewhere)."""
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    return _id(data.get("team")), _id(data.get("channel"))


def reference_key(activity: Activity) -> str:
    return f"{activity.channel_id}:{activity.conversation.id}"


def reference_fields(activity: Activity) -> dict[str, Any]:
    """Columns for ``conversation_references``; ``reference`` is botbuilder's own serialized form."""
    conversation = activity.conversation
    team_id, teams_channel_id = teams_ids(activity)
    kind = conversation.conversation_type or ("channel" if conversation.is_group else "personal")
    return {
        "channel_id": activity.channel_id,
        "service_url": activity.service_url,
        "conversation_id": conversation.id,
        "conversation_type": kind,
        "tenant_id": tenant_of(activity) or None,
        "team_id": team_id,
        "teams_channel_id": teams_channel_id,
        "bot_id": activity.recipient.id if activity.recipient else None,
        "reference": _reference(activity),
    }


def _reference(activity: Activity) -> dict[str, Any]:
    """botbuilder's serialized ConversationReference, without the id of the message it was taken from:
    a later proactive message starts anew rather than replying to an old message, and the stored row
    changes only when the conversation does (so a turn need not rewrite it)."""
    reference = TurnContext.get_conversation_reference(activity)
    reference.activity_id = None
    return reference.serialize()
