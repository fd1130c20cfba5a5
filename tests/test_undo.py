"""”ångra” and ”återställ #O12” end to end in Teams: POST /api/messages, a real database, the recording connector.

"ångra" undoes the member's own last change of any kind, after saying what it is and asking; a removed
observation is kept and can be restored by its author or an admin.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from domain.clock import FixedClock
from storage import models
from storage.actions import ActionRepository, NewAction
from tests.support import activities as teams
from tests.support.bot_server import BotServer, add_three_members, start_bot

TODAY = date(2026, 11, 26)  # FixedClock: Thursday 26 November 2026, 10:00 in Älmhult


@pytest.fixture
async def clock():
    return FixedClock()


@pytest.fixture
async def server(database, clock):
    bot = await start_bot(database.url, clock)
    bot.members = await add_three_members(bot.runtime, teams.TENANT)
    yield bot
    await bot.stop()


async def say(server: BotServer, connector, text: str, aad: str = "aad-karin") -> str:
    connector.clear()
    assert (await server.post(teams.message(text, connector.url, aad=aad))).status == 200
    return "\n".join(sent.text or "" for sent in connector.sent)


async def log_one(server: BotServer, connector, text: str, aad: str = "aad-karin") -> str:
    connector.clear()
    await server.post(teams.message(text, connector.url, aad=aad))
    values = teams.submit_values(teams.card_of(connector.sent[0].body))
    connector.clear()
    await server.post(teams.card_submit(values, connector.url, aad=aad))
    return connector.sent[0].text


async def add_action(server: BotServer, title: str, due: date, member: str = "karin") -> int:
    async with server.runtime.database.session() as session:
        action = await ActionRepository(session).add(NewAction(
            title, "kommun", due, responsible_member_id=server.members[member]), None, at=server.runtime.clock.now())
        await session.commit()
        return action.number


async def observations(server: BotServer) -> list[tuple[int, str | None, bool]]:
    """(number, place, removed) of each observation's current version."""
    async with server.runtime.database.session() as session:
        rows = await session.scalars(select(models.Observation).where(models.Observation.replaced_at.is_(None))
                                     .order_by(models.Observation.number))
        return [(row.number, row.place, row.deleted_at is not None) for row in rows]


async def action_row(server: BotServer, number: int) -> models.Action:
    async with server.runtime.database.session() as session:
        return await session.scalar(select(models.Action).where(models.Action.number == number))


async def audit(server: BotServer, action: str) -> list[models.AuditEntry]:
    async with server.runtime.database.session() as session:
        return list(await session.scalars(select(models.AuditEntry).where(models.AuditEntry.action == action)
                                          .order_by(models.AuditEntry.id)))


async def test_undo_after_a_correction_restores_the_earlier_values_not_an_older_observation(server, connector):
    await log_one(server, connector, "logga skadegörelse på Haganässkolan igår kväll")
    await log_one(server, connector, "logga klotter på Linnéskolan i natt")
    assert (await say(server, connector, "ändra #O2 plats till Diö torg")).startswith("Rättat (plats)")

    question = await say(server, connector, "ångra")
    assert question == ("Vill du ångra att du ändrade plats på #O2 från ”Linnéskolan” till ”Diö torg”? "
                        "Svara ”ja” eller ”nej”.")
    done = await say(server, connector, "ja")
    assert done.startswith("Ångrat: plats på #O2 är åter ”Linnéskolan”.")
    assert await observations(server) == [(1, "Haganässkolan", False), (2, "Linnéskolan", False)]
    [undone] = await audit(server, "change.undone")
    [corrected] = await audit(server, "observation.corrected")
    assert (undone.subject_id, undone.detail) == ("O2", {"undid": corrected.id, "change": "observation.corrected"})
    assert "Tidigare versioner" in await say(server, connector, "visa #O2")  # both versions are history

    # "ångra" again steps back one more change: logging #O2, never #O1
    assert (await say(server, connector, "ångra")).startswith("Vill du ångra att du loggade #O2 ")


