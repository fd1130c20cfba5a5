"""How the action plan's spreadsheet reads: its columns, and what each cell may say.

Municipalities write dates, parties and statuses in many ways ("15/3", "Polisen och kommunen", "pågår"); the
readers here turn a cell into the value stored, or add a Swedish reason to the row's problems. The import
itself (admin/action_files.py) runs them over every row and writes what passed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dialogs.nlu import catalog
from dialogs.nlu.slots import Words
from dialogs.nlu.time import read_time
from dialogs.nlu.timewords import MONTHS
from domain.collaboration import Collaboration
from domain.text import fold, words
from domain.vocabulary import STATUS_NAMES
from storage import MemberRepository
from storage.models import Action, FocusArea, Member, ResponsibleParty

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
MAX_TITLE, MAX_RESPONSIBLE, MAX_PROMISE = 300, 200, 300
_MAX_NUMBER = 2**31 - 1  # an INTEGER column
_ISO_DAY = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]0?0:00(?::00)?)?")
_DAY_MONTH = re.compile(r"(\d{1,2})\s*[/.]\s*(\d{1,2})(?:\s*[/.\s]\s*(\d{4}|\d{2}))?")
_YEAR = re.compile(r"\b\d{4}\b")


@dataclass
class Lookups:
    """What validation needs from the database, read once per import."""

    collaboration: Collaboration
    today: date
    focus: dict[str, str]  # folded code, name or synonym -> code, including retired areas
    parties: dict[str, str]
    existing: dict[int, Action]
    members: MemberRepository
    _member_cache: dict[str, list[Member]] = field(default_factory=dict)

    async def members_named(self, name: str) -> list[Member]:
        key = cell_key(name)
        if key not in self._member_cache:
            self._member_cache[key] = await self.members.find_by_name(name, include_inactive=True)
        return self._member_cache[key]


def read_columns(headers: list[str]) -> tuple[dict[str, int], list[str], list[str]]:
    """Where each known header is (ignoring case, diacritics and spacing), notices, and header problems."""
    known = {cell_key(header): header for header in HEADERS}
    columns: dict[str, int] = {}
    notices, problems = [], []
    unlabelled = False
    for index, header in enumerate(headers):
        name = known.get(cell_key(header.rstrip(":* ")))
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


def read_number(value: object, reasons: list[str]) -> int | None:
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
        reasons.append(f"”{NUMBER}” är inget heltal: ”{shown(value)}”")
    elif not 0 < number <= _MAX_NUMBER:
        reasons.append(f"”{NUMBER}” ska vara ett heltal från 1 och uppåt, inte {number}")
        return None
    return number


def read_focus(value: object, lookups: Lookups, reasons: list[str]) -> str | None:
    text = cell_text(value)
    if text is None:
        return None
    code = lookups.focus.get(cell_key(text))
    if code is None:
        match = catalog.best(Words.of(text).folded, catalog.focus_area_terms(lookups.collaboration))
        code = match.code if match else None
    if code is None:
        names = ", ".join(area.name for area in lookups.collaboration.focus_areas)
        reasons.append(f"okänt fokusområde ”{text}” (välj bland: {names})")
    return code


def read_party(value: object, parties: dict[str, str], reasons: list[str]) -> str | None:
    text = cell_text(value)
    if text is None:
        reasons.append("Ansvarig part saknas")
        return None
    key = cell_key(text)
    party = parties.get(key)
    if party is None:
        parts = [part for part in _PARTY_SEPARATORS.split(key) if part]
        if len(parts) > 1 and {parties.get(part) for part in parts} == {"kommun", "polis"}:
            party = ResponsibleParty.GEMENSAM.value
    if party is None:
        reasons.append(f"okänd ansvarig part ”{text}” (skriv kommun, polis eller gemensam)")
    return party


async def read_responsible(value: object, existing: Action | None, lookups: Lookups,
                       reasons: list[str]) -> dict[str, Any]:
    """A member's name becomes a link to the member; any other name is kept as text (someone outside)."""
    text = cell_text(value)
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
    if len(text) > MAX_RESPONSIBLE:
        reasons.append(f"Ansvarig är för lång ({len(text)} tecken, högst {MAX_RESPONSIBLE})")
    return {"responsible_member_id": None, "responsible_text": text}


def read_day(value: object, column: str, today: date, *, end: bool, reasons: list[str]) -> date | None:
    """A date cell, or a written date that names its day: relative words ("nästa vecka") are refused,
    since the same file imported again later would then move the dates."""
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    text = cell_text(value)
    if text is None:
        return None
    found = written_day(text, today, end=end)
    if found is None:
        reasons.append(f"”{column}” är inget datum: ”{text}”")
    return found


def written_day(text: str, today: date, *, end: bool) -> date | None:
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


def read_status(value: object, reasons: list[str]) -> str | None:
    text = cell_text(value)
    if text is None:
        return None
    status = _STATUS_WORDS.get(cell_key(text))
    if status is None:
        reasons.append(f"okänd status ”{text}” (skriv planerad, pågående, klar eller inställd)")
    return status


async def focus_index(session: AsyncSession, collaboration: Collaboration) -> dict[str, str]:
    """Codes, names and synonyms, folded; retired areas too, so an old export still imports."""
    index: dict[str, str] = {}
    for area in await session.scalars(select(FocusArea).order_by(FocusArea.retired_at.is_not(None))):
        for term in (area.code, area.name, *(area.synonyms or ())):
            index.setdefault(cell_key(term), area.code)
    for area in collaboration.focus_areas:
        for term in area.terms():
            index.setdefault(cell_key(term), area.code)
    return index


def party_index(collaboration: Collaboration) -> dict[str, str]:
    index = {word: ResponsibleParty.GEMENSAM.value for word in _JOINT_WORDS}
    index[cell_key(JOINT_NAME)] = ResponsibleParty.GEMENSAM.value
    police = cell_key(collaboration.police_area)
    names = {
        "kommun": ["kommun", "kommunen", collaboration.municipality],
        "polis": ["polis", "polisen", "lokalpolisen", collaboration.police_area,
                  police.replace("lokalpolisomrade ", "lpo ", 1)],
    }
    for party in collaboration.parties:
        names.setdefault(party.code, []).append(party.name)
    for code, terms in names.items():
        for term in terms:
            index[cell_key(term)] = code
    return index


def cell_key(text: str) -> str:
    """Case, diacritics and spacing ignored: ”Klart  senast”, ”klart senast” and ”KLART SENAST” are one."""
    return " ".join(fold(text).split())


def cell_text(value: object) -> str | None:
    """A cell as stripped text (whole numbers without '.0'), or None when empty."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, date):
        value = value.isoformat()
    text = str(value).strip()
    return text or None


def shown(value: object) -> str:
    return cell_text(value) or ""
