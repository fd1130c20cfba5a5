"""The bounded memories of a long-running process (``bot.channels.recent.Recent``)."""

from __future__ import annotations

import pytest

from bot.channels.recent import Recent
from bot.handler import REFERENCE_MEMORY
from bot.runtime import build_runtime
from domain.clock import FixedClock
from tests.support.bot_server import settings_for


def test_recent_forgets_the_least_recently_used_beyond_its_size():
    memory: Recent[str, int] = Recent(3)
    for number, key in enumerate("abc"):
        memory[key] = number
    assert memory["a"] == 0  # read: now the newest
    memory["d"] = 3
    assert list(memory) == ["c", "a", "d"] and "b" not in memory and len(memory) == 3
    memory["c"] = 9  # written again: the newest too
    memory["e"] = 4
    assert dict(memory) == {"d": 3, "c": 9, "e": 4}
    assert memory.get("a") is None and memory.pop("d") == 3 and len(memory) == 2


def test_recent_keeps_at_least_one():
    with pytest.raises(ValueError):
        Recent(0)


async def test_the_handler_keeps_its_stored_references_in_a_bounded_recent(database):
    """The wiring: the handler's memory is a ``Recent`` of ``REFERENCE_MEMORY`` (its bound is tested above)."""
    runtime = await build_runtime(settings_for(database.url), FixedClock())
    try:
        stored = runtime.bot._stored_references
        assert isinstance(stored, Recent) and stored.size == REFERENCE_MEMORY
    finally:
        await runtime.close()