async def test_undo_after_postponing_an_action_restores_the_due_date_and_leaves_observations(server, connector):
    await log_one(server, connector, "logga skadegörelse på Haganässkolan igår kväll")
    number = await add_action(server, "Trygghetsvandring i centrum", date(2026, 12, 4))
    assert "Varför skjuts" in await say(server, connector, f"skjut upp #{number} till 11/12")
    assert "uppskjuten till 11 december 2026" in await say(server, connector, "väntar på belysningen")

    question = await say(server, connector, "ångra")
    assert question == (f"Vill du ångra att du sköt upp åtgärd #{number} Trygghetsvandring i centrum från 4 dec "
                        "till 11 dec? Svara ”ja” eller ”nej”.")
    done = await say(server, connector, "ja")
    assert done == f"Ångrat: #{number} Trygghetsvandring i centrum ska åter vara klar senast 4 december 2026."
    assert (await action_row(server, number)).due_date == date(2026, 12, 4)
    assert await observations(server) == [(1, "Haganässkolan", False)]
    assert [e.detail["change"] for e in await audit(server, "change.undone")] == ["action.postponed"]
    assert "Uppskjutningen ångrades." in await say(server, connector, f"visa #{number}")


async def test_nej_changes_nothing_and_another_answer_is_asked_again(server, connector):
    await log_one(server, connector, "logga skadegörelse på Haganässkolan igår kväll")
    assert (await say(server, connector, "ångra")).startswith("Vill du ångra att du loggade #O1 ")
    assert (await say(server, connector, "kanske")).startswith("Svara ”ja” om du vill ångra att du loggade #O1 ")
    assert await say(server, connector, "nej") == "Okej, jag ångrar inget. Inget har ändrats."
    assert await observations(server) == [(1, "Haganässkolan", False)]
    assert await audit(server, "change.undone") == []
    assert "Haganässkolan" in await say(server, connector, "visa mina loggningar")


async def test_an_undone_observation_is_kept_and_its_author_restores_it_but_no_other_member(server, connector):
    await log_one(server, connector, "logga skadegörelse på Haganässkolan igår kväll")
    await say(server, connector, "ångra")
    done = await say(server, connector, "ja")
    assert done == ("Ångrat: #O1 är borttagen ur loggen och lägesbilden. Den finns kvar och kan återställas med "
                    "”återställ #O1”.")
    assert await observations(server) == [(1, "Haganässkolan", True)]
    assert "Du har inga loggade observationer" in await say(server, connector, "visa mina loggningar")

    refused = await say(server, connector, "återställ #O1", aad="aad-olle")
    assert refused == "Bara den som loggade #O1 eller en administratör kan återställa den."
    assert await observations(server) == [(1, "Haganässkolan", True)]

    restored = await say(server, connector, "återställ #O1")
    assert restored.startswith("Återställd: #O1 ")
    assert restored.endswith("Den finns åter i loggen och lägesbilden.")
    assert await observations(server) == [(1, "Haganässkolan", False)]
    assert "Haganässkolan" in await say(server, connector, "visa mina loggningar")
    assert [e.subject_id for e in await audit(server, "observation.restored")] == ["O1"]
    assert "inte borttagen" in await say(server, connector, "återställ #O1")


async def test_a_change_older_than_a_day_or_changed_by_someone_else_is_not_undone(server, connector, clock):
    assert (await say(server, connector, "ångra")).startswith("Du har inte ändrat något som jag kan ångra.")
    await log_one(server, connector, "logga skadegörelse på Haganässkolan igår kväll")
    clock.advance(timedelta(hours=25))
    too_old = await say(server, connector, "ångra")
    assert too_old.startswith("Din senaste ändring, att du loggade #O1 ")
    assert "gjordes för mer än 24 timmar sedan och kan inte ångras längre" in too_old

    number = await add_action(server, "Trygghetsvandring i centrum", date(2026, 12, 4))
    await say(server, connector, f"skjut upp #{number} till 11/12")
    await say(server, connector, "-")
    await say(server, connector, f"skjut upp #{number} till 18/12", aad="aad-anna")  # an admin of kommun
    await say(server, connector, "-", aad="aad-anna")
    assert await say(server, connector, "ångra") == (
        f"Någon annan har ändrat #{number} efter dig, så jag ångrar inget. Se ”visa #{number}”.")
    assert (await action_row(server, number)).due_date == date(2026, 12, 18)


