"""``samverkan import meetings FILE.ics``: forum meetings from an exported calendar.

The import reads an exported calendar (a single meeting or a recurring one per VEVENT) and matches events by
UID, so importing the same file again changes nothing and an edited file updates what it changed.
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from icalendar import Calendar, vRecur

from dialogs.nlu import catalog
from dialogs.nlu.slots import Words
from domain.collaboration import Collaboration, load_collaboration
from domain.text import fold
from storage import AuditLog, sync_catalog
from storage.db import migrated_database
from storage.meetings import DEFAULT_DURATION_MINUTES, MeetingRepository

if TYPE_CHECKING:
    from bot.config import Settings  # the caller's configuration: only its fields are read

_MAX_UID = 255  # meetings.external_uid / meeting_series.external_uid


# --- reading a calendar file --------------------------------------------------------------------------------

class CalendarFileError(ValueError):
    """The file is not an iCalendar file (the message says why, in Swedish)."""


@dataclass
class CalendarEvent:
    """One VEVENT as the import needs it; times aware (floating times read in the collaboration's zone)."""

    uid: str
    summary: str
    starts_at: datetime
    ends_at: datetime | None
    location: str | None
    cancelled: bool
    rrule: str | None = None  # without UNTIL, which is ``until`` (a local day)
    until: date | None = None
    exdates: list[datetime] = field(default_factory=list)
    recurrence_id: datetime | None = None  # set on an edited occurrence of a recurring event


def read_calendar(data: bytes, zone: ZoneInfo) -> tuple[list[CalendarEvent], list[str]]:
    """The file's events, and a Swedish notice for each one left out (all-day events, events without a start)."""
    try:
        calendar = Calendar.from_ical(data)
    except ValueError as error:  # icalendar's parse errors, and undecodable bytes
        raise CalendarFileError("den går inte att läsa som iCalendar") from error
    if getattr(calendar, "name", None) != "VCALENDAR":
        raise CalendarFileError("den börjar inte med BEGIN:VCALENDAR")
    events, notices = [], []
    for number, component in enumerate(calendar.walk("VEVENT"), start=1):
        summary = str(component.get("summary") or "").strip()
        label = f"Händelse {number}" + (f" (”{summary}”)" if summary else "")
        start = component.get("dtstart")
        if start is None:
            notices.append(f"{label} saknar starttid och hoppas över.")
            continue
        starts_at = _aware(start.dt, zone)
        if starts_at is None:
            notices.append(f"{label} är en heldagshändelse och hoppas över: ett möte behöver en starttid.")
            continue
        ends_at = None
        if component.get("dtend") is not None:
            ends_at = _aware(component.get("dtend").dt, zone)
        elif component.get("duration") is not None:
            ends_at = starts_at + component.get("duration").dt
        uid = str(component.get("uid") or "").strip() or _synthetic_uid(summary, starts_at)
        event = CalendarEvent(uid=uid, summary=summary, starts_at=starts_at,
                              ends_at=ends_at if ends_at and ends_at > starts_at else None,
                              location=str(component.get("location") or "").strip()[:200] or None,
                              cancelled=str(component.get("status") or "").upper() == "CANCELLED")
        if component.get("recurrence-id") is not None:
            event.recurrence_id = _aware(component.get("recurrence-id").dt, zone)
        elif component.get("rrule") is not None:
            rule = component.get("rrule")
            rule = rule[0] if isinstance(rule, list) else rule
            event.rrule, event.until = _rule_without_until(rule, zone)
            event.exdates = [moment for moment in (_aware(d, zone) for d in _exdates(component)) if moment]
        events.append(event)
    return events, notices


def _aware(value, zone: ZoneInfo) -> datetime | None:
    """An aware datetime; None for a date (all day). Floating times are local times of the collaboration."""
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=zone) if value.tzinfo is None else value


def _rule_without_until(rule: vRecur, zone: ZoneInfo) -> tuple[str, date | None]:
    parts = vRecur({key: value for key, value in rule.items() if key.upper() != "UNTIL"})
    until = rule.get("UNTIL")
    until = until[0] if isinstance(until, list) else until
    if isinstance(until, datetime):
        until = (until.astimezone(zone) if until.tzinfo else until).date()
    return parts.to_ical().decode(), until


def _exdates(component) -> list:
    found = component.get("exdate")
    if found is None:
        return []
    lists = found if isinstance(found, list) else [found]
    return [entry.dt for exdate in lists for entry in exdate.dts]


def _synthetic_uid(summary: str, starts_at: datetime) -> str:
    """For an event without UID (RFC 5545 requires one, some exports lack it): stable across re-imports."""
    digest = hashlib.sha256(f"{summary}|{starts_at.astimezone(UTC).isoformat()}".encode()).hexdigest()[:32]
    return f"samverkan-import-{digest}"


def _stored_uid(uid: str) -> str:
    """A UID as stored: long ones (some calendar servers write hundreds of characters) as their hash."""
    return uid if len(uid) <= _MAX_UID else "sha256:" + hashlib.sha256(uid.encode()).hexdigest()


# --- samverkan import meetings --------------------------------------------------------------------------------

def _forum_code(collaboration: Collaboration, given: str) -> str | None:
    wanted = fold(given).strip()
    for forum in collaboration.forums:
        if wanted in (forum.code, fold(forum.name)):
            return forum.code
    match = catalog.best(Words.of(given).folded, catalog.forum_terms(collaboration))
    return match.code if match else None


