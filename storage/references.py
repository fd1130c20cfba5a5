"""Conversation references: where the bot may post proactively (reminders, digests) after a restart."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import upsert_insert
from storage.models import ConversationReference, utcnow

_WRITABLE = frozenset(ConversationReference.__table__.columns.keys()) - {"id", "key", "created_at"}


class ConversationReferenceRepository:
    """Keyed by e.g. ``msteams:<conversation id>``; the caller owns the session and commits."""

    def __init__(self, session: AsyncSession):
        self.session = session

    async def upsert(self, key: str, **fields: Any) -> tuple[ConversationReference, bool]:
        """Creates or updates the reference for ``key``; returns ``(row, created)``.

        Seeing a conversation again makes it active unless ``active`` is passed. Safe when two turns of a
        new conversation race: the insert yields to a concurrently created row, which is then updated.
        """
        unknown = set(fields) - _WRITABLE
        if unknown:
            raise TypeError(f"Unknown conversation reference fields: {', '.join(sorted(unknown))}")
        now = utcnow()
        row = await self.get(key)
        if row is None:
            table = ConversationReference.__table__
            values = {"active": True, **fields, "key": key, "created_at": now, "updated_at": now}
            statement = (
                upsert_insert(self.session, table)
                .values(**values)
                .on_conflict_do_nothing(index_elements=[table.c.key])
                .returning(table.c.id)
            )
            inserted_id = (await self.session.execute(statement)).scalar_one_or_none()
            row = await self.get(key)
            if row is None:  # Deleted by someone else between our insert attempt and the read.
                raise RuntimeError(f"Conversation reference {key!r} disappeared during upsert")
            if inserted_id is not None:
                return row, True
        for name, value in fields.items():
            setattr(row, name, value)
        if "active" not in fields:
            row.active = True
        row.updated_at = now
        await self.session.flush()
        return row, False

    async def get(self, key: str) -> ConversationReference | None:
        statement = select(ConversationReference).where(ConversationReference.key == key)
        return (await self.session.scalars(statement)).one_or_none()

    async def mark_inactive(self, key: str) -> bool:
        """Stops proactive messages to a conversation (bot removed, 403 from channel); False if unknown."""
        row = await self.get(key)
        if row is None:
            return False
        row.active = False
        row.updated_at = utcnow()
        await self.session.flush()
        return True