async def test_undo_reopens_a_closed_action_and_cancels_a_new_one(server, connector):
    number = await add_action(server, "Föräldravandring", date(2026, 12, 4))
    await say(server, connector, f"#{number} klar")
    assert (await say(server, connector, "ångra")).startswith(
        f"Vill du ångra att du markerade åtgärd #{number} Föräldravandring som klar?")
    assert await say(server, connector, "ja") == f"Ångrat: #{number} Föräldravandring är öppen igen (planerad)."
    assert (await action_row(server, number)).status == "planerad"

    created = await say(server, connector, "ny åtgärd: trygghetsvandring i centrum, kommunen, senast 15/1")
    if "fokusområde" in created:
        created = await say(server, connector, "-")
    assert created.startswith(f"Skapade #{number + 1} ")
    assert (await say(server, connector, "ångra")).startswith(f"Vill du ångra att du skapade åtgärd #{number + 1} ")
    assert (await say(server, connector, "ja")).startswith(f"Ångrat: #{number + 1} ")
    assert (await action_row(server, number + 1)).status == "installd"


async def test_a_comment_is_named_and_not_undone(server, connector):
    number = await add_action(server, "Föräldravandring", date(2026, 12, 4))
    await say(server, connector, f"kommentar #{number}: väntar på belysningen")
    said = await say(server, connector, "ångra")
    assert said.startswith(f"Din senaste ändring var en kommentar på åtgärd #{number} Föräldravandring. "
                           "Kommentarer ångras inte")


async def test_undo_gives_an_action_back_and_ends_a_snooze(server, connector):
    number = await add_action(server, "Föräldravandring", date(2026, 12, 4))
    assert "ansvarig är nu polisen" in await say(server, connector, f"ge #{number} till polisen")
    assert (await say(server, connector, "ångra")) == (
        f"Vill du ångra att du gav åtgärd #{number} Föräldravandring till polisen (från Karin Lund)? "
        "Svara ”ja” eller ”nej”.")
    assert await say(server, connector, "ja") == (
        f"Ångrat: #{number} Föräldravandring: ansvarig är åter Karin Lund (kommunen).")
    assert (await action_row(server, number)).responsible_member_id == server.members["karin"]

    assert "Inga påminnelser om" in await say(server, connector, f"snooza #{number} till måndag")
    assert (await say(server, connector, "ångra")).startswith(
        f"Vill du ångra att du pausade påminnelserna om åtgärd #{number} Föräldravandring till 30 nov kl 08:00?")
    assert await say(server, connector, "ja") == (
        f"Ångrat: påminnelserna om #{number} Föräldravandring kommer som vanligt igen.")
    assert (await action_row(server, number)).snoozed_until is None


async def test_a_change_by_someone_else_between_the_question_and_ja_stops_the_undo(server, connector):
    number = await add_action(server, "Trygghetsvandring i centrum", date(2026, 12, 4))
    await say(server, connector, f"skjut upp #{number} till 11/12")
    await say(server, connector, "-")
    assert (await say(server, connector, "ångra")).startswith("Vill du ångra att du sköt upp")
    await say(server, connector, f"#{number} klar", aad="aad-anna")
    assert await say(server, connector, "ja") == (
        f"Någon annan har ändrat #{number} efter dig, så jag ångrar inget. Se ”visa #{number}”.")
    row = await action_row(server, number)
    assert (row.status, row.due_date) == ("klar", date(2026, 12, 11))
    assert await audit(server, "change.undone") == []
