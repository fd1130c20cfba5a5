"""”ångra” as use cases, without chat, on SQLite and PostgreSQL: the last change is read, undone once with its
``change.undone`` entry, and a stale question undoes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from dialogs.undo_plans import plan_for
from domain.collaboration import load_collaboration
from domain.situation import Asker, Situation
from services import observations, undo
from services.unit_of_work import Actor, UnitOfWork
from storage import Database
from storage.models import AuditEntry, Observation
from storage.observations import ObservationDraft
from tests.support.seed import seed

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
COLLABORATION = load_collaboration()


def _unit(database: Database, asker: Asker, now: datetime) -> tuple[UnitOfWork, Situation]:
    return (UnitOfWork(database, Actor(asker.member_id, "console", now), zone=COLLABORATION.timezone),
            Situation(COLLABORATION, asker, now))


async def test_the_last_change_is_undone_once_and_audited(database: Database):
    ids = await seed(database, at=T0)
    anna = Asker(ids["Anna Andersson"], "Anna Andersson", "kommun", "samordnare")
    uow, situation = _unit(database, anna, T0)
    async with uow:
        assert await undo.last_change(uow, situation, plan_for) is None
        await observations.log_observation(uow, ObservationDraft(
            focus_area="skadegorelse-skola", kind="handelse", occurred_start=T0 - timedelta(hours=3),
            occurred_end=None, description="Klotter på skolgården", source_party="kommun"), idempotency_key="e" * 32)
    later = T0 + timedelta(minutes=10)
    uow, situation = _unit(database, anna, later)
    async with uow:
        change = await undo.last_change(uow, situation, plan_for)
    assert change.plan.problem is None and change.plan.what.startswith("att du loggade #O1 ")
    assert not uow.committed  # reading the last change changes nothing
    uow, situation = _unit(database, anna, later)
    async with uow:
        reply = await undo.undo_last_change(uow, situation, change.entry_id, plan_for)
    assert reply.startswith("Ångrat: #O1 är borttagen")
    uow, situation = _unit(database, anna, later)
    with pytest.raises(undo.UndoRefused, match="Något har ändrats sedan jag frågade"):
        async with uow:
            await undo.undo_last_change(uow, situation, change.entry_id, plan_for)
    async with database.session() as session:
        assert (await session.scalar(select(Observation))).deleted_at is not None
        entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
    assert [(e.action, e.subject_id, e.detail) for e in entries][1:] == [
        ("change.undone", "O1", {"undid": change.entry_id, "change": "observation.created"})]
