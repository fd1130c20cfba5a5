"""Logging and the lägesbild end to end in Teams: POST /api/messages, a real database, the recording connector."""

from __future__ import annotations

import base64
import json
import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from domain.clock import FixedClock
from storage import models
from tests.support import activities as teams
from tests.support.bot_server import BotServer, add_teams_member, start_bot

PERSONNUMMER = "811218-9876"  # Luhn-valid, not a real person's


@pytest.fixture
async def clock():
    return FixedClock()  # Thursday 26 November 2026, 10:00 in Älmhult


@pytest.fixture
async def server(database, clock):
    bot = await start_bot(database.url, clock)
    await add_teams_member(bot.runtime, "Anna Andersson", "kommun", "aad-anna", teams.TENANT,
                           role="brottsförebyggande samordnare")
    await add_teams_member(bot.runtime, "Olle Polis", "polis", "aad-olle", teams.TENANT, role="kommunpolis")
    yield bot
    await bot.stop()


async def rows(server: BotServer, model) -> list:
    async with server.runtime.database.session() as session:
        return list((await session.scalars(select(model).order_by(model.id))).all())


async def count(server: BotServer, model) -> int:
    async with server.runtime.database.session() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def say(server: BotServer, connector, text: str, aad: str = "aad-anna"):
    connector.clear()
    assert (await server.post(teams.message(text, connector.url, aad=aad))).status == 200
    return connector.sent


async def test_one_sentence_gives_a_prefilled_card_and_a_double_submit_saves_once(server, connector):
    [sent] = await say(server, connector, "logga skadegörelse på Haganässkolan igår kväll")
    card = teams.card_of(sent.body)
    values = teams.submit_values(card)
    assert values["focus_area"] == "skadegorelse-skola"
    assert values["place"] == "Haganässkolan"
    assert values["when"] == "ons 25 nov 18:00–24:00"
    assert values["description"] == "Skadegörelse på Haganässkolan igår kväll"
    assert values["source_party"] == "kommun"
    assert card["version"] == "1.5"

    connector.clear()
    await server.post(teams.card_submit(values, connector.url))
    await server.post(teams.card_submit(values, connector.url))
    first, second = connector.sent
    assert first.text.startswith("Sparat som #O1, loggat av Anna Andersson (")
    assert "ångra" in first.text
    assert second.text == "Det här är redan sparat som #O1. Inget nytt har sparats."

    [saved] = await rows(server, models.Observation)
    assert (saved.number, saved.kind, saved.place, saved.source_party, saved.author_party) == (
        1, "handelse", "Haganässkolan", "kommun", "kommun")
    assert saved.occurred_start.isoformat() == "2026-11-25T17:00:00+00:00"  # 18:00 in Sweden
    assert saved.occurred_end.isoformat() == "2026-11-25T23:00:00+00:00"
    audit = [(e.action, e.subject_id) for e in await rows(server, models.AuditEntry)]
    assert audit.count(("observation.created", "O1")) == 1


@pytest.mark.parametrize("answer", ["ja", "spara"])
async def test_typing_ja_or_spara_under_the_card_saves_the_draft_once(server, connector, answer):
    [sent] = await say(server, connector, "logga skadegörelse på Haganässkolan igår kväll")
    card = teams.card_of(sent.body)
    assert sent.body["summary"] == "Logga observation: kontrollera och tryck Spara, eller svara ”ja”"
    [reply] = await say(server, connector, answer)
    assert reply.text.startswith("Sparat som #O1, loggat av Anna Andersson (")
    [saved] = await rows(server, models.Observation)
    assert (saved.place, saved.description, saved.source_party) == (
        "Haganässkolan", "Skadegörelse på Haganässkolan igår kväll", "kommun")
    # The card pressed afterwards is the same draft: said plainly, nothing saved twice.
    connector.clear()
    await server.post(teams.card_submit(teams.submit_values(card), connector.url))
    assert connector.sent[0].text == "Det här är redan sparat som #O1. Inget nytt har sparats."
    assert await count(server, models.Observation) == 1


