"""The action plan's and the citizen promises' use cases, called directly (no chat) on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from domain.collaboration import load_collaboration
from domain.situation import Asker, Situation
from services import actions, promises
from services.actions import ActionNotFound, ActionRefused
from services.promises import PromiseRefused
from services.unit_of_work import Actor, UnitOfWork
from storage import Database
from storage.actions import ActionQuery, NewAction
from storage.models import Action, ActionUpdate, AuditEntry
from tests.support.seed import seed

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 26)
CAST = (("Anna Andersson", "kommun", "samordnare"), ("Karin Lund", "kommun", "fritidsledare"),
        ("Olle Polis", "polis", "kommunpolis"))
COLLABORATION = load_collaboration()


@pytest.fixture
async def cast(database: Database) -> dict[str, Asker]:
    ids = await seed(database, at=NOW, members=CAST)
    return {name.split()[0].lower(): Asker(ids[name], name, party, role, is_admin=name == "Anna Andersson")
            for name, party, role in CAST}


def unit(database: Database, asker: Asker) -> tuple[UnitOfWork, Situation]:
    situation = Situation(COLLABORATION, asker, NOW)
    return UnitOfWork(database, Actor(asker.member_id, "console", NOW), zone=COLLABORATION.timezone), situation


async def audit(database: Database, what: str) -> list[AuditEntry]:
    async with database.session() as session:
        return list(await session.scalars(select(AuditEntry).where(AuditEntry.action == what).order_by(AuditEntry.id)))


async def stored(database: Database, number: int) -> Action:
    async with database.session() as session:
        return await session.scalar(select(Action).where(Action.number == number))


async def create(database: Database, asker: Asker, title: str = "Trygghetsvandring i centrum",
                 party: str = "kommun", due: date = date(2026, 12, 4)) -> Action:
    uow, _ = unit(database, asker)
    async with uow:
        return await actions.create_action(uow, NewAction(title, party, due))


async def test_create_action_is_numbered_stamped_and_audited(database: Database, cast):
    action = await create(database, cast["karin"])
    assert (action.number, action.title, action.created_by_member_id) == (1, "Trygghetsvandring i centrum",
                                                                          cast["karin"].member_id)
    [entry] = await audit(database, "action.created")
    assert (entry.actor_member_id, entry.channel, entry.subject_type, entry.subject_id, entry.at) == (
        cast["karin"].member_id, "console", "action", "1", NOW)


async def test_a_member_of_the_owning_party_may_close_anothers_action(database: Database, cast):
    await create(database, cast["anna"])  # kommun's, created by Anna, no responsible person
    uow, situation = unit(database, cast["karin"])
    async with uow:
        closed = await actions.close_action(uow, situation, 1, "Vi har haft mötet")
    assert closed.action.status == "klar" and closed.next_deadlines == []
    assert (await stored(database, 1)).status == "klar"
    [entry] = await audit(database, "action.completed")
    assert entry.actor_member_id == cast["karin"].member_id and set(entry.detail) == {"update"}


async def test_an_outsider_is_refused_with_who_may_change_it_and_nothing_changes(database: Database, cast):
    await create(database, cast["anna"])
    uow, situation = unit(database, cast["olle"])
    with pytest.raises(ActionRefused) as refused:
        async with uow:
            await actions.close_action(uow, situation, 1)
    assert str(refused.value) == (
        "Åtgärd #1 ägs av kommunen. Den kan ändras av den som skapade den (Anna Andersson), kommunens medlemmar "
        "eller en administratör. Du kan lägga till en kommentar: ”kommentar #1: …”.")
    assert (await stored(database, 1)).status == "planerad"
    assert await audit(database, "action.completed") == []
    uow, situation = unit(database, cast["olle"])
    async with uow:  # anyone may comment
        await actions.comment_action(uow, 1, "Polisen kan vara med")
    assert len(await audit(database, "action.commented")) == 1


async def test_a_closed_or_missing_action_is_refused(database: Database, cast):
    uow, situation = unit(database, cast["anna"])
    with pytest.raises(ActionNotFound, match="Åtgärdsplanen är tom"):
        async with uow:
            await actions.cancel_action(uow, situation, 7)
    await create(database, cast["anna"])
    uow, situation = unit(database, cast["anna"])
    async with uow:
        await actions.cancel_action(uow, situation, 1, None)
    uow, situation = unit(database, cast["anna"])
    with pytest.raises(ActionRefused, match=r"^#1 är redan inställd\.$"):
        async with uow:
            await actions.postpone_action(uow, situation, 1, date(2027, 1, 8), "")
    uow, situation = unit(database, cast["anna"])
    with pytest.raises(ActionNotFound) as missing:
        async with uow:
            await actions.show_action(uow, 2)
    assert str(missing.value) == ("Det finns ingen åtgärd #2. Menade du någon av dessa?\n"
                                  "- #1 Trygghetsvandring i centrum")


async def test_postpone_saves_the_reason_in_the_history_and_audits_the_new_date(database: Database, cast):
    await create(database, cast["karin"])
    uow, situation = unit(database, cast["karin"])
    async with uow:
        before = await actions.changeable(uow, situation, 1)
    assert before.due_date == date(2026, 12, 4)  # read after the unit
    uow, situation = unit(database, cast["karin"])
    async with uow:
        await actions.postpone_action(uow, situation, 1, date(2026, 12, 11), "Belysningen är inte på plats")
    assert (await stored(database, 1)).due_date == date(2026, 12, 11)
    async with database.session() as session:
        update = await session.scalar(select(ActionUpdate).where(ActionUpdate.kind == "postponed"))
    assert (update.old_value, update.new_value, update.text) == ("2026-12-04", "2026-12-11",
                                                                  "Belysningen är inte på plats")
    [entry] = await audit(database, "action.postponed")
    assert entry.detail == {"due": "2026-12-11", "update": update.id}
    assert entry.actor_member_id == cast["karin"].member_id


async def test_reassign_reads_the_owner_and_audits_where_it_came_from(database: Database, cast):
    await create(database, cast["karin"])
    uow, situation = unit(database, cast["karin"])
    async with uow:
        action = await actions.reassign_action(uow, situation, 1, "Olle")
    assert (action.responsible_party, action.responsible_member.name) == ("polis", "Olle Polis")
    [entry] = await audit(database, "action.reassigned")
    assert {k: v for k, v in entry.detail.items() if k != "update"} == {
        "party": "polis", "from_party": "kommun", "from_member": None}
    uow, situation = unit(database, cast["karin"])
    with pytest.raises(ActionRefused, match="Jag hittar ingen medlem som heter Sven"):
        async with uow:
            await actions.find_owner(uow, situation, "Sven")


async def test_lists_and_one_action_are_readable_after_the_unit(database: Database, cast):
    await create(database, cast["anna"], "Belysning i parken", due=date(2026, 11, 20))
    await create(database, cast["anna"], "Föräldravandring", due=date(2026, 12, 20))
    uow, _ = unit(database, cast["olle"])
    async with uow:
        page = await actions.page_actions(uow, ActionQuery(status="overdue", today=TODAY))
    assert [(a.number, a.title, a.focus_area) for a in page.actions] == [(1, "Belysning i parken", None)]
    uow, _ = unit(database, cast["olle"])
    async with uow:
        shown = await actions.show_action(uow, 2)
    assert shown.action.title == "Föräldravandring" and [u.kind for u in shown.history] == ["created"]
    assert shown.history[0].author.name == "Anna Andersson"
    [entry] = await audit(database, "action.viewed")
    assert entry.actor_member_id == cast["olle"].member_id and entry.subject_id == "2"


async def test_promises_are_added_by_admins_and_linked_by_whoever_may_change_the_action(database: Database, cast):
    uow, situation = unit(database, cast["karin"])
    with pytest.raises(PromiseRefused, match="^Bara en administratör"):
        async with uow:
            await promises.create_promise(uow, situation, "Vuxna i centrum på helgkvällar")
    for title in ("Vuxna i centrum på helgkvällar", "Tryggare skolvägar"):
        uow, situation = unit(database, cast["anna"])
        async with uow:
            await promises.create_promise(uow, situation, title)
    assert [e.subject_id for e in await audit(database, "promise.created")] == ["1", "2"]
    await create(database, cast["karin"])

    uow, situation = unit(database, cast["olle"])
    with pytest.raises(ActionRefused, match="^Åtgärd #1 ägs av kommunen"):
        async with uow:
            await promises.link_promise(uow, situation, 1, 1)
    uow, situation = unit(database, cast["karin"])
    with pytest.raises(PromiseRefused) as refused:
        async with uow:
            await promises.link_promise(uow, situation, 1, 9)
    assert str(refused.value) == "Det finns inget medborgarlöfte 9, så jag kan inte koppla #1."
    assert refused.value.promises == ["Medborgarlöfte 1: Vuxna i centrum på helgkvällar",
                                      "Medborgarlöfte 2: Tryggare skolvägar"]

    uow, situation = unit(database, cast["karin"])
    async with uow:
        linked = await promises.link_promise(uow, situation, 1, 1)
    assert (linked.promise.number, linked.previous, linked.unlinked) == (1, None, False)
    uow, situation = unit(database, cast["karin"])
    async with uow:
        relinked = await promises.link_promise(uow, situation, 1, "2")
    assert (relinked.promise.number, relinked.previous.number) == (2, 1)
    assert [e.detail for e in await audit(database, "action.promise_linked")] == [
        {"promise": 1}, {"promise": 2, "previous_promise": 1}]

    uow, _ = unit(database, cast["olle"])
    async with uow:
        [state] = await promises.follow_up(uow, 2)
    assert state.promise.title == "Tryggare skolvägar" and [a.number for a in state.actions] == [1]
    uow, situation = unit(database, cast["karin"])
    async with uow:
        await promises.link_promise(uow, situation, 1, None, unlink=True)
    assert (await stored(database, 1)).promise_id is None
    assert [e.detail for e in await audit(database, "action.promise_unlinked")] == [{"promise": 2}]
