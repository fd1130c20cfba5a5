"""The action plan end to end in Teams: POST /api/messages, a real database, the recording Bot Connector."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from domain.clock import FixedClock
from storage import models
from storage.actions import ActionRepository, NewAction, PromiseRepository
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


async def add(server: BotServer, title: str, party: str, due: date | None, *, member: str | None = None,
              focus: str | None = None, status: str = "planerad", promise_id: int | None = None,
              creator: str | None = None) -> int:
    async with server.runtime.database.session() as session:
        author = await session.get(models.Member, server.members[creator]) if creator else None
        action = await ActionRepository(session).add(NewAction(
            title, party, due, focus_area=focus, status=status, promise_id=promise_id,
            responsible_member_id=server.members[member] if member else None), author, at=server.runtime.clock.now())
        await session.commit()
        return action.number


async def say(server: BotServer, connector, text: str, aad: str = "aad-anna"):
    connector.clear()
    assert (await server.post(teams.message(text, connector.url, aad=aad))).status == 200
    return connector.sent


async def reply(server: BotServer, connector, text: str, aad: str = "aad-anna") -> str:
    """What the user reads: the card's text when the reply is a card."""
    [sent] = await say(server, connector, text, aad)
    return teams.card_text(sent.body) if sent.body.get("attachments") else sent.text


async def action(server: BotServer, number: int) -> models.Action:
    async with server.runtime.database.session() as session:
        return await session.scalar(select(models.Action).where(models.Action.number == number))


async def history(server: BotServer, number: int) -> list[tuple[str, str | None]]:
    async with server.runtime.database.session() as session:
        found = await session.scalar(select(models.Action).where(models.Action.number == number))
        rows = await session.scalars(select(models.ActionUpdate).where(models.ActionUpdate.action_id == found.id)
                                     .order_by(models.ActionUpdate.id))
        return [(u.kind, u.text) for u in rows]


async def test_overdue_lists_late_actions_with_owner_and_days_and_the_agreement_deadline(server, connector, clock):
    late = await add(server, "Trygghetsvandring i centrum", "kommun", TODAY - timedelta(days=11), member="karin")
    await add(server, "Kvällspatrull vid stationen", "polis", TODAY - timedelta(days=2))
    await add(server, "Inte sen än", "polis", TODAY + timedelta(days=2))
    await add(server, "Klar redan", "kommun", TODAY - timedelta(days=30), status="klar")
    [sent] = await say(server, connector, "vilka åtgärder är försenade")
    # The list is in the card alone (Teams shows an activity's text as a message of its own above the card);
    # notifications show the one-line summary.
    assert "text" not in sent.body and sent.body["summary"] == "Försenade åtgärder (2)"
    card = teams.card_of(sent.body)
    lines = teams.card_texts(card)
    assert lines[:3] == ["Försenade åtgärder (2)", f"#{late} Trygghetsvandring i centrum",
                         "Karin Lund (kommunen) · senast 15 nov, 11 dagar sen"]
    assert lines[3].endswith(" Kvällspatrull vid stationen") and lines[4] == "polisen · senast 24 nov, 2 dagar sen"
    buttons = [a for item in card["body"] for block in item.get("items", []) if block["type"] == "ActionSet"
               for a in block["actions"]]
    assert {b["title"] for b in buttons} == {"Klar", "Skjut upp"}
    # The agreement's renewal is due on 30 November: on 1 December it is overdue like any action.
    clock.advance(timedelta(days=5))
    text = await reply(server, connector, "vad är försenat")
    assert "Förlängning eller ny samverkansöverenskommelse\ngemensamt enligt överenskommelsen · senast 30 nov, " \
           "1 dag sen" in text


