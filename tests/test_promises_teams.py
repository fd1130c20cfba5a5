"""Citizen promises in chat, end to end in Teams: add one, link actions to it, follow it up.

POST /api/messages on a real server, a real database (SQLite and PostgreSQL), the recording Bot Connector.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from domain.clock import FixedClock
from storage import models
from storage.actions import ActionRepository, NewAction
from tests.support import activities as teams
from tests.support.bot_server import BotServer, add_teams_member, add_three_members, start_bot

TODAY = date(2026, 11, 26)  # FixedClock: Thursday 26 November 2026, 10:00 in Älmhult
CENTRE = "Vi ska öka den vuxna närvaron i centrum under helgkvällar"


@pytest.fixture
async def server(database):
    bot = await start_bot(database.url, FixedClock())
    bot.members = await add_three_members(bot.runtime, teams.TENANT) | {
        "petra": await add_teams_member(bot.runtime, "Petra Berg", "polis", "aad-petra", teams.TENANT,
                                        role="områdespolischef", admin=True),
    }
    yield bot
    await bot.stop()


async def add(server: BotServer, title: str, party: str, due: date | None, *, member: str | None = None,
              status: str = "planerad") -> int:
    async with server.runtime.database.session() as session:
        action = await ActionRepository(session).add(NewAction(
            title, party, due, status=status, responsible_member_id=server.members[member] if member else None),
            None, at=server.runtime.clock.now())
        await session.commit()
        return action.number


async def reply(server: BotServer, connector, text: str, aad: str = "aad-anna") -> str:
    connector.clear()
    assert (await server.post(teams.message(text, connector.url, aad=aad))).status == 200
    [sent] = connector.sent
    return sent.text


async def promises(server: BotServer) -> list[tuple[int, str, date]]:
    async with server.runtime.database.session() as session:
        rows = await session.scalars(select(models.CitizenPromise).order_by(models.CitizenPromise.number))
        return [(p.number, p.title, p.period_start) for p in rows]


async def promise_of(server: BotServer, number: int) -> int | None:
    """The number of the promise an action is linked to."""
    async with server.runtime.database.session() as session:
        found = await session.scalar(select(models.CitizenPromise.number).join(
            models.Action, models.Action.promise_id == models.CitizenPromise.id).where(models.Action.number == number))
        return found


async def audit(server: BotServer, what: str) -> list[models.AuditEntry]:
    async with server.runtime.database.session() as session:
        return list(await session.scalars(select(models.AuditEntry).where(models.AuditEntry.action == what)
                                          .order_by(models.AuditEntry.id)))


async def history(server: BotServer, number: int) -> list[tuple[str, str | None, str | None, str | None]]:
    async with server.runtime.database.session() as session:
        found = await session.scalar(select(models.Action).where(models.Action.number == number))
        rows = await session.scalars(select(models.ActionUpdate).where(models.ActionUpdate.action_id == found.id)
                                     .order_by(models.ActionUpdate.id))
        return [(u.kind, u.text, u.old_value, u.new_value) for u in rows]


async def test_an_admin_adds_a_promise_and_sees_its_number(server, connector):
    text = await reply(server, connector, f"nytt medborgarlöfte: {CENTRE}")
    assert text.startswith(f"Sparat som medborgarlöfte 1: {CENTRE}\n")
    assert "”koppla #12 till medborgarlöfte 1”" in text
    assert await promises(server) == [(1, CENTRE, TODAY)]
    [entry] = await audit(server, "promise.created")
    assert (entry.actor_member_id, entry.subject_type, entry.subject_id) == (server.members["anna"], "promise", "1")
    # A police admin's promise gets the next number; the same promise twice is said, not saved twice.
    text = await reply(server, connector, "lägg till ett medborgarlöfte om att minska klottret vid stationen")
    assert text.startswith("Sparat som medborgarlöfte 2: Minska klottret vid stationen")
    text = await reply(server, connector, f"nytt medborgarlöfte: {CENTRE.lower()}")
    assert text == f"Det löftet finns redan – Medborgarlöfte 1: {CENTRE}. Inget nytt har sparats."
    assert [number for number, *_ in await promises(server)] == [1, 2]
    assert len(await audit(server, "promise.created")) == 2


async def test_only_an_admin_adds_a_promise_and_bad_input_saves_nothing(server, connector):
    text = await reply(server, connector, f"nytt medborgarlöfte: {CENTRE}", aad="aad-karin")
    assert text.startswith("Bara en administratör kan lägga till ett medborgarlöfte: löftet är kommunens och "
                           "polisens gemensamma åtagande mot invånarna.")
    text = await reply(server, connector, "nytt medborgarlöfte")
    assert text == ("Skriv löftet efter kolon, till exempel ”nytt medborgarlöfte: Vi ska öka den vuxna närvaron i "
                    "centrum under helgkvällar”.")
    text = await reply(server, connector, "nytt medborgarlöfte: " + "Tryggare centrum " * 20)
    assert text.startswith("Ett medborgarlöfte får vara högst 300 tecken (ditt har 339)")
    text = await reply(server, connector, "nytt medborgarlöfte: Ring 070-123 45 67 om det är stökigt i centrum")
    assert "telefonnummer" in text
    assert await promises(server) == []
    assert await audit(server, "promise.created") == []


async def test_linking_and_unlinking_an_action_follows_the_action_plans_rules(server, connector):
    await reply(server, connector, f"nytt medborgarlöfte: {CENTRE}")
    await reply(server, connector, "nytt medborgarlöfte: Färre skadegörelser på skolorna")
    walk = await add(server, "Trygghetsvandring i centrum", "kommun", date(2026, 12, 15), member="karin")

    text = await reply(server, connector, f"koppla #{walk} till medborgarlöfte 1", aad="aad-karin")
    assert text == (f"Kopplad till medborgarlöfte 1: {CENTRE}:\n"
                    f"#{walk} Trygghetsvandring i centrum – Karin Lund (kommunen), senast 15 dec")
    assert await promise_of(server, walk) == 1
    assert (await history(server, walk))[-1] == ("comment", "kopplad till medborgarlöfte 1", None, "1")
    [entry] = await audit(server, "action.promise_linked")
    assert (entry.actor_member_id, entry.subject_id, entry.detail) == (server.members["karin"], str(walk),
                                                                        {"promise": 1})
    assert await reply(server, connector, f"koppla #{walk} till medborgarlöfte 1", aad="aad-karin") == \
        f"#{walk} är redan kopplad till medborgarlöfte 1: {CENTRE}."

    # Someone who may not change the action, a promise that does not exist, no promise named: nothing changes.
    text = await reply(server, connector, f"koppla #{walk} till medborgarlöfte 2", aad="aad-olle")
    assert text.startswith(f"Åtgärd #{walk} ägs av kommunen. Den kan ändras av ansvarig (Karin Lund), ")
    text = await reply(server, connector, f"koppla #{walk} till medborgarlöfte 7")
    assert text == (f"Det finns inget medborgarlöfte 7, så jag kan inte koppla #{walk}.\nMedborgarlöftena är:\n"
                    f"- Medborgarlöfte 1: {CENTRE}\n- Medborgarlöfte 2: Färre skadegörelser på skolorna")
    text = await reply(server, connector, f"koppla #{walk} till medborgarlöftet")
    assert text.startswith(f"Vilket medborgarlöfte? Skriv numret, till exempel ”koppla #{walk} till medborgarlöfte 1”.")
    assert (await reply(server, connector, "koppla #99 till medborgarlöfte 1")).startswith(
        "Det finns ingen åtgärd #99.")
    assert await promise_of(server, walk) == 1

    # An admin of the responsible party moves it to the other promise: said, since an action has one promise.
    text = await reply(server, connector, f"koppla #{walk} till medborgarlöfte 2")
    assert text.endswith(f"Den var tidigare kopplad till medborgarlöfte 1: {CENTRE}; en åtgärd hör till ett "
                         "medborgarlöfte i taget.")
    assert await promise_of(server, walk) == 2

    text = await reply(server, connector, f"koppla bort #{walk} från medborgarlöfte 1")
    assert text == (f"#{walk} är inte kopplad till medborgarlöfte 1, den hör till medborgarlöfte 2: Färre "
                    "skadegörelser på skolorna. Inget har ändrats.")
    text = await reply(server, connector, f"koppla bort #{walk} från medborgarlöfte 2")
    assert text.startswith("Bortkopplad från medborgarlöfte 2: Färre skadegörelser på skolorna:\n"
                           f"#{walk} Trygghetsvandring i centrum")
    assert await promise_of(server, walk) is None
    [entry] = await audit(server, "action.promise_unlinked")
    assert entry.detail == {"promise": 2}
    assert (await history(server, walk))[-1] == ("comment", "bortkopplad från medborgarlöfte 2", "2", None)
    shown = await reply(server, connector, f"visa #{walk}")
    assert "Anna Andersson: ändrad – bortkopplad från medborgarlöfte 2" in shown
    assert "Karin Lund: ändrad – kopplad till medborgarlöfte 1" in shown


async def test_follow_up_shows_each_promise_with_its_actions_done_on_track_and_late(server, connector):
    text = await reply(server, connector, "hur går det med medborgarlöftena")
    assert text.startswith("Det finns inga medborgarlöften ännu. En administratör lägger till ett med ”nytt "
                           "medborgarlöfte: Vi ska")
    await reply(server, connector, f"nytt medborgarlöfte: {CENTRE}")
    await reply(server, connector, "nytt medborgarlöfte: Färre skadegörelser på skolorna")
    late = await add(server, "Belysning i parken", "kommun", TODAY - timedelta(days=5))
    patrol = await add(server, "Kvällspatrull", "polis", TODAY + timedelta(days=5))
    walk = await add(server, "Trygghetsvandring", "gemensam", TODAY, status="klar")
    stopped = await add(server, "Mobil polisstation", "polis", TODAY, status="installd")
    for number, admin in ((late, "aad-anna"), (patrol, "aad-petra"), (walk, "aad-anna"), (stopped, "aad-petra")):
        assert (await reply(server, connector, f"koppla #{number} till medborgarlöfte 1", aad=admin)).startswith(
            "Kopplad")

    text = await reply(server, connector, "hur går det med medborgarlöftena")
    assert text == (
        f"Medborgarlöfte 1: {CENTRE}\n"
        "4 åtgärder: 1 klar, 1 pågår enligt plan, 1 försenad, 1 inställd.\n"
        f"- #{late} Belysning i parken – försenad, senast 21 nov, 5 dagar sen – kommunen\n"
        f"- #{patrol} Kvällspatrull – planerad, senast 1 dec – polisen\n"
        f"- #{walk} Trygghetsvandring – klar 26 nov – gemensamt\n"
        f"- #{stopped} Mobil polisstation – inställd – polisen\n\n"
        "Medborgarlöfte 2: Färre skadegörelser på skolorna\n"
        "Inga åtgärder är kopplade till löftet ännu. Koppla en med ”koppla #12 till medborgarlöfte 2”.")
    one = await reply(server, connector, "medborgarlöfte 1", aad="aad-olle")  # anyone may follow up
    assert one == text.split("\n\n")[0]
    assert (await reply(server, connector, "hur går det med medborgarlöfte 2?")) == text.split("\n\n")[1]
    text = await reply(server, connector, "medborgarlöfte 7")
    assert text.startswith("Det finns inget medborgarlöfte 7.\nMedborgarlöftena är:\n- Medborgarlöfte 1:")
