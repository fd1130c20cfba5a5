"""Retention (gallring) by decision: what would go, and removing it, audited as ``retention.applied``.

Nothing is deleted without the decision in the collaboration file. Observations go whole (every version);
audit entries go in a separate step through the audit log's one sanctioned deletion
(``storage.audit.remove_entries_before``). Actions and promises keep their history. The audit entry holds
counts and cut-off dates only, never text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from domain.collaboration.model import Retention
from domain.rules.retention import Cutoff, cutoffs
from services.unit_of_work import UnitOfWork
from storage.audit import remove_entries_before
from storage.retention import Removed, RetentionRepository


@dataclass(frozen=True)
class KindReport:
    kind: str  # "observations" or "audit_log"
    months: int
    kept_from: date  # the first local day that is kept
    records: int
    rows: int


@dataclass(frozen=True)
class RetentionReport:
    decision: str
    kinds: tuple[KindReport, ...]
    applied: bool

    @property
    def total(self) -> int:
        return sum(kind.records for kind in self.kinds)


async def preview(uow: UnitOfWork, retention: Retention) -> RetentionReport:
    """What the decision would remove now, changing nothing."""
    repository = RetentionRepository(uow.session)
    kinds = []
    for cutoff in _cutoffs(uow, retention):
        if cutoff.kind == "observations":
            counted = await repository.count_observations(cutoff.before)
        else:
            counted = await repository.count_audit_entries(cutoff.before)
        kinds.append(_report(uow, cutoff, counted))
    return RetentionReport(retention.decision, tuple(kinds), applied=False)


async def apply(uow: UnitOfWork, retention: Retention) -> RetentionReport:
    """Remove what the decision says has been kept long enough, record ``retention.applied`` and commit."""
    kinds = []
    for cutoff in _cutoffs(uow, retention):
        if cutoff.kind == "observations":
            removed = await RetentionRepository(uow.session).delete_observations(cutoff.before)
        else:
            removed = await _remove_audit_entries(uow, cutoff)
        kinds.append(_report(uow, cutoff, removed))
    detail: dict[str, int | str] = {}
    for kind in kinds:
        detail[kind.kind] = kind.records
        detail[f"{kind.kind}_rows"] = kind.rows
        detail[f"{kind.kind}_kept_from"] = kind.kept_from.isoformat()
    await uow.record("retention.applied", "retention", None, **detail)
    await uow.commit()
    return RetentionReport(retention.decision, tuple(kinds), applied=True)


async def _remove_audit_entries(uow: UnitOfWork, cutoff: Cutoff) -> Removed:
    """Audit-log retention, its own step: only through the audit log's sanctioned deletion."""
    removed = await remove_entries_before(uow.session, cutoff.before)
    return Removed(removed, removed)


def _cutoffs(uow: UnitOfWork, retention: Retention) -> list[Cutoff]:
    return cutoffs(retention, uow.actor.now, ZoneInfo(uow.zone))


def _report(uow: UnitOfWork, cutoff: Cutoff, counted: Removed) -> KindReport:
    return KindReport(cutoff.kind, cutoff.months, cutoff.day(ZoneInfo(uow.zone)), counted.records, counted.rows)
