"""What a reply may depend on besides the chat: who asks, when, and the collaboration they belong to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from domain.collaboration import Collaboration


@dataclass(frozen=True)
class Asker:
    """A known member writing to the bot."""

    member_id: int
    name: str
    party: str
    role: str
    is_admin: bool = False

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else self.name


@dataclass(frozen=True)
class Situation:
    collaboration: Collaboration
    asker: Asker
    now: datetime  # timezone-aware
    member_names: tuple[str, ...] = ()  # active members, for reading who a message names

    @property
    def local_now(self) -> datetime:
        return self.now.astimezone(ZoneInfo(self.collaboration.timezone))

    @property
    def today(self) -> date:
        return self.local_now.date()


SITUATION_KEY = "samverkan.situation"
DATABASE_KEY = "samverkan.database"


def database_of(turn_context):
    """The bot's ``storage.Database`` for this turn (put there by the conversation)."""
    return turn_context.turn_state[DATABASE_KEY]
LISTING_KEY = "samverkan.listing"
MEMBERS_KEY = "samverkan.members"


def members_of(turn_context):
    """The handler's ``bot.members.MemberDirectory``: a change to a member forgets what it remembers."""
    return turn_context.turn_state[MEMBERS_KEY]


MENTIONED_KEY = "samverkan.mentioned"
PREVIOUS_KEY = "samverkan.previous_action"


async def mention_action(turn_context, number: int) -> None:
    """Remembers the action this reply is about, so the next message may call it "den" or "det"."""
    await turn_context.turn_state[MENTIONED_KEY].set(turn_context, number)


def previous_action(turn_context) -> int | None:
    """The action the previous reply created or showed, if any: what "skjut upp den" refers to."""
    return turn_context.turn_state.get(PREVIOUS_KEY)


def listing_of(turn_context):
    """The user's last paged list (a botbuilder state property), so "mer" can show the next page."""
    return turn_context.turn_state[LISTING_KEY]
