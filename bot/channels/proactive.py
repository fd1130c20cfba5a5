"""Speaking first in Teams: continue a stored conversation, open a 1:1 chat, or start a new channel post.
(Matrix has its own ``MatrixDelivery`` in ``bot.channels.matrix.delivery``; ``Deliveries`` picks one by channel.)

What comes back is sorted for the outbox: sent; try again later (429 with Retry-After, 5xx, a network
error); or gone (403/404: the bot was removed from the team or chat, so the reference is no longer usable).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ChannelAccount, ConversationParameters, ConversationReference

log = logging.getLogger(__name__)

GONE = frozenset({403, 404})


@dataclass(frozen=True)
class Delivery:
    outcome: str  # "sent", "retry" or "gone"
    error: str = ""
    retry_after: float | None = None


@dataclass(frozen=True)
class Target:
    """Where a message goes: a stored conversation, or a member without one (a 1:1 chat is opened)."""

    reference: dict[str, Any] | None = None  # botbuilder's serialized ConversationReference
    service_url: str | None = None
    tenant_id: str | None = None
    teams_channel_id: str | None = None  # set: a new top-level post in this channel
    user_id: str | None = None  # Teams user (Entra object id) for a new 1:1 chat
    key: str | None = None  # the stored reference's key, to stop using it when the channel says it is gone
    channel: str = "msteams"  # which delivery sends it ("msteams" or "matrix")


class TeamsDelivery:
    def __init__(self, adapter, app_id: str):
        self.adapter = adapter
        self.app_id = app_id or None

    async def send(self, target: Target, activity: Activity) -> tuple[Delivery, Target | None]:
        """Send ``activity``; returns the outcome and, when a new conversation was opened, its target."""
        opened: list[dict[str, Any]] = []
        # A new channel post carries the activity as the thread's first message; botbuilder then runs the
        # callback in the new thread, where sending it again would post it twice.
        carried = bool(target.teams_channel_id)

        async def callback(turn_context: TurnContext) -> None:
            if not carried:
                await turn_context.send_activity(activity)
            opened.append(TurnContext.get_conversation_reference(turn_context.activity).serialize())

        try:
            if target.teams_channel_id:
                await self.adapter.create_conversation(
                    self.app_id, callback, ConversationParameters(
                        is_group=True, channel_data={"channel": {"id": target.teams_channel_id},
                                                     "tenant": {"id": target.tenant_id}},
                        tenant_id=target.tenant_id, activity=activity),
                    "msteams", target.service_url, None)
                return Delivery("sent"), None
            if target.reference is not None:
                await self.adapter.continue_conversation(
                    ConversationReference().deserialize(target.reference), callback, self.app_id)
                return Delivery("sent"), None
            await self.adapter.create_conversation(
                self.app_id, callback, ConversationParameters(
                    is_group=False, members=[ChannelAccount(id=target.user_id)], tenant_id=target.tenant_id,
                    channel_data={"tenant": {"id": target.tenant_id}}),
                "msteams", target.service_url, None)
            return Delivery("sent"), Target(reference=opened[0]) if opened else None
        except Exception as error:  # the connector raises msrest errors, aiohttp errors, timeouts
            return _classified(error), None


class Deliveries:
    """The scheduler's deliveries by channel; a channel that is not running (yet) is retried later."""

    def __init__(self, by_channel: dict[str, Any] | None = None):
        self.by_channel: dict[str, Any] = dict(by_channel or {})

    @property
    def channels(self) -> frozenset[str]:
        return frozenset(self.by_channel)

    def add(self, channel: str, delivery) -> None:
        self.by_channel[channel] = delivery

    def remove(self, channel: str) -> None:
        self.by_channel.pop(channel, None)

    async def send(self, target: Target, activity: Activity) -> tuple[Delivery, Target | None]:
        delivery = self.by_channel.get(target.channel)
        if delivery is None:
            return Delivery("retry", f"{target.channel} is not running"), None
        return await delivery.send(target, activity)


def _classified(error: Exception) -> Delivery:
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    if status in GONE:
        return Delivery("gone", f"HTTP {status}")
    retry_after = None
    headers = getattr(response, "headers", None) or {}
    try:
        retry_after = float(headers.get("Retry-After")) if headers.get("Retry-After") else None
    except (TypeError, ValueError):
        retry_after = None
    reason = f"HTTP {status}" if status else type(error).__name__
    log.warning("proactive send failed: %s", reason)
    return Delivery("retry", reason, retry_after)
