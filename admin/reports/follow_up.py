"""``samverkan report follow-up``: the yearly follow-up of the action plan and the lägesbild as one HTML file.

The agreement has Strategiska BRÅ follow up the joint lägesbild and action plan every year; this report is
the material for that meeting. It is a single file (charts embedded, no scripts, nothing fetched) so it can
be mailed, archived with the minutes and printed as it is. The data is gathered first into plain dataclasses
(``gather_follow_up``) and rendered afterwards (``render_follow_up``): the SQL never formats Swedish and the
template never touches the database, so each half is tested on its own.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from admin.reports import charts
from dialogs.format import long_date
from domain import vocabulary
from domain.collaboration import Collaboration, load_collaboration
from domain.rules.deadlines import deadline_status
from storage import AuditLog
from storage.actions import OPEN_STATUSES, ActionRepository, PromiseRepository, responsible_label
from storage.db import migrated_database
from storage.models import Action, ActionStatus, ActionUpdate, ActionUpdateKind, utcnow
from storage.situation import Picture, load_picture

if TYPE_CHECKING:
    from bot.config import Settings  # the caller's configuration: only its fields are read

STATUS_NAMES = {status: name.capitalize() for status, name in vocabulary.STATUS_NAMES.items()}  # a column's words
NO_FOCUS_AREA = "Utan fokusområde"
FOLLOW_UP_FORUM = "strategiska-bra"  # the agreement names Strategiska BRÅ as the forum that follows up
FIRST_YEAR = 2000  # guards against typos such as 226; the bot did not exist before


@dataclass(frozen=True)
class ActionRow:
    """One action as the report lists it; ``days_late`` is set only for an open action past its due date."""

    number: int
    title: str
    responsible: str
    due: date | None
    status: str  # ActionStatus value
    completed_on: date | None  # local date
    days_late: int | None

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.status, self.status)


@dataclass(frozen=True)
class AreaSummary:
    """One row of the summary table: a focus area's actions in the year and its observations in two years."""

    code: str | None  # None for actions without a focus area
    name: str
    done: int = 0  # completed during the year
    cancelled: int = 0  # cancelled during the year
    open: int = 0  # planned or ongoing now
    late: int = 0  # of the open ones, past their due date at the reference date
    observations: int = 0
    previous_observations: int = 0

    @property
    def on_time(self) -> int:
        return self.open - self.late

    @property
    def actions(self) -> int:
        return self.done + self.cancelled + self.open

    @property
    def change_percent(self) -> float | None:
        """Change from the previous year; None when there is nothing to compare with."""
        if not self.previous_observations:
            return None
        return (self.observations - self.previous_observations) * 100 / self.previous_observations


@dataclass(frozen=True)
class AreaSection:
    code: str | None
    name: str
    actions: list[ActionRow]  # by due date, undated last


@dataclass(frozen=True)
class PromiseSection:
    number: int
    title: str
    status: str
    period_start: date
    period_end: date | None
    actions: list[ActionRow]

    @property
    def done(self) -> int:
        return sum(1 for row in self.actions if row.status == ActionStatus.KLAR.value)


@dataclass(frozen=True)
class DeadlineRow:
    """An agreement deadline's occurrence that matters for the year, with the action the bot keeps for it."""

    code: str
    title: str
    forum: str | None
    due: date
    days_left: int  # from the reference date; negative when passed
    quote: str
    action: ActionRow | None

    @property
    def passed(self) -> bool:
        return self.days_left < 0


@dataclass(frozen=True)
class FollowUp:
    year: int
    collaboration: str
    parties: tuple[str, ...]
    forum: str
    generated_at: datetime  # local
    reference: date  # lateness and deadlines are judged at this date: today, or the day after the year
    current_year: bool
    observed_until: date  # the last local day whose observations are counted
    areas: list[AreaSummary]
    sections: list[AreaSection]
    promises: list[PromiseSection]
    deadlines: list[DeadlineRow]
    months: tuple[int, ...]  # observations per local month of the year
    previous_months: tuple[int, ...]  # the same for the year before

    @property
    def total(self) -> AreaSummary:
        return AreaSummary(
            None, "Totalt", *(sum(getattr(area, name) for area in self.areas) for name in
                              ("done", "cancelled", "open", "late", "observations", "previous_observations")))