async def test_typing_avbryt_under_the_card_saves_nothing(server, connector):
    await say(server, connector, "logga skadegörelse på Haganässkolan igår kväll")
    [reply] = await say(server, connector, "avbryt")
    assert reply.text == "Okej, jag har avbrutit. Inget har sparats."
    [after] = await say(server, connector, "ja")  # nothing waits any more
    assert not after.text.startswith("Sparat")
    assert await count(server, models.Observation) == 0


async def test_a_typed_correction_under_the_card_is_shown_before_saving(server, connector):
    await say(server, connector, "logga skadegörelse på Haganässkolan igår kväll")
    [reading] = await say(server, connector, "ändra plats till Linnéskolan")
    assert reading.text.startswith("Så här läser jag det:") and "Linnéskolan" in reading.text
    [saved] = await say(server, connector, "ja")
    assert saved.text.startswith("Sparat som #O1")
    assert [row.place for row in await rows(server, models.Observation)] == ["Linnéskolan"]


async def test_ja_under_a_card_with_an_empty_field_asks_for_it(server, connector):
    [sent] = await say(server, connector, "logga något konstigt hände igår")
    assert teams.card_of(sent.body)
    [question] = await say(server, connector, "ja")
    assert "fokusområde" in question.text
    assert await count(server, models.Observation) == 0


async def test_ja_under_a_card_with_a_time_in_the_future_asks_first(server, connector):
    await say(server, connector, "logga skadegörelse på Haganässkolan imorgon kl 22")
    [question] = await say(server, connector, "ja")
    assert "ligger i framtiden" in question.text
    assert await count(server, models.Observation) == 0
    [saved] = await say(server, connector, "ja")
    assert saved.text.startswith("Sparat som #O1")


async def test_the_card_submitted_ends_the_typed_wait(server, connector):
    [sent] = await say(server, connector, "logga skadegörelse på Haganässkolan igår kväll")
    connector.clear()
    await server.post(teams.card_submit(teams.submit_values(teams.card_of(sent.body)), connector.url))
    assert connector.sent[0].text.startswith("Sparat som #O1")
    [reply] = await say(server, connector, "när är nästa operativa BRÅ")
    assert "väntar fortfarande" not in reply.text and "sparades inte" not in reply.text


async def test_card_fields_edited_by_the_user_are_read_again(server, connector):
    [sent] = await say(server, connector, "logga skadegörelse på Haganässkolan igår kväll")
    values = teams.submit_values(teams.card_of(sent.body), when="igår kl 22", place="Linnéskolan",
                                 kind="iakttagelse")
    connector.clear()
    await server.post(teams.card_submit(values, connector.url))
    assert connector.sent[0].text.startswith("Sparat som #O1")
    [saved] = await rows(server, models.Observation)
    assert (saved.place, saved.kind) == ("Linnéskolan", "iakttagelse")
    assert saved.occurred_start == saved.occurred_end is None or saved.occurred_end is None
    assert saved.occurred_start.isoformat() == "2026-11-25T21:00:00+00:00"


async def test_privacy_refusal_stores_nothing_and_logs_nothing(server, connector, caplog):
    caplog.set_level(logging.DEBUG)
    text = f"logga skadegörelse, Kalle Andersson {PERSONNUMMER} sprayade på Haganässkolan"
    [reply] = await say(server, connector, text)
    assert "personnummer" in reply.text
    assert "Inget har sparats" in reply.text
    assert await count(server, models.Observation) == 0
    async with server.runtime.database.session() as session:
        state = " ".join((await session.scalars(select(models.BotStateRow.document))).all())
        audit = json.dumps([e.detail for e in (await session.scalars(select(models.AuditEntry))).all()])
    for secret in (PERSONNUMMER, "Kalle"):
        assert secret not in state and secret not in audit and secret not in caplog.text


