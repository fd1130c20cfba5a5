"""”återställ #O12” end to end in Teams: a removed observation is kept, and its author or an admin brings it back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.clock import FixedClock
from storage import models
from tests.support import activities as teams
from tests.support.bot_server import BotServer, add_three_members, start_bot


@pytest.fixture
async def clock():
    return FixedClock()  # Thursday 26 November 2026, 10:00 in Älmhult


@pytest.fixture
async def server(database, clock):
    bot = await start_bot(database.url, clock)
    bot.members = await add_three_members(bot.runtime, teams.TENANT)
    yield bot
    await bot.stop()


async def say(server: BotServer, connector, text: str, aad: str) -> str:
    connector.clear()
    assert (await server.post(teams.message(text, connector.url, aad=aad))).status == 200
    return "\n".join(sent.text or "" for sent in connector.sent)


async def log_one(server: BotServer, connector, text: str, aad: str) -> None:
    connector.clear()
    await server.post(teams.message(text, connector.url, aad=aad))
    values = teams.submit_values(teams.card_of(connector.sent[0].body))
    connector.clear()
    await server.post(teams.card_submit(values, connector.url, aad=aad))


async def removed(server: BotServer) -> list[tuple[int, bool]]:
    async with server.runtime.database.session() as session:
        rows = await session.scalars(select(models.Observation).where(models.Observation.replaced_at.is_(None))
                                     .order_by(models.Observation.number))
        return [(row.number, row.deleted_at is not None) for row in rows]


async def restorers(server: BotServer) -> list[int]:
    async with server.runtime.database.session() as session:
        rows = await session.scalars(select(models.AuditEntry).where(
            models.AuditEntry.action == "observation.restored").order_by(models.AuditEntry.id))
        return [row.actor_member_id for row in rows]


async def test_the_author_restores_a_removed_observation_and_another_member_is_refused(server, connector):
    await log_one(server, connector, "logga klotter på Linnéskolan i natt", aad="aad-karin")
    said = await say(server, connector, "ta bort #O1", aad="aad-karin")
    assert said.startswith("Borttagen: #O1 ") and said.endswith("Den kan återställas med ”återställ #O1”.")
    assert await removed(server) == [(1, True)]
    assert "Du har inga loggade observationer" in await say(server, connector, "visa mina loggningar", aad="aad-karin")

    refused = await say(server, connector, "återställ #O1", aad="aad-olle")
    assert refused == "Bara den som loggade #O1 eller en administratör kan återställa den."
    assert await removed(server) == [(1, True)]

    restored = await say(server, connector, "återställ #O1", aad="aad-karin")
    assert restored.startswith("Återställd: #O1 Skadegörelser i skolmiljö · händelse · ")
    assert restored.endswith("Linnéskolan: Klotter på Linnéskolan i natt\nDen finns åter i loggen och lägesbilden.")
    assert await removed(server) == [(1, False)]
    assert "Linnéskolan" in await say(server, connector, "visa mina loggningar", aad="aad-karin")
    assert await restorers(server) == [server.members["karin"]]
    assert await say(server, connector, "återställ #O1", aad="aad-karin") == (
        "#O1 är inte borttagen, så det finns inget att återställa (”visa #O1” visar den).")
    assert await say(server, connector, "återställ #O7", aad="aad-karin") == "Det finns ingen observation #O7."


async def test_an_admin_restores_an_observation_someone_else_removed(server, connector):
    await log_one(server, connector, "logga klotter på Linnéskolan i natt", aad="aad-olle")
    await say(server, connector, "ta bort #O1", aad="aad-olle")
    assert "Bara den som loggade" in await say(server, connector, "återställ #O1", aad="aad-karin")
    assert (await say(server, connector, "återställ #O1", aad="aad-anna")).startswith("Återställd: #O1 ")
    assert await removed(server) == [(1, False)]
    assert await restorers(server) == [server.members["anna"]]
