"""Retention (gallring) by decision: the cut-off per kind of record, and when a decision may first apply.

Plain functions of the decision and ``now`` (aware). A record older than its kind's cut-off goes; the cut-off is
the start of the collaboration's local day that lies the decision's months before today, so a run at any hour
of one day removes the same records. Without a decision there is no cut-off and nothing is deleted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from domain.collaboration.model import Retention
from domain.dates import add_months

# The kinds in the order they are reported; each is removed by its own step.
KINDS = ("observations", "audit_log")


@dataclass(frozen=True, slots=True)
class Cutoff:
    kind: str
    months: int
    before: datetime  # aware: records created before this instant go

    def day(self, zone: ZoneInfo) -> date:
        """The first local day that is kept."""
        return self.before.astimezone(zone).date()


def cutoffs(retention: Retention | None, now: datetime, zone: ZoneInfo) -> list[Cutoff]:
    """The cut-off of each kind the decision covers, in ``KINDS`` order; empty without a decision."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if retention is None:
        return []
    today = now.astimezone(zone).date()
    months = retention.months()
    return [Cutoff(kind, months[kind], datetime.combine(add_months(today, -months[kind]), time(), zone))
            for kind in KINDS if kind in months]


def fingerprint(retention: Retention) -> str:
    """Short and stable for one decision and its ages: a changed decision is previewed to the admins again."""
    ages = ",".join(f"{kind}={months}" for kind, months in sorted(retention.months().items()))
    return hashlib.sha256(f"{retention.decision}|{ages}".encode()).hexdigest()[:12]


def may_apply(previewed_on: date | None, today: date) -> bool:
    """A decision applies from the day after the admins were sent its dry-run report, never before."""
    return previewed_on is not None and previewed_on < today


# The daily run falls in the night, when nobody is writing; its notices to the admins wait for the morning.
RUN_FROM = time(3)
RUN_UNTIL = time(6)
NOTICE_AT = time(8)


def run_due(now: datetime, zone: ZoneInfo) -> bool:
    """Whether ``now`` lies in the nightly window of the retention run (a night missed is caught up the next)."""
    return RUN_FROM <= now.astimezone(zone).time() < RUN_UNTIL


def notice_at(now: datetime, zone: ZoneInfo) -> datetime:
    """When the admins get what the night's run has to tell them: at 08:00 the same local day."""
    return datetime.combine(now.astimezone(zone).date(), NOTICE_AT, zone)
