"""The per-member rate limit end to end over /api/messages on both databases, with a stepped clock: message 31
within a minute gets one Swedish answer, the rest of the burst silence, and the member is let in after the minute."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.clock import FixedClock
from tests.support import activities as teams
from tests.support.bot_server import add_teams_member, start_bot


@pytest.fixture
async def server(database, connector):
    bot = await start_bot(database.url, FixedClock())
    await add_teams_member(bot.runtime, "Anna Andersson", "kommun", "aad-anna", teams.TENANT, admin=True)
    await add_teams_member(bot.runtime, "Olle Polis", "polis", "aad-olle", teams.TENANT)
    yield bot
    await bot.stop()


async def say(server, connector, text: str, *, aad: str = "aad-anna") -> str:
    connector.clear()
    await server.post(teams.message(text, connector.url, aad=aad))
    return "\n".join(connector.texts())


async def test_a_member_writing_faster_than_the_limit_is_told_once_and_let_in_after_the_minute(server, connector):
    for _ in range(30):
        assert await say(server, connector, "tack") != ""
    assert await say(server, connector, "tack") == (
        "Du skriver snabbare än jag hinner med – högst 30 meddelanden i minuten. Vänta en minut och skriv sedan "
        "igen. Det du skickade nyss har inte lästs, och inget av det har sparats.")
    assert await say(server, connector, "lägesbild") == ""  # the rest of the burst: silence, and no work
    assert await say(server, connector, "tack", aad="aad-olle") != ""  # per member
    server.runtime.clock.advance(timedelta(seconds=59))
    assert await say(server, connector, "tack") == ""
    server.runtime.clock.advance(timedelta(seconds=1))
    let_in = await say(server, connector, "tack")
    assert let_in != "" and "snabbare" not in let_in


async def test_the_rate_limit_is_configurable(database, connector):
    bot = await start_bot(database.url, FixedClock(), SAMVERKAN_RATE_LIMIT="3")
    try:
        await add_teams_member(bot.runtime, "Anna Andersson", "kommun", "aad-anna", teams.TENANT, admin=True)
        for _ in range(3):
            assert "snabbare" not in await say(bot, connector, "tack")
        assert "högst 3 meddelanden i minuten" in await say(bot, connector, "tack")
    finally:
        await bot.stop()
