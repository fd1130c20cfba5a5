"""``samverkan import actions`` and ``samverkan export actions``: the action plan as a spreadsheet.

Municipalities keep their action plan in Excel, so the bot reads and writes the same table: one row per
action, Swedish headers, the action's number first. An import is all or nothing: every bad row is listed
with its spreadsheet row number and nothing is saved unless ``--skip-bad`` asks for the good rows alone.
Rows are matched by number, so importing the same file again, or an exported one, changes nothing, and a
real change goes through ``ActionRepository.update_fields`` and so becomes history.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from admin.spreadsheets import SpreadsheetError, TableRow, read_table, write_table
from bot.config import Settings
from dialogs.nlu import catalog
from dialogs.nlu.slots import Words
from dialogs.nlu.time import read_time
from dialogs.nlu.timewords import MONTHS
from domain.collaboration import Collaboration, load_collaboration
from domain.text import fold, words
from domain.vocabulary import STATUS_NAMES
from storage import AuditLog, MemberRepository, sync_catalog
from storage.actions import SEQUENCE, ActionRepository, NewAction, PromiseRepository
from storage.db import migrated_database
from storage.models import Action, ActionStatus, FocusArea, Member, ResponsibleParty
from storage.sequences import raise_to

NUMBER, TITLE, FOCUS, PARTY, RESPONSIBLE, START, DUE, STATUS, PROMISE = HEADERS = [
    "Nummer", "Åtgärd", "Fokusområde", "Ansvarig part", "Ansvarig", "Start", "Klart senast", "Status",
    "Medborgarlöfte"]
REQUIRED = (TITLE, PARTY)
FORMATS = ("csv", "xlsx")
JOINT_NAME = "Gemensam"
# What people write in the status column, folded; the four official words with and without diacritics.
_STATUS_WORDS = {
    **{fold(name): value for value, name in STATUS_NAMES.items()},
    "planerat": "planerad", "ej paborjad": "planerad", "pagar": "pagaende", "paborjad": "pagaende",
    "klart": "klar", "avklarad": "klar", "genomford": "klar", "installt": "installd", "avbruten": "installd",
}
_JOINT_WORDS = {"gemensam", "gemensamt", "gemensamma", "bada", "bada parter", "bada parterna"}
_PARTY_SEPARATORS = re.compile(r"\s*(?:,|&|\+|/|\boch\b)\s*")
# Column sizes in storage.models: PostgreSQL refuses longer text, SQLite would keep it silently.
_MAX_TITLE, _MAX_RESPONSIBLE, _MAX_PROMISE = 300, 200, 300
_MAX_NUMBER = 2**31 - 1  # an INTEGER column
_ISO_DAY = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]0?0:00(?::00)?)?")
_DAY_MONTH = re.compile(r"(\d{1,2})\s*[/.]\s*(\d{1,2})(?:\s*[/.\s]\s*(\d{4}|\d{2}))?")
_YEAR = re.compile(r"\b\d{4}\b")


@dataclass
class _Row:
    """A row that passed validation: ``changes`` holds only the columns the file has."""

    line: int
    number: int | None
    changes: dict[str, Any]
    promise: str | None = None  # the promise title, when the column is there and filled
    has_promise_column: bool = False


@dataclass
class _Lookups:
    """What validation needs from the database, read once per import."""

    collaboration: Collaboration
    today: date
    focus: dict[str, str]  # folded code, name or synonym -> code, including retired areas
    parties: dict[str, str]
    existing: dict[int, Action]
    members: MemberRepository
    _member_cache: dict[str, list[Member]] = field(default_factory=dict)

    async def members_named(self, name: str) -> list[Member]:
        key = _key(name)
        if key not in self._member_cache:
            self._member_cache[key] = await self.members.find_by_name(name, include_inactive=True)
        return self._member_cache[key]


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
    columns, notices, header_problems = _columns(headers)
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
            lookups = _Lookups(collaboration, today, await _focus_index(session, collaboration),
                               _party_index(collaboration), {a.number: a for a in await repository.all()},
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


def _columns(headers: list[str]) -> tuple[dict[str, int], list[str], list[str]]:
    """Where each known header is (ignoring case, diacritics and spacing), notices, and header problems."""
    known = {_key(header): header for header in HEADERS}
    columns: dict[str, int] = {}
    notices, problems = [], []
    unlabelled = False
    for index, header in enumerate(headers):
        name = known.get(_key(header.rstrip(":* ")))
        if name is None:
            if header:
                notices.append(f"Kolumnen ”{header}” känns inte igen och hoppas över.")
            else:
                unlabelled = True
        elif name in columns:
            problems.append(f"Kolumnen ”{name}” finns två gånger.")
        else:
            columns[name] = index
    if unlabelled:
        notices.append("Värden i kolumner utan rubrik hoppas över.")
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        names = " och ".join(f"”{name}”" for name in missing)
        problems.insert(0, f"{'Kolumnen' if len(missing) == 1 else 'Kolumnerna'} {names} saknas i filen.")
    return columns, notices, problems


async def _validate(table: list[TableRow], columns: dict[str, int],
                    lookups: _Lookups) -> tuple[list[_Row], list[tuple[int, str]]]:
    """Every row checked; a row with any problem is left out of the result, and all its problems reported."""
    rows: list[_Row] = []
    problems: list[tuple[int, str]] = []
    numbers: dict[int, list[int]] = {}
    for table_row in table:
        def cell(name: str, values: list[object] = table_row.values) -> object:
            return values[columns[name]] if name in columns else None

        reasons: list[str] = []
        number = _number(cell(NUMBER), reasons)
        if number is not None:
            numbers.setdefault(number, []).append(table_row.number)
        existing = lookups.existing.get(number) if number is not None else None
        changes: dict[str, Any] = {}
        title = _text(cell(TITLE))
        if title is None:
            reasons.append("Åtgärd saknas")
        elif len(title) > _MAX_TITLE:
            reasons.append(f"Åtgärd är för lång ({len(title)} tecken, högst {_MAX_TITLE})")
        changes["title"] = title
        if FOCUS in columns:
            changes["focus_area"] = _focus(cell(FOCUS), lookups, reasons)
        changes["responsible_party"] = _party(cell(PARTY), lookups.parties, reasons)
        if RESPONSIBLE in columns:
            changes.update(await _responsible(cell(RESPONSIBLE), existing, lookups, reasons))
        if START in columns:
            changes["start_date"] = _day(cell(START), START, lookups.today, end=False, reasons=reasons)
        if DUE in columns:
            changes["due_date"] = _day(cell(DUE), DUE, lookups.today, end=True, reasons=reasons)
        start, due = changes.get("start_date"), changes.get("due_date")
        if start and due and start > due:
            reasons.append(f"”{START}” ({start.isoformat()}) ligger efter ”{DUE}” ({due.isoformat()})")
        status = _status(cell(STATUS), reasons)
        if status is not None:
            changes["status"] = status
        elif existing is None:
            changes["status"] = ActionStatus.PLANERAD.value
        # An empty status cell leaves an existing action's status alone: blank is not "back to planned".
        promise = _text(cell(PROMISE))
        if promise is not None and len(promise) > _MAX_PROMISE:
            reasons.append(f"Medborgarlöftet är för långt ({len(promise)} tecken, högst {_MAX_PROMISE})")
        problems += [(table_row.number, reason) for reason in reasons]
        if not reasons:
            rows.append(_Row(table_row.number, number, changes, promise, PROMISE in columns))
    repeated = {number: lines for number, lines in numbers.items() if len(lines) > 1}
    for number, lines in repeated.items():
        where = ", ".join(str(line) for line in lines[:-1]) + f" och {lines[-1]}"
        times = "två gånger" if len(lines) == 2 else f"{len(lines)} gånger"
        problems += [(line, f"numret {number} finns {times} i filen (rad {where})") for line in lines]
    return [row for row in rows if row.number not in repeated], problems


async def _write(session, repository: ActionRepository, rows: list[_Row], lookups: _Lookups,
                 now: datetime) -> tuple[int, int, int]:
    """Create or update each row; returns (created, updated, unchanged)."""
    numbered = [row.number for row in rows if row.number is not None]
    if numbered:
        # Before any unnumbered row takes the next number, so it cannot take one the file uses further down.
        await raise_to(session, SEQUENCE, max(numbered))
    titles = {_key(action.title): action.number for action in lookups.existing.values()}
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
            if row.number is None and _key(changes["title"]) in titles:
                print(f"Obs: rad {row.line} har inget nummer och läggs till som en ny åtgärd, fast "
                      f"#{titles[_key(changes['title'])]} har samma namn.")
            await repository.add(NewAction(**changes), None, at=now, number=row.number, load=False)
            created += 1
        elif await repository.update_fields(action, changes, None, at=now):
            updated += 1
        else:
            unchanged += 1
    return created, updated, unchanged


def _number(value: object, reasons: list[str]) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        digits = str(value).strip().lstrip("#").strip()
        number = int(digits) if digits.isdigit() else None
    if number is None:
        reasons.append(f"”{NUMBER}” är inget heltal: ”{_shown(value)}”")
    elif not 0 < number <= _MAX_NUMBER:
        reasons.append(f"”{NUMBER}” ska vara ett heltal från 1 och uppåt, inte {number}")
        return None
    return number


def _focus(value: object, lookups: _Lookups, reasons: list[str]) -> str | None:
    text = _text(value)
    if text is None:
        return None
    code = lookups.focus.get(_key(text))
    if code is None:
        match = catalog.best(Words.of(text).folded, catalog.focus_area_terms(lookups.collaboration))
        code = match.code if match else None
    if code is None:
        names = ", ".join(area.name for area in lookups.collaboration.focus_areas)
        reasons.append(f"okänt fokusområde ”{text}” (välj bland: {names})")
    return code


def _party(value: object, parties: dict[str, str], reasons: list[str]) -> str | None:
    text = _text(value)
    if text is None:
        reasons.append("Ansvarig part saknas")
        return None
    key = _key(text)
    party = parties.get(key)
    if party is None:
        parts = [part for part in _PARTY_SEPARATORS.split(key) if part]
        if len(parts) > 1 and {parties.get(part) for part in parts} == {"kommun", "polis"}:
            party = ResponsibleParty.GEMENSAM.value
    if party is None:
        reasons.append(f"okänd ansvarig part ”{text}” (skriv kommun, polis eller gemensam)")
    return party


async def _responsible(value: object, existing: Action | None, lookups: _Lookups,
                       reasons: list[str]) -> dict[str, Any]:
    """A member's name becomes a link to the member; any other name is kept as text (someone outside)."""
    text = _text(value)
    if text is None:
        return {"responsible_member_id": None, "responsible_text": None}
    found = await lookups.members_named(text)
    if existing is not None and existing.responsible_member_id in {member.id for member in found}:
        return {"responsible_member_id": existing.responsible_member_id, "responsible_text": None}
    if len(found) > 1:
        reasons.append(f"flera medlemmar heter ”{text}”; skriv den ansvariga i chatten i stället")
        return {}
    if found:
        return {"responsible_member_id": found[0].id, "responsible_text": None}
    if len(text) > _MAX_RESPONSIBLE:
        reasons.append(f"Ansvarig är för lång ({len(text)} tecken, högst {_MAX_RESPONSIBLE})")
    return {"responsible_member_id": None, "responsible_text": text}


