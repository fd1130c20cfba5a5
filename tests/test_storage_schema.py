"""Migrations, schema/model agreement, the Database wrapper and error classification."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from storage import Database, StorageUnavailable, is_unavailable, models, unavailable_as_storage_error
from storage.models import Base, Member

EXPECTED_TABLES = {
    "outbox",
    "personal_reminders",
    "members",
    "member_identities",
    "focus_areas",
    "forums",
    "catalog_changes",
    "observations",
    "citizen_promises",
    "actions",
    "action_updates",
    "meetings",
    "meeting_series",
    "conversation_references",
    "audit_log",
    "sequences",
    "bot_state",
}


def _head_revision() -> str:
    from alembic.script import ScriptDirectory

    from storage.db import alembic_config

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def _schema_diff(sync_connection, compare_server_default: bool):
    context = MigrationContext.configure(
        sync_connection, opts={"compare_type": True, "compare_server_default": compare_server_default}
    )
    return compare_metadata(context, Base.metadata)


@pytest.mark.filterwarnings("ignore:.*expression-based index")
async def test_migrations_create_exactly_the_model_schema(database_url: str):
    db = Database(database_url)
    try:
        await db.upgrade()
        async with db.engine.connect() as conn:
            tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
            # SQLite reflects '' server defaults oddly, so defaults are compared on PostgreSQL only.
            diff = await conn.run_sync(_schema_diff, db.dialect_name == "postgresql")
            version = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar_one()
        assert tables == EXPECTED_TABLES | {"alembic_version"}
        assert diff == []
        assert version == _head_revision()
        await db.upgrade()  # Idempotent at head.
    finally:
        await db.dispose()


async def test_downgrade_and_upgrade_again(database_url: str):
    from alembic import command

    from storage.db import alembic_config

    db = Database(database_url)
    try:
        await db.upgrade()

        def downgrade(sync_connection) -> None:
            config = alembic_config(db.url)
            config.attributes["connection"] = sync_connection
            command.downgrade(config, "base")

        async with db.engine.begin() as conn:
            await conn.run_sync(downgrade)
        async with db.engine.connect() as conn:
            assert set(await conn.run_sync(lambda c: inspect(c).get_table_names())) == {"alembic_version"}
        await db.upgrade()
    finally:
        await db.dispose()


async def test_sqlite_url_creates_parent_folder_and_sets_pragmas(tmp_path):
    path = tmp_path / "a" / "b" / "bot.db"
    db = Database(f"sqlite+aiosqlite:///{path}", pool_size=1, max_overflow=0)
    try:
        assert path.parent.is_dir()
        await db.upgrade()  # Turns foreign keys off while migrating; the pooled connection gets them back.
        async with db.engine.connect() as conn:
            pragmas = {
                name: (await conn.execute(text(f"PRAGMA {name}"))).scalar_one()
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }
        assert pragmas == {"journal_mode": "wal", "synchronous": 1, "foreign_keys": 1, "busy_timeout": 5000}
        assert db.dialect_name == "sqlite"
    finally:
        await db.dispose()


async def test_timestamps_round_trip_as_aware_utc(database: Database):
    stockholm_summer = timezone(timedelta(hours=2))
    created = datetime(2025, 6, 1, 14, 30, 15, 123456, tzinfo=stockholm_summer)
    async with database.session() as session:
        session.add(Member(name="Anna", party="kommun", role="", created_at=created))
        await session.commit()
    async with database.session() as session:
        loaded = (await session.scalars(select(Member.created_at))).one()
    assert loaded.tzinfo is not None and loaded.utcoffset() == timedelta(0)
    assert loaded == created
    assert loaded == datetime(2025, 6, 1, 12, 30, 15, 123456, tzinfo=UTC)


async def test_naive_datetimes_are_refused(database: Database):
    async with database.session() as session:
        session.add(Member(name="Anna", party="kommun", role="", created_at=datetime(2025, 1, 1)))
        with pytest.raises(Exception, match="naive"):
            await session.flush()


async def test_check_and_foreign_key_constraints_are_enforced(database: Database):
    async with database.session() as session:
        session.add(Member(name="X", party="brandkaren", role=""))
        with pytest.raises(IntegrityError):
            await session.flush()
    async with database.session() as session:
        session.add(models.MemberIdentity(member_id=4711, channel="console", user_key="x"))
        with pytest.raises(IntegrityError):
            await session.flush()


async def test_ping(database: Database):
    assert await database.ping() is True


async def test_ping_is_false_quickly_for_a_closed_port():
    db = Database("postgresql+asyncpg://nobody@127.0.0.1:1/nothing")
    try:
        started = time.monotonic()
        assert await db.ping() is False
        assert time.monotonic() - started < 2.5
    finally:
        await db.dispose()


async def test_ping_is_false_when_the_server_never_answers():
    # A listener that accepts connections and says nothing, like a hung server or a black-holed port.
    server = await asyncio.start_server(lambda reader, writer: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    db = Database(f"postgresql+asyncpg://nobody@127.0.0.1:{port}/nothing", ping_timeout=0.5)
    try:
        started = time.monotonic()
        assert await db.ping() is False
        assert time.monotonic() - started < 1.5
    finally:
        await db.dispose()
        server.close()


async def test_connection_failures_become_storage_unavailable():
    db = Database("postgresql+asyncpg://nobody@127.0.0.1:1/nothing")
    try:
        with pytest.raises(StorageUnavailable):
            with unavailable_as_storage_error():
                async with db.session() as session:
                    await session.execute(text("SELECT 1"))
    finally:
        await db.dispose()


def test_error_classification():
    assert is_unavailable(ConnectionRefusedError())
    assert is_unavailable(TimeoutError())
    assert is_unavailable(OperationalError("x", {}, _sqlite_error("database is locked")))
    assert not is_unavailable(OperationalError("x", {}, _sqlite_error("no such table: members")))
    assert not is_unavailable(IntegrityError("x", {}, Exception("UNIQUE constraint failed")))
    assert not is_unavailable(ValueError("nope"))
    with pytest.raises(ValueError):
        with unavailable_as_storage_error():
            raise ValueError("passes through")


def _sqlite_error(message: str) -> Exception:
    import sqlite3

    return sqlite3.OperationalError(message)


@pytest.mark.filterwarnings("ignore:.*expression-based index")
async def test_expression_indexes_exist_though_autogenerate_cannot_compare_them(database: Database):
    """SQLite's reflection skips expression indexes, so the comparison above cannot see them: look directly."""
    wanted = {"ix_actions_open_due", "ix_actions_member_open_due"}
    async with database.engine.connect() as conn:
        if database.dialect_name == "sqlite":
            rows = await conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index'"))
        else:
            rows = await conn.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'actions'"))
        found = {name: sql for name, sql in rows.all() if name in wanted}
    assert set(found) == wanted
    assert all("due_date IS NULL" in sql and "planerad" in sql for sql in found.values())
