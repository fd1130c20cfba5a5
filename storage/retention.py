"""What retention (gallring) reads and removes: observations older than a cut-off, counted or deleted whole.

An observation goes with all its versions, and only when every version is older than the cut-off (a correction
restarts its time). Actions and promises are never touched here. Audit entries are counted here but removed
only by ``storage.audit.remove_entries_before``, the audit log's one sanctioned deletion.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry, Observation, OutboxMessage


@dataclass(frozen=True)
class Removed:
    records: int  # observations (numbers), or audit entries
    rows: int  # rows deleted, all versions included


class RetentionRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    def _expired_numbers(self, cutoff: datetime):
        return (select(Observation.number).group_by(Observation.number)
                .having(func.max(Observation.created_at) < cutoff))

    async def count_observations(self, cutoff: datetime) -> Removed:
        """How many observations (and version rows) would go at ``cutoff``."""
        numbers = self._expired_numbers(cutoff).subquery()
        records = await self.session.scalar(select(func.count()).select_from(numbers))
        rows = await self.session.scalar(select(func.count(Observation.id)).where(
            Observation.number.in_(select(numbers.c.number))))
        return Removed(int(records or 0), int(rows or 0))

    async def delete_observations(self, cutoff: datetime) -> Removed:
        """Delete every version of each observation older than ``cutoff``. Caller commits."""
        numbers = list(await self.session.scalars(self._expired_numbers(cutoff)))
        rows = 0
        for start in range(0, len(numbers), 500):
            chunk = numbers[start:start + 500]
            # Versions point at the ones they replace: unlinked first, so the order of deletion cannot matter.
            await self.session.execute(Observation.__table__.update()
                                       .where(Observation.number.in_(chunk)).values(supersedes_id=None))
            result = await self.session.execute(delete(Observation).where(Observation.number.in_(chunk)))
            rows += result.rowcount or 0
        return Removed(len(numbers), rows)

    async def count_audit_entries(self, cutoff: datetime) -> Removed:
        count = int(await self.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.at < cutoff)) or 0)
        return Removed(count, count)

    async def first_planned(self, key_prefix: str) -> datetime | None:
        """When the first outbox message whose key starts with ``key_prefix`` was planned (None: never)."""
        return await self.session.scalar(select(func.min(OutboxMessage.created_at))
                                         .where(OutboxMessage.key.startswith(key_prefix, autoescape=True)))