async def test_a_refused_card_field_comes_back_empty_with_the_reason(server, connector):
    [sent] = await say(server, connector, "logga ANDTS vid Diö torg igår")
    values = teams.submit_values(teams.card_of(sent.body),
                                 description="Langning till elev, ring 070-123 45 67 för mer info")
    connector.clear()
    await server.post(teams.card_submit(values, connector.url))
    card = teams.card_of(connector.sent[0].body)
    problems = [b["text"] for b in card["body"] if b.get("color") == "Attention"]
    assert any("telefonnummer" in p for p in problems)
    assert teams.submit_values(card)["description"] == ""
    assert "070-123" not in json.dumps(card)
    assert await count(server, models.Observation) == 0


async def test_missing_fields_and_overlong_description_are_named(server, connector):
    [sent] = await say(server, connector, "logga")
    values = teams.submit_values(teams.card_of(sent.body), description="x" * 2500)
    connector.clear()
    await server.post(teams.card_submit(values, connector.url))
    problems = [b["text"] for b in teams.card_of(connector.sent[0].body)["body"] if b.get("color") == "Attention"]
    assert "Fyll i fokusområde." in problems and "Fyll i tid." in problems
    assert any("högst 2\u00a0000 tecken" in p for p in problems)
    assert await count(server, models.Observation) == 0


async def test_a_time_in_the_future_is_questioned_before_saving(server, connector):
    [sent] = await say(server, connector, "logga skadegörelse på Haganässkolan")
    values = teams.submit_values(teams.card_of(sent.body), when="imorgon kl 22")
    connector.clear()
    await server.post(teams.card_submit(values, connector.url))
    card = teams.card_of(connector.sent[0].body)
    assert any("ligger i framtiden" in b.get("text", "") for b in card["body"])
    assert await count(server, models.Observation) == 0
    connector.clear()
    await server.post(teams.card_submit(teams.submit_values(card, future_ok="true"), connector.url))
    assert connector.sent[0].text.startswith("Sparat som #O1")


async def test_discard_button_and_danger_store_nothing(server, connector):
    [sent] = await say(server, connector, "logga skadegörelse på Haganässkolan igår")
    connector.clear()
    await server.post(teams.card_submit(teams.submit_values(teams.card_of(sent.body), "Avbryt"), connector.url))
    assert connector.sent[0].text == "Okej, inget har sparats."
    [reply] = await say(server, connector, "logga att det brinner på Haganässkolan nu")
    assert reply.text.startswith("Ring 112")
    assert await count(server, models.Observation) == 0


async def _log_one(server, connector, text="logga skadegörelse på Haganässkolan igår kväll", aad="aad-anna"):
    connector.clear()
    await server.post(teams.message(text, connector.url, aad=aad))
    values = teams.submit_values(teams.card_of(connector.sent[0].body))
    connector.clear()
    await server.post(teams.card_submit(values, connector.url, aad=aad))
    return connector.sent[0].text


async def test_delete_by_the_author_within_fifteen_minutes_and_undo_asks_first(server, connector, clock):
    await _log_one(server, connector)
    await _log_one(server, connector, "logga klotter på Linnéskolan i natt")
    [reply] = await say(server, connector, "ta bort #O1", aad="aad-olle")
    assert "kan bara tas bort av den som loggade" in reply.text
    clock.advance(timedelta(minutes=14))
    [reply] = await say(server, connector, "ångra")
    assert reply.text.startswith("Vill du ångra att du loggade #O2 ")
    [reply] = await say(server, connector, "ja")
    assert reply.text.startswith("Ångrat: #O2 är borttagen")
    [reply] = await say(server, connector, "ta bort #O1")
    assert reply.text.startswith("Borttagen: #O1")
    [reply] = await say(server, connector, "ångra")
    assert reply.text.startswith("Vill du ångra att du tog bort #O1 ")
    [reply] = await say(server, connector, "nej")
    await _log_one(server, connector)
    clock.advance(timedelta(minutes=16))
    [reply] = await say(server, connector, "ta bort #O3")
    assert "inom 15 minuter" in reply.text
    assert [(o.number, o.deleted_at is not None) for o in await rows(server, models.Observation)] == [
        (1, True), (2, True), (3, False)]
    actions = [e.action for e in await rows(server, models.AuditEntry)]
    assert (actions.count("observation.deleted"), actions.count("change.undone")) == (1, 1)


