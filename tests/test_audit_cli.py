"""``samverkan audit``: the audit log for a data protection officer, and the log's protection in the database.

Entries filtered by member, local day and action; the CSV's columns; Swedish errors with exit code 2; the run
itself audited; and UPDATE, DELETE (and on PostgreSQL TRUNCATE) of audit rows refused by the database.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from admin.audit import CSV_HEADERS, export_audit
from storage import AuditLog, Database, MemberRepository
from storage.models import AuditEntry
from tests.support.bot_server import settings_for
from tests.test_cli import samverkan

TODAY = datetime(2026, 3, 10).date()


async def _seed(database: Database) -> dict[str, int]:
    """Three members' doings around the night of 2–3 March 2026 (Stockholm is UTC+1 then), and the CLI's."""
    async with database.session() as session:
        members = MemberRepository(session)
        anna = await members.add("Anna Andersson", "kommun", "samordnare", is_admin=True)
        per = await members.add("Per Polis", "polis", "kommunpolis")
        gone = await members.add("Greta Gammal", "kommun", "")
        gone.active = False
        audit = AuditLog(session)
        await audit.record("member.added", actor="cli", subject_type="member", subject_id=anna.id,
                           detail={"party": "kommun", "admin": True}, at=datetime(2026, 2, 27, 8, tzinfo=UTC))
        await audit.record("observation.created", actor_member_id=anna.id, channel="msteams",
                           subject_type="observation", subject_id=1, detail={"number": 1},
                           at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC))  # 10:00 local
        await audit.record("situation.viewed", actor_member_id=anna.id, channel="matrix",
                           at=datetime(2026, 3, 2, 22, 30, tzinfo=UTC))  # 23:30 local, 2 March
        await audit.record("action.created", actor_member_id=per.id, channel="msteams", subject_type="action",
                           subject_id=4, at=datetime(2026, 3, 2, 23, 30, tzinfo=UTC))  # 00:30 local, 3 March
        await audit.record("observation.viewed", actor_member_id=gone.id, channel="console",
                           subject_type="observation", subject_id=1, at=datetime(2026, 3, 3, 12, tzinfo=UTC))
        await session.commit()
        return {"anna": anna.id, "per": per.id, "gone": gone.id}


async def _csv(database: Database, tmp_path: Path, name: str, **asked) -> list[dict[str, str]]:
    path = tmp_path / f"{name}.csv"
    code = await export_audit(settings_for(database.url), fmt="csv", output=str(path), today=TODAY, **asked)
    assert code == 0
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file, delimiter=";"))


async def _audited_runs(database: Database) -> list[AuditEntry]:
    async with database.session() as session:
        return list(await session.scalars(
            select(AuditEntry).where(AuditEntry.action == "audit.exported").order_by(AuditEntry.id)))


async def test_entries_are_filtered_by_member_local_day_and_action(database: Database, tmp_path):
    ids = await _seed(database)

    everything = await _csv(database, tmp_path, "all")
    assert [row["Händelse"] for row in everything] == [
        "member.added", "observation.created", "situation.viewed", "action.created", "observation.viewed"]

    annas = await _csv(database, tmp_path, "anna", member="  anna   andersson ")
    assert [row["Händelse"] for row in annas] == ["observation.created", "situation.viewed"]
    # A removed member's doings stay findable.
    assert [row["Vem"] for row in await _csv(database, tmp_path, "greta", member="Greta Gammal")] == [
        "Greta Gammal"]

    # Days are the collaboration's (Europe/Stockholm): 23:30 UTC on 2 March is already 3 March there.
    second = await _csv(database, tmp_path, "second", first="2026-03-02", last="2026-03-02")
    assert [row["Händelse"] for row in second] == ["situation.viewed"]
    from_third = await _csv(database, tmp_path, "third", first="2026-03-03", last="2026-03-31")
    assert [row["Händelse"] for row in from_third] == ["action.created", "observation.viewed"]
    until_first = await _csv(database, tmp_path, "first", last="2026-03-01")
    assert [row["Händelse"] for row in until_first] == ["member.added", "observation.created"]

    observations = await _csv(database, tmp_path, "obs", action="observation")
    assert [row["Händelse"] for row in observations] == ["observation.created", "observation.viewed"]
    assert await _csv(database, tmp_path, "none", action="observation_") == []  # no LIKE wildcards
    combined = await _csv(database, tmp_path, "both", member="Anna Andersson", action="situation",
                          first="2026-03-01", last="2026-03-05")
    assert [row["Händelse"] for row in combined] == ["situation.viewed"]

    runs = await _audited_runs(database)
    assert len(runs) == 9 and all(run.actor == "cli" for run in runs)
    assert runs[1].detail == {"member_id": ids["anna"], "from": None, "to": None, "action": None, "rows": 2,
                              "format": "csv"}
    assert runs[-1].detail == {"member_id": ids["anna"], "from": "2026-03-01", "to": "2026-03-05",
                               "action": "situation", "rows": 1, "format": "csv"}


async def test_the_csv_has_swedish_columns_local_times_and_the_details(database: Database, tmp_path):
    ids = await _seed(database)
    rows = await _csv(database, tmp_path, "logg", last="2026-03-02")
    with (tmp_path / "logg.csv").open(encoding="utf-8-sig", newline="") as file:
        assert next(csv.reader(file, delimiter=";")) == CSV_HEADERS
    cli, created, viewed = rows
    assert created == {
        "Nummer": "2", "Tid": "2026-03-01 10:00:00", "Vem": "Anna Andersson", "Part": "Älmhults kommun",
        "Medlems-id": str(ids["anna"]), "Kanal": "Teams", "Händelse": "observation.created",
        "Beskrivning": "loggade en observation", "Gäller": "observation", "Gäller id": "1",
        "Detaljer": '{"number": 1}'}
    assert (viewed["Tid"], viewed["Kanal"], viewed["Beskrivning"]) == (
        "2026-03-02 23:30:00", "Matrix", "läste lägesbilden")
    assert (cli["Vem"], cli["Part"], cli["Medlems-id"], cli["Kanal"]) == ("kommandoraden", "", "", "kommandoraden")
    assert json.loads(cli["Detaljer"]) == {"admin": True, "party": "kommun"}


async def test_text_output_is_a_table_for_the_terminal(database: Database, capsys):
    await _seed(database)
    code = await export_audit(settings_for(database.url), member="Per Polis", today=TODAY)
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Granskningslogg, hela loggen, medlem Per Polis: 1 händelse."
    assert lines[1].split() == ["Tid", "Vem", "Kanal", "Händelse", "Gäller", "Detaljer"]
    assert lines[3].split() == ["2026-03-03", "00:30:00", "Per", "Polis", "(Lokalpolisområde", "Ljungby)",
                                "Teams", "action.created", "action", "4"]


@pytest.mark.parametrize(("asked", "message"), [
    ({"member": "Ingen Alls"}, "Det finns ingen medlem som heter 'Ingen Alls'. Se: samverkan members list"),
    ({"first": "2026-02-30"}, "--from '2026-02-30': det datumet finns inte. Skriv datum som ÅÅÅÅ-MM-DD"),
    ({"last": "2026-13-01"}, "--to '2026-13-01': det datumet finns inte."),
    ({"first": "1/3 2026"}, "--from '1/3 2026': skriv datum som ÅÅÅÅ-MM-DD, t.ex. 2026-01-31."),
    ({"first": "2026-03-05", "last": "2026-03-01"}, "--to (2026-03-01) ligger före --from (2026-03-05)."),
    ({"fmt": "csv", "output": "logg.xlsx"}, "Filen logg.xlsx har inte ändelsen .csv."),
])
async def test_a_request_it_cannot_run_gets_a_swedish_answer_and_exit_code_2(database: Database, capsys, asked,
                                                                           message):
    await _seed(database)
    assert await export_audit(settings_for(database.url), today=TODAY, **asked) == 2
    shown = capsys.readouterr()
    assert message in shown.err and shown.out == ""
    assert await _audited_runs(database) == []


async def test_the_database_refuses_to_change_or_delete_audit_entries(database: Database):
    async with database.session() as session:
        entry = await AuditLog(session).record("observation.viewed", actor="cli", subject_type="observation",
                                               subject_id=7)
        await session.commit()
        entry_id = entry.id
    statements = [update(AuditEntry).where(AuditEntry.id == entry_id).values(action="observation.created"),
                  update(AuditEntry).values(actor=None), delete(AuditEntry).where(AuditEntry.id == entry_id),
                  delete(AuditEntry)]
    if database.dialect_name == "postgresql":
        statements.append(text("TRUNCATE audit_log"))
    for statement in statements:
        async with database.session() as session:
            with pytest.raises(DBAPIError, match="audit_log is append-only"):
                await session.execute(statement)
    async with database.session() as session:  # through the ORM as well
        await session.delete(await session.get(AuditEntry, entry_id))
        with pytest.raises(DBAPIError, match="audit_log is append-only: DELETE refused"):
            await session.commit()
    async with database.session() as session:
        kept = await session.get(AuditEntry, entry_id)
        assert (kept.action, kept.actor, kept.subject_id) == ("observation.viewed", "cli", "7")


async def test_the_command_as_an_admin_runs_it(database: Database, tmp_path):
    await _seed(database)
    env = {"DATABASE_URL": database.url}
    written = samverkan("audit", "--member", "Anna Andersson", "--from", "2026-03-01", "--to", "2026-03-31",
                        "-o", "anna.csv", cwd=tmp_path, env=env)
    assert written.returncode == 0, written.stderr
    assert written.stdout.strip() == "Skrev 2 händelser ur granskningsloggen (2026-03-01–2026-03-31) till anna.csv."
    with (tmp_path / "anna.csv").open(encoding="utf-8-sig", newline="") as file:
        assert [row["Händelse"] for row in csv.DictReader(file, delimiter=";")] == [
            "observation.created", "situation.viewed"]

    impossible = samverkan("audit", "--from", "2026-02-30", cwd=tmp_path, env=env)
    assert impossible.returncode == 2 and "det datumet finns inte" in impossible.stderr
    unknown = samverkan("audit", "--member", "Ingen Alls", cwd=tmp_path, env=env)
    assert unknown.returncode == 2 and "Det finns ingen medlem som heter 'Ingen Alls'" in unknown.stderr
    assert "Traceback" not in impossible.stderr + unknown.stderr

    shown = samverkan("audit", "--action", "audit", cwd=tmp_path, env=env)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == "Granskningslogg, hela loggen, händelser som börjar med 'audit': 1 händelse."
    assert "kommandoraden" in lines[3] and "audit.exported" in lines[3] and '"rows": 2' in lines[3]
