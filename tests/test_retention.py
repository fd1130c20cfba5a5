"""Retention (gallring) only by decision, on SQLite and PostgreSQL: the checker, the cut-off rule, the nightly
run in the scheduler (stepped clock, messages through the outbox), the use case and the command line."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update

from bot.retention_job import NO_DECISION_KEY, PREVIEW_KEY
from bot.scheduler import Scheduler
from domain.clock import FixedClock
from domain.collaboration import DEFAULT_CONFIG_PATH, check_file, load_collaboration
from domain.collaboration.model import Retention
from domain.rules.retention import cutoffs, run_due
from services import retention
from services.unit_of_work import Actor, UnitOfWork
from storage import AuditLog, Database
from storage.actions import ActionRepository, NewAction
from storage.models import Action, AuditEntry, Member, Observation, OutboxMessage
from storage.observations import ObservationDraft, ObservationRepository
from tests.support.seed import seed

ROOT = Path(__file__).resolve().parent.parent
ZONE = ZoneInfo("Europe/Stockholm")
COLLABORATION = load_collaboration()
DECISION = Retention("Dokumenthanteringsplan KS 2025/123, beslutad 2025-05-12", observations_months=36,
                     audit_log_months=60)
NOW = datetime(2026, 12, 1, 3, 30, tzinfo=ZONE)  # Tuesday night, in the run's window
# Kept from 1 December 2023 (observations) and 1 December 2021 (audit log), local midnight.
OLD = datetime(2023, 11, 30, 12, tzinfo=UTC)
NEW = datetime(2023, 12, 15, 12, tzinfo=UTC)  # kept also when the cut-off moves on day by day


def _toml(section: str) -> str:
    return DEFAULT_CONFIG_PATH.read_text(encoding="utf-8") + "\n" + section


def _problems(tmp_path: Path, section: str) -> list[str]:
    path = tmp_path / "kommun.toml"
    path.write_text(_toml(section), encoding="utf-8")
    return [f"{p.path}: {p.message}" for p in check_file(path)]


# --- the collaboration file ---------------------------------------------------------------------------------

def test_the_default_file_has_no_decision_and_a_full_section_loads(tmp_path):
    assert COLLABORATION.retention is None
    assert "# [retention]" in DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")
    path = tmp_path / "kommun.toml"
    path.write_text(_toml('[retention]\ndecision = "KS 2025/123"\nobservations_months = 36\n'), encoding="utf-8")
    assert load_collaboration(path).retention == Retention("KS 2025/123", 36, None)


def test_a_bad_section_is_named_with_every_problem(tmp_path):
    problems = _problems(tmp_path, "[retention]\nobservations_months = 0\naudit_log_months = 24\n")
    assert len(problems) == 2
    assert any(p.startswith("retention.observations_months: must be a positive number of months (1–1200), "
                            "not 0") for p in problems)
    assert any(p.startswith("retention.decision: missing the retention decision") for p in problems)
    assert _problems(tmp_path, '[retention]\ndecision = "KS 1"\nobservation_months = 36\n') == [
        "retention.observation_months: unknown key 'observation_months' (did you mean 'observations_months'?); "
        "allowed keys: decision, observations_months, audit_log_months"]
    assert _problems(tmp_path, '[retention]\ndecision = "KS 1"\naudit_log_months = "fem år"\n') == [
        "retention.audit_log_months: expected an integer, got a string"]
    top = tmp_path / "top.toml"  # a key above the first table
    top.write_text("retention = 36\n" + DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    assert [str(p) for p in check_file(top)] == [f"{top}:1: retention: expected a table, got a number"]
    assert _problems(tmp_path, '[retention]\ndecision = "KS 1"\nobservations_months = -3\n')[0].endswith("not -3")


# --- the rule -----------------------------------------------------------------------------------------------

def test_cutoff_is_local_midnight_the_decisions_months_back():
    [observations, audit] = cutoffs(DECISION, NOW, ZONE)
    assert (observations.kind, observations.before) == ("observations", datetime(2023, 12, 1, tzinfo=ZONE))
    assert (audit.kind, audit.before) == ("audit_log", datetime(2021, 12, 1, tzinfo=ZONE))
    assert cutoffs(None, NOW, ZONE) == []
    assert run_due(NOW, ZONE) and not run_due(NOW.replace(hour=10), ZONE)


# --- the records --------------------------------------------------------------------------------------------

async def _records(database: Database) -> dict[str, int]:
    """Two old observations (one corrected twice, also long ago), one old but corrected recently, one new;
    an old action; old and new audit entries."""
    ids = await seed(database, at=OLD - timedelta(days=400))
    draft = ObservationDraft(focus_area="skadegorelse-skola", kind="handelse", occurred_start=OLD,
                             occurred_end=None, description="Klotter på skolgården", source_party="kommun")
    async with database.session() as session:
        anna = await session.get(Member, ids["Anna Andersson"])
        anna.is_admin = True
        repository = ObservationRepository(session)
        await repository.add(draft, anna, at=OLD - timedelta(days=30))
        second = await repository.correct(await repository.current(1), {"place": "Haganässkolan"}, anna,
                                          at=OLD - timedelta(days=20))
        await repository.correct(second, {"place": "Linnéskolan"}, anna, at=OLD)
        await repository.add(draft, anna, at=OLD - timedelta(days=1))
        await repository.add(draft, anna, at=OLD - timedelta(days=10))
        await repository.correct(await repository.current(3), {"kind": "iakttagelse"}, anna, at=NEW)
        await repository.add(draft, anna, at=NEW)
        await ActionRepository(session).add(NewAction("Trygghetsvandring", "kommun", date(2023, 1, 10)), anna,
                                            at=OLD - timedelta(days=300))
        audit = AuditLog(session)
        await audit.record("observation.created", actor="cli", at=datetime(2021, 11, 30, 12, tzinfo=UTC))
        await audit.record("observation.created", actor="cli", at=datetime(2021, 12, 15, 12, tzinfo=UTC))
        await session.commit()
    return ids


async def _numbers(database: Database) -> list[tuple[int, int]]:
    async with database.session() as session:
        rows = await session.execute(select(Observation.number, func.count()).group_by(Observation.number)
                                     .order_by(Observation.number))
        return [tuple(row) for row in rows]


async def _count(database: Database, model) -> int:
    async with database.session() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def _outbox(database: Database) -> list[tuple[str, int | None, datetime, str]]:
    async with database.session() as session:
        rows = await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [(m.key, m.member_id, m.due_at, m.payload["text"]) for m in rows]


def _scheduler(database: Database, clock: FixedClock, decision: Retention | None) -> Scheduler:
    collaboration = dataclasses.replace(COLLABORATION, retention=decision)
    return Scheduler(database=database, collaboration=collaboration, clock=clock, delivery=None)


async def test_without_a_decision_nothing_is_deleted_and_the_admins_are_told_once(database: Database):
    ids = await _records(database)
    before = (await _numbers(database), await _count(database, AuditEntry))
    clock = FixedClock(NOW.replace(hour=10))
    scheduler = _scheduler(database, clock, None)
    assert (await scheduler.tick()).retention is None  # not in the night window
    clock.set(NOW)
    assert (await scheduler.tick()).retention == "no-decision"
    assert (await scheduler.tick()).retention is None  # once a day
    for _ in range(3):
        clock.advance(timedelta(days=1))
        assert (await scheduler.tick()).retention == "no-decision"
    restarted = _scheduler(database, clock, None)
    assert (await restarted.tick()).retention == "no-decision"  # a restart runs again: told once all the same
    assert (await _numbers(database), await _count(database, AuditEntry)) == before
    [(key, member_id, due_at, text)] = await _outbox(database)
    assert (key, member_id) == (f"{NO_DECISION_KEY}:{ids['Anna Andersson']}", ids["Anna Andersson"])
    assert due_at == datetime(2026, 12, 1, 8, tzinfo=ZONE)  # told in the morning, not in the night
    assert text.startswith("Det finns inget gallringsbeslut i samverkansfilen, så jag gallrar ingenting")


async def test_a_decision_is_previewed_to_the_admins_then_applied_from_the_next_night(database: Database):
    ids = await _records(database)
    assert await _numbers(database) == [(1, 3), (2, 1), (3, 2), (4, 1)]
    clock = FixedClock(NOW)
    scheduler = _scheduler(database, clock, DECISION)
    assert (await scheduler.tick()).retention == "previewed"
    assert await _numbers(database) == [(1, 3), (2, 1), (3, 2), (4, 1)]  # the report changes nothing
    [(key, member_id, due_at, text)] = await _outbox(database)
    assert key.startswith(f"{PREVIEW_KEY}:") and member_id == ids["Anna Andersson"]
    assert due_at == datetime(2026, 12, 1, 8, tzinfo=ZONE)
    assert "Gallringsbeslutet Dokumenthanteringsplan KS 2025/123, beslutad 2025-05-12 står nu" in text
    assert "- 2 observationer (med alla versioner) skulle gallras: äldre än 36 månader, det vill säga från " \
           "före 2023-12-01." in text
    assert "- 1 post i granskningsloggen skulle gallras: äldre än 60 månader" in text

    assert (await _scheduler(database, clock, DECISION).tick()).retention == "waiting"  # a restart that night
    assert await _numbers(database) == [(1, 3), (2, 1), (3, 2), (4, 1)]  # still only previewed

    clock.advance(timedelta(days=1))
    assert (await scheduler.tick()).retention == "applied"
    # #O1 (three old versions) and #O2 go whole; #O3 was corrected after the cut-off, #O4 is new.
    assert await _numbers(database) == [(3, 2), (4, 1)]
    assert await _count(database, Action) == 1  # actions keep their history
    async with database.session() as session:
        actions = list(await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        applied = await session.scalar(select(AuditEntry).where(AuditEntry.action == "retention.applied"))
    # The older audit entry went; the pruning itself is on record with its cut-off.
    assert actions == ["observation.created", "audit_log.retention", "retention.applied"]
    assert applied.actor == "scheduler" and applied.detail == {
        "observations": 2, "observations_rows": 4, "observations_kept_from": "2023-12-02",
        "audit_log": 1, "audit_log_rows": 1, "audit_log_kept_from": "2021-12-02"}
    assert len(await _outbox(database)) == 1  # nothing more to tell

    clock.advance(timedelta(days=1))
    assert (await scheduler.tick()).retention == "applied"  # every night; nothing more is old enough
    assert await _numbers(database) == [(3, 2), (4, 1)]

    changed = dataclasses.replace(DECISION, observations_months=24)
    clock.advance(timedelta(days=1))
    assert (await _scheduler(database, clock, changed).tick()).retention == "previewed"  # a new decision
    assert len(await _outbox(database)) == 2


async def test_no_admin_no_application(database: Database):
    await _records(database)
    async with database.session() as session:
        await session.execute(update(Member).values(is_admin=False))
        await session.commit()
    clock = FixedClock(NOW)
    for _ in range(3):
        assert (await _scheduler(database, clock, DECISION).tick()).retention == "waiting"
        clock.advance(timedelta(days=1))
    assert len(await _numbers(database)) == 4 and await _outbox(database) == []


async def test_the_use_case_counts_what_it_then_removes(database: Database):
    await _records(database)
    actor = Actor(None, "cli", NOW, name="cli")
    async with UnitOfWork(database, actor, zone=COLLABORATION.timezone) as uow:
        dry = await retention.preview(uow, DECISION)
    async with UnitOfWork(database, actor, zone=COLLABORATION.timezone) as uow:
        done = await retention.apply(uow, DECISION)
    assert [(k.kind, k.records, k.rows, k.kept_from) for k in dry.kinds] == [
        (k.kind, k.records, k.rows, k.kept_from) for k in done.kinds] == [
        ("observations", 2, 4, date(2023, 12, 1)), ("audit_log", 1, 1, date(2021, 12, 1))]
    assert not dry.applied and done.applied
    assert await _numbers(database) == [(3, 2), (4, 1)]  # what it counted is gone, and committed
    async with database.session() as session:
        actions = list(await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["observation.created", "audit_log.retention", "retention.applied"]


async def test_the_command_line_dry_run_changes_nothing(database: Database, tmp_path):
    await _records(database)
    config = tmp_path / "kommun.toml"
    config.write_text(_toml('[retention]\ndecision = "KS 2025/123"\nobservations_months = 36\n'), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": database.url, "SAMVERKAN_CONFIG": str(config)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "retention", "--dry-run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, err.decode()
    stdout = out.decode()
    assert stdout.startswith("Förhandsvisning av gallring enligt KS 2025/123 (inget ändras):\n- ")
    assert "observationer (med alla versioner) skulle gallras: äldre än 36 månader, det vill säga från före" \
        in stdout
    assert await _numbers(database) == [(1, 3), (2, 1), (3, 2), (4, 1)]
