"""``samverkan import actions`` and ``samverkan export actions``: the action plan as a spreadsheet.

Municipalities keep their action plan in Excel, so the bot reads and writes the same table: one row per
action, Swedish headers, the action's number first. An import is all or nothing: every bad row is listed
with its spreadsheet row number and nothing is saved unless ``--skip-bad`` asks for the good rows alone.
Rows are matched by number, so importing the same file again, or an exported one, changes nothing, and a
real change goes through ``ActionRepository.update_fields`` and so becomes history.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from admin.action_cells import (
    DUE,
    FOCUS,
    FORMATS,
    HEADERS,
    JOINT_NAME,
    MAX_PROMISE,
    MAX_TITLE,
    NUMBER,
    PARTY,
    PROMISE,
    RESPONSIBLE,
    START,
    STATUS,
    STATUS_NAMES,
    TITLE,
    Lookups,
    cell_key,
    cell_text,
    focus_index,
    party_index,
    read_columns,
    read_day,
    read_focus,
    read_number,
    read_party,
    read_responsible,
    read_status,
    written_day,
)
from admin.spreadsheets import SpreadsheetError, TableRow, read_table, write_table
from domain.collaboration import load_collaboration
from storage import AuditLog, MemberRepository, sync_catalog
from storage.actions import SEQUENCE, ActionRepository, NewAction, PromiseRepository
from storage.db import migrated_database
from storage.models import ActionStatus, ResponsibleParty
from storage.sequences import raise_to

if TYPE_CHECKING:
    from bot.config import Settings  # the caller's configuration: only its fields are read

# Re-exported: the spreadsheet's format is read and written here too.
__all__ = ["FORMATS", "HEADERS", "JOINT_NAME", "STATUS_NAMES", "export_actions", "import_actions", "written_day"]


@dataclass
class _Row:
    """A row that passed validation: ``changes`` holds only the columns the file has."""

    line: int
    number: int | None
    changes: dict[str, Any]
    promise: str | None = None  # the promise title, when the column is there and filled
    has_promise_column: bool = False


# --- import ------------------------------------------------------------------------------------------------


async def import_actions(settings: Settings, path: str, *, skip_bad: bool, today: date | None = None) -> int:
    """Import an action plan; 0 when imported, 1 when the file or any row (without ``skip_bad``) is wrong."""
    collaboration = load_collaboration(settings.config_path)
    today = today or datetime.now(ZoneInfo(collaboration.timezone)).date()
    file = Path(path)
    try:
        headers, table = read_table(file)
    except SpreadsheetError as error:
        print(f"{error} Inget importerades.", file=sys.stderr)
        return 1
    columns, notices, header_problems = read_columns(headers)
    for notice in notices:
        print(notice)
    if header_problems:
        for problem in header_problems:
            print(problem, file=sys.stderr)
        print("Inget importerades. Första raden ska ha rubrikerna: " + ", ".join(HEADERS) + ".", file=sys.stderr)
        return 1
    if not table:
        print(f"”{file.name}” har rubriker men inga åtgärder. Inget importerades.", file=sys.stderr)
        return 1
    async with migrated_database(settings.database_url) as database:
        async with database.session() as session:
            now = datetime.now(UTC)
            # A fresh database has no focus areas until the bot has started once; the import needs them.
            await sync_catalog(session, collaboration.focus_areas, collaboration.forums, now)
            repository = ActionRepository(session)
            lookups = Lookups(collaboration, today, await focus_index(session, collaboration),
                               party_index(collaboration), {a.number: a for a in await repository.all()},
                               MemberRepository(session))
            rows, problems = await _validate(table, columns, lookups)
            bad_lines = {line for line, _ in problems}
            for line, reason in sorted(problems, key=lambda problem: problem[0]):
                print(f"Rad {line}: {reason}", file=sys.stderr)
            if problems and not skip_bad:
                print(f"{_count(len(bad_lines), 'rad', 'rader')} har fel. Inget importerades. Rätta dem och "
                      "försök igen, eller använd --skip-bad för att importera de övriga raderna.", file=sys.stderr)
                return 1
            if not rows:
                print("Ingen rad gick att importera. Inget importerades.", file=sys.stderr)
                return 1
            created, updated, unchanged = await _write(session, repository, rows, lookups, now)
            await AuditLog(session).record(
                "actions.imported", actor="cli", subject_type="actions",
                detail={"rows": len(table), "created": created, "updated": updated, "unchanged": unchanged,
                        "skipped": len(bad_lines)})
            await session.commit()
    print(f"Importerade {_count(len(rows), 'åtgärd', 'åtgärder')} ({_count(created, 'ny', 'nya')}, "
          f"{_count(updated, 'uppdaterad', 'uppdaterade')}, {_count(unchanged, 'oförändrad', 'oförändrade')}).")
    if bad_lines:
        print(f"Hoppade över {_count(len(bad_lines), 'rad', 'rader')} med fel (se ovan).")
    return 0


async def _validate(table: list[TableRow], columns: dict[str, int],
                    lookups: Lookups) -> tuple[list[_Row], list[tuple[int, str]]]:
    """Every row checked; a row with any problem is left out of the result, and all its problems reported."""
    rows: list[_Row] = []
    problems: list[tuple[int, str]] = []
    numbers: dict[int, list[int]] = {}
    for table_row in table:
        def cell(name: str, values: list[object] = table_row.values) -> object:
            return values[columns[name]] if name in columns else None

        reasons: list[str] = []
        number = read_number(cell(NUMBER), reasons)
        if number is not None:
            numbers.setdefault(number, []).append(table_row.number)
        existing = lookups.existing.get(number) if number is not None else None
        changes: dict[str, Any] = {}
        title = cell_text(cell(TITLE))
        if title is None:
            reasons.append("Åtgärd saknas")
        elif len(title) > MAX_TITLE:
            reasons.append(f"Åtgärd är för lång ({len(title)} tecken, högst {MAX_TITLE})")
        changes["title"] = title
        if FOCUS in columns:
            changes["focus_area"] = read_focus(cell(FOCUS), lookups, reasons)
        changes["responsible_party"] = read_party(cell(PARTY), lookups.parties, reasons)
        if RESPONSIBLE in columns:
            changes.update(await read_responsible(cell(RESPONSIBLE), existing, lookups, reasons))
        if START in columns:
            changes["start_date"] = read_day(cell(START), START, lookups.today, end=False, reasons=reasons)
        if DUE in columns:
            changes["due_date"] = read_day(cell(DUE), DUE, lookups.today, end=True, reasons=reasons)
        start, due = changes.get("start_date"), changes.get("due_date")
        if start and due and start > due:
            reasons.append(f"”{START}” ({start.isoformat()}) ligger efter ”{DUE}” ({due.isoformat()})")
        status = read_status(cell(STATUS), reasons)
        if status is not None:
            changes["status"] = status
        elif existing is None:
            changes["status"] = ActionStatus.PLANERAD.value
        # An empty status cell leaves an existing action's status alone: blank is not "back to planned".
        promise = cell_text(cell(PROMISE))
        if promise is not None and len(promise) > MAX_PROMISE:
            reasons.append(f"Medborgarlöftet är för långt ({len(promise)} tecken, högst {MAX_PROMISE})")
        problems += [(table_row.number, reason) for reason in reasons]
        if not reasons:
            rows.append(_Row(table_row.number, number, changes, promise, PROMISE in columns))
    repeated = {number: lines for number, lines in numbers.items() if len(lines) > 1}
    for number, lines in repeated.items():
        where = ", ".join(str(line) for line in lines[:-1]) + f" och {lines[-1]}"
        times = "två gånger" if len(lines) == 2 else f"{len(lines)} gånger"
        problems += [(line, f"numret {number} finns {times} i filen (rad {where})") for line in lines]
    return [row for row in rows if row.number not in repeated], problems


async def _write(session, repository: ActionRepository, rows: list[_Row], lookups: Lookups,
                 now: datetime) -> tuple[int, int, int]:
    """Create or update each row; returns (created, updated, unchanged)."""
    numbered = [row.number for row in rows if row.number is not None]
    if numbered:
        # Before any unnumbered row takes the next number, so it cannot take one the file uses further down.
        await raise_to(session, SEQUENCE, max(numbered))
    titles = {cell_key(action.title): action.number for action in lookups.existing.values()}
    promises = PromiseRepository(session)
    promise_ids: dict[str, int] = {}  # a plan names a few promises on many rows: one lookup each
    created = updated = unchanged = 0
    for row in rows:
        changes = dict(row.changes)
        if row.has_promise_column:
            changes["promise_id"] = None
            if row.promise:
                if row.promise not in promise_ids:
                    period_start = changes.get("start_date") or lookups.today
                    promise_ids[row.promise] = (await promises.get_or_create(row.promise,
                                                                             period_start=period_start)).id
                changes["promise_id"] = promise_ids[row.promise]
        action = lookups.existing.get(row.number) if row.number is not None else None
        if action is None:
            if row.number is None and cell_key(changes["title"]) in titles:
                print(f"Obs: rad {row.line} har inget nummer och läggs till som en ny åtgärd, fast "
                      f"#{titles[cell_key(changes['title'])]} har samma namn.")
            await repository.add(NewAction(**changes), None, at=now, number=row.number, load=False)
            created += 1
        elif await repository.update_fields(action, changes, None, at=now):
            updated += 1
        else:
            unchanged += 1
    return created, updated, unchanged


# --- export ------------------------------------------------------------------------------------------------


async def export_actions(settings: Settings, *, fmt: str, output: str | None, today: date | None = None) -> int:
    """Write the whole action plan, sorted by number, in the format the import reads."""
    collaboration = load_collaboration(settings.config_path)
    today = today or datetime.now(ZoneInfo(collaboration.timezone)).date()
    path = Path(output) if output else Path(f"atgardsplan-{today.isoformat()}.{fmt}")
    if path.suffix.lower() != f".{fmt}":
        print(f"Filen {path} har inte ändelsen .{fmt}.", file=sys.stderr)
        return 2
    party_names = {party.code: party.name for party in collaboration.parties}
    party_names[ResponsibleParty.GEMENSAM.value] = JOINT_NAME
    async with migrated_database(settings.database_url) as database:
        async with database.session() as session:
            actions = await ActionRepository(session).all()
            rows = [[action.number, action.title, action.focus_area.name if action.focus_area else None,
                     party_names.get(action.responsible_party, action.responsible_party),
                     action.responsible_member.name if action.responsible_member else action.responsible_text,
                     action.start_date, action.due_date, STATUS_NAMES.get(action.status, action.status),
                     action.promise.title if action.promise else None] for action in actions]
            write_table(path, HEADERS, rows, sheet_title="Åtgärdsplan")
            await AuditLog(session).record("actions.exported", actor="cli", subject_type="actions",
                                           detail={"rows": len(rows), "format": fmt})
            await session.commit()
    print(f"Skrev {_count(len(rows), 'åtgärd', 'åtgärder')} till {path}.")
    return 0


# --- helpers -----------------------------------------------------------------------------------------------


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
