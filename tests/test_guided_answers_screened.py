"""Every answer to the step-by-step log's questions is screened, also those only a time or a choice is read from:
what was refused is named, nothing of it is kept, and the same question is asked again (console channel)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage import models
from tests.test_observations_console import console  # noqa: F401  (the fixture)

PERSONNUMMER = "19811218-9876"


async def state_text(console) -> str:  # noqa: F811
    async with console.runtime.database.session() as session:
        return " ".join((await session.scalars(select(models.BotStateRow.document))).all())


async def test_an_identity_number_in_the_time_answer_is_refused_and_the_time_asked_again(console):  # noqa: F811
    await console.say("logga")
    assert "När hände det" in await console.say("2")
    reply = await console.say(f"igår kväll, {PERSONNUMMER}")
    assert "Jag hittade ett personnummer i texten" in reply and "Inget har sparats" in reply
    assert reply.rstrip().endswith("”i fredags kl 22”.")  # "När hände det? …" once more, not the next question
    assert "När hände det" in reply and "Var hände det" not in reply
    assert "9876" not in await state_text(console)
    assert "Var hände det" in await console.say("igår kväll")  # the rephrased answer goes on as usual


@pytest.mark.parametrize(("answers", "slip", "found", "asked_again"), [
    ([], "ANDTS, ring 070-123 45 67", "ett telefonnummer", "Vilket fokusområde"),
    (["1", "igår kväll", "Diö torg", "Klotter på busskuren vid torget"], "händelse, elsa i 7b var där",
     "ett förnamn som kan peka ut ett barn", "Vilken typ"),
    (["1", "igår kväll", "Diö torg", "Klotter på busskuren vid torget"], "händelse, killen som klottrade är diabetiker",
     "uppgifter om hälsa", "Vilken typ"),
])
async def test_a_slip_in_a_choice_answer_is_refused_and_asked_again(console, answers, slip, found,  # noqa: F811
                                                                    asked_again):
    await console.say("logga")
    for answer in answers:
        await console.say(answer)
    reply = await console.say(slip)
    assert found in reply and asked_again in reply
    state = (await state_text(console)).casefold()
    assert "elsa" not in state and "45 67" not in state and "diabetiker" not in state


async def test_a_slip_in_the_confirmation_or_a_time_correction_saves_nothing(console):  # noqa: F811
    assert "Så här läser jag det" in await console.say("logga skadegörelse på Haganässkolan igår kväll")
    reply = await console.say(f"ja, {PERSONNUMMER}")
    assert "ett personnummer" in reply and "Så här läser jag det" in reply
    reply = await console.say(f"ändra tid till kl 22 {PERSONNUMMER}")
    assert "ett personnummer" in reply and "När: ons 25 nov 18:00–24:00" in reply  # the time as it was
    assert await console.observations() == []
    assert "9876" not in await state_text(console)
    assert (await console.say("ja")).startswith("Sparat som #O1")


async def test_a_slip_in_a_new_actions_due_date_answer_is_refused_and_asked_again(console):  # noqa: F811
    assert "När ska den vara klar" in await console.say("ny åtgärd: trygghetsvandring i centrum, polisen")
    reply = await console.say("15/1, ring 070-123 45 67")
    assert "ett telefonnummer" in reply and "När ska den vara klar" in reply
    assert "45 67" not in await state_text(console)
    assert "Vilket fokusområde" in await console.say("15/1")
    reply = await console.say(f"ANDTS {PERSONNUMMER}")
    assert "ett personnummer" in reply and "Vilket fokusområde" in reply
    assert (await console.say("ANDTS")).startswith("Skapade #")
