"""The collaboration described by the agreement: parties, focus areas, forums, deadlines, members.

Plain frozen data without I/O so dialogs and reminders can be tested with hand-built instances;
``domain.collaboration.loader`` builds them from a TOML file.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from domain.dates import add_months

# Codes the bot's dialogs rely on; a municipality may add more but not drop these.
PARTY_CODES = ("kommun", "polis")
REQUIRED_FOCUS_AREAS = ("trygga-unga", "fri-fran-vald", "andts", "skadegorelse-skola")
REQUIRED_FORUMS = ("strategiska-bra", "operativa-bra", "sspf", "styrgrupp-barn-unga")
REQUIRED_DEADLINES = ("renewal", "follow_up", "lagesbild_update")


@dataclass(frozen=True, slots=True)
class Party:
    code: str
    name: str
    units: tuple[str, ...] = ()  # parts of the party people name as owners: "socialtjänsten", "skolan"


@dataclass(frozen=True, slots=True)
class FocusArea:
    code: str
    name: str
    synonyms: tuple[str, ...] = ()
    description: str = ""

    def terms(self) -> tuple[str, ...]:
        """Everything a user might write for this area: name, code and synonyms."""
        return (self.name, self.code, *self.synonyms)


@dataclass(frozen=True, slots=True)
class Forum:
    code: str
    name: str
    synonyms: tuple[str, ...] = ()
    description: str = ""
    decision_mandate: bool = False
    meets: str = ""  # when it meets, in Swedish: "varannan tisdag kl 13"; empty when set by chat or calendar

    def terms(self) -> tuple[str, ...]:
        """Everything a user might write for this forum: name, code and synonyms."""
        return (self.name, self.code, *self.synonyms)


@dataclass(frozen=True, slots=True)
class Deadline:
    """A deadline the agreement itself sets; ``quote`` is its Swedish wording, shown to users."""

    code: str
    title: str
    due: date
    every_months: int | None = None
    responsible_forum: str | None = None
    quote: str = ""

    @property
    def recurring(self) -> bool:
        return self.every_months is not None

    def occurrences(self, until: date) -> list[date]:
        """Due dates from ``due`` up to and including ``until``; one-off deadlines yield at most one.

        Each date is computed from the first due date (not chained), so month-end dates stay at
        month end instead of drifting.
        """
        if not self.every_months:
            return [self.due] if self.due <= until else []
        result: list[date] = []
        n = 0
        while (current := add_months(self.due, n * self.every_months)) <= until:
            result.append(current)
            n += 1
        return result

    def next_due(self, today: date) -> date | None:
        """The first due date on or after ``today``; None when a one-off deadline has passed."""
        if self.due >= today:
            return self.due
        if not self.every_months:
            return None
        n = 0
        while (current := add_months(self.due, n * self.every_months)) < today:
            n += 1
        return current


@dataclass(frozen=True, slots=True)
class SchoolBreak:
    """A school holiday by ISO weeks ("sportlov" week 8); ``last_week`` below ``first_week`` crosses New Year."""

    name: str
    first_week: int
    last_week: int


@dataclass(frozen=True, slots=True)
class Member:
    """A pre-registered member; identities let the bot recognise the person on each channel."""

    name: str
    party: str
    role: str = ""
    admin: bool = False
    teams_object_id: str | None = None
    teams_tenant_id: str | None = None
    matrix_id: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """A place in the municipality people name (a school, a village, a square), so a place is read whole."""

    name: str
    kind: str = ""
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SocialServices:
    """Where a concern about one child goes: the bot names it in every orosanmälan answer."""

    name: str
    contact: str  # how to reach it in office hours
    after_hours: str = ""  # the social emergency service (socialjour) outside them
    web: str = ""  # the municipality's page or e-service for an orosanmälan


@dataclass(frozen=True, slots=True)
class Retention:
    """The retention decision (gallringsbeslut): how many months each kind of record is kept.

    The bot's records are public records; nothing is deleted without such a decision. ``decision`` names
    it ("Dokumenthanteringsplan KS 2025/123, beslutad 2025-05-12"); a kind without an age is kept.
    Actions and promises keep their history and are never removed.
    """

    decision: str
    observations_months: int | None = None
    audit_log_months: int | None = None

    def months(self) -> dict[str, int]:
        """The kinds the decision covers, with their age in months."""
        ages = {"observations": self.observations_months, "audit_log": self.audit_log_months}
        return {kind: months for kind, months in ages.items() if months is not None}


DETAIL_LEVELS = ("full", "summary")


@dataclass(frozen=True, slots=True)
class DetailDefaults:
    """How much the bot says in a shared channel (a Teams channel or group chat, a Matrix room) whose binding
    sets no level of its own: ``full``, or ``summary`` (counts, action numbers, titles, due dates; never an
    observation's text or place). Teams is a US cloud service, so its default is ``summary``; a Matrix room on the
    municipality's own homeserver may show everything."""

    teams: str = "summary"
    matrix: str = "full"


_Coded = TypeVar("_Coded", Party, FocusArea, Forum, Deadline)


@dataclass(frozen=True, slots=True)
class Collaboration:
    name: str
    municipality: str
    police_area: str
    timezone: str
    contact: str
    period_start: date
    period_end: date
    extends_until_replaced: bool = False
    parties: tuple[Party, ...] = ()
    focus_areas: tuple[FocusArea, ...] = ()
    forums: tuple[Forum, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    members: tuple[Member, ...] = field(default=())
    school_breaks: tuple[SchoolBreak, ...] = ()
    places: tuple[Place, ...] = ()
    social_services: SocialServices | None = None
    retention: Retention | None = None  # without a decision nothing is deleted
    detail: DetailDefaults = DetailDefaults()
    _hash: int | None = field(default=None, init=False, repr=False, compare=False, hash=False)

    def __hash__(self) -> int:
        # The understanding's caches are keyed by the collaboration, so it is hashed several times a turn;
        # hashing every nested area, forum and member each time cost more than a light turn's database work.
        # Computed once, as a frozen collaboration never changes (not meant to be pickled with it).
        if self._hash is None:
            object.__setattr__(self, "_hash", hash(tuple(getattr(self, f.name) for f in fields(self) if f.compare)))
        return self._hash

    def today(self, now: datetime) -> date:
        """The collaboration's local date at the aware instant ``now``."""
        return now.astimezone(ZoneInfo(self.timezone)).date()

    def school_break_weeks(self) -> dict[str, tuple[int, int]]:
        """Breaks by their name without case or diacritics ("påsklov" -> "pasklov"), for reading times."""
        return {_plain(b.name): (b.first_week, b.last_week) for b in self.school_breaks}

    def party(self, code: str) -> Party:
        return _by_code(self.parties, code, "party")

    def focus_area(self, code: str) -> FocusArea:
        return _by_code(self.focus_areas, code, "focus area")

    def forum(self, code: str) -> Forum:
        return _by_code(self.forums, code, "forum")

    def deadline(self, code: str) -> Deadline:
        return _by_code(self.deadlines, code, "deadline")

    def in_force(self, day: date) -> bool:
        """Whether the agreement applies on ``day``, counting the tacit extension after its end."""
        if day < self.period_start:
            return False
        return self.extends_until_replaced or day <= self.period_end


def _by_code(items: tuple[_Coded, ...], code: str, kind: str) -> _Coded:
    for item in items:
        if item.code == code:
            return item
    raise KeyError(f"unknown {kind} code {code!r}")


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
