"""A question the bot asks never traps the user: the next request is read as one, a question about the rules
is answered while the question waits, and an answer with more in it than was asked is used whole.

Through the console channel with dialog state in the database (SQLite and PostgreSQL), at Thursday 26 November
2026 10:00 in Älmhult.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage import models
from storage.actions import ActionRepository, NewAction
from tests.test_observations_console import Console, console  # noqa: F401  (the fixture)


async def _own_action(chat: Console, title: str) -> int:
    async with chat.runtime.database.session() as session:
        action = await ActionRepository(session).add(NewAction(
            title, "polis", date(2026, 12, 20), responsible_member_id=chat.member.id), None,
            at=chat.clock.now())
        await session.commit()
        return action.number


async def test_an_answer_to_when_with_the_place_in_it_fills_both(console):  # noqa: F811
    assert "Vilket fokusområde" in await console.say("jag vill logga en händelse")
    assert "När hände det" in await console.say("Kommun fri från våld")
    assert "Vad hände" in await console.say("torget igår runt 22")  # the place is not asked for again
    reading = await console.say("slagsmål mellan två grupper ungdomar, polis var på plats")
    assert "- Var: torget" in reading and "- När: ons 25 nov kl 22:00" in reading


async def test_an_hour_said_apart_from_the_day_is_the_time_and_not_the_description(console):  # noqa: F811
    assert "Vilket fokusområde" in await console.say("logga")
    assert "När hände det" in await console.say("1")
    assert "Var hände det" in await console.say("idag efter idrotten, typ 9")
    assert "Vad hände" in await console.say("-")  # what happened is still asked for
    reply = await console.say("bollar sparkades mot läktaren under lektionen")
    reply = reply if "Så här läser jag det" in reply else await console.say("1")
    assert "- När: tors 26 nov kl 09:00" in reply and "- Vad: Bollar sparkades mot läktaren" in reply


async def test_a_number_that_is_no_hour_leaves_the_day(console):  # noqa: F811
    await console.say("logga")
    await console.say("1")
    assert "Var hände det" in await console.say("idag efter idrotten, typ 99")


async def test_a_new_request_leaves_the_when_question_and_is_answered(console):  # noqa: F811
    assert "När hände det" in await console.say("vill rapportera skadegörelse på Haganässkolan")
    answer = await console.say("vilka åtgärder är försenade?")
    assert "Jag lämnar loggningen" in answer and "inget har sparats" in answer
    assert "Försenade åtgärder" in answer or "Inga åtgärder är försenade" in answer
    assert await console.observations() == []


async def test_a_new_observation_leaves_the_question_and_becomes_the_draft(console):  # noqa: F811
    assert "När hände det" in await console.say("vill rapportera skadegörelse på Haganässkolan")
    answer = await console.say("nån har krossat en ruta i matsalen på Linnéskolan i natt")
    assert "Jag lämnar loggningen" in answer
    assert "- Var: matsalen på Linnéskolan" in answer  # the new entry, not the Haganäs draft with its time


async def test_a_question_about_the_rules_is_answered_and_the_question_waits(console):  # noqa: F811
    assert "När hände det" in await console.say("vill rapportera skadegörelse på Haganässkolan")
    answer = await console.say("får jag skriva personnummer här?")
    assert "personnummer" in answer and "väntar fortfarande på ditt svar" in answer
    reading = await console.say("igår kväll")  # the draft is still there, now with its time
    assert "- Var: Haganässkolan" in reading and "- När: ons 25 nov 18:00–24:00" in reading


async def test_asking_whether_a_name_or_a_diagnosis_may_be_written_gets_the_rules_not_a_referral(console):  # noqa: F811
    for text in ("kan jag skriva namnet på killen som var inblandad? han är 15",
                 "eleven har adhd, ska jag skriva det?"):
        answer = await console.say(text)
        assert "namn på barn" in answer and "hälsa" in answer, answer
        assert "socialtjänsten" not in answer.split("Oro för ett enskilt barn")[0]


async def test_thanks_while_a_question_waits_is_answered(console):  # noqa: F811
    assert "Vilket fokusområde" in await console.say("logga")
    answer = await console.say("tack snälla ❤️")
    assert answer.startswith("Varsågod") and "väntar fortfarande" in answer


async def test_a_new_request_at_the_optional_focus_question_creates_the_action_without_one(console):  # noqa: F811
    assert "Vilket fokusområde" in await console.say("ny åtgärd: trygghetsvandring i Diö, ansvarig polisen, "
                                                     "klart 15/12")
    answer = await console.say("när är nästa operativa brå?")
    assert "(Skapade #" in answer and "Trygghetsvandring i Diö" in answer
    assert "Det fokusområdet känner jag inte igen" not in answer and "Operativa BRÅ" in answer
    async with console.runtime.database.session() as session:
        created = await session.scalar(select(models.Action).where(models.Action.title == "Trygghetsvandring i Diö"))
    assert created.focus_area_id is None and created.due_date == date(2026, 12, 15)


async def test_a_new_date_question_is_left_for_a_new_request_and_the_action_not_created(console):  # noqa: F811
    assert "När ska den vara klar" in await console.say("ny åtgärd: nattvandring med föräldrar, ansvarig polisen")
    answer = await console.say("vilka åtgärder är försenade?")
    assert "Jag lämnar den nya åtgärden" in answer and "inget av den har sparats" in answer
    async with console.runtime.database.session() as session:
        titles = (await session.scalars(select(models.Action.title))).all()
    assert "Nattvandring med föräldrar" not in titles


async def test_a_reminder_at_the_reason_question_postpones_without_a_reason_and_sets_the_reminder(console):  # noqa: F811
    number = await _own_action(console, "Ringa föreningarna")
    assert "Varför skjuts" in await console.say(f"kan vi skjuta fram #{number} en vecka")
    answer = await console.say("påminn mig på tisdag 15.30 att ringa rektorn")
    assert "är uppskjuten till 27 december 2026. Inget skäl angavs." in answer and "Jag påminner dig" in answer
    async with console.runtime.database.session() as session:
        action = await session.scalar(select(models.Action).where(models.Action.number == number))
    assert action.due_date == date(2026, 12, 27)


async def test_a_postponement_needs_no_reason(console):  # noqa: F811
    number = await _own_action(console, "Ringa föreningarna")
    assert "Skriv ”-” om du inte vill ange något" in await console.say(f"skjut upp #{number} en vecka")
    assert "är uppskjuten till 27 december 2026. Inget skäl angavs." in await console.say("-")


async def test_ok_outside_a_question_is_a_nod(console):  # noqa: F811
    assert await console.say("ok") == "👍"


async def test_closing_an_action_by_number_under_the_place_question_keeps_the_draft(console):  # noqa: F811
    number = await _own_action(console, "Ringa föreningarna")
    await console.say("logga")
    await console.say("ANDTS")
    assert "Var hände det" in await console.say("igår kväll")
    answer = await console.say(f"#{number} klar")
    assert "Loggningen väntar fortfarande" in answer and "lämnar loggningen" not in answer
    async with console.runtime.database.session() as session:
        action = await session.scalar(select(models.Action).where(models.Action.number == number))
        assert action.status == "klar"
    assert "Vad hände" in await console.say("Diö torg")
    await console.say("Ungdomar rökte och drack")
    reading = await console.say("iakttagelse")
    assert "Var: Diö torg" in reading and "När: ons 25 nov 18:00–24:00" in reading
