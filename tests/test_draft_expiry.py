"""An abandoned draft does not keep what the user wrote: the scheduler deletes dialog state untouched for a day
(by the injected clock), and on SQLite the text is gone from the database files too (secure_delete, an emptied
write-ahead log), not only from the table."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, make_url, select

from bot.scheduler import STATE_LIFETIME, Scheduler
from domain.clock import FixedClock
from storage import models
from storage.state import SqlStorage
from tests.test_observations_console import console  # noqa: F401  (the fixture)

MARKER = "zebrafinkar"
SENTENCE = f"logga skadegörelse på Haganässkolan igår kväll, klotter med {MARKER} på gaveln"


def scheduler_for(console) -> Scheduler:  # noqa: F811
    runtime = console.runtime
    return Scheduler(database=runtime.database, collaboration=runtime.collaboration, clock=console.clock,
                     delivery=None, state=runtime.state)


async def state_documents(console) -> list[str]:  # noqa: F811
    async with console.runtime.database.session() as session:
        return list((await session.scalars(select(models.BotStateRow.document))).all())


async def test_an_abandoned_draft_is_deleted_by_the_scheduler_after_a_day(console):  # noqa: F811
    assert "Så här läser jag det" in await console.say(SENTENCE)
    assert any(MARKER in document for document in await state_documents(console))
    scheduler = scheduler_for(console)
    console.clock.advance(STATE_LIFETIME - timedelta(minutes=1))
    assert (await scheduler.tick()).expired == 0  # a draft left for the night is still there in the morning
    assert any(MARKER in document for document in await state_documents(console))
    console.clock.advance(timedelta(minutes=2))
    assert (await scheduler.tick()).expired >= 1
    assert not any(MARKER in document for document in await state_documents(console))
    await console.say("ja")  # the user comes back: nothing is saved from the expired draft
    async with console.runtime.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(models.Observation)) == 0


async def test_a_draft_in_use_is_kept_past_a_day_since_it_began(console):  # noqa: F811
    await console.say(SENTENCE)
    console.clock.advance(STATE_LIFETIME - timedelta(hours=1))
    assert "Så här läser jag det" in await console.say("ändra tid till kl 22")  # written again: a new day
    console.clock.advance(timedelta(hours=2))
    await scheduler_for(console).tick()
    assert (await console.say("ja")).startswith("Sparat som #O1")


async def test_on_sqlite_the_expired_text_is_not_left_in_the_database_files(console, database):  # noqa: F811
    if database.dialect_name != "sqlite":
        pytest.skip("PostgreSQL: the table test above covers it; its files are the server's")
    path = Path(make_url(database.url).database)
    await console.say(SENTENCE)
    await console.say("ändra beskrivning till klotter med fler zebrafinkar på gaveln")
    await console.runtime.database.empty_write_ahead_log()
    assert MARKER.encode() in _files(path)  # the test can see the text where it was written
    console.clock.advance(STATE_LIFETIME + timedelta(minutes=1))
    await scheduler_for(console).tick()
    assert MARKER.encode() not in _files(path)


def _files(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists())


async def test_a_sole_writer_forgets_what_expired_from_its_memory_too(database):
    clock = FixedClock()
    storage = SqlStorage(database, sole_writer=True, now=clock.now)
    await storage.write({"chat/user": {"draft": MARKER}})
    assert (await storage.read(["chat/user"]))["chat/user"]["draft"] == MARKER  # answered from memory
    clock.advance(STATE_LIFETIME + timedelta(minutes=1))
    assert await storage.expire(clock.now() - STATE_LIFETIME) == 1
    assert await storage.read(["chat/user"]) == {}
