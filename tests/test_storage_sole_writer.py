"""The embedded SQLite mode: one serving process claims the file and answers state reads from memory."""

from __future__ import annotations

import pytest

from storage import Database, SqlStorage, StateConflictError
from storage.ownership import DatabaseInUse, claim_sqlite


def test_a_second_server_cannot_claim_the_same_sqlite_file(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path}/samverkan.db"
    first = claim_sqlite(url)
    try:
        with pytest.raises(DatabaseInUse):
            claim_sqlite(url)
    finally:
        first.release()
    claim_sqlite(url).release()  # free again once released
    assert claim_sqlite("postgresql+asyncpg://127.0.0.1/test") is None


async def test_sole_writer_reads_what_it_wrote_and_what_is_stored(database: Database):
    cached = SqlStorage(database, sole_writer=True)
    await cached.write({"a": {"count": 1}})
    first = await cached.read(["a", "missing"])
    assert first["a"]["count"] == 1 and "missing" not in first
    first["a"]["count"] = 2
    await cached.write({"a": first["a"]})
    # What the database holds is what the cache answers.
    plain = await SqlStorage(database).read(["a"])
    assert plain["a"]["count"] == 2
    assert (await cached.read(["a"]))["a"]["e_tag"] == plain["a"]["e_tag"]


async def test_sole_writer_still_refuses_a_stale_e_tag_and_recovers(database: Database):
    cached = SqlStorage(database, sole_writer=True)
    await cached.write({"a": {"count": 1}})
    stale = await cached.read(["a"])
    await cached.write({"a": {**stale["a"], "count": 2}})
    with pytest.raises(StateConflictError):
        await cached.write({"a": {**stale["a"], "count": 3}})
    assert (await cached.read(["a"]))["a"]["count"] == 2
    await cached.delete(["a"])
    assert await cached.read(["a"]) == {}
