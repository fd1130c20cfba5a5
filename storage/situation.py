"""The lägesbild (joint situational picture) as data: what the log says about a period and the one before.

The query fills these plain value objects; the text, cards and the chart render them, so rendering
never touches SQL and the query never formats Swedish.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Tally:
    """How many current observations one focus area and kind has in the period and in the one before."""

    focus_area: str  # code, e.g. "andts"
    focus_name: str  # e.g. "ANDTS"
    kind: str  # ObservationKind value, e.g. "handelse"
    count: int
    previous: int


@dataclass(frozen=True)
class PlaceCount:
    place: str  # as most often written
    count: int


@dataclass(frozen=True)
class LatestObservation:
    number: int
    focus_name: str
    kind: str
    place: str | None
    occurred_start: datetime  # timezone-aware (UTC)
    occurred_end: datetime | None
    description: str


@dataclass(frozen=True)
class Picture:
    """The lägesbild for ``[start, end)`` (UTC-aware) against ``[previous_start, start)``."""

    start: datetime
    end: datetime
    previous_start: datetime
    focus_area: str | None = None  # filter: a focus area code
    place: str | None = None  # filter: place as the user wrote it
    tallies: list[Tally] = field(default_factory=list)
    places: list[PlaceCount] = field(default_factory=list)  # top places in the period, most first
    latest: list[LatestObservation] = field(default_factory=list)  # newest first
    per_day: list[tuple[date, int]] = field(default_factory=list)  # local dates with any observation

    @property
    def total(self) -> int:
        return sum(t.count for t in self.tallies)

    @property
    def previous_total(self) -> int:
        return sum(t.previous for t in self.tallies)