def _day(value: object, column: str, today: date, *, end: bool, reasons: list[str]) -> date | None:
    """A date cell, or a written date that names its day: relative words ("nästa vecka") are refused,
    since the same file imported again later would then move the dates."""
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    text = _text(value)
    if text is None:
        return None
    found = _written_day(text, today, end=end)
    if found is None:
        reasons.append(f"”{column}” är inget datum: ”{text}”")
    return found


def _written_day(text: str, today: date, *, end: bool) -> date | None:
    try:
        if match := _ISO_DAY.fullmatch(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _DAY_MONTH.fullmatch(text):
            day, month = int(match[1]), int(match[2])
            if match[3]:
                year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
                return date(year, month, day)
            found = date(today.year, month, day)
            return found if found >= today else date(today.year + 1, month, day)
    except ValueError:
        return None
    if not (_YEAR.search(text) or any(word in MONTHS for word in words(text))):
        return None
    interval = read_time(text, datetime.combine(today, time(12)), "future")
    if interval is None or interval.start.time() != time() or interval.end.time() != time():
        return None
    return (interval.end - timedelta(days=1)).date() if end else interval.start.date()


def _status(value: object, reasons: list[str]) -> str | None:
    text = _text(value)
    if text is None:
        return None
    status = _STATUS_WORDS.get(_key(text))
    if status is None:
        reasons.append(f"okänd status ”{text}” (skriv planerad, pågående, klar eller inställd)")
    return status


async def _focus_index(session, collaboration: Collaboration) -> dict[str, str]:
    """Codes, names and synonyms, folded; retired areas too, so an old export still imports."""
    index: dict[str, str] = {}
    for area in await session.scalars(select(FocusArea).order_by(FocusArea.retired_at.is_not(None))):
        for term in (area.code, area.name, *(area.synonyms or ())):
            index.setdefault(_key(term), area.code)
    for area in collaboration.focus_areas:
        for term in area.terms():
            index.setdefault(_key(term), area.code)
    return index


def _party_index(collaboration: Collaboration) -> dict[str, str]:
    index = {word: ResponsibleParty.GEMENSAM.value for word in _JOINT_WORDS}
    index[_key(JOINT_NAME)] = ResponsibleParty.GEMENSAM.value
    police = _key(collaboration.police_area)
    names = {
        "kommun": ["kommun", "kommunen", collaboration.municipality],
        "polis": ["polis", "polisen", "lokalpolisen", collaboration.police_area,
                  police.replace("lokalpolisomrade ", "lpo ", 1)],
    }
    for party in collaboration.parties:
        names.setdefault(party.code, []).append(party.name)
    for code, terms in names.items():
        for term in terms:
            index[_key(term)] = code
    return index


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


def _key(text: str) -> str:
    """Case, diacritics and spacing ignored: ”Klart  senast”, ”klart senast” and ”KLART SENAST” are one."""
    return " ".join(fold(text).split())


def _text(value: object) -> str | None:
    """A cell as stripped text (whole numbers without '.0'), or None when empty."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, date):
        value = value.isoformat()
    text = str(value).strip()
    return text or None


def _shown(value: object) -> str:
    return _text(value) or ""


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
