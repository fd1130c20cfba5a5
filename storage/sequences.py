"""Running numbers that users type (``#12`` for actions, ``#O12`` for observations)."""

from __future__ import annotations

from sqlalchemy import case
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import upsert_insert
from storage.models import SequenceCounter


async def next_number(session: AsyncSession, name: str) -> int:
    """The next number of sequence ``name`` (1 on first use), allocated in the caller's transaction.

    One ``INSERT … ON CONFLICT DO UPDATE SET value = value + 1 RETURNING value`` statement: atomic on
    PostgreSQL (the row lock serialises concurrent callers until commit) and on SQLite (one writer at a
    time), creating the row on first use without a race. A rolled-back transaction gives its number back.
    """
    table = SequenceCounter.__table__
    statement = (
        upsert_insert(session, table)
        .values(name=name, value=1)
        .on_conflict_do_update(index_elements=[table.c.name], set_={"value": table.c.value + 1})
        .returning(table.c.value)
    )
    return int((await session.execute(statement)).scalar_one())


async def raise_to(session: AsyncSession, name: str, value: int) -> None:
    """Make sequence ``name`` at least ``value``, never lowering it, in the caller's transaction.

    An import that keeps its spreadsheet's numbers calls this, so the next number handed out in chat
    lies above every imported one instead of colliding with it.
    """
    table = SequenceCounter.__table__
    statement = upsert_insert(session, table).values(name=name, value=value)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.name],
        set_={"value": case((table.c.value < statement.excluded.value, statement.excluded.value),
                            else_=table.c.value)},
    )
    await session.execute(statement)
