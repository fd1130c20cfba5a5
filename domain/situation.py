"""Who asks, when, and in which collaboration: what every rule and use case decides from, free of any chat."""

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
    access: str = "member"  # domain.vocabulary.Access: member, reader or reporter (an admin may do everything)

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
