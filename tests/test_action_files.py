"""The action plan as a spreadsheet: import (all or nothing, by number) and export, on SQLite and PostgreSQL.

In-process tests call ``import_actions``/``export_actions`` against the ``database`` fixture; the command
line tests run ``samverkan`` in real processes on a SQLite file, as a municipality would.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from admin.action_files import HEADERS, export_actions, import_actions, written_day
from admin.spreadsheets import read_table, write_table
from storage import Database, MemberRepository
from storage.actions import ActionRepository, NewAction, PromiseRepository
from storage.models import Action, ActionUpdate, AuditEntry, SequenceCounter
from tests.support.bot_server import settings_for
from tests.support.seed import seed
from tests.test_cli import samverkan

DATA = Path(__file__).resolve().parent / "data"
SAMPLE_XLSX, SAMPLE_CSV, BAD_CSV = DATA / "atgardsplan.xlsx", DATA / "atgardsplan.csv", DATA / "atgardsplan-fel.csv"
SAMPLE_NUMBERS = [1, 2, 3, 5, 6, 8, 9, 10, 12, 14]
T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 26)


async def _prepare(database: Database) -> dict[str, int]:
    """The catalogue and the two test members, as a running bot would have them."""
    return await seed(database, at=T0)


async def _import(database: Database, path: Path, *, skip_bad: bool = False) -> int:
    return await import_actions(settings_for(database.url), str(path), skip_bad=skip_bad, today=TODAY)


async def _actions(database: Database) -> dict[int, Action]:
    async with database.session() as session:
        return {action.number: action for action in await ActionRepository(session).all()}


async def _count(database: Database, model) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)))


async def _audit(database: Database, action: str) -> list[AuditEntry]:
    async with database.session() as session:
        return list(await session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _rows(path: Path) -> list[list[str]]:
    """A table's rows as text, so an xlsx (typed cells) and a csv (text) compare alike."""
    headers, rows = read_table(path)
    assert headers == HEADERS
    return [["" if value is None else str(value) for value in row.values] for row in rows]


async def test_the_sample_plan_imports_from_xlsx_and_again_from_csv_without_change(database, capsys):
    members = await _prepare(database)
    assert await _import(database, SAMPLE_XLSX) == 0
    assert "Importerade 10 åtgärder (10 nya, 0 uppdaterade, 0 oförändrade)." in capsys.readouterr().out
    actions = await _actions(database)
    assert sorted(actions) == SAMPLE_NUMBERS
    first, police, outsider, last = actions[1], actions[3], actions[10], actions[14]
    assert (first.responsible_party, first.responsible_member_id, first.status) == \
        ("gemensam", members["Anna Andersson"], "klar")
    assert first.completed_at is not None and first.focus_area.code == "trygga-unga"
    assert (first.start_date, first.due_date) == (date(2026, 9, 1), date(2026, 10, 31))
    assert (police.responsible_party, police.responsible_member_id, police.status) == \
        ("polis", members["Olle Polis"], "pagaende")
    assert (outsider.responsible_member_id, outsider.responsible_text) == (None, "Fastighetsförvaltningen")
    assert outsider.focus_area.code == "skadegorelse-skola" and actions[8].focus_area.code == "andts"
    assert last.start_date is None and last.promise.title == "Färre skadegörelser på skolorna"
    assert actions[3].promise is None and actions[6].promise.title == "Tryggare centrum kvällstid"
    async with database.session() as session:
        promises = await PromiseRepository(session).states()
    assert [(state.promise.title, len(state.actions)) for state in promises] == [
        ("Tryggare centrum kvällstid", 3), ("Färre skadegörelser på skolorna", 3)]
    assert promises[0].promise.period_start == date(2026, 9, 1)  # the first action's start
    history = await _count(database, ActionUpdate)
    assert history == 10  # one 'created' each

    assert await _import(database, SAMPLE_CSV) == 0  # the same plan saved as CSV
    assert "Importerade 10 åtgärder (0 nya, 0 uppdaterade, 10 oförändrade)." in capsys.readouterr().out
    assert sorted(await _actions(database)) == SAMPLE_NUMBERS
    assert await _count(database, ActionUpdate) == history
    audits = await _audit(database, "actions.imported")
    assert [entry.detail for entry in audits] == [
        {"rows": 10, "created": 10, "updated": 0, "unchanged": 0, "skipped": 0},
        {"rows": 10, "created": 0, "updated": 0, "unchanged": 10, "skipped": 0}]
    assert all(entry.actor == "cli" for entry in audits)