async def gather_follow_up(session: AsyncSession, collaboration: Collaboration, year: int, *,
                           now: datetime) -> FollowUp:
    """Everything the report shows for ``year``, read at the aware instant ``now``.

    Actions count for the year when completed or cancelled in it, or when still open (their status is
    today's). Observations are the lägesbild's counts: the year (up to today while it runs) against the
    whole previous year.
    """
    zone = ZoneInfo(collaboration.timezone)
    today = now.astimezone(zone).date()
    start, year_end = datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)
    previous_start = datetime(year - 1, 1, 1, tzinfo=zone)
    end = max(start, min(year_end, datetime.combine(today + timedelta(days=1), time(), zone)))
    reference = min(today, date(year + 1, 1, 1))

    picture = await load_picture(session, start=start, end=end, previous_start=previous_start,
                                 timezone=collaboration.timezone, top_places=0, latest=0)
    # The previous year's months; its own "previous" period is empty on purpose.
    before = await load_picture(session, start=previous_start, end=start, previous_start=previous_start,
                                timezone=collaboration.timezone, top_places=0, latest=0)

    actions = await ActionRepository(session).all()
    cancelled_at = await _cancellation_times(session)

    def row(action: Action) -> ActionRow:
        late = action.status in OPEN_STATUSES and action.due_date is not None and action.due_date < reference
        return ActionRow(
            number=action.number, title=action.title, responsible=responsible_label(action), due=action.due_date,
            status=action.status,
            completed_on=action.completed_at.astimezone(zone).date() if action.completed_at else None,
            days_late=(reference - action.due_date).days if late else None)

    def state_in_year(action: Action) -> str | None:
        if action.status == ActionStatus.KLAR.value:
            return "done" if action.completed_at and start <= action.completed_at < year_end else None
        if action.status == ActionStatus.INSTALLD.value:
            when = cancelled_at.get(action.id, action.updated_at)
            return "cancelled" if start <= when < year_end else None
        return "open" if action.created_at < year_end else None

    names = {area.code: area.name for area in collaboration.focus_areas}
    counts: dict[str | None, dict[str, int]] = {}
    rows: dict[str | None, list[ActionRow]] = {}
    for action in actions:
        if action.deadline_code is not None:
            continue  # the agreement's own deadlines have their section
        state = state_in_year(action)
        if state is None:
            continue
        code = action.focus_area.code if action.focus_area else None
        if action.focus_area:
            names.setdefault(code, action.focus_area.name)
        counted = counts.setdefault(code, {})
        shown = row(action)
        counted[state] = counted.get(state, 0) + 1
        counted["late"] = counted.get("late", 0) + (shown.days_late is not None)
        rows.setdefault(code, []).append(shown)
    for tally in picture.tallies:
        names.setdefault(tally.focus_area, tally.focus_name)
        area = counts.setdefault(tally.focus_area, {})
        area["observations"] = area.get("observations", 0) + tally.count
        area["previous_observations"] = area.get("previous_observations", 0) + tally.previous

    configured = [area.code for area in collaboration.focus_areas]
    retired = sorted((code for code in names if code not in configured), key=lambda code: names[code].casefold())
    order: list[str | None] = [*configured, *retired] + ([None] if None in counts else [])
    areas = [AreaSummary(code, names.get(code, NO_FOCUS_AREA), **counts.get(code, {})) for code in order]
    sections = [AreaSection(area.code, area.name, _by_due(rows.get(area.code, []))) for area in areas]

    promises = [PromiseSection(state.promise.number, state.promise.title, state.promise.status,
                               state.promise.period_start, state.promise.period_end,
                               _by_due([row(action) for action in state.actions]))
                for state in await PromiseRepository(session).states()]

    kept = {(action.deadline_code, action.due_date): action for action in actions if action.deadline_code}
    deadlines = []
    for deadline in collaboration.deadlines:
        in_year = [day for day in deadline.occurrences(date(year, 12, 31)) if day.year == year]
        due = in_year[-1] if in_year else deadline_status(deadline, reference).due
        action = kept.get((deadline.code, due))
        deadlines.append(DeadlineRow(
            deadline.code, deadline.title, _forum_name(collaboration, deadline.responsible_forum), due,
            (due - reference).days, deadline.quote, row(action) if action else None))

    return FollowUp(
        year=year, collaboration=collaboration.name, parties=tuple(party.name for party in collaboration.parties),
        forum=_forum_name(collaboration, FOLLOW_UP_FORUM) or "Strategiska BRÅ",
        generated_at=now.astimezone(zone), reference=reference, current_year=year == today.year,
        observed_until=(end - timedelta(days=1)).date(), areas=areas, sections=sections, promises=promises,
        deadlines=deadlines, months=_per_month(picture, year), previous_months=_per_month(before, year - 1))