async def test_corrections_are_kept_as_history(server, connector, clock):
    await _log_one(server, connector)
    clock.advance(timedelta(days=1))
    [reply] = await say(server, connector, "ändra #O1 plats till Diö torg")
    assert reply.text.startswith("Rättat (plats): #O1")
    assert "Diö torg" in reply.text
    [reply] = await say(server, connector, "ändra #O1 plats till Stortorget", aad="aad-olle")
    assert "Bara den som loggade #O1" in reply.text
    [reply] = await say(server, connector, "ändra #O1 tid till kl 21")
    assert "ons 25 nov kl 21:00" in reply.text  # a bare clock time keeps the observation's day
    [reply] = await say(server, connector, "visa #O1")
    assert "Tidigare versioner" in reply.text and "Haganässkolan" in reply.text
    versions = await rows(server, models.Observation)
    assert [(v.number, v.place, v.replaced_at is None) for v in versions] == [
        (1, "Haganässkolan", False), (1, "Diö torg", False), (1, "Diö torg", True)]
    [reply] = await say(server, connector, "visa #O99")
    assert reply.text == "Det finns ingen observation #O99."


async def test_lagesbild_counts_and_attaches_the_chart(server, connector, clock):
    await _log_one(server, connector)
    await _log_one(server, connector, "logga iakttagelse ANDTS: ungdomar samlas och dricker vid Diö torg i fredags")
    await _log_one(server, connector, "logga klotter på Haganässkolan i oktober")
    [reply] = await say(server, connector, "lägesbild")
    assert "senaste 30 dagarna" in reply.text
    assert "2 observationer" in reply.text
    assert "Skadegörelser i skolmiljö: 1" in reply.text and "ANDTS: 1" in reply.text
    assert "#O2" in reply.text and "#O1" in reply.text and "#O3" not in reply.text
    [image] = reply.body["attachments"]
    assert image["contentType"] == "image/png"
    assert base64.b64decode(image["contentUrl"].split(",", 1)[1]).startswith(b"\x89PNG")

    [reply] = await say(server, connector, "läget för skadegörelse i oktober")
    assert "oktober" in reply.text and "1 observation, " in reply.text and "#O3" in reply.text
    [reply] = await say(server, connector, "lägesbild Diö")
    assert "Diö" in reply.text and "#O2" in reply.text and "#O1" not in reply.text
    [reply] = await say(server, connector, "lägesbild trygga unga")
    assert "Inga observationer" in reply.text and not reply.body.get("attachments")
    viewed = [e for e in await rows(server, models.AuditEntry) if e.action == "situation.viewed"]
    assert len(viewed) == 4 and viewed[1].detail["focus_area"] == "skadegorelse-skola"


async def test_an_overlong_message_is_refused_with_the_limit(server, connector):
    [reply] = await say(server, connector, "logga " + "klotter " * 1250)
    assert "för långt" in reply.text and "4\u00a0000" in reply.text
    assert await count(server, models.Observation) == 0


async def test_tampered_card_data_is_not_trusted(server, connector):
    [sent] = await say(server, connector, "logga skadegörelse på Haganässkolan igår kväll")
    card = teams.card_of(sent.body)
    connector.clear()
    await server.post(teams.card_submit(teams.submit_values(card, when="när som helst", when_start="not a time"),
                                        connector.url))
    asked = teams.card_of(connector.sent[0].body)
    assert any("Den tiden förstår jag inte" in b.get("text", "") for b in asked["body"])
    assert await count(server, models.Observation) == 0
    # Left as shown, the visible text is read again ("ons 25 nov 18:00–24:00"), not the broken data.
    connector.clear()
    await server.post(teams.card_submit(teams.submit_values(card, when_start="2026-13-99T25:00"), connector.url))
    assert connector.sent[0].text.startswith("Sparat som #O1")
    [saved] = await rows(server, models.Observation)
    assert saved.occurred_start.isoformat() == "2026-11-25T17:00:00+00:00"
