"""Pytest plugin: run storage tests against SQLite and PostgreSQL.

Fixtures (each test using them runs twice, ids ``[sqlite]`` and ``[postgresql]``):

* ``database_url`` – the URL of a new, EMPTY database (no tables); for migration tests.
* ``database`` – a separate, migrated ``storage.Database`` (its URL is ``database.url``) with no rows,
  disposed afterwards. Tests must not change its schema (use ``database_url`` for that).

PostgreSQL is the server at 127.0.0.1 (port ``PGPORT``, default 5432; user ``PGUSER`` or the OS user).
CREATE DATABASE costs about half a second there, so ``database`` shares one migrated database per session
and empties it (DELETE, with the audit log's append-only trigger lifted for it; sequences restarted, stray
connections terminated) before each test; only ``database_url`` creates a database per test. Everything is
dropped at the end. If the server is unreachable the PostgreSQL variants FAIL: CI starts PostgreSQL, and
skipping would hide breakage.
SQLite databases are files in ``tmp_path`` copied from a migrated template.
"""

from __future__ import annotations

import asyncio
import getpass
import os
import shutil
import threading
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from storage.db import Database
from storage.models import Base

PG_HOST = "127.0.0.1"
PG_PORT = int(os.environ.get("PGPORT", "5432"))
PG_USER = os.environ.get("PGUSER") or getpass.getuser()
PG_ADMIN_DATABASE = "test"
DB_PREFIX = "samverkan_t_"
SQLITE_FILE = "samverkan.db"


class _Session:
    """Per-session state: the result of probing PostgreSQL, the shared database, the SQLite template."""

    pg_error: str | None = None
    pg_probed = False
    pg_shared: str | None = None
    pg_reset_sql: str | None = None
    sqlite_template: Path | None = None


_session = _Session()


def _pg_url(database: str, driver: str = "postgresql+asyncpg") -> str:
    return f"{driver}://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}"


async def _admin_connection() -> asyncpg.Connection:
    return await asyncpg.connect(_pg_url(PG_ADMIN_DATABASE, "postgresql"), timeout=3)


async def _require_postgres() -> None:
    if not _session.pg_probed:
        _session.pg_probed = True
        try:
            conn = await _admin_connection()
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as error:
            _session.pg_error = f"{type(error).__name__}: {error}"
        else:
            await conn.close()
    if _session.pg_error is not None:
        pytest.fail(
            f"PostgreSQL is not reachable at {_pg_url(PG_ADMIN_DATABASE, 'postgresql')} "
            f"({_session.pg_error}). Start it (CI does), or set PGUSER/PGPORT; storage tests must run "
            "on PostgreSQL as well as SQLite.",
            pytrace=False,
        )


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


async def _create_pg_database() -> str:
    name = f"{DB_PREFIX}{uuid.uuid4().hex[:8]}"
    conn = await _admin_connection()
    try:
        await conn.execute(f"CREATE DATABASE {_quote(name)}")
    finally:
        await conn.close()
    return name


async def _drop_pg_database(name: str) -> None:
    conn = await _admin_connection()
    try:
        await conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
        await conn.execute(f"DROP DATABASE IF EXISTS {_quote(name)}")
    finally:
        await conn.close()


async def _pg_shared_database() -> str:
    """The session's migrated PostgreSQL database, emptied: created on first use, reset on later ones."""
    if _session.pg_shared is None:
        name = await _create_pg_database()
        _session.pg_shared = name
        database = Database(_pg_url(name))
        try:
            await database.upgrade()
        finally:
            await database.dispose()
        return name
    name = _session.pg_shared
    conn = await asyncpg.connect(_pg_url(name, "postgresql"), timeout=3)
    try:
        # Connections a test forgot to dispose would hold locks (or see rows) in the next test.
        await conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        if _session.pg_reset_sql is None:
            _session.pg_reset_sql = await _reset_sql(conn)
        await conn.execute(_session.pg_reset_sql)
    finally:
        await conn.close()
    return name


async def _reset_sql(conn: asyncpg.Connection) -> str:
    """DELETE from every table, children first, and restart the id sequences (much cheaper than TRUNCATE)."""
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    sequences = await conn.fetch(
        "SELECT pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) AS name"
        " FROM information_schema.columns c WHERE c.table_schema = current_schema()"
        " AND c.column_default LIKE 'nextval(%'"
    )
    statements = [f"DELETE FROM {_quote(table)}" for table in tables]
    statements += [f"ALTER SEQUENCE {row['name']} RESTART" for row in sequences]
    # The audit log refuses DELETE (migration 0009); the tests, as the database's owner, lift that for the
    # reset only. The statements run as one implicit transaction, so the trigger is back on even on failure.
    append_only = "ALTER TABLE audit_log {} TRIGGER audit_log_no_update_or_delete"
    return "; ".join([append_only.format("DISABLE"), *statements, append_only.format("ENABLE")])


async def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if _session.sqlite_template is None:
        path = tmp_path_factory.mktemp("sqlite-template") / SQLITE_FILE
        database = Database(f"sqlite+aiosqlite:///{path}")
        try:
            await database.upgrade()
        finally:
            await database.dispose()
        _session.sqlite_template = path
    return _session.sqlite_template


def _run_in_thread(coroutine) -> None:
    """Runs a coroutine on a private loop in another thread, away from pytest-asyncio's loops."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coroutine)
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


@pytest.fixture(scope="session", autouse=True)
def _drop_shared_postgres_database():
    """Drops the session's shared PostgreSQL database at the end of the run."""
    yield
    if _session.pg_shared is not None:
        _run_in_thread(_drop_pg_database(_session.pg_shared))
        _session.pg_shared = None


@pytest.fixture(params=["sqlite", "postgresql"])
def db_backend(request: pytest.FixtureRequest) -> str:
    """Which database the test runs on; parametrizes ``database_url`` and ``database``."""
    return request.param


@pytest.fixture
async def database_url(db_backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """The URL of a new, empty database (no tables)."""
    if db_backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty' / SQLITE_FILE}"
        return
    await _require_postgres()
    name = await _create_pg_database()
    try:
        yield _pg_url(name)
    finally:
        await _drop_pg_database(name)


@pytest.fixture
async def database(
    db_backend: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Database]:
    """A migrated, empty ``Database`` (not the one behind ``database_url``)."""
    if db_backend == "sqlite":
        template = await _sqlite_template(tmp_path_factory)
        target = tmp_path / "migrated" / SQLITE_FILE
        target.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            source = template.with_name(template.name + suffix)
            if source.exists():
                shutil.copyfile(source, target.with_name(target.name + suffix))
        db = Database(f"sqlite+aiosqlite:///{target}")
        try:
            yield db
        finally:
            await db.dispose()
        return
    await _require_postgres()
    db = Database(_pg_url(await _pg_shared_database()))
    try:
        yield db
    finally:
        await db.dispose()