async def test_questions_by_owner_party_focus_area_and_period(server, connector):
    mine = await add(server, "Föräldramöte om ANDTS", "kommun", TODAY + timedelta(days=7), member="anna",
                     focus="andts")
    police = await add(server, "Riktad kontroll av snusförsäljning", "polis", date(2026, 12, 15), focus="andts")
    joint = await add(server, "Gemensam trygghetsvandring", "gemensam", date(2026, 12, 22))
    this_week = await add(server, "Möte med skolan", "kommun", date(2026, 11, 27), member="karin")
    assert f"#{mine} " in await reply(server, connector, "mina åtgärder")
    assert f"#{police} " not in await reply(server, connector, "mina åtgärder")
    text = await reply(server, connector, "polisens åtgärder")
    assert f"#{police} " in text and f"#{joint} " in text and f"#{mine} " not in text
    text = await reply(server, connector, "åtgärder för ANDTS")
    assert f"#{mine} " in text and f"#{police} " in text and f"#{joint} " not in text
    text = await reply(server, connector, "vad ska vara klart denna vecka")
    assert f"#{this_week} " in text and f"#{mine} " not in text
    text = await reply(server, connector, "vilka åtgärder förfaller i december")
    assert text.startswith("Öppna åtgärder, slutdatum december") and f"#{police} " in text and f"#{joint} " in text
    text = await reply(server, connector, "vilka åtgärder ska vara klara före jul")
    assert f"#{joint} " in text and f"#{this_week} " in text  # due on or before 23 December
    assert "22 dec" in text
    text = await reply(server, connector, "Karins åtgärder")
    assert text.startswith("Öppna åtgärder för Karin Lund") and f"#{this_week} " in text


async def test_long_lists_are_paged_never_cut(server, connector):
    for n in range(23):
        await add(server, f"Åtgärd {n:02d}", "kommun", TODAY - timedelta(days=30 - n))
    first = await reply(server, connector, "vilka åtgärder är försenade")
    assert first.startswith("Försenade åtgärder (23)\n") and "Visar 1–10 av 23. Skriv ”mer”" in first
    assert connector.sent[0].body["summary"] == "Försenade åtgärder (23), visar 1–10"
    second = await reply(server, connector, "mer")
    assert connector.sent[0].body["summary"] == "Försenade åtgärder (23), visar 11–20"
    third = await reply(server, connector, "mer")
    assert "Visar 11–20 av 23" in second and "Visar 21–23 av 23." in third
    shown = [line for text in (first, second, third) for line in text.splitlines() if line.startswith("#")]
    assert len(shown) == 23 and len(set(shown)) == 23
    assert "ingen lista att visa mer av" in await reply(server, connector, "mer")


async def test_create_asks_for_what_is_missing_and_questions_a_past_due_date(server, connector):
    text = await reply(server, connector, "ny åtgärd: trygghetsvandring i centrum, kommunen, senast 15/1")
    assert text.startswith("Vilket fokusområde")
    text = await reply(server, connector, "Skadegörelser i skolmiljö")
    assert text == "Skapade #4 Trygghetsvandring i centrum – kommunen, senast 15 januari 2027."  # #1–3: deadlines
    created = await action(server, 4)
    assert (created.responsible_party, created.due_date, created.created_by_member_id) == (
        "kommun", date(2027, 1, 15), server.members["anna"])
    assert (await reply(server, connector, "ny åtgärd")).startswith("Vad ska göras?")
    assert (await reply(server, connector, "Belysning i Paradisparken")).startswith("Vem ansvarar?")
    assert (await reply(server, connector, "Fastighetsförvaltningen")).startswith("När ska den vara klar?")
    assert "har redan passerat" in await reply(server, connector, "2026-11-01")
    assert (await reply(server, connector, "ja")).startswith("Vilket fokusområde")
    assert await reply(server, connector, "-") == (
        "Skapade #5 Belysning i Paradisparken – Fastighetsförvaltningen (kommunen), senast 1 november 2026.")
    assert "namn" in await reply(server, connector, "ny åtgärd: samtal med Kalle Andersson, polisen, senast 1/2")
    assert await action(server, 6) is None


