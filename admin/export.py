"""``samverkan export observations``: the log as a spreadsheet with Swedish headers, for the yearly follow-up.

Only the current, not undone version of each observation is exported; times are local. The export is
audited like any other read of the log.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from admin.spreadsheets import write_table
from dialogs.nlu.time import read_time
from dialogs.observation_draft import KIND_NAMES
from domain.collaboration import load_collaboration
from storage import AuditLog
from storage.db import migrated_database
from storage.observations import ObservationRepository

if TYPE_CHECKING:
    from bot.config import Settings  # the caller's configuration: only its fields are read

OBSERVATION_HEADERS = ["Nummer", "Fokusområde", "Typ", "Plats", "Inträffade från", "Inträffade till",
                       "Beskrivning", "Källa", "Loggad av", "Loggad av part", "Loggad"]
FORMATS = ("csv", "xlsx")


def read_day(text: str, today: date, *, end: bool) -> date | None:
    """'2026-01-01', '1/1 2026', or Swedish such as 'i januari' (its first or last day)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    interval = read_time(text, datetime.combine(today, time(12)), "past")
    if interval is None:
        return None
    return (interval.end - timedelta(microseconds=1)).date() if end else interval.start.date()


async def export_observations(settings: Settings, *, first: str | None, last: str | None, fmt: str,
                              output: str | None, today: date | None = None) -> int:
    collaboration = load_collaboration(settings.config_path)
    zone = ZoneInfo(collaboration.timezone)
    today = today or datetime.now(zone).date()
    start = read_day(first, today, end=False) if first else date(today.year, 1, 1)
    stop = read_day(last, today, end=True) if last else today
    if start is None or stop is None:
        print(f"Datumet {first if start is None else last!r} förstår jag inte. Skriv till exempel 2026-01-01.",
              file=sys.stderr)
        return 2
    if stop < start:
        print(f"--to ({stop}) ligger före --from ({start}).", file=sys.stderr)
        return 2
    path = Path(output) if output else Path(f"observationer-{start}-{stop}.{fmt}")
    if path.suffix.lower() != f".{fmt}":
        print(f"Filen {path} har inte ändelsen .{fmt}.", file=sys.stderr)
        return 2
    async with migrated_database(settings.database_url) as database:
        async with database.session() as session:
            observations = await ObservationRepository(session).between(
                datetime.combine(start, time(), zone), datetime.combine(stop + timedelta(days=1), time(), zone))
            party_names = {p.code: p.name for p in collaboration.parties}

            def local(moment: datetime | None) -> datetime | None:
                return moment.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0) if moment else None

            def occurred(start: datetime, end: datetime | None) -> tuple[datetime | date, datetime | date | None]:
                """From and to as people read them: whole days as dates, the last one included ("v 48" is
                2026-11-23 to 2026-11-29, not to 2026-11-30 00:00); a part of a day to its last minute."""
                first, last = local(start), local(end)
                if last is None or last <= first or last.time() != time():
                    return first, last
                if first.time() != time():
                    return first, last - timedelta(minutes=1)  # "igår kväll": to 23:59, not the next day
                return first.date(), (last - timedelta(days=1)).date()

            rows = [[o.number, o.focus_area.name, KIND_NAMES.get(o.kind, o.kind), o.place or "",
                     *occurred(o.occurred_start, o.occurred_end), o.description,
                     party_names.get(o.source_party, o.source_party), o.author.name,
                     party_names.get(o.author_party, o.author_party), local(o.created_at)] for o in observations]
            write_table(path, OBSERVATION_HEADERS, rows, sheet_title="Observationer")
            await AuditLog(session).record(
                "observations.exported", actor="cli", subject_type="observations",
                detail={"from": start.isoformat(), "to": stop.isoformat(), "rows": len(rows), "format": fmt})
            await session.commit()
    print(f"Skrev {len(rows)} observationer ({start}–{stop}) till {path}.")
    return 0