async def import_meetings(settings: Settings, path: str, *, forum: str | None = None) -> int:
    """Import meetings from an .ics file; 0 when imported, 1 when the file or the forum is wrong."""
    collaboration = load_collaboration(settings.config_path)
    zone = ZoneInfo(collaboration.timezone)
    file = Path(path)
    data = _read(file)
    if data is None:
        print(f"Filen ”{path}” finns inte. Inget importerades.", file=sys.stderr)
        return 1
    code = None
    if forum is not None:
        code = _forum_code(collaboration, forum)
        if code is None:
            known = ", ".join(f"{f.code} ({f.name})" for f in collaboration.forums)
            print(f"Det finns inget forum ”{forum}”. Ange ett av: {known}. Inget importerades.", file=sys.stderr)
            return 1
    try:
        events, notices = read_calendar(data, zone)
    except CalendarFileError as error:
        print(f"”{file.name}” är ingen kalenderfil (iCalendar, .ics): {error}. Exportera kalendern som .ics och "
              "försök igen. Inget importerades.", file=sys.stderr)
        return 1
    placed: list[tuple[str, CalendarEvent]] = []
    unmatched = 0
    for event in events:
        event_forum = code or (_forum_code(collaboration, event.summary) if event.summary else None)
        if event_forum is None:
            unmatched += 1
        else:
            placed.append((event_forum, event))
    for notice in notices:
        print(notice)
    if unmatched:
        print(f"{_count(unmatched, 'händelse', 'händelser')} hör inte till något forum (rubriken nämner inget "
              "forum) och hoppades över. Ange --forum för att lägga alla händelser i filen på ett forum.")
    if not placed:
        print(f"”{file.name}” innehåller inga möten att importera. Inget importerades.", file=sys.stderr)
        return 1
    tally: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    async with migrated_database(settings.database_url) as database:
        async with database.session() as session:
            now = datetime.now(UTC)
            # A fresh database has no forums until the bot has started once; the import needs them.
            await sync_catalog(session, collaboration.focus_areas, collaboration.forums, now)
            repository = MeetingRepository(session, zone)
            for event_forum, event in placed:
                try:
                    kind, results = await _store(repository, event_forum, event, zone)
                except ValueError:
                    print(f"”{event.summary or event.uid}”: upprepningsregeln går inte att läsa och hoppades över.")
                    continue
                kinds[kind] += 1
                tally.update(results)
            await AuditLog(session).record("meetings.imported", actor="cli", subject_type="meetings",
                                           detail={"file_events": len(events), "forum": code, **kinds, **tally})
            await session.commit()
    print(f"Importerade {_count(kinds['meeting'], 'möte', 'möten')} och "
          f"{_count(kinds['series'], 'mötesserie', 'mötesserier')} ({_count(tally['created'], 'ny', 'nya')}, "
          f"{_count(tally['updated'], 'uppdaterad', 'uppdaterade')}, "
          f"{_count(tally['unchanged'], 'oförändrad', 'oförändrade')}).")
    return 0


async def _store(repository: MeetingRepository, forum: str, event: CalendarEvent,
                 zone: ZoneInfo) -> tuple[str, list[str]]:
    """One event into meetings or a series; ('meeting' or 'series', one result per row written)."""
    uid = _stored_uid(event.uid)
    if event.recurrence_id is not None:  # one edited date of a recurring event overrides that date
        original = event.recurrence_id.astimezone(UTC)
        key = _stored_uid(f"{event.uid}#{original:%Y%m%dT%H%M%SZ}")
        results = [await repository.upsert_imported_meeting(key, forum, event.starts_at, ends_at=event.ends_at,
                                                            location=event.location, cancelled=event.cancelled)]
        if event.starts_at != event.recurrence_id:  # moved: the original date is off
            results.append(await repository.upsert_imported_meeting(
                _stored_uid(f"{event.uid}#{original:%Y%m%dT%H%M%SZ}#moved"), forum, event.recurrence_id,
                ends_at=None, location=event.location, cancelled=True))
        return "meeting", results
    if event.rrule is None:
        return "meeting", [await repository.upsert_imported_meeting(
            uid, forum, event.starts_at, ends_at=event.ends_at, location=event.location, cancelled=event.cancelled)]
    if event.cancelled:
        return "series", ["updated" if await repository.remove_imported_series(uid) else "unchanged"]
    local = event.starts_at.astimezone(zone)
    duration = int((event.ends_at - event.starts_at).total_seconds() // 60) if event.ends_at else \
        DEFAULT_DURATION_MINUTES
    results = [await repository.upsert_imported_series(
        uid, forum, event.rrule, start_time=time(local.hour, local.minute, local.second), dtstart=local.date(),
        duration_minutes=duration, location=event.location, until=event.until)]
    for excluded in event.exdates:  # dates taken out of the series are cancelled occurrences
        results.append(await repository.upsert_imported_meeting(
            _stored_uid(f"{event.uid}#exdate-{excluded.astimezone(UTC):%Y%m%dT%H%M%SZ}"), forum, excluded,
            ends_at=excluded + timedelta(minutes=duration), location=event.location, cancelled=True))
    return "series", results


def _read(file: Path) -> bytes | None:
    """The file's bytes, or None when there is no such file (a calendar export is small: read at once)."""
    try:
        return file.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
