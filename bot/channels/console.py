"""The terminal as a channel: ``samverkan chat`` talks to the same handler and database as Teams.

A ``BotAdapter`` like any other, so what works here works in Teams and Matrix; the user is a chosen
member, identified on the ``console`` channel by their member id.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount, ResourceResponse

CHANNEL_ID = "console"
BOT_ACCOUNT = ChannelAccount(id="samverkansboten", name="Samverkansboten")


def console_user_key(member_id: int) -> str:
    return f"member-{member_id}"


class ConsoleAdapter(BotAdapter):
    def __init__(self, write: Callable[[str], None], on_turn_error=None):
        super().__init__(on_turn_error)
        self._write = write

    async def send_activities(self, context: TurnContext, activities: list[Activity]) -> list[ResourceResponse]:
        responses = []
        for activity in activities:
            if activity.type == ActivityTypes.message and activity.text:
                self._write(activity.text)
            responses.append(ResourceResponse(id=str(uuid.uuid4())))
        return responses

    async def update_activity(self, context: TurnContext, activity: Activity) -> ResourceResponse:
        if activity.text:
            self._write(f"(ändrat) {activity.text}")
        return ResourceResponse(id=activity.id)

    async def delete_activity(self, context: TurnContext, reference) -> None:
        return None

    async def say(self, text: str, *, member_id: int, member_name: str,
                  logic: Callable[[TurnContext], Awaitable]) -> None:
        """Run one turn for a line the member typed."""
        user = ChannelAccount(id=console_user_key(member_id), name=member_name)
        activity = Activity(
            type=ActivityTypes.message,
            id=str(uuid.uuid4()),
            timestamp=datetime.now(UTC),
            channel_id=CHANNEL_ID,
            service_url="console://local",
            conversation=ConversationAccount(id=f"console-{member_id}", conversation_type="personal"),
            from_property=user,
            recipient=BOT_ACCOUNT,
            text=text,
            locale="sv-SE",
        )
        await self.run_pipeline(TurnContext(self, activity), logic)
