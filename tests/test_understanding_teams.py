"""Understanding end to end in Teams: POST /api/messages, a real database, the recording Bot Connector.

The safety answers, the question when one child may be meant, the choices when the reading is unsure (buttons
on a card that continue the turn), what cannot be read named instead of guessed, and the everyday requests.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from domain.clock import FixedClock
from storage import MemberRepository, models
from storage.actions import ActionRepository, NewAction
from tests.support import activities as teams
from tests.support.bot_server import BotServer, add_teams_member, start_bot

ZONE = ZoneInfo("Europe/Stockholm")


@pytest.fixture
async def clock():
    return FixedClock()  # Thursday 26 November 2026, 10:00 in Älmhult


@pytest.fixture
async def server(database, clock):
    bot = await start_bot(database.url, clock)
    bot.members = {
        "anna": await add_teams_member(bot.runtime, "Anna Andersson", "kommun", "aad-anna", teams.TENANT,
                                       role="brottsförebyggande samordnare", admin=True),
        "olle": await add_teams_member(bot.runtime, "Olle Polis", "polis", "aad-olle", teams.TENANT,
                                       role="kommunpolis"),
    }
    yield bot
    await bot.stop()


async def say(server: BotServer, connector, text: str, aad: str = "aad-anna"):
    connector.clear()
    assert (await server.post(teams.message(text, connector.url, aad=aad))).status == 200
    return connector.sent


async def texts(server: BotServer, connector, text: str, aad: str = "aad-anna") -> str:
    """What the user reads of the replies: each one's text, or its card's when it is a card."""
    return "\n".join(teams.card_text(sent.body) if sent.body.get("attachments") else sent.text or ""
                     for sent in await say(server, connector, text, aad))


async def count(server: BotServer, model) -> int:
    async with server.runtime.database.session() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def stored_state(server: BotServer) -> str:
    async with server.runtime.database.session() as session:
        return " ".join((await session.scalars(select(models.BotStateRow.document))).all())


@pytest.mark.parametrize("text", [
    "det brinner i skolans soprum",  # present tense, no "nu"
    "två killar slåss utanför ICA, en ligger ner",
])
async def test_acute_danger_gets_112_first_and_nothing_is_stored(server, connector, text):
    reply = await texts(server, connector, text)
    assert reply.startswith("Ring 112") and "114 14" in reply and "Inget av det du skrev har sparats" in reply
    assert await count(server, models.Observation) == 0


async def test_a_concern_about_one_child_wins_over_logga_and_names_the_social_services(server, connector):
    reply = await texts(server, connector, "logga: en elev i 9an berättade idag att hans pappa slår honom")
    assert "orosanmälan till Socialtjänsten i Älmhults kommun" in reply and "0476-550 00" in reply
    assert "Gällde det något allmänt, inte en viss person? Skriv det igen" in reply  # a way on if read wrong
    assert "anmäla till socialtjänsten" in reply and "inget av det du skrev har sparats" in reply
    assert "ring 112" in reply
    assert await count(server, models.Observation) == 0
    assert "pappa" not in await stored_state(server)


async def test_a_concern_during_a_guided_log_drops_the_draft(server, connector):
    await say(server, connector, "logga")
    await say(server, connector, "ANDTS")
    reply = await texts(server, connector, "jag misstänker att ett barn far illa hemma")
    assert "orosanmälan" in reply
    assert "Det finns inget pågående" in await texts(server, connector, "avbryt")  # the draft is gone
    assert await count(server, models.Observation) == 0


async def test_when_one_child_may_be_meant_the_bot_asks_and_no_carries_on_to_the_log(server, connector):
    reply = await texts(server, connector, "en 15-åring blev knuffad vid busshållplatsen igår")
    assert "gäller det ett enskilt barn" in reply and "ja eller nej" in reply
    [card] = await say(server, connector, "nej")  # a situation for the log: the log form, as if typed
    form = teams.card_of(card.body)
    values = teams.submit_values(form)
    assert values["place"] == "busshållplatsen" and "knuffad" in values["description"]
    assert await count(server, models.Observation) == 0
    connector.clear()
    await server.post(teams.card_submit(teams.submit_values(form, focus_area="trygga-unga"), connector.url))
    assert connector.sent[0].text.startswith("Sparat som #O1")
    assert await count(server, models.Observation) == 1


async def test_when_one_child_is_meant_yes_gives_the_routine_and_the_text_is_dropped(server, connector):
    await say(server, connector, "en 15-åring blev knuffad vid busshållplatsen igår")
    reply = await texts(server, connector, "ja")
    assert "orosanmälan" in reply
    assert "knuffad" not in await stored_state(server)
    assert await count(server, models.Observation) == 0


async def test_an_unsure_reading_offers_choices_as_buttons_and_a_press_continues(server, connector):
    [sent] = await say(server, connector, "påminnelse")
    card = teams.card_of(sent.body)
    titles = [action["title"] for action in card["actions"]]
    assert titles[:2] == ["Visa mina påminnelser", "Sätta en påminnelse till mig själv"] and "Inget av dem" in titles
    assert not sent.text  # Teams would show a text above the card as a second message
    connector.clear()
    await server.post(teams.card_submit(teams.submit_values(card, "Visa mina påminnelser"), connector.url))
    assert connector.sent[0].text.startswith("Du har inga kommande påminnelser")


async def test_a_choice_can_be_typed_and_anything_else_is_a_new_message(server, connector):
    await say(server, connector, "påminnelse")
    assert (await texts(server, connector, "2")).startswith("Skriv när och om vad")  # as if "påminn mig" was typed
    await say(server, connector, "påminnelse")
    assert "Försenade åtgärder: inga." in await texts(server, connector, "vilka åtgärder är försenade")


async def test_an_impossible_date_is_named_and_nothing_is_scheduled(server, connector):
    reply = await texts(server, connector, "påminn mig 30 februari om att ringa skolan")
    assert "Det finns inget datum ”30 februari”. Vilket datum menar du?" in reply
    assert await count(server, models.PersonalReminder) == 0


async def test_the_answer_to_which_date_finishes_the_request_it_belongs_to(server, connector):
    """A trial's "28 februari då" fell through to the help menu; it sets the reminder asked about."""
    await say(server, connector, "påmin mej 30 februari om budgeten")
    assert "Det finns inget datum ”31/11”" in await texts(server, connector, "31/11 då")  # asked once more
    assert await texts(server, connector, "28 februari då") == \
        "Jag påminner dig 28 februari 2027 kl 08:00 om: budgeten"
    assert await count(server, models.PersonalReminder) == 1


