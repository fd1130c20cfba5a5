"""Readers (läsare) and reporters (rapportörer) end to end in Teams: what each may do, the Swedish reason when
not, and the audit entry that names the refused intent and never the text."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from domain.clock import FixedClock
from storage import models
from storage.actions import ActionRepository, NewAction
from tests.support import activities as teams
from tests.support.bot_server import BotServer, add_teams_member, start_bot


@pytest.fixture
async def server(database):
    bot = await start_bot(database.url, FixedClock())  # Thursday 26 November 2026, 10:00 in Älmhult
    await add_teams_member(bot.runtime, "Anna Andersson", "kommun", "aad-anna", teams.TENANT, admin=True)
    await add_teams_member(bot.runtime, "Karin Lund", "kommun", "aad-karin", teams.TENANT)
    await add_teams_member(bot.runtime, "Olle Polis", "polis", "aad-olle", teams.TENANT, role="kommunpolis")
    await add_teams_member(bot.runtime, "Pia Polis", "polis", "aad-pia", teams.TENANT)
    await add_teams_member(bot.runtime, "Lars Läsare", "kommun", "aad-lars", teams.TENANT, access="reader")
    await add_teams_member(bot.runtime, "Rut Rapportör", "kommun", "aad-rut", teams.TENANT, access="reporter")
    yield bot
    await bot.stop()


async def say(server: BotServer, connector, text: str, aad: str) -> list:
    connector.clear()
    assert (await server.post(teams.message(text, connector.url, aad=aad))).status == 200
    return connector.sent


async def log_one(server, connector, aad: str, text: str = "logga skadegörelse på Haganässkolan igår kväll") -> str:
    [sent] = await say(server, connector, text, aad)
    values = teams.submit_values(teams.card_of(sent.body))
    connector.clear()
    await server.post(teams.card_submit(values, connector.url, aad=aad))
    return connector.sent[0].text


async def refusals(server: BotServer) -> list[models.AuditEntry]:
    async with server.runtime.database.session() as session:
        return list(await session.scalars(select(models.AuditEntry).where(
            models.AuditEntry.action == "access.refused").order_by(models.AuditEntry.id)))


async def add_action(server: BotServer) -> int:
    async with server.runtime.database.session() as session:
        action = await ActionRepository(session).add(NewAction(
            "Trygghetsvandring i centrum", "kommun", date(2026, 12, 10)), None, at=server.runtime.clock.now())
        await session.commit()
        return action.number


async def test_a_reader_sees_the_lagesbild_and_the_plan_but_cannot_log_or_close(server, connector):
    number = await add_action(server)
    [reply] = await say(server, connector, "lägesbild", "aad-lars")
    assert "senaste 30 dagarna" in reply.text
    [reply] = await say(server, connector, "vilka åtgärder har vi", "aad-lars")
    assert "Trygghetsvandring" in str(reply.body)

    [reply] = await say(server, connector, "hjälp", "aad-lars")
    assert "Du har läsbehörighet: du kan se lägesbilden, åtgärdsplanen och mötena" in reply.text
    [reply] = await say(server, connector, "logga skadegörelse på Haganässkolan igår kväll", "aad-lars")
    assert reply.text.startswith("Du har läsbehörighet och kan inte logga observationer. Fråga ")
    [reply] = await say(server, connector, f"#{number} klar", "aad-lars")
    assert reply.text.startswith("Du har läsbehörighet och kan inte stänga åtgärder. Fråga ")
    connector.clear()
    await server.post(teams.card_submit({"samverkan": "action.done", "number": number}, connector.url,
                                        aad="aad-lars"))
    assert connector.sent[-1].text.startswith("Du har läsbehörighet och kan inte stänga åtgärder.")
    invoke = teams.card_execute("action.done", {"number": number}, connector.url, aad="aad-lars")
    async with server.http.post(f"{server.url}/api/messages", json=invoke) as response:
        body = await response.json()
    assert body["value"].startswith("Du har läsbehörighet och kan inte stänga åtgärder.")

    async with server.runtime.database.session() as session:
        assert await session.scalar(select(models.Observation)) is None
        assert (await session.scalar(select(models.Action))).status == "planerad"
    entries = await refusals(server)
    assert [e.subject_id for e in entries] == ["log_observation", "complete_action", "complete_action",
                                                    "complete_action"]
    assert all(e.detail["access"] == "reader" and "Haganäs" not in str(e.detail) for e in entries)


async def test_a_reporter_logs_and_sees_only_their_own(server, connector):
    assert (await log_one(server, connector, "aad-olle")).startswith("Sparat som #O1")
    assert (await log_one(server, connector, "aad-rut",
                          "logga klotter på Linnéskolan i förrgår")).startswith("Sparat som #O2")
    [reply] = await say(server, connector, "visa #O2", "aad-rut")
    assert reply.text.startswith("#O2 ") and "Linnéskolan" in reply.text
    [reply] = await say(server, connector, "visa mina loggningar", "aad-rut")
    assert "- #O2 " in reply.text and "- #O1 " not in reply.text

    [reply] = await say(server, connector, "visa #O1", "aad-rut")
    assert reply.text == "Du är rapportör och ser bara observationer som du själv har loggat."
    [reply] = await say(server, connector, "lägesbild", "aad-rut")
    assert reply.text.startswith("Du är rapportör och kan logga observationer och se dina egna, men inte se "
                                 "lägesbilden. Fråga ")
    [reply] = await say(server, connector, "vilka åtgärder har vi", "aad-rut")
    assert "men inte se åtgärdsplanen" in reply.text
    [reply] = await say(server, connector, "vilka är medlemmar", "aad-rut")
    assert "men inte se medlemmarna" in reply.text
    [reply] = await say(server, connector, "vem är jag", "aad-rut")
    assert "Du är rapportör: du kan logga observationer och se dem du själv har loggat." in reply.text
    entries = await refusals(server)
    assert [(e.subject_id, e.detail["reason"]) for e in entries] == [
        ("show_observation", "not_own"), ("show_situation", "access"), ("list_actions", "access"),
        ("list_members", "access")]


def test_members_set_access_and_the_list_shows_it(tmp_path):
    from tests.test_cli import samverkan

    assert samverkan("members", "add", "Lars Läsare", "--party", "kommun", cwd=tmp_path).returncode == 0
    changed = samverkan("members", "set", "Lars Läsare", "--access", "reader", cwd=tmp_path)
    assert changed.returncode == 0, changed.stderr
    assert changed.stdout.startswith("Lars Läsare: behörighet läsare.")
    assert "Lars Läsare, kommunen, läsare – inga inloggningar kopplade" in samverkan(
        "members", "list", cwd=tmp_path).stdout
    assert samverkan("members", "set", "Lars Läsare", "--access", "gäst", cwd=tmp_path).returncode == 2


async def test_a_sensitive_police_observation_shows_to_the_police_and_admins_only(server, connector):
    saved = await log_one(server, connector, "aad-olle",
                          "logga känslig iakttagelse ANDTS: ungdomar samlas och dricker vid Diö torg i fredags")
    assert saved.startswith("Sparat som #O1") and "Markerad som känslig" in saved
    [sent] = await say(server, connector, "logga klotter på Linnéskolan igår", "aad-olle")
    values = teams.submit_values(teams.card_of(sent.body), sensitive="true")
    connector.clear()
    await server.post(teams.card_submit(values, connector.url, aad="aad-olle"))
    assert connector.sent[0].text.startswith("Sparat som #O2") and "Markerad som känslig" in connector.sent[0].text
    assert (await log_one(server, connector, "aad-karin")).startswith("Sparat som #O3")

    [reply] = await say(server, connector, "visa #O1", "aad-karin")
    assert reply.text == "#O1 är markerad som känslig och visas bara för polisen och administratörer."
    [reply] = await say(server, connector, "lägesbild", "aad-karin")
    assert "3 observationer" in reply.text  # counted, never shown
    assert "#O3" in reply.text and "#O1" not in reply.text and "#O2" not in reply.text
    assert "Diö" not in reply.text and "Linnéskolan" not in reply.text

    for aad in ("aad-pia", "aad-anna"):
        [reply] = await say(server, connector, "visa #O1", aad)
        assert reply.text.startswith("#O1 ") and "Diö torg" in reply.text
        [reply] = await say(server, connector, "lägesbild", aad)
        assert "#O1" in reply.text and "#O2" in reply.text and "#O3" in reply.text

    [reply] = await say(server, connector, "markera #O3 som känslig", "aad-olle")
    assert reply.text == "Bara den som loggade #O3 eller en administratör kan ändra om den är känslig."
    [reply] = await say(server, connector, "markera #O2 som inte känslig", "aad-olle")
    assert reply.text == "#O2 är inte längre markerad som känslig."
    [reply] = await say(server, connector, "markera #O3 som känslig", "aad-karin")
    assert reply.text.startswith("#O3 är markerad som känslig: bara kommunens medlemmar och administratörer")
    [reply] = await say(server, connector, "visa #O3", "aad-olle")
    assert reply.text == "#O3 är markerad som känslig och visas bara för kommunen och administratörer."
    [reply] = await say(server, connector, "visa #O2", "aad-karin")
    assert reply.text.startswith("#O2 ")
    entries = await refusals(server)
    assert [(e.subject_id, e.detail["reason"]) for e in entries] == [
        ("show_observation", "sensitive"), ("show_observation", "sensitive")]


async def test_a_sensitive_observation_is_not_shown_in_a_channel_even_to_its_party(server, connector):
    await log_one(server, connector, "aad-olle",
                  "logga känslig iakttagelse ANDTS: ungdomar samlas och dricker vid Diö torg i fredags")
    in_channel = teams.channel_conversation()
    connector.clear()
    await server.post(teams.message("visa #O1", connector.url, aad="aad-olle", conversation=in_channel,
                                    mention=True))
    assert connector.sent[-1].text == ("#O1 är markerad som känslig och visas inte där andra läser med. Skriv "
                                       "”visa #O1” till mig i ett enskilt samtal.")
    connector.clear()
    await server.post(teams.message("lägesbild", connector.url, aad="aad-olle", conversation=in_channel,
                                    mention=True))
    text = connector.sent[-1].text
    assert "1 observation" in text and "#O1" not in text and "Diö" not in text
    [reply] = await say(server, connector, "visa #O1", "aad-olle")  # one to one: shown
    assert reply.text.startswith("#O1 ")
