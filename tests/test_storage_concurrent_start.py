"""Replicas started together on one empty PostgreSQL database: each migrates and loads the configuration
(one waits for the other), and all of them start. Separate processes, as replicas are: Alembic keeps its
migration context in module globals, so two migrations in one process would tangle regardless."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from domain.collaboration import DEFAULT_CONFIG_PATH, load_collaboration
from storage import Database, models
from tests.test_storage_schema import _head_revision

REPLICAS = 3
ROOT = Path(__file__).resolve().parents[1]
START_A_REPLICA = """
import asyncio, sys
from domain.clock import FixedClock
from domain.collaboration import load_collaboration
from domain.collaboration import DEFAULT_CONFIG_PATH
from bot.runtime import prepare_database
from storage import Database

async def main():
    database = Database(sys.argv[1])
    try:
        await prepare_database(database, load_collaboration(DEFAULT_CONFIG_PATH), FixedClock())
    finally:
        await database.dispose()

asyncio.run(main())
"""


@pytest.fixture
def postgresql_only(db_backend):
    if db_backend != "postgresql":
        pytest.skip("replicas share a PostgreSQL database; one SQLite file has one serving process")


async def _run_together(*commands: list[str], cwd: Path, env: dict[str, str]) -> list[tuple[int, str]]:
    processes = [await asyncio.create_subprocess_exec(*command, cwd=cwd, env=env, stdout=asyncio.subprocess.PIPE,
                                                      stderr=asyncio.subprocess.STDOUT) for command in commands]
    outputs = await asyncio.gather(*(asyncio.wait_for(process.communicate(), 120) for process in processes))
    return [(process.returncode, output.decode(errors="replace")) for process, (output, _)
            in zip(processes, outputs, strict=True)]


def _env(database_url: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": database_url}


async def test_migrations_started_together_on_an_empty_database_all_succeed(postgresql_only, database_url, tmp_path):
    command = [sys.executable, "-m", "bot", "db", "upgrade"]
    results = await _run_together(*[command] * REPLICAS, cwd=tmp_path, env=_env(database_url))
    assert [code for code, _ in results] == [0] * REPLICAS, "\n".join(output for _, output in results)
    database = Database(database_url)
    try:
        async with database.connect() as conn:
            versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
        assert versions == [_head_revision()]
    finally:
        await database.dispose()


async def test_replicas_started_together_load_the_configuration_once(postgresql_only, database_url, tmp_path):
    command = [sys.executable, "-c", START_A_REPLICA, database_url]
    results = await _run_together(*[command] * REPLICAS, cwd=tmp_path, env=_env(database_url))
    assert [code for code, _ in results] == [0] * REPLICAS, "\n".join(output for _, output in results)
    collaboration = load_collaboration(DEFAULT_CONFIG_PATH)
    database = Database(database_url)
    try:
        async with database.session() as session:
            areas = await session.scalar(select(func.count()).select_from(models.FocusArea))
            deadlines = await session.scalar(select(func.count()).select_from(models.Action))
        assert areas == len(collaboration.focus_areas)
        assert deadlines == len(collaboration.deadlines)
    finally:
        await database.dispose()
