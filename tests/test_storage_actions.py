"""The action plan's repository on SQLite and PostgreSQL: numbers, queries with totals, history, deadlines."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from domain.collaboration import load_collaboration
from storage import Database, MemberRepository
from storage.actions import ActionQuery, ActionRepository, NewAction, PromiseRepository, sync_deadline_actions
from tests.support.seed import seed

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 26)


async def _prepare(database: Database) -> tuple[int, int]:
    members = await seed(database, at=T0)
    return members["Anna Andersson"], members["Olle Polis"]


async def test_queries_count_everything_and_page(database: Database):
    anna_id, olle_id = await _prepare(database)
    async with database.session() as session:
        repo = ActionRepository(session)
        anna = await MemberRepository(session).get(anna_id)
        for n in range(25):
            await repo.add(NewAction(f"Åtgärd {n}", "kommun" if n % 2 else "polis", TODAY + timedelta(days=n - 10),
                                     focus_area="andts" if n % 3 == 0 else None,
                                     responsible_member_id=anna_id if n % 5 == 0 else None), anna, at=T0)
        await repo.add(NewAction("Gemensam", "gemensam", TODAY - timedelta(days=1)), anna, at=T0)
        done = await repo.get(2)
        await repo.set_status(done, "klar", anna, at=T0)
        await session.commit()

        overdue = await repo.page(ActionQuery(status="overdue", today=TODAY))
        assert overdue.total == 10  # 10 due before today (26 with the joint one), minus #2 done
        assert [a.number for a in overdue.actions] == [1, 3, 4, 5, 6, 7, 8, 9, 10, 26]
        assert not overdue.has_more
        first = await repo.page(ActionQuery(status="open", limit=10))
        second = await repo.page(ActionQuery(status="open", offset=10, limit=10))
        third = await repo.page(ActionQuery(status="open", offset=20, limit=10))
        assert first.total == 25 and first.has_more and second.has_more and not third.has_more
        assert len({a.number for a in first.actions + second.actions + third.actions}) == 25
        mine = await repo.page(ActionQuery(member_id=anna_id))
        assert {a.number for a in mine.actions} == {1, 6, 11, 16, 21}
        police = await repo.page(ActionQuery(party="polis", limit=50))
        assert 26 in {a.number for a in police.actions}  # joint actions belong to both parties
        assert all(a.responsible_party in ("polis", "gemensam") for a in police.actions)
        andts = await repo.page(ActionQuery(focus_area="andts", limit=50))
        assert {a.number for a in andts.actions} == {1, 4, 7, 10, 13, 16, 19, 22, 25}
        december = await repo.page(ActionQuery(due_from=date(2026, 12, 1), due_to=date(2027, 1, 1), limit=50))
        assert {a.due_date.month for a in december.actions} == {12} and december.total == 10
        done_now = await repo.page(ActionQuery(status="done", done_from=T0 - timedelta(days=1),
                                               done_to=T0 + timedelta(days=1)))
        assert [a.number for a in done_now.actions] == [2]


async def test_actions_found_by_words_in_the_title_without_case_or_diacritics(database: Database):
    anna_id, _ = await _prepare(database)
    async with database.session() as session:
        repo = ActionRepository(session)
        anna = await MemberRepository(session).get(anna_id)
        for title in ("Föräldravandringar på fredagar", "Trygghetsvandring i centrum", "Nattvandring och "
                      "föräldravandring i Diö", "Belysning i gångtunneln"):
            await repo.add(NewAction(title, "kommun", TODAY), anna, at=T0)
        await session.commit()
        found = await repo.page(ActionQuery(status="all", title_stems=("foraldravandring",), limit=1))
        assert found.total == 2 and found.has_more and [a.number for a in found.actions] == [1]
        both = await repo.page(ActionQuery(status="all", title_stems=("nattvandring", "dio")))
        assert [a.number for a in both.actions] == [3]
        assert (await repo.page(ActionQuery(title_stems=("kamera",)))).total == 0


async def test_changes_are_history(database: Database):
    anna_id, olle_id = await _prepare(database)
    async with database.session() as session:
        repo = ActionRepository(session)
        members = MemberRepository(session)
        anna, olle = await members.get(anna_id), await members.get(olle_id)
        action = await repo.add(NewAction("Trygghetsvandring i centrum", "kommun", date(2027, 1, 15),
                                          responsible_member_id=anna_id), anna, at=T0)
        await repo.postpone(action, date(2027, 2, 1), "Väntar på belysningen", anna, at=T0 + timedelta(hours=1))
        await repo.reassign(action, party="polis", member=olle, text=None, author=anna, at=T0 + timedelta(hours=2))
        await repo.comment(action, "Bokat med fastighetsförvaltningen", olle, at=T0 + timedelta(hours=3))
        await repo.set_status(action, "klar", olle, at=T0 + timedelta(hours=4))
        await session.commit()
        kinds = [(u.kind, u.old_value, u.new_value) for u in await repo.history(action)]
        assert kinds == [("created", None, "planerad"), ("postponed", "2027-01-15", "2027-02-01"),
                         ("reassigned", "Anna Andersson", "Olle Polis"), ("comment", None, None),
                         ("status", "planerad", "klar")]
        assert action.completed_at == T0 + timedelta(hours=4)
        assert [a.number for a in await repo.nearest(9)] == [1]


async def test_promises_and_their_actions(database: Database):
    anna_id, _ = await _prepare(database)
    async with database.session() as session:
        promises = PromiseRepository(session)
        promise = await promises.get_or_create("Tryggare centrum på kvällstid", period_start=date(2026, 1, 1))
        assert (await promises.get_or_create("tryggare centrum på kvällstid", period_start=TODAY)).id == promise.id
        repo = ActionRepository(session)
        anna = await MemberRepository(session).get(anna_id)
        await repo.add(NewAction("Belysning i parken", "kommun", TODAY, promise_id=promise.id), anna, at=T0)
        await repo.add(NewAction("Kvällspatrull", "polis", TODAY, promise_id=promise.id), anna, at=T0)
        await repo.add(NewAction("Utan löfte", "polis", TODAY), anna, at=T0)
        await session.commit()
        [state] = await promises.states()
        assert state.promise.number == 1 and [a.title for a in state.actions] == ["Belysning i parken",
                                                                                  "Kvällspatrull"]


async def test_agreement_deadlines_become_actions_once_and_recur(database: Database):
    await _prepare(database)
    deadlines = load_collaboration().deadlines
    async with database.session() as session:
        created = await sync_deadline_actions(session, deadlines, TODAY, at=T0)
        again = await sync_deadline_actions(session, deadlines, TODAY, at=T0)
        await session.commit()
        assert {(a.deadline_code, a.due_date) for a in created} == {
            ("renewal", date(2026, 11, 30)), ("follow_up", date(2026, 12, 31)),
            ("lagesbild_update", date(2026, 12, 31))}
        assert again == []
        follow_up = next(a for a in created if a.deadline_code == "follow_up")
        assert follow_up.forum.code == "strategiska-bra" and follow_up.created_by_member_id is None
        await ActionRepository(session).set_status(follow_up, "klar", None, at=T0)
        renewal = next(a for a in created if a.deadline_code == "renewal")
        await ActionRepository(session).set_status(renewal, "klar", None, at=T0)
        [next_year] = await sync_deadline_actions(session, deadlines, TODAY, at=T0)
        assert (next_year.deadline_code, next_year.due_date) == ("follow_up", date(2027, 12, 31))
        await session.commit()