async def test_a_reminder_in_the_past_asks_again_and_the_answer_sets_it(server, connector):
    assert "Den tiden har redan varit. När vill du bli påmind?" in await texts(
        server, connector, "påminn mig igår kl 15 att ringa vaktmästaren")
    assert await texts(server, connector, "måndag kl 15 då") == \
        "Jag påminner dig 30 november 2026 kl 15:00 om: ringa vaktmästaren"
    assert await texts(server, connector, "påminn mig sista februari om budgeten") == \
        "Jag påminner dig 28 februari 2027 kl 08:00 om: budgeten"  # its last day, not the month's first


async def test_a_third_impossible_date_ends_the_question_with_nothing_saved(server, connector):
    await say(server, connector, "påminn mig 30 februari om budgeten")
    await say(server, connector, "31/11")
    reply = await texts(server, connector, "32/12")
    assert "Inget är sparat. Skriv gärna hela begäran igen" in reply
    assert await count(server, models.PersonalReminder) == 0
    assert "Jag påminner dig" not in await texts(server, connector, "28 februari")  # the question is over


async def test_a_reminder_without_a_time_asks_for_one_and_a_new_request_is_not_taken_as_the_answer(
        server, connector):
    assert "När vill du bli påmind?" in await texts(server, connector, "påminn mig om rapporten")
    assert "Försenade åtgärder" in await texts(server, connector, "vilka åtgärder är försenade idag")
    assert await count(server, models.PersonalReminder) == 0
    assert "När vill du bli påmind?" in await texts(server, connector, "påminn mig om rapporten")
    assert "1 december 2026 kl 14:00 om: rapporten" in await texts(server, connector, "tisdag 14")


async def test_a_vague_due_date_is_named_and_asked_for(server, connector):
    reply = await texts(server, connector, "ny åtgärd: trygghetsvandring i centrum, kommunen, klart efter jul")
    assert "”efter jul” kan jag inte läsa som ett slutdatum" in reply and "När ska den vara klar?" in reply


async def test_reminders_listed_and_cancelled_by_words(server, connector, clock):
    assert "Jag påminner dig" in await texts(server, connector, "påminn mig imorgon eftermiddag att ringa rektorn")
    assert "Jag påminner dig" in await texts(server, connector, "påminn mig på måndag om att skicka lägesbilden")
    listed = await texts(server, connector, "mina påminnelser")
    assert "1. 27 november 2026 kl 13:00 – ringa rektorn" in listed  # an afternoon: after lunch
    assert "2. 30 november 2026 kl 08:00 – skicka lägesbilden" in listed
    reply = await texts(server, connector, "ta bort påminnelsen om rektorn")
    assert reply.startswith("Borttagen: 27 november 2026 kl 13:00 – ringa rektorn")
    assert await count(server, models.PersonalReminder) == 1
    assert "Olle" not in await texts(server, connector, "mina påminnelser", aad="aad-olle")  # one's own only
    assert "inga kommande påminnelser" in await texts(server, connector, "mina påminnelser", aad="aad-olle")