async def _cancellation_times(session: AsyncSession) -> dict[int, datetime]:
    """When each action was last cancelled, from its history (the action row keeps no such column)."""
    rows = await session.execute(
        select(ActionUpdate.action_id, func.max(ActionUpdate.created_at))
        .where(ActionUpdate.kind == ActionUpdateKind.CANCELLED.value).group_by(ActionUpdate.action_id))
    return {action_id: at for action_id, at in rows}


def _by_due(rows: list[ActionRow]) -> list[ActionRow]:
    return sorted(rows, key=lambda row: (row.due is None, row.due or date.min, row.number))


def _per_month(picture: Picture, year: int) -> tuple[int, ...]:
    months = [0] * 12
    for day, count in picture.per_day:
        if day.year == year:
            months[day.month - 1] += count
    return tuple(months)


def _forum_name(collaboration: Collaboration, code: str | None) -> str | None:
    try:
        return collaboration.forum(code).name if code else None
    except KeyError:
        return None


# --- rendering: Swedish wording lives here and in the template only ---

def _days(count: int) -> str:
    return "1 dag" if abs(count) == 1 else f"{count} dagar"


def _percent(change: float | None) -> str:
    if change is None:
        return "–"
    rounded = round(change)
    if rounded == 0:
        return "±0\u00a0%"
    return f"{'+' if rounded > 0 else '−'}{abs(rounded)}\u00a0%"


def _iso(day: date | None) -> str:
    return day.isoformat() if day else "–"


_ENVIRONMENT = Environment(
    loader=PackageLoader("admin.reports", "templates"),
    # Always on, whatever the file name: titles and names are written by users in chat.
    autoescape=True,
    undefined=StrictUndefined,  # a misspelt field fails the test suite instead of printing nothing
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_ENVIRONMENT.filters.update(long_date=long_date, days=_days, percent=_percent, iso=_iso)


def render_follow_up(report: FollowUp) -> str:
    """The report as a complete HTML document, charts included as PNG ``data:`` URIs."""
    month_chart = charts.observations_by_month_chart(
        report.year, report.months, report.previous_months,
        until=report.observed_until if report.current_year else None)
    area_chart = charts.actions_by_area_chart(report.areas)
    return _ENVIRONMENT.get_template("follow_up.html").render(
        report=report, title=f"Årlig uppföljning {report.year} – {report.collaboration}",
        month_chart=charts.data_uri(month_chart), area_chart=charts.data_uri(area_chart))


async def write_follow_up(settings: Settings, *, year: int | None, output: str | None,
                          now: datetime | None = None) -> int:
    """The CLI command: gather, render, write, audit. Exit 0; 2 for a wrong year or file name; 1 if unwritable."""
    collaboration = load_collaboration(settings.config_path)
    now = now or utcnow()
    today = collaboration.today(now)
    year = today.year if year is None else year
    if year > today.year:
        print(f"Året {year} har inte börjat än. Välj {today.year} eller ett tidigare år.", file=sys.stderr)
        return 2
    if year < FIRST_YEAR:
        print(f"Året {year} kan inte följas upp. Skriv året med fyra siffror, till exempel {today.year}.",
              file=sys.stderr)
        return 2
    path = Path(output) if output else Path(f"uppfoljning-{year}.html")
    if path.suffix.lower() not in (".html", ".htm"):
        print(f"Filen {path} har inte ändelsen .html.", file=sys.stderr)
        return 2
    async with migrated_database(settings.database_url) as database:
        async with database.session() as session:
            report = await gather_follow_up(session, collaboration, year, now=now)
            await AuditLog(session).record("report.follow_up", actor="cli", subject_type="report",
                                           detail={"year": year})
            try:
                path.write_text(render_follow_up(report), encoding="utf-8")
            except OSError as error:
                print(f"Kunde inte skriva {path}: {error.strerror or error}.", file=sys.stderr)
                return 1
            await session.commit()
    print(f"Skrev uppföljningen för {year} till {path}")
    return 0