async def test_close_postpone_reassign_comment_cancel_with_history(server, connector):
    number = await add(server, "Trygghetsvandring i centrum", "kommun", date(2026, 12, 4), member="karin")
    text = await reply(server, connector, f"skjut upp #{number} en vecka", aad="aad-karin")
    assert text == (f"Varför skjuts #{number} upp till 11 dec? Skälet sparas i historiken. Skriv ”-” om du inte "
                    "vill ange något.")
    text = await reply(server, connector, "Belysningen är inte på plats", aad="aad-karin")
    assert text == f"#{number} Trygghetsvandring i centrum är uppskjuten till 11 december 2026. Skälet är sparat."
    text = await reply(server, connector, f"skjut upp #{number}", aad="aad-karin")
    assert text.startswith(f"Till när ska #{number} skjutas upp?")
    past, asked_again = await say(server, connector, "i måndags", aad="aad-karin")
    assert past.text == "23 nov har redan varit. Skriv ett datum efter i dag."
    assert asked_again.text.startswith(f"Till när ska #{number} skjutas upp?")
    await reply(server, connector, "15/12", aad="aad-karin")
    await reply(server, connector, "Leverantören är sen", aad="aad-karin")
    assert (await action(server, number)).due_date == date(2026, 12, 15)
    text = await reply(server, connector, f"kommentar #{number}: bokat med fastighet", aad="aad-olle")
    assert text.startswith(f"Kommentaren är sparad på #{number}")
    text = await reply(server, connector, f"ge #{number} till Olle Polis", aad="aad-karin")
    assert text.endswith("ansvarig är nu Olle Polis (polisen).")
    done = await reply(server, connector, f"#{number} är gjord, 40 föräldrar kom", aad="aad-olle")
    assert done.startswith(f"Klart: #{number}") and done.endswith("Kommentaren är sparad.")
    assert await reply(server, connector, f"#{number} klar", aad="aad-olle") == f"#{number} är redan klar."
    assert [kind for kind, _ in await history(server, number)] == [
        "created", "postponed", "postponed", "comment", "reassigned", "status"]
    assert ("status", "40 föräldrar kom") in await history(server, number)
    assert ("postponed", "Belysningen är inte på plats") in await history(server, number)
    shown = await reply(server, connector, f"visa #{number}")
    assert "Historik:" in shown and "uppskjuten till 11 dec – Belysningen är inte på plats" in shown
    other = await add(server, "Nattvandring", "polis", date(2026, 12, 1), member="olle")
    text = await reply(server, connector, f"ställ in #{other} eftersom föreningen har lagt ner", aad="aad-olle")
    assert text == f"Inställd: #{other} Nattvandring."
    assert (await action(server, other)).status == "installd"
    audit = await _audit(server)
    assert {"action.postponed", "action.commented", "action.reassigned", "action.completed",
            "action.cancelled", "action.viewed"} <= set(audit)


async def _audit(server: BotServer) -> list[str]:
    async with server.runtime.database.session() as session:
        return list((await session.scalars(select(models.AuditEntry.action))).all())


async def test_only_the_owning_party_the_creator_or_an_admin_may_change(server, connector):
    karins = await add(server, "Möte med skolan", "kommun", date(2026, 12, 4), member="karin")
    police = await add(server, "Kvällspatrull", "polis", date(2026, 12, 4))
    for text in (f"#{karins} klar", f"skjut upp #{karins} till 20/12", f"ge #{karins} till polisen",
                 f"ställ in #{karins}"):
        answer = await reply(server, connector, text, aad="aad-olle")  # the police, on the municipality's action
        assert answer == (f"Åtgärd #{karins} ägs av kommunen. Den kan ändras av ansvarig (Karin Lund), "
                          "kommunens medlemmar eller en administratör. Du kan lägga till en kommentar: "
                          f"”kommentar #{karins}: …”.")
    assert (await reply(server, connector, f"#{police} klar")).startswith("Klart:")  # Anna: an admin
    assert (await reply(server, connector, f"#{karins} klar")).startswith("Klart:")
    assert [kind for kind, _ in await history(server, karins)] == ["created", "status"]