async def test_export_and_import_again_is_a_round_trip_without_duplicates_or_history(database, tmp_path, capsys):
    await _prepare(database)
    assert await _import(database, SAMPLE_XLSX) == 0
    settings = settings_for(database.url)
    history = await _count(database, ActionUpdate)
    exported = {}
    for fmt in ("xlsx", "csv"):
        out = tmp_path / f"plan.{fmt}"
        assert await export_actions(settings, fmt=fmt, output=str(out)) == 0
        assert f"Skrev 10 åtgärder till {out}." in capsys.readouterr().out
        exported[fmt] = _rows(out)
    assert exported["xlsx"] == exported["csv"]
    by_number = {int(row[0]): row for row in exported["csv"]}
    assert sorted(by_number) == SAMPLE_NUMBERS
    assert by_number[1] == ["1", "Trygghetsvandring i centrum med inventering av belysning", "Trygga unga",
                            "Gemensam", "Anna Andersson", "2026-09-01", "2026-10-31", "klar",
                            "Tryggare centrum kvällstid"]
    assert by_number[2][3:5] == ["Älmhults kommun", "Fältassistenterna"] and by_number[2][7] == "pågående"
    assert by_number[3][3] == "Lokalpolisområde Ljungby"
    headers, typed = read_table(tmp_path / "plan.xlsx")
    assert typed[0].values[5] == date(2026, 9, 1)  # a real date cell, not text

    for fmt in ("xlsx", "csv"):
        assert await _import(database, tmp_path / f"plan.{fmt}") == 0
        assert "(0 nya, 0 uppdaterade, 10 oförändrade)" in capsys.readouterr().out
    assert sorted(await _actions(database)) == SAMPLE_NUMBERS
    assert await _count(database, ActionUpdate) == history
    again = tmp_path / "again.csv"
    assert await export_actions(settings, fmt="csv", output=str(again)) == 0
    assert _rows(again) == exported["csv"]
    assert [entry.detail for entry in await _audit(database, "actions.exported")] == [
        {"rows": 10, "format": "xlsx"}, {"rows": 10, "format": "csv"}, {"rows": 10, "format": "csv"}]


async def test_a_changed_due_date_updates_exactly_that_action_as_a_postponement(database, tmp_path, capsys):
    await _prepare(database)
    assert await _import(database, SAMPLE_CSV) == 0
    history = await _count(database, ActionUpdate)
    headers, rows = read_table(SAMPLE_CSV)
    changed = [list(row.values) for row in rows]
    row = next(values for values in changed if values[0] == "5")
    row[headers.index("Klart senast")] = "30/4 2027"  # as someone types it
    edited = tmp_path / "andrad.csv"
    write_table(edited, headers, changed)
    capsys.readouterr()

    assert await _import(database, edited) == 0
    assert "Importerade 10 åtgärder (0 nya, 1 uppdaterad, 9 oförändrade)." in capsys.readouterr().out
    assert await _count(database, ActionUpdate) == history + 1
    async with database.session() as session:
        repository = ActionRepository(session)
        action = await repository.get(5)
        entries = await repository.history(action)
    assert action.due_date == date(2027, 4, 30)
    assert [(e.kind, e.old_value, e.new_value) for e in entries] == [
        ("created", None, "planerad"), ("postponed", "2027-03-31", "2027-04-30")]


async def test_a_bad_file_lists_every_bad_row_and_imports_nothing(database, capsys):
    await _prepare(database)
    assert await _import(database, BAD_CSV) == 1
    output = capsys.readouterr()
    assert "Kolumnen ”Kommentar” känns inte igen och hoppas över." in output.out
    problems = [line for line in output.err.splitlines() if line.startswith("Rad ")]
    assert problems == [
        "Rad 3: Åtgärd saknas",
        "Rad 4: okänt fokusområde ”Cykelstölder” (välj bland: Trygga unga, Kommun fri från våld, ANDTS, "
        "Skadegörelser i skolmiljö)",
        "Rad 5: ”Klart senast” är inget datum: ”snart”",
        "Rad 6: okänd ansvarig part ”Skolan” (skriv kommun, polis eller gemensam)",
        "Rad 7: okänd status ”väntar” (skriv planerad, pågående, klar eller inställd)",
        "Rad 8: numret 7 finns två gånger i filen (rad 8 och 9)",
        "Rad 9: numret 7 finns två gånger i filen (rad 8 och 9)",
        "Rad 10: ”Nummer” är inget heltal: ”tre”",
        "Rad 12: ”Start” (2027-06-01) ligger efter ”Klart senast” (2027-03-01)",
    ]
    assert "9 rader har fel. Inget importerades." in output.err
    assert await _count(database, Action) == 0
    assert await _count(database, SequenceCounter) == 0  # not even a number was taken
    assert await _audit(database, "actions.imported") == []


