"""Cross-process turn serialization for replicas sharing one PostgreSQL database.

A session-level advisory lock keyed by a 64-bit hash of the conversation key, held on a dedicated
connection for the duration of a turn. SQLite is single-process by nature and needs none.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


def lock_id(key: str) -> int:
    """A stable signed 64-bit id for a conversation key (PostgreSQL's bigint)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


class AdvisoryTurnLock:
    def __init__(self, engine: AsyncEngine):
        self._engine = engine

    @asynccontextmanager
    async def __call__(self, key: str) -> AsyncIterator[None]:
        ident = lock_id(key)
        async with self._engine.connect() as conn:
            await conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": ident})
            try:
                yield
            finally:
                await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ident})
                await conn.commit()