async def test_my_logs_are_mine(server, connector):
    for text, aad in (("logga klotter på Linnéskolan igår kväll", "aad-anna"),
                      ("logga snus vid resecentrum i morse", "aad-olle")):
        [sent] = await say(server, connector, text, aad)
        connector.clear()
        await server.post(teams.card_submit(teams.submit_values(teams.card_of(sent.body)), connector.url, aad=aad))
    reply = await texts(server, connector, "visa mina loggningar")
    assert "#O1" in reply and "Linnéskolan" in reply and "#O2" not in reply


async def test_a_meeting_is_moved_by_an_admin(server, connector):
    assert "Inlagt" in await texts(server, connector, "operativa brå är 5 januari kl 13")
    assert "Bara en administratör" in await texts(server, connector, "flytta operativa brå 5/1 till 7/1 kl 10",
                                                  aad="aad-olle")
    reply = await texts(server, connector, "flytta operativa brå 5/1 till 7/1 kl 10")
    assert reply == "Flyttat: Operativa BRÅ tisdag 5 januari 2027 kl 13:00 → torsdag 7 januari 2027 kl 10:00."
    assert "torsdag 7 januari 2027 kl 10:00" in await texts(server, connector, "när är nästa möte?")


async def test_who_is_responsible_for_an_action_found_by_what_it_is_about(server, connector):
    async with server.runtime.database.session() as session:
        [anna] = await MemberRepository(session).find_by_name("Anna Andersson")
        await ActionRepository(session).add(NewAction("Trygghetsvandring i centrum", "kommun", None), anna,
                                            at=datetime(2026, 11, 20, 9, 0, tzinfo=ZONE))
        await session.commit()
    reply = await texts(server, connector, "vem är ansvarig för trygghetsvandringarna?", aad="aad-olle")
    assert reply.startswith("Åtgärder om ”trygghetsvandringarna” (1)\n") and "Trygghetsvandring i centrum" in reply
    assert "inga" in await texts(server, connector, "finns det någon åtgärd om kameror")


async def test_who_has_a_role_is_answered_from_the_members(server, connector):
    assert await texts(server, connector, "vem är kommunpolis i Älmhult?") == \
        "Med rollen ”kommunpolis”:\n- Olle Polis – kommunpolis, Lokalpolisområde Ljungby"
    reply = await texts(server, connector, "vem är fältassistent")
    assert reply.startswith("Ingen medlem har rollen ”fältassistent” här. Fråga ")


async def test_how_often_a_forum_meets_is_answered_from_its_calendar(server, connector):
    """The agreement sets no rhythm for any forum: the bot says so and shows what is planned."""
    await say(server, connector, "operativa brå varannan tisdag kl 13")
    reply = await texts(server, connector, "hur ofta träffas operativa brå", aad="aad-olle")
    assert "Överenskommelsen anger inte hur ofta forumet ska träffas." in reply
    assert "Inplanerade möten:\n- tisdag 1 december kl 13:00 (om 5 dagar)\n- tisdag 15 december" in reply


@pytest.mark.parametrize("text,expected", [
    ("hejdå, ha en bra helg", "Ha det bra!"),
    ("vad är en orosanmälan och när måste jag göra en?", "Anmälningsplikt"),
    ("hur länge gäller överenskommelsen", "31 december 2026, och därefter tills vidare"),
    ("vilka är parterna", "Älmhults kommun"),
    ("vad är SSPF?", "Samverkan mellan skola, socialtjänst, polis och fritid"),
    ("tack!", "Varsågod"),
    ("integritet", "personnummer"),
])
async def test_everyday_questions(server, connector, text, expected):
    assert expected in await texts(server, connector, text)


async def test_a_ten_thousand_character_message_is_refused_in_swedish_and_nothing_kept(server, connector):
    reply = await texts(server, connector, "klotter " * 1250)
    assert "för långt" in reply and await count(server, models.Observation) == 0


async def test_the_reminder_is_planned_for_the_moment_shown(server, connector, clock):
    await say(server, connector, "påminn mig i morgon bitti om att ringa fältarna")
    async with server.runtime.database.session() as session:
        [reminder] = (await session.scalars(select(models.PersonalReminder))).all()
    local = reminder.at.replace(tzinfo=reminder.at.tzinfo or ZONE).astimezone(ZONE)
    assert (local.date(), local.hour) == ((clock.now() + timedelta(days=1)).astimezone(ZONE).date(), 8)
    assert isinstance(reminder.at, datetime)

