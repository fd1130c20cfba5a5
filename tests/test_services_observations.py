"""The observation use cases called directly, without chat, on SQLite and PostgreSQL: one transaction each,
with its audit entry, and a refusal that changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from domain.collaboration import load_collaboration
from domain.situation import Asker, Situation
from services import observations
from services.observations import ObservationRefused
from services.unit_of_work import Actor, UnitOfWork
from storage import Database
from storage.models import AuditEntry, Observation
from storage.observations import ObservationDraft
from tests.support.seed import seed

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
COLLABORATION = load_collaboration()


def _draft(**changes) -> ObservationDraft:
    values = dict(focus_area="skadegorelse-skola", kind="handelse", occurred_start=T0 - timedelta(hours=12),
                  occurred_end=T0 - timedelta(hours=6), description="Klotter på skolgården",
                  source_party="kommun", place="Haganässkolan", place_key="haganasskolan")
    return ObservationDraft(**{**values, **changes})


async def _people(database: Database) -> dict[str, Asker]:
    ids = await seed(database, at=T0)
    return {"anna": Asker(ids["Anna Andersson"], "Anna Andersson", "kommun", "samordnare"),
            "olle": Asker(ids["Olle Polis"], "Olle Polis", "polis", "kommunpolis")}


def _unit(database: Database, asker: Asker, now: datetime) -> tuple[UnitOfWork, Situation]:
    situation = Situation(COLLABORATION, asker, now)
    return UnitOfWork(database, Actor(asker.member_id, "console", now), zone=COLLABORATION.timezone), situation


async def _audit(database: Database) -> list[tuple[str, str | None, int | None, dict | None]]:
    async with database.session() as session:
        rows = await session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.action, e.subject_id, e.actor_member_id, e.detail) for e in rows]


async def test_log_is_audited_and_a_second_save_of_the_same_draft_adds_nothing(database: Database):
    anna = (await _people(database))["anna"]
    uow, _ = _unit(database, anna, T0)
    async with uow:
        first = await observations.log_observation(uow, _draft(), idempotency_key="a" * 32)
    assert uow.committed
    uow, _ = _unit(database, anna, T0 + timedelta(minutes=1))
    async with uow:
        again = await observations.log_observation(uow, _draft(description="annat"), idempotency_key="a" * 32)
    assert (first.number, first.created) == (1, True)
    assert (again.number, again.created) == (1, False)
    async with database.session() as session:
        [row] = (await session.scalars(select(Observation))).all()
        assert row.description == "Klotter på skolgården" and row.author_member_id == anna.member_id
    assert await _audit(database) == [
        ("observation.created", "O1", anna.member_id,
         {"focus_area": "skadegorelse-skola", "kind": "handelse", "version": row.id})]


async def test_correct_keeps_the_old_version_and_audits_the_field(database: Database):
    anna = (await _people(database))["anna"]
    uow, _ = _unit(database, anna, T0)
    async with uow:
        await observations.log_observation(uow, _draft(), idempotency_key="b" * 32)
    uow, situation = _unit(database, anna, T0 + timedelta(days=2))
    async with uow:
        corrected = await observations.correct_observation(
            uow, situation, 1, "place", lambda row: _draft(place="Diö torg", place_key="dio torg"))
    assert (corrected.number, corrected.place, corrected.focus_area.code) == (1, "Diö torg", "skadegorelse-skola")
    uow, _ = _unit(database, anna, T0 + timedelta(days=2))
    async with uow:
        versions = await observations.view_observation(uow, 1)
    assert [v.place for v in versions] == ["Haganässkolan", "Diö torg"]
    assert [v.author.name for v in versions] == ["Anna Andersson"] * 2  # loaded for rendering after commit
    assert [(a, s, d) for a, s, _, d in await _audit(database)][1:] == [
        ("observation.corrected", "O1", {"field": "place", "version": corrected.id}),
        ("observation.viewed", "O1", None)]


async def test_delete_and_restore_are_audited(database: Database):
    anna = (await _people(database))["anna"]
    uow, _ = _unit(database, anna, T0)
    async with uow:
        await observations.log_observation(uow, _draft(), idempotency_key="c" * 32)
    uow, situation = _unit(database, anna, T0 + timedelta(minutes=5))
    async with uow:
        removed = await observations.delete_observation(uow, situation, 1)
    assert removed.deleted_at is not None
    uow, situation = _unit(database, anna, T0 + timedelta(days=3))
    async with uow:
        restored = await observations.restore_observation(uow, situation, 1)
    assert restored.deleted_at is None and restored.focus_area.code == "skadegorelse-skola"
    uow, situation = _unit(database, anna, T0 + timedelta(days=3))
    async with uow:
        rows, total = await observations.list_observations(uow, situation)
    assert ([r.number for r in rows], total) == ([1], 1)
    audit = await _audit(database)
    assert [(a, s, d) for a, s, _, d in audit][1:] == [
        ("observation.deleted", "O1", {"version": removed.id}),
        ("observation.restored", "O1", {"version": removed.id}),
        ("observations.listed", None, {"count": 1, "own": True})]
    assert {actor for _, _, actor, _ in audit} == {anna.member_id}


async def test_a_refusal_changes_nothing_and_audits_nothing(database: Database):
    people = await _people(database)
    uow, _ = _unit(database, people["anna"], T0)
    async with uow:
        await observations.log_observation(uow, _draft(), idempotency_key="d" * 32)
    uow, situation = _unit(database, people["olle"], T0 + timedelta(minutes=1))
    with pytest.raises(ObservationRefused, match="kan bara tas bort av den som loggade den"):
        async with uow:
            await observations.delete_observation(uow, situation, 1)
    assert not uow.committed
    uow, situation = _unit(database, people["olle"], T0 + timedelta(minutes=1))
    with pytest.raises(ObservationRefused, match="Bara den som loggade #O1 eller en administratör kan rätta den"):
        async with uow:
            await observations.correct_observation(uow, situation, 1, "place", lambda row: _draft(place="Torget"))
    uow, situation = _unit(database, people["anna"], T0 + timedelta(minutes=1))
    with pytest.raises(ObservationRefused, match="Inte en plats"):
        async with uow:
            await observations.correct_observation(uow, situation, 1, "place", lambda row: "Inte en plats.")
    with pytest.raises(ObservationRefused, match="Det finns ingen observation #O7"):
        async with uow:
            await observations.restore_observation(uow, situation, 7)
    async with database.session() as session:
        [row] = (await session.scalars(select(Observation))).all()
        assert (row.deleted_at, row.place) == (None, "Haganässkolan")
    assert [action for action, *_ in await _audit(database)] == ["observation.created"]