async def test_a_police_member_closes_the_polices_action_without_a_police_admin(server, connector):
    number = await add(server, "Kvällspatrull vid stationen", "polis", date(2026, 12, 4))
    assert (await reply(server, connector, f"#{number} klar", aad="aad-olle")).startswith(
        f"Klart: #{number} Kvällspatrull vid stationen.")
    assert (await action(server, number)).status == "klar"


async def test_the_creator_reassigns_the_action_they_created(server, connector):
    number = await add(server, "Kvällspatrull vid skolan", "polis", date(2026, 12, 4), creator="karin")
    assert await reply(server, connector, f"ge #{number} till Olle Polis", aad="aad-karin") == \
        f"#{number} Kvällspatrull vid skolan: ansvarig är nu Olle Polis (polisen)."
    assert (await action(server, number)).responsible_member_id == server.members["olle"]


async def test_the_other_party_is_refused_with_the_rule_in_the_answer(server, connector):
    number = await add(server, "Kvällspatrull vid stationen", "polis", date(2026, 12, 4), member="olle",
                       creator="anna")
    answer = await reply(server, connector, f"#{number} klar", aad="aad-karin")
    assert answer.startswith(f"Åtgärd #{number} ägs av polisen. Den kan ändras av ansvarig (Olle Polis), den som "
                             "skapade den (Anna Andersson), polisens medlemmar eller en administratör.")
    assert (await action(server, number)).status == "planerad"
    assert [kind for kind, _ in await history(server, number)] == ["created"]


async def test_unknown_number_names_the_closest(server, connector):
    await add(server, "Trygghetsvandring", "kommun", TODAY)
    text = await reply(server, connector, "#99 klar")
    assert text.startswith("Det finns ingen åtgärd #99. Menade du någon av dessa?")
    assert "#4 Trygghetsvandring" in text


async def test_buttons_on_the_card_close_in_place_and_postpone(server, connector):
    number = await add(server, "Trygghetsvandring i centrum", "kommun", TODAY - timedelta(days=3), member="anna")
    [sent] = await say(server, connector, "mina åtgärder")
    card = teams.card_of(sent.body)
    [actions] = [block["actions"] for item in card["body"] for block in item.get("items", [])
                 if block["type"] == "ActionSet"]
    postpone = next(a["data"] for a in actions if a["title"] == "Skjut upp")
    connector.clear()
    await server.post(teams.card_submit(postpone, connector.url))
    assert connector.sent[0].text.startswith(f"Till när ska #{number} skjutas upp?")
    await say(server, connector, "avbryt")
    done = next(a for a in actions if a["title"] == "Klar")
    assert done["type"] == "Action.Execute"

    async def press(aad: str = "aad-anna") -> dict:
        invoke = teams.card_execute(done["verb"], done["data"], connector.url, aad=aad)
        async with server.http.post(f"{server.url}/api/messages", json=invoke) as response:
            assert response.status == 200
            return await response.json()

    connector.clear()
    stranger = await press("aad-stranger")
    assert "känner inte igen dig som medlem" in stranger["value"]
    refused = await press("aad-olle")  # not his: the card stays, the reason is said
    assert refused["type"] == "application/vnd.microsoft.activity.message"
    assert refused["value"].startswith(f"Åtgärd #{number} ägs av kommunen. Den kan ändras av ansvarig")
    answer = await press()
    assert answer["type"] == "application/vnd.microsoft.card.adaptive"  # Teams replaces the card with this
    assert answer["value"]["body"][0]["text"].startswith(f"✔ Klart: #{number} Trygghetsvandring i centrum")
    again = await press()  # pressed twice (an old copy of the card): said plainly, nothing changes
    assert again["value"] == f"#{number} är redan klar."
    assert connector.sent == []  # answered in the invoke response, not as new messages
    assert (await action(server, number)).status == "klar"


