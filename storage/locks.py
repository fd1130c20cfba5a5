"""Cross-process turn serialization for replicas sharing one PostgreSQL database.

A session-level advisory lock keyed by a 64-bit hash of the conversation key, held for the duration
of a turn on a connection from a pool of its own. The separate pool matters: if lock holders drew
from the pool the turn's own queries use, twenty concurrent turns could hold every connection while
each waits for one more, and nothing would move. Here a turn first waits for a lock connection
(holding nothing), then takes work connections briefly, so there is no cycle. SQLite is
single-process by nature and needs none of this.

The lock connection is also the turn's own (``turn_connection``): the dialog state is read and saved
on it (``storage.state``), which spares each turn two pool checkouts with their pings and a BEGIN and
COMMIT, the bulk of a light turn's round trips. It is autocommit, and a state save is one statement.

Those state statements get the database's statement_timeout like every other statement (a locked
``bot_state`` table must not hang the turn), but waiting for the lock must not: another turn of the
same conversation may rightly hold it longer. So the connection starts with no timeout, the statement
that takes the lock switches it on for what follows, and the one that releases it switches it off,
without a round trip of their own (``set_config`` in the same SELECT; a running statement keeps the
timeout it started with).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from storage.db import DEFAULT_STATEMENT_TIMEOUT, is_unavailable

log = logging.getLogger(__name__)

DEFAULT_CONCURRENT_TURNS = 10
# The turn's locked connection and its database URL, set while the turn holds the lock.
_TURN_CONNECTION: ContextVar[tuple[str, AsyncConnection] | None] = ContextVar("samverkan_turn_connection",
                                                                               default=None)


def turn_connection(url: str) -> AsyncConnection | None:
    """The autocommit connection the current turn holds its lock on, if it holds one on ``url``'s database."""
    held = _TURN_CONNECTION.get()
    return held[1] if held is not None and held[0] == url else None


def lock_id(key: str) -> int:
    """A stable signed 64-bit id for a conversation key (PostgreSQL's bigint)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


class AdvisoryTurnLock:
    def __init__(self, url: str, concurrent_turns: int = DEFAULT_CONCURRENT_TURNS, *,
                 statement_timeout: float = DEFAULT_STATEMENT_TIMEOUT):
        # Autocommit and no pre-ping: lock and unlock are one round trip each, with no BEGIN/COMMIT or
        # ping around them (a dead pooled connection fails the lock, which is then skipped for that turn
        # as when the database is down, and the pool replaces the connection).
        self._url = url
        self._timeout_ms = str(int(statement_timeout * 1000))
        self._engine = create_async_engine(
            url, pool_size=concurrent_turns, max_overflow=0, pool_timeout=60, isolation_level="AUTOCOMMIT",
            hide_parameters=True,
            connect_args={"server_settings": {"application_name": "samverkansboten",
                                              "statement_timeout": "0"}})

    @asynccontextmanager
    async def __call__(self, key: str) -> AsyncIterator[None]:
        ident = lock_id(key)
        conn = None
        try:
            conn = await self._engine.connect()
            await conn.execute(text("SELECT pg_advisory_lock(:k), set_config('statement_timeout', :t, false)"),
                               {"k": ident, "t": self._timeout_ms})
        except Exception as error:
            if conn is not None:
                await conn.close()
            if not is_unavailable(error):
                raise
            # The database is down: the turn can store nothing anyway, and must still run so that the
            # user is told so in Swedish. The in-process lock still orders this replica's turns.
            log.warning("turn lock unavailable (database down); continuing without it")
            yield
            return
        held = _TURN_CONNECTION.set((self._url, conn))
        try:
            yield
        finally:
            _TURN_CONNECTION.reset(held)
            try:
                await conn.execute(text("SELECT pg_advisory_unlock(:k), set_config('statement_timeout', '0', false)"),
                                   {"k": ident})
            except Exception as error:
                # Not back into the pool: it may still hold the lock and the statement timeout, and the next
                # turn's wait for its lock would then be cut short. Closing it releases both on the server.
                await conn.invalidate()
                if not is_unavailable(error):
                    raise
                log.warning("could not release the turn lock (database down)")
            finally:
                await conn.close()

    async def dispose(self) -> None:
        await self._engine.dispose()
