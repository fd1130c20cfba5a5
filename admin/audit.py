"""``samverkan audit``: who read or changed what, when, through which channel, for a data protection officer.

Reads the audit log (storage.audit) and writes it as text for the terminal or as CSV for a spreadsheet, with
Swedish headings and local times. The log is append-only; this tool only reads it, and its own run is audited
too (``audit.exported``), so looking at the log leaves a trace like any other read.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from admin.members import NoOneMember, one_member
from admin.spreadsheets import write_table
from domain.collaboration import load_collaboration
from storage import AuditLog, MemberRepository
from storage.db import migrated_database
from storage.models import AuditEntry, Member

if TYPE_CHECKING:
    from bot.config import Settings  # the caller's configuration: only its fields are read

FORMATS = ("csv", "text")
CSV_HEADERS = ["Nummer", "Tid", "Vem", "Part", "Medlems-id", "Kanal", "Händelse", "Beskrivning", "Gäller",
               "Gäller id", "Detaljer"]
TEXT_HEADERS = ["Tid", "Vem", "Kanal", "Händelse", "Gäller", "Detaljer"]
CLI = "cli"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_TEXT_WIDTHS = (19, 40, 14, 26, 24, 0)  # at most, per text column; 0: the rest of the line as it comes

CHANNEL_NAMES = {"msteams": "Teams", "matrix": "Matrix", "console": "terminalen", CLI: "kommandoraden"}
ACTION_NAMES = {
    "access.denied": "nekades (inte medlem)",
    "observation.created": "loggade en observation", "observation.corrected": "rättade en observation",
    "observation.deleted": "tog bort en observation", "observation.restored": "återställde en observation",
    "observation.viewed": "läste en observation", "observations.listed": "listade observationer",
    "observations.exported": "exporterade loggen", "situation.viewed": "läste lägesbilden",
    "action.created": "skapade en åtgärd", "action.completed": "klarmarkerade en åtgärd",
    "action.cancelled": "ställde in en åtgärd", "action.postponed": "sköt upp en åtgärd",
    "action.reassigned": "bytte ansvarig för en åtgärd", "action.snoozed": "pausade påminnelser om en åtgärd",
    "action.commented": "kommenterade en åtgärd", "action.viewed": "läste en åtgärd",
    "action.promise_linked": "kopplade en åtgärd till ett medborgarlöfte",
    "action.promise_unlinked": "kopplade bort en åtgärd från ett medborgarlöfte",
    "actions.imported": "importerade åtgärdsplanen", "actions.exported": "exporterade åtgärdsplanen",
    "promise.created": "skapade ett medborgarlöfte",
    "meeting.scheduled": "planerade ett möte", "meeting_series.scheduled": "planerade en mötesserie",
    "meeting.moved": "flyttade ett möte", "meeting.cancelled": "ställde in ett möte",
    "meeting_brief.viewed": "läste mötesunderlaget", "meetings.imported": "importerade möten",
    "reminder.created": "skapade en påminnelse", "reminder.cancelled": "tog bort en påminnelse",
    "member.added": "lade till en medlem", "member.changed": "ändrade en medlem",
    "member.removed": "tog bort en medlem", "member.settings": "ändrade sina inställningar",
    "channel.bound": "kopplade en kanal till ett forum", "channel.unbound": "kopplade bort en kanal",
    "conversation.installed": "lade till boten i en konversation",
    "conversation.removed": "tog bort boten från en konversation",
    "change.undone": "ångrade en ändring", "report.follow_up": "skrev den årliga uppföljningen",
    "matrix.invite_refused": "bjöd in boten (nekades)", "matrix.keys_refused": "krypteringsnycklar nekades",
    "audit.exported": "läste granskningsloggen",
}


class AuditRequestError(Exception):
    """A request the tool cannot run; the message is Swedish and meant for the admin at the terminal."""


@dataclass(frozen=True)
class Period:
    """The local days asked for, and the instants they span: ``start`` included, ``stop`` excluded."""

    first: date | None
    last: date | None
    start: datetime | None
    stop: datetime | None

    def text(self) -> str:
        if self.first is None and self.last is None:
            return "hela loggen"
        return f"{self.first or 'början'}–{self.last or 'i dag'}"


def read_period(first: str | None, last: str | None, zone: ZoneInfo) -> Period:
    """``--from`` and ``--to`` as YYYY-MM-DD in the collaboration's timezone, both days included."""
    start_day, last_day = _day(first, "--from"), _day(last, "--to")
    if start_day and last_day and last_day < start_day:
        raise AuditRequestError(f"--to ({last_day}) ligger före --from ({start_day}).")
    return Period(start_day, last_day,
                  datetime.combine(start_day, time(), zone) if start_day else None,
                  datetime.combine(last_day + timedelta(days=1), time(), zone) if last_day else None)


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    written = text.strip()
    if not _DAY.fullmatch(written):
        raise AuditRequestError(f"{option} {text!r}: skriv datum som ÅÅÅÅ-MM-DD, t.ex. 2026-01-31.")
    try:
        return date.fromisoformat(written)
    except ValueError:
        raise AuditRequestError(f"{option} {text!r}: det datumet finns inte. Skriv datum som ÅÅÅÅ-MM-DD, "
                                "t.ex. 2026-01-31.") from None