async def test_skip_bad_imports_the_good_rows_and_still_lists_the_bad(database, capsys):
    members = await _prepare(database)
    assert await _import(database, BAD_CSV, skip_bad=True) == 0
    output = capsys.readouterr()
    assert len([line for line in output.err.splitlines() if line.startswith("Rad ")]) == 9
    assert "Importerade 2 åtgärder (2 nya, 0 uppdaterade, 0 oförändrade)." in output.out
    assert "Hoppade över 9 rader med fel" in output.out
    actions = await _actions(database)
    assert sorted(actions) == [1, 2]  # the unnumbered row takes the next number after the file's
    joint = actions[2]
    assert (joint.title, joint.responsible_party, joint.responsible_member_id, joint.status) == \
        ("Informationsträff om våld i nära relationer", "gemensam", members["Olle Polis"], "pagaende")
    assert (joint.start_date, joint.due_date) == (date(2027, 1, 15), date(2027, 3, 31))
    [audit] = await _audit(database, "actions.imported")
    assert audit.detail == {"rows": 11, "created": 2, "updated": 0, "unchanged": 0, "skipped": 9}


async def test_headers_in_any_order_and_spelling_and_rows_without_numbers(database, tmp_path, capsys):
    members = await _prepare(database)
    path = tmp_path / "plan.csv"
    path.write_text("ansvarig;ATGARD;klart  senast;Ansvarig part;fokusomrade;status\n"
                    "Fältassistenterna;Klottersanering;15 januari 2027;kommunen;klotter;Pagaende\n"
                    "olle polis;Nattvandring;2027-02-01;LPO Ljungby;vald;installd\n", encoding="utf-8")
    # No Nummer column: both rows are new. Columns missing from the file keep their defaults.
    assert await _import(database, path) == 0
    actions = await _actions(database)
    assert sorted(actions) == [1, 2]
    assert (actions[1].title, actions[1].responsible_text, actions[1].due_date, actions[1].focus_area.code) == \
        ("Klottersanering", "Fältassistenterna", date(2027, 1, 15), "skadegorelse-skola")
    assert (actions[2].responsible_member_id, actions[2].responsible_party, actions[2].status) == \
        (members["Olle Polis"], "polis", "installd")
    assert actions[2].focus_area.code == "fri-fran-vald"
    capsys.readouterr()
    # An unnumbered row above a numbered one must not take that number.
    mixed = tmp_path / "blandad.csv"
    write_table(mixed, ["Åtgärd", "Ansvarig part", "Nummer"],
                [["Ny utan nummer", "polis", None], ["Ny med nummer", "kommun", 3], ["Ny med nummer 4", "båda", 4]])
    assert await _import(database, mixed) == 0
    actions = await _actions(database)
    assert {n: a.title for n, a in actions.items() if n > 2} == {
        3: "Ny med nummer", 4: "Ny med nummer 4", 5: "Ny utan nummer"}
    assert actions[4].responsible_party == "gemensam"


async def test_a_chat_created_action_after_an_import_gets_a_number_above_the_imported(database):
    members = await _prepare(database)
    assert await _import(database, SAMPLE_XLSX) == 0
    async with database.session() as session:
        anna = await MemberRepository(session).get(members["Anna Andersson"])
        action = await ActionRepository(session).add(NewAction("Ny från chatten", "kommun"), anna, at=T0)
        await session.commit()
    assert action.number == max(SAMPLE_NUMBERS) + 1
    # A later import with lower numbers never lowers the sequence.
    async with database.session() as session:
        value = await session.scalar(select(SequenceCounter.value).where(SequenceCounter.name == "action"))
    assert value == max(SAMPLE_NUMBERS) + 1


