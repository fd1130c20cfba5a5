"""The database goes away under a running bot (a cut TCP proxy in front of PostgreSQL) and comes back; a server
that shuts down, starts up or holds a statement too long counts as down."""

from __future__ import annotations

import time
from contextlib import asynccontextmanager

import asyncpg
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from bot.turn_errors import DATABASE_DOWN_TEXT
from storage import Database, StorageUnavailable, is_unavailable, models, unavailable_as_storage_error
from tests.support import activities as teams
from tests.support.bot_server import add_teams_member, start_bot
from tests.support.tcp_proxy import TcpProxy


@asynccontextmanager
async def bot_behind_a_proxy(database):
    """The bot on a PostgreSQL reached through a TCP proxy the test can cut, with one Teams member."""
    if database.dialect_name != "postgresql":
        pytest.skip("a server that can go down: PostgreSQL (an embedded SQLite file cannot)")
    url = make_url(database.url)
    proxy = TcpProxy(url.host, url.port or 5432)
    await proxy.start()
    bot = await start_bot(url.set(port=proxy.port).render_as_string(hide_password=False))
    try:
        await add_teams_member(bot.runtime, "Anna Andersson", "kommun", "aad-anna", teams.TENANT)
        yield bot, proxy
    finally:
        await bot.stop()
        await proxy.cut()


async def test_database_down_gives_503_and_a_swedish_answer_then_recovers(database, connector):
    async with bot_behind_a_proxy(database) as (bot, proxy):
        assert (await bot.post(teams.message("hjälp", connector.url))).status == 200

        await proxy.cut()
        async with bot.http.get(f"{bot.url}/healthz") as response:
            assert response.status == 503
        assert (await bot.post(teams.message("4", connector.url))).status == 200
        assert connector.sent[-1].text == DATABASE_DOWN_TEXT

        await proxy.start()  # same port: the database is back
        async with bot.http.get(f"{bot.url}/healthz") as response:
            assert response.status == 200
        await bot.post(teams.message("4", connector.url))
        assert "Samverkansöverenskommelse 2025–2026" in connector.sent[-1].text  # the menu was still open
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(models.BotStateRow)) == 1


async def test_a_card_submitted_while_the_database_is_down_is_saved_once_when_it_is_back(database, connector):
    """Nothing half-saved while the database is away, and the same card sent again afterwards saves once."""
    async with bot_behind_a_proxy(database) as (bot, proxy):
        await bot.post(teams.message("logga skadegörelse på Haganässkolan igår kväll", connector.url))
        values = teams.submit_values(teams.card_of(connector.sent[-1].body))

        await proxy.cut()
        assert (await bot.post(teams.card_submit(values, connector.url))).status == 200
        assert connector.sent[-1].text == DATABASE_DOWN_TEXT

        await proxy.start()
        await bot.post(teams.card_submit(values, connector.url))
        assert connector.sent[-1].text.startswith("Sparat som #O1")
        await bot.post(teams.card_submit(values, connector.url))
        assert connector.sent[-1].text.startswith("Det här är redan sparat som #O1")
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(models.Observation)) == 1
        assert await session.scalar(select(func.count()).select_from(models.AuditEntry)
                                    .where(models.AuditEntry.action == "observation.created")) == 1


async def test_a_statement_held_longer_than_the_timeout_is_cut_off_and_the_user_told(database, connector):
    """A server that holds a statement (here: a table locked by another session) answers within the timeout."""
    if database.dialect_name != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")
    bot = await start_bot(database.url, DATABASE_STATEMENT_TIMEOUT="0.5")
    try:
        await add_teams_member(bot.runtime, "Anna Andersson", "kommun", "aad-anna", teams.TENANT)
        async with database.engine.connect() as blocker:
            await blocker.execute(text("LOCK TABLE bot_state IN ACCESS EXCLUSIVE MODE"))
            started = time.monotonic()
            response = await bot.post(teams.message("hjälp", connector.url))
            waited = time.monotonic() - started
            await blocker.rollback()
        assert response.status == 200 and connector.sent[-1].text == DATABASE_DOWN_TEXT
        assert waited < 4
        await bot.post(teams.message("hjälp", connector.url))
        assert connector.sent[-1].text != DATABASE_DOWN_TEXT  # the lock is gone: served again
    finally:
        await bot.stop()


async def test_a_long_statement_is_cut_off_at_the_configured_timeout(database):
    if database.dialect_name != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")
    short = Database(database.url, statement_timeout=0.2)
    try:
        started = time.monotonic()
        with pytest.raises(StorageUnavailable):
            with unavailable_as_storage_error():
                async with short.connect() as conn:
                    await conn.execute(text("SELECT pg_sleep(3)"))
        assert time.monotonic() - started < 2
    finally:
        await short.dispose()


def test_a_server_shutting_down_or_starting_up_counts_as_down():
    """asyncpg raises 57P03 as CannotConnectNowError, before SQLAlchemy wraps it or when used directly."""
    for message in ("the database system is shutting down", "the database system is starting up"):
        error = asyncpg.exceptions.CannotConnectNowError(message)
        assert error.sqlstate == "57P03" and is_unavailable(error)
    assert not is_unavailable(asyncpg.exceptions.UniqueViolationError("duplicate key"))
