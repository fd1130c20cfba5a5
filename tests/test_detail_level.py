"""What leaves for the cloud, end to end over /api/messages on both databases: a shared channel's detail level
decides whether the agenda post, the lägesbild and an observation shown there carry the log's text and places;
anyone may ask for the level, only an admin changes it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.app import SCHEDULER_KEY
from domain.clock import FixedClock
from storage import models
from tests.support import activities as teams
from tests.support.bot_server import add_teams_member, start_bot

ASK = "vilken detaljnivå har den här kanalen"


def local(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Europe/Stockholm")).astimezone(UTC)


@pytest.fixture
async def server(database, connector):
    bot = await start_bot(database.url, FixedClock())  # Thursday 26 November 2026, 10:00 in Älmhult
    bot.members = {
        "anna": await add_teams_member(bot.runtime, "Anna Andersson", "kommun", "aad-anna", teams.TENANT,
                                       admin=True),
        "olle": await add_teams_member(bot.runtime, "Olle Polis", "polis", "aad-olle", teams.TENANT),
    }
    yield bot
    await bot.stop()


async def say(server, connector, text: str, *, aad: str = "aad-anna", channel: bool = False) -> str:
    connector.clear()
    conversation = teams.channel_conversation() if channel else None
    await server.post(teams.message(text, connector.url, aad=aad, conversation=conversation, mention=channel))
    return "\n".join(connector.texts())


async def log_graffiti(server, connector) -> None:
    await say(server, connector, "logga klotter på Haganässkolan igår kväll")
    await server.post(teams.card_submit(teams.submit_values(teams.card_of(connector.sent[-1].body)), connector.url))
    assert "#O1" in connector.sent[-1].text or "#O1" in teams.card_text(connector.sent[-1].body)


async def agenda_text(server, connector) -> str:
    """The agenda the scheduler posts in the bound channel on Friday 4 December 08:00 (before Tuesday's meeting)."""
    server.runtime.clock.set(local(date(2026, 12, 4), 8))
    connector.clear()
    await server.runner.app[SCHEDULER_KEY].tick()
    [post] = [s for s in connector.sent if s.path == "/v3/conversations" and "channel" in s.body["channelData"]]
    [message] = connector.messages(post.conversation_id)
    return "\n".join(teams.card_texts(message["attachments"][0]["content"]))


async def bind_and_log(server, connector) -> None:
    assert "kopplad till Operativa BRÅ" in await say(server, connector, "koppla den här kanalen till Operativa BRÅ",
                                                     channel=True)
    await say(server, connector, "nästa operativa BRÅ är tisdag 8/12 kl 13")
    await log_graffiti(server, connector)


async def test_a_teams_channel_at_summary_gets_an_agenda_without_observation_text_or_places(server, connector):
    await bind_and_log(server, connector)
    text = await agenda_text(server, connector)
    assert text.startswith("Inför Operativa BRÅ tisdag 8 december 2026 kl 13:00")
    assert "Skadegörelser i skolmiljö: 1" in text  # the counts are there
    assert "Försenade åtgärder" in text
    assert "Haganäs" not in text and "lotter" not in text and "Platser:" not in text and "Senaste:" not in text
    assert "kanalens detaljnivå är sammanfattning" in text


async def test_a_channel_an_admin_set_to_full_gets_the_whole_agenda(server, connector):
    await bind_and_log(server, connector)
    assert await say(server, connector, "detaljnivå full", channel=True) == (
        "Den här kanalen har nu detaljnivå full (var sammanfattning): jag visar allt här, också observationernas "
        "text och platser.")
    text = await agenda_text(server, connector)
    assert "Platser: Haganässkolan 1" in text
    assert "Senaste:\n- #O1" in text and "lotter på Haganässkolan" in text


async def test_the_detail_level_is_told_and_only_an_admin_changes_it(server, connector, database):
    assert await say(server, connector, ASK, channel=True, aad="aad-olle") == (
        "Den här kanalen har detaljnivå sammanfattning (samverkansfilens standard för Teams): jag visar antal, "
        "åtgärdernas nummer, titlar och datum här, men aldrig observationernas text eller platser.")
    refused = await say(server, connector, "sätt detaljnivå full här", channel=True, aad="aad-olle")
    assert refused.startswith("Bara en administratör kan ändra detaljnivån för en kanal.")
    assert "detaljnivå sammanfattning (samverkansfilens" in await say(server, connector, ASK, channel=True)
    assert "(var sammanfattning)" in await say(server, connector, "sätt detaljnivå full här", channel=True)
    assert await say(server, connector, ASK, channel=True, aad="aad-olle") == (
        "Den här kanalen har detaljnivå full (satt av en administratör): jag visar allt här, också "
        "observationernas text och platser.")
    assert await say(server, connector, "detaljnivå sammanfattning", channel=True) == (
        "Den här kanalen har nu detaljnivå sammanfattning (var full): jag visar antal, åtgärdernas nummer, titlar "
        "och datum här, men aldrig observationernas text eller platser.")
    # A personal chat is the member's own: always full, and nothing to set there.
    assert (await say(server, connector, ASK)).startswith("Den här personliga chatten har full detaljnivå")
    assert (await say(server, connector, "detaljnivå sammanfattning")).startswith(
        "En personlig chatt har alltid full detaljnivå")
    async with database.session() as session:
        audited = (await session.scalars(select(models.AuditEntry).where(
            models.AuditEntry.action == "channel.detail_level"))).all()
    assert [entry.detail["level"] for entry in audited] == ["full", "summary"]


async def test_lagesbild_and_observations_asked_in_a_summary_channel_leave_out_text_and_places(server, connector):
    await log_graffiti(server, connector)
    in_channel = await say(server, connector, "lägesbild", channel=True)
    assert "Skadegörelser i skolmiljö: 1" in in_channel
    assert "Haganäs" not in in_channel and "Senaste:" not in in_channel
    personal = await say(server, connector, "lägesbild")
    assert "Platser: Haganässkolan 1" in personal and "Senaste:\n- #O1" in personal
    shown = await say(server, connector, "visa #O1", channel=True)
    assert shown.startswith("#O1 Skadegörelser i skolmiljö · händelse · ")
    assert "Haganäs" not in shown and "lotter" not in shown
    assert "Haganässkolan" in await say(server, connector, "visa #O1")
    undo = await say(server, connector, "ångra", channel=True)
    assert undo.startswith("Vill du ångra att du loggade #O1 Skadegörelser i skolmiljö · händelse · ")
    assert "Haganäs" not in undo and "lotter" not in undo
    declined = await say(server, connector, "nej", channel=True)
    assert "ångrar inget" in declined and "Haganäs" not in declined
    assert "Haganässkolan" in await say(server, connector, "ångra")  # asked in person, the whole entry
