"""The outbox: messages the bot decided to send on its own, planned once and delivered at least once.

Planning is an INSERT that does nothing when the key exists, so the same reminder planned by two processes,
or again after a restart, is one row. Delivery claims rows: on PostgreSQL with ``FOR UPDATE SKIP LOCKED`` so
two schedulers never take the same row; a claim is a lease, so a process that died mid-send leaves its rows
to be taken again once the lease ends (nothing is lost; a crash after the send and before the mark is the
one case that can repeat a message, at most once per crash). The lease is short, so a dead process's rows
wait about a minute; a live one renews the claims of the rows it has yet to send before each send
(``renew``), so a long batch is not taken from it half-way.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import upsert_insert
from storage.models import OutboxMessage, OutboxState

LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 8


class Outbox:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def plan(self, *, key: str, kind: str, due_at: datetime, payload: dict[str, Any], now: datetime,
                   member_id: int | None = None, reference_id: int | None = None, late: bool = False) -> bool:
        """Add a message unless one with ``key`` exists (ever); True when it was added. Caller commits."""
        table = OutboxMessage.__table__
        statement = (
            upsert_insert(self.session, table)
            .values(key=key, kind=kind, due_at=due_at, payload=payload, member_id=member_id,
                    reference_id=reference_id, late=late, state=OutboxState.PENDING.value, attempts=0,
                    next_attempt_at=due_at, created_at=now)
            .on_conflict_do_nothing(index_elements=[table.c.key])
            .returning(table.c.id)
        )
        return (await self.session.execute(statement)).scalar_one_or_none() is not None

    async def existing(self, keys: list[str]) -> set[str]:
        """Which of ``keys`` are planned already: a tick re-derives what is due and skips these in one query."""
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            found.update(await self.session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(chunk))))
        return found

    async def claim(self, *, now: datetime, worker: str, limit: int = 20) -> list[OutboxMessage]:
        """Take up to ``limit`` messages that are due (or whose sender's lease ran out). Caller commits."""
        due = or_(
            (OutboxMessage.state == OutboxState.PENDING.value) & (OutboxMessage.next_attempt_at <= now),
            (OutboxMessage.state == OutboxState.SENDING.value) & (OutboxMessage.claimed_until < now),
        )
        query = select(OutboxMessage).where(due).order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        query = query.limit(limit)
        if self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = list(await self.session.scalars(query))
        for row in rows:
            row.state = OutboxState.SENDING.value
            row.claimed_by = worker
            row.claimed_until = now + LEASE
            row.attempts += 1
        await self.session.flush()
        return rows

    async def renew(self, message_ids: list[int], *, now: datetime, worker: str) -> set[int]:
        """Extend ``worker``'s claims on ``message_ids`` by a lease from ``now``; returns the ids still its own
        (a row whose lease ran out and was taken by another worker is not). Caller commits."""
        if not message_ids:
            return set()
        statement = (update(OutboxMessage)
                     .where(OutboxMessage.id.in_(message_ids), OutboxMessage.claimed_by == worker,
                            OutboxMessage.state == OutboxState.SENDING.value)
                     .values(claimed_until=now + LEASE).returning(OutboxMessage.id))
        return set((await self.session.execute(statement)).scalars())

    async def sent(self, message_id: int, *, now: datetime) -> None:
        await self._set(message_id, state=OutboxState.SENT.value, sent_at=now, claimed_until=None, last_error=None)

    async def retry(self, message: OutboxMessage, *, now: datetime, error: str,
                    retry_after: float | None = None) -> bool:
        """Back off (at least ``retry_after`` seconds, as the channel asked); False when it gave up."""
        if message.attempts >= MAX_ATTEMPTS:
            await self.dead(message.id, error=error)
            return False
        backoff = timedelta(seconds=max(retry_after or 0.0, 30 * 2 ** (message.attempts - 1)))
        await self._set(message.id, state=OutboxState.PENDING.value, next_attempt_at=now + backoff,
                        claimed_until=None, last_error=error[:200])
        return True

    async def dead(self, message_id: int, *, error: str) -> None:
        await self._set(message_id, state=OutboxState.DEAD.value, claimed_until=None, last_error=error[:200])

    async def _set(self, message_id: int, **values: Any) -> None:
        await self.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values))