async def test_an_error_while_writing_rolls_back_the_whole_import(database, monkeypatch):
    await _prepare(database)
    original = ActionRepository.add
    calls = 0

    async def failing_add(self, *args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 6:
            raise RuntimeError("disk full")
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(ActionRepository, "add", failing_add)
    with pytest.raises(RuntimeError):
        await _import(database, SAMPLE_XLSX)
    assert await _count(database, Action) == 0
    assert await _count(database, ActionUpdate) == 0
    assert await _count(database, SequenceCounter) == 0


@pytest.mark.parametrize(("text", "end", "expected"), [
    ("2027-01-15", True, date(2027, 1, 15)), ("15/1 2027", True, date(2027, 1, 15)),
    ("15/1", True, date(2027, 1, 15)), ("1.2.2027", True, date(2027, 2, 1)), ("15/1/27", True, date(2027, 1, 15)),
    ("15 januari 2027", False, date(2027, 1, 15)), ("december 2026", True, date(2026, 12, 31)),
    ("december 2026", False, date(2026, 12, 1)), ("2027-01-15 00:00:00", True, date(2027, 1, 15)),
    ("snart", True, None), ("nästa vecka", True, None), ("15", True, None), ("31/2 2027", True, None),
])
def test_written_dates_name_their_day(text, end, expected):
    assert written_day(text, TODAY, end=end) == expected


# --- the command line, in real processes -------------------------------------------------------------------


def test_import_and_export_on_the_command_line(tmp_path):
    for name, party in (("Anna Andersson", "kommun"), ("Olle Polis", "polis")):
        assert samverkan("members", "add", name, "--party", party, cwd=tmp_path).returncode == 0
    imported = samverkan("import", "actions", str(SAMPLE_XLSX), cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "Importerade 10 åtgärder (10 nya, 0 uppdaterade, 0 oförändrade)." in imported.stdout
    exported = samverkan("export", "actions", "-o", "plan.csv", cwd=tmp_path)  # the format from the name
    assert exported.returncode == 0, exported.stderr
    assert _rows(tmp_path / "plan.csv")[0][4] == "Anna Andersson"
    again = samverkan("import", "actions", "plan.csv", cwd=tmp_path)
    assert "(0 nya, 0 uppdaterade, 10 oförändrade)" in again.stdout
    default = samverkan("export", "actions", cwd=tmp_path)
    assert default.returncode == 0 and list(tmp_path.glob("atgardsplan-*.xlsx"))
    wrong = samverkan("export", "actions", "--format", "csv", "-o", "plan.xlsx", cwd=tmp_path)
    assert wrong.returncode == 2 and "har inte ändelsen .csv" in wrong.stderr


def test_files_that_are_no_action_plan_are_refused_with_a_swedish_message(tmp_path):
    picture = tmp_path / "atgardsplan.xlsx"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    huge = tmp_path / "stor.csv"
    huge.write_text("Åtgärd;Ansvarig part\n" + "".join(f"Åtgärd {n};kommun\n" for n in range(50_000)),
                    encoding="utf-8")
    columns = tmp_path / "kolumner.csv"
    columns.write_text("Nummer;Titel;Part\n1;Trygghetsvandring;kommun\n", encoding="utf-8")
    empty = tmp_path / "tom.csv"
    empty.write_text("", encoding="utf-8")
    for path, message in ((picture, "”atgardsplan.xlsx” är ingen Excel-fil (.xlsx)"),
                          (huge, "Filen har fler än 10 000 rader."),
                          (columns, "Kolumnerna ”Åtgärd” och ”Ansvarig part” saknas i filen."),
                          (empty, "”tom.csv” är tom"),
                          (tmp_path / "finns-inte.csv", "Filen ”finns-inte.csv” finns inte.")):
        result = samverkan("import", "actions", str(path), cwd=tmp_path)
        assert result.returncode == 1, (path, result.stderr)
        assert message in result.stderr and "Inget importerades." in result.stderr
        assert "Traceback" not in result.stderr
    assert "Kolumnen ”Titel” känns inte igen" in samverkan("import", "actions", str(columns), cwd=tmp_path).stdout
    listed = samverkan("export", "actions", "--format", "csv", "-o", "plan.csv", cwd=tmp_path)
    assert "Skrev 0 åtgärder" in listed.stdout
