"""LOG_LEVEL=DEBUG writes no message text: a marker written to the bot over /api/messages (a log entry saved
from its card, then shown) reaches no log record, whichever library would have logged it."""

from __future__ import annotations

import logging

import pytest

from bot.logging_setup import QUIETED, configure_logging
from storage import models
from tests.support import activities as teams
from tests.test_observations_teams import clock, rows, say, server  # noqa: F401  (fixtures and helpers)

MARKER = "zebrafinkar"


@pytest.fixture
def debug_logging(caplog):
    """The `samverkan` command's logging at DEBUG, caught by pytest's handler on the root logger; the levels
    it sets are put back afterwards."""
    levels = {name: logging.getLogger(name).level for name in QUIETED}
    caplog.set_level(logging.DEBUG)
    configure_logging("DEBUG")
    yield caplog
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


async def test_debug_logging_writes_no_message_text(debug_logging, server, connector):  # noqa: F811
    [sent] = await say(server, connector, f"logga skadegörelse på Haganässkolan igår kväll, {MARKER} på gaveln")
    values = teams.submit_values(teams.card_of(sent.body))
    assert (await server.post(teams.card_submit(values, connector.url))).status == 200
    [row] = await rows(server, models.Observation)
    assert MARKER in row.description
    [shown] = await say(server, connector, f"visa #O{row.number}")
    assert MARKER in str(shown.body)
    assert any(record.levelno == logging.DEBUG for record in debug_logging.records)  # DEBUG was on
    leaked = sorted({record.name for record in debug_logging.records if MARKER in _text(record)})
    assert leaked == []


def _text(record: logging.LogRecord) -> str:
    try:
        message = record.getMessage()
    except Exception:  # a record whose arguments do not fit its format still counts by its parts
        message = f"{record.msg} {record.args}"
    return f"{message} {record.exc_text or ''}"