async def test_citizen_promises_show_their_actions(server, connector):
    async with server.runtime.database.session() as session:
        promise = await PromiseRepository(session).get_or_create("Tryggare centrum kvällstid",
                                                                 period_start=date(2026, 1, 1))
        await session.commit()
        promise_id = promise.id
    await add(server, "Belysning i parken", "kommun", TODAY - timedelta(days=5), promise_id=promise_id)
    await add(server, "Kvällspatrull", "polis", TODAY + timedelta(days=5), promise_id=promise_id)
    await add(server, "Trygghetsvandring", "gemensam", TODAY, status="klar", promise_id=promise_id)
    text = await reply(server, connector, "vilka medborgarlöften har vi")
    assert text.startswith("Medborgarlöfte 1: Tryggare centrum kvällstid\n3 åtgärder: 1 klar, 1 pågår enligt plan, "
                           "1 försenad.")
    assert "Belysning i parken – försenad, senast 21 nov, 5 dagar sen – kommunen" in text


@pytest.mark.parametrize(("written", "reason"), [
    ("skjut upp #{n} två veckor, väntar på fastighetsägarna", "väntar på fastighetsägarna"),
    ("skjut upp #{n} till 20/12 – leverantören är sen", "leverantören är sen"),
    ("skjut upp #{n} en vecka väntar på svar från skolan", "väntar på svar från skolan"),
])
async def test_a_reason_written_with_the_postponement_is_saved_and_shown(server, connector, written, reason):
    number = await add(server, "Trygghetsvandring i centrum", "kommun", date(2026, 12, 4), member="karin")
    text = await reply(server, connector, written.format(n=number), aad="aad-karin")
    assert text.startswith(f"#{number} Trygghetsvandring i centrum är uppskjuten till ")
    assert text.endswith("Skälet är sparat.")
    assert ("postponed", reason) in await history(server, number)
    assert f"– {reason}" in await reply(server, connector, f"visa #{number}")


async def test_an_inline_reason_naming_a_person_postpones_nothing(server, connector):
    number = await add(server, "Trygghetsvandring i centrum", "kommun", date(2026, 12, 4), member="karin")
    text = await reply(server, connector, f"skjut upp #{number} en vecka, väntar på Kalle Svensson 12 år",
                       aad="aad-karin")
    assert text.endswith("Inget har skjutits upp.")
    assert (await action(server, number)).due_date == date(2026, 12, 4)
    assert [kind for kind, _ in await history(server, number)] == ["created"]


async def test_den_is_the_action_the_previous_reply_created_or_showed(server, connector):
    assert "Vilket fokusområde" in await reply(server, connector, "ny åtgärd: tända belysningen i parken, ansvarig "
                                               "kommunen, klar 4/12", aad="aad-karin")
    created = await reply(server, connector, "-", aad="aad-karin")
    assert created.startswith("Skapade #"), created
    number = int(created.removeprefix("Skapade #").split()[0])
    text = await reply(server, connector, "skjut upp den en vecka, väntar på elektrikern", aad="aad-karin")
    assert text.startswith(f"#{number} ") and "är uppskjuten till 11 december 2026. Skälet är sparat." in text
    assert (await action(server, number)).due_date == date(2026, 12, 11)
    # only the previous reply counts: after another answer "den" is asked about again
    assert (await reply(server, connector, "skjut upp den en vecka", aad="aad-karin")).startswith(
        "Vilken åtgärd gäller det?")
    await reply(server, connector, f"visa #{number}", aad="aad-karin")
    assert (await reply(server, connector, "skjut upp den till 18/12", aad="aad-karin")).startswith(
        f"Varför skjuts #{number} upp till 18 dec?")