async def export_audit(settings: Settings, *, member: str | None = None, first: str | None = None,
                       last: str | None = None, action: str | None = None, fmt: str = "text",
                       output: str | None = None, today: date | None = None) -> int:
    """Writes the audit entries asked for; 2 with a Swedish message on stderr for a request it cannot run."""
    collaboration = load_collaboration(settings.config_path)
    zone = ZoneInfo(collaboration.timezone)
    today = today or datetime.now(zone).date()
    try:
        period = read_period(first, last, zone)
        path = _output_path(fmt, output, today)
    except AuditRequestError as error:
        print(str(error), file=sys.stderr)
        return 2
    prefix = action.strip().lower() if action and action.strip() else None
    party_names = {p.code: p.name for p in collaboration.parties}
    async with migrated_database(settings.database_url) as database:
        async with database.session() as session:
            member_id = None
            if member is not None:
                try:
                    member_id = (await _member(MemberRepository(session), member)).id
                except AuditRequestError as error:
                    print(str(error), file=sys.stderr)
                    return 2
            audit = AuditLog(session)
            found = await audit.entries(member_id=member_id, start=period.start, stop=period.stop,
                                        action_prefix=prefix)
            rows = [_row(entry, actor, zone, party_names) for entry, actor in found]
            if fmt == "csv":
                write_table(path, CSV_HEADERS, rows, sheet_title="Granskningslogg")
            else:
                text = render_text(rows, period, member, prefix)
                if path is None:
                    sys.stdout.write(text)
                else:
                    path.write_text(text, encoding="utf-8")
            await audit.record(
                "audit.exported", actor=CLI, subject_type="audit_log",
                detail={"member_id": member_id, "from": period.first and period.first.isoformat(),
                        "to": period.last and period.last.isoformat(), "action": prefix, "rows": len(rows),
                        "format": fmt})
            await session.commit()
    if path is not None:
        print(f"Skrev {_events(len(rows))} ur granskningsloggen ({period.text()}) till {path}.")
    return 0


def _output_path(fmt: str, output: str | None, today: date) -> Path | None:
    if fmt == "csv":
        path = Path(output) if output else Path(f"granskningslogg-{today}.csv")
        if path.suffix.lower() != ".csv":
            raise AuditRequestError(f"Filen {path} har inte ändelsen .csv.")
        return path
    return Path(output) if output else None


async def _member(members: MemberRepository, name: str) -> Member:
    """The member by name, removed ones too: what a former member did stays in the log."""
    try:
        return await one_member(members, name, include_inactive=True)
    except NoOneMember as missing:
        raise AuditRequestError(str(missing)) from None


def _row(entry: AuditEntry, actor: Member | None, zone: ZoneInfo, party_names: dict[str, str]) -> list[object]:
    """One entry as a CSV row, in the order of ``CSV_HEADERS``."""
    if actor is not None:
        who, party = actor.name, party_names.get(actor.party, actor.party)
    else:
        who, party = ("kommandoraden" if entry.actor == CLI else entry.actor or ""), ""
    channel = entry.channel or (CLI if entry.actor == CLI else "")
    detail = json.dumps(entry.detail, ensure_ascii=False, sort_keys=True) if entry.detail else ""
    return [entry.id, entry.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"), who, party,
            actor.id if actor is not None else None, CHANNEL_NAMES.get(channel, channel), entry.action,
            ACTION_NAMES.get(entry.action, ""), entry.subject_type or "", entry.subject_id or "", detail]


def render_text(rows: Sequence[Sequence[object]], period: Period, member: str | None, prefix: str | None) -> str:
    """The rows as aligned columns for a terminal, under a line saying what was asked for."""
    asked = [period.text()]
    if member:
        asked.append(f"medlem {member}")
    if prefix:
        asked.append(f"händelser som börjar med {prefix!r}")
    heading = f"Granskningslogg, {', '.join(asked)}: {_events(len(rows))}."
    if not rows:
        return heading + "\n"
    table = [TEXT_HEADERS] + [[str(r[1]), _who(r), str(r[5]), str(r[6]), _subject(r), str(r[10])] for r in rows]
    widths = [min(limit, max(len(line[i]) for line in table)) if limit else 0
              for i, limit in enumerate(_TEXT_WIDTHS)]
    lines = ["  ".join(_fit(cell, width) for cell, width in zip(line, widths, strict=True)).rstrip()
             for line in table]
    lines.insert(1, "  ".join("-" * (width or len(TEXT_HEADERS[-1])) for width in widths))
    return heading + "\n" + "\n".join(lines) + "\n"


def _events(count: int) -> str:
    return "1 händelse" if count == 1 else f"{count} händelser"


def _who(row: Sequence[object]) -> str:
    return f"{row[2]} ({row[3]})" if row[3] else str(row[2])


def _subject(row: Sequence[object]) -> str:
    return f"{row[8]} {row[9]}".strip()


def _fit(cell: str, width: int) -> str:
    if not width:
        return cell
    return cell.ljust(width) if len(cell) <= width else cell[: width - 1] + "…"
