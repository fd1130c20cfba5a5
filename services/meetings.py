"""The forums' meetings as things a user does: ask when the next one is, schedule one or a series, cancel,
move, and move a new series' dates off holidays.

Anyone may ask; only admins change the calendar, since a wrong date reaches every member's calendar. Each
change is one transaction, audited. Times are read on the collaboration's wall clock (``uow.zone``). A request
that cannot be carried out raises ``NotDone`` with what the conversation needs to say why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from domain.places import Place
from domain.rules.calendar import day_off_name, previous_working_day
from domain.rules.recurrence import Recurrence, parse_recurrence
from domain.situation import Situation
from services.channels import ForumRef, named_or_bound_forum, require_admin
from storage.meetings import DEFAULT_DURATION_MINUTES, Occurrence
from storage.models import ConversationReference

UPCOMING = timedelta(days=800)
MAX_CANCEL_SPAN = timedelta(days=7)
LOOKAHEAD = timedelta(days=365)  # a yearly series shows each of its dates once
T = TypeVar("T")


class NotDone(Exception):
    """Nothing changed, for ``reason`` (a short code the conversation words); ``facts`` say the particulars."""

    def __init__(self, reason: str, forum: ForumRef | None = None, **facts: Any):
        super().__init__(reason)
        self.reason = reason
        self.forum = forum
        self.facts = facts


@dataclass(frozen=True)
class Clash:
    """A meeting on a day off, and where the working day before would put it."""

    occurrence: Occurrence
    holiday: str  # 'juldagen'
    moved_to: datetime  # aware, the same wall time on the working day before


def holiday_clashes(occurrences: list[Occurrence], zone: ZoneInfo) -> list[Clash]:
    """The meetings (not cancelled) that fall on a holiday or an eve nobody works."""
    clashes = []
    for occurrence in occurrences:
        local = occurrence.starts_at.astimezone(zone)
        holiday = day_off_name(local.date())
        if holiday is None or occurrence.cancelled:
            continue
        day = previous_working_day(local.date() - timedelta(days=1))
        clashes.append(Clash(occurrence, holiday, datetime.combine(day, local.time(), tzinfo=zone)))
    return clashes


def _zone(uow) -> ZoneInfo:
    return ZoneInfo(uow.zone)


async def _forum(uow, code: str | None, place: Place | None) -> ForumRef:
    forum = await named_or_bound_forum(uow.session, code, place)
    if forum is None:
        raise NotDone("no_forum")
    return forum


# --- asking ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NextMeeting:
    """The named (or bound) forum's next meeting and the cancelled ones before it; with no forum, each
    configured forum's next meeting (None where none is planned)."""

    forum: ForumRef | None
    found: Occurrence | None = None
    skipped: list[Occurrence] = field(default_factory=list)
    per_forum: dict[str, Occurrence | None] = field(default_factory=dict)


async def next_meeting(uow, situation: Situation, place: Place | None, code: str | None) -> NextMeeting:
    forum = await named_or_bound_forum(uow.session, code, place)
    now = situation.now
    if forum is None:
        return NextMeeting(None, per_forum={
            configured.code: await uow.meetings.next(configured.code, now, within=UPCOMING)
            for configured in situation.collaboration.forums})
    found = await uow.meetings.next(forum.code, now, within=UPCOMING)
    skipped = [] if found is None else [
        o for o in await uow.meetings.occurrences(now, found.starts_at, forum.code) if o.cancelled]
    return NextMeeting(forum, found, skipped)


async def meetings_between(uow, start: datetime, end: datetime, code: str | None) -> list[Occurrence]:
    """Every forum's meetings (or one forum's) in ``[start, end)``, cancelled ones included."""
    return await uow.meetings.occurrences(start, end, code)


async def planned_meetings(uow, code: str, now: datetime, *, count: int) -> list[Occurrence]:
    """The forum's next ``count`` meetings that are not cancelled."""
    upcoming = await uow.meetings.occurrences(now, now + UPCOMING, code, include_cancelled=False)
    return upcoming[:count]


# --- scheduling -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scheduled:
    forum: ForumRef
    starts_at: datetime
    ends_at: datetime
    reinstated: bool  # the date was cancelled and holds again


@dataclass(frozen=True)
class SeriesScheduled:
    forum: ForumRef
    recurrence: Recurrence
    replaced: bool  # an earlier chat-made series of the forum was replaced
    upcoming: list[Occurrence]  # the three nearest meetings
    clashes: list[Clash]  # the series' dates in the coming year on days off


async def schedule_meeting(uow, situation: Situation, place: Place | None, code: str | None, *,
                           when: dict | None = None, recurrence: str | None = None) -> Scheduled | SeriesScheduled:
    """One meeting (``when``, an interval as the understanding gives it) or a series (``recurrence``, as said)."""
    require_admin(situation, "lägga in möten")
    forum = await _forum(uow, code, place)
    if recurrence:
        return await _schedule_series(uow, situation, forum, recurrence)
    if when:
        return await _schedule_single(uow, situation, forum, when)
    raise NotDone("ask_when", forum)


async def _schedule_single(uow, situation: Situation, forum: ForumRef, when: dict) -> Scheduled:
    zone = _zone(uow)
    start, end = datetime.fromisoformat(when["start"]), datetime.fromisoformat(when["end"])
    if start.time() == time() and end - start >= timedelta(days=1):
        raise NotDone("ask_time", forum, day=start.date())
    starts_at = start.replace(tzinfo=zone)
    ends_at = end.replace(tzinfo=zone) if timedelta(0) < end - start < timedelta(hours=12) else \
        starts_at + timedelta(minutes=DEFAULT_DURATION_MINUTES)
    if starts_at <= situation.now:
        raise NotDone("past", forum, starts_at=starts_at)
    [existing] = await uow.meetings.occurrences(starts_at, starts_at + timedelta(seconds=1), forum.code) or [None]
    if existing is not None and not existing.cancelled:
        raise NotDone("taken", forum, starts_at=starts_at)
    meeting = await uow.meetings.add_meeting(forum.code, starts_at, ends_at=ends_at)
    await uow.record("meeting.scheduled", "meeting", meeting.id, forum=forum.code, starts_at=starts_at.isoformat())
    await uow.commit()
    return Scheduled(forum, starts_at, ends_at, reinstated=existing is not None)


async def _schedule_series(uow, situation: Situation, forum: ForumRef, said: str) -> SeriesScheduled:
    recurrence = parse_recurrence(said, situation.local_now)
    if recurrence is None:
        raise NotDone("unreadable_series", forum, said=said)
    if recurrence.start_time is None:
        raise NotDone("series_time", forum, description=recurrence.description)
    repository = uow.meetings
    replaced = await repository.series(forum.code, source="chat", on_or_after=recurrence.first)
    series = await repository.add_series(
        forum.code, recurrence.rrule, start_time=recurrence.start_time, dtstart=recurrence.first,
        duration_minutes=recurrence.duration_minutes or DEFAULT_DURATION_MINUTES, created_by=await uow.author())
    await uow.record("meeting_series.scheduled", "meeting_series", series.id, forum=forum.code,
                     rrule=recurrence.rrule, dtstart=recurrence.first.isoformat())
    ahead = await repository.occurrences(situation.now, situation.now + LOOKAHEAD, forum.code,
                                         include_cancelled=False)
    await uow.commit()
    clashes = holiday_clashes([o for o in ahead if o.series_id == series.id], _zone(uow))
    return SeriesScheduled(forum, recurrence, bool(replaced), ahead[:3], clashes)


# --- cancelling -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cancelled:
    forum: ForumRef
    day: date  # the (first) local day asked for
    cancelled: list[Occurrence]
    following: Occurrence | None  # the forum's next meeting from now


async def cancel_meeting(uow, situation: Situation, place: Place | None, code: str | None, *,
                         when: dict | None = None, next_one: bool = False) -> Cancelled:
    """The forum's meetings on a day (or in a week at most), or exactly its next one (``next_one``)."""
    require_admin(situation, "ställa in möten")
    zone = _zone(uow)
    forum = await _forum(uow, code, place)
    repository = uow.meetings
    if when is None and next_one:  # "ställ in nästa SSPF": exactly that meeting
        upcoming = await repository.next(forum.code, situation.now, within=UPCOMING)
        if upcoming is None:
            raise NotDone("none_planned", forum)
        start = upcoming.starts_at.astimezone(zone).replace(tzinfo=None)
        end = start + timedelta(seconds=1)
    elif when is None:
        raise NotDone("ask_day", forum)
    else:
        start, end = datetime.fromisoformat(when["start"]), datetime.fromisoformat(when["end"])
    if end - start <= timedelta(seconds=1):
        pass  # the next meeting, already found
    elif end - start <= timedelta(days=1):  # "på tisdag", "tisdag kl 13": the whole day
        start = datetime.combine(start.date(), time())
        end = start + timedelta(days=1)
    elif end - start > MAX_CANCEL_SPAN:  # "i december" would take a month of meetings off in one go
        raise NotDone("too_long", forum)
    cancelled = await repository.cancel_between(forum.code, start.replace(tzinfo=zone), end.replace(tzinfo=zone))
    for occurrence in cancelled:
        await uow.record("meeting.cancelled", "meeting", occurrence.meeting_id, forum=forum.code,
                         starts_at=occurrence.starts_at.isoformat(), series_id=occurrence.series_id)
    await uow.commit()
    following = await repository.next(forum.code, situation.now, within=UPCOMING)  # from now, not the day off
    return Cancelled(forum, start.date(), cancelled, following)


# --- moving ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Moved:
    forum: ForumRef
    old_start: datetime
    new_start: datetime
    bound: bool  # a channel is bound to the forum (it gets the agenda for the new date)


async def move_meeting(uow, situation: Situation, place: Place | None, code: str | None, *,
                       moved_from: dict | None, moved_to: dict | None) -> Moved:
    """One meeting to a new time: the one on ``moved_from``'s day, or the forum's next; without a clock time
    in ``moved_to`` the old time of day is kept."""
    require_admin(situation, "flytta möten")
    zone = _zone(uow)
    forum = await _forum(uow, code, place)
    if moved_to is None:
        raise NotDone("ask_move", forum)
    repository = uow.meetings
    others = []
    if moved_from is None:  # "flytta SSPF till torsdag": the next meeting, named in the answer
        meeting = await repository.next(forum.code, situation.now, within=UPCOMING)
        if meeting is None:
            raise NotDone("none_planned", forum)
    else:
        day = datetime.fromisoformat(moved_from["start"]).date()
        start = datetime.combine(day, time(), tzinfo=zone)
        [meeting, *others] = await repository.occurrences(start, start + timedelta(days=1), forum.code,
                                                          include_cancelled=False) or [None]
        if meeting is None:
            raise NotDone("none_that_day", forum, day=day)
    if others:
        raise NotDone("several", forum)
    new_start = new_meeting_start(meeting.starts_at.astimezone(zone), moved_to, zone)
    if new_start <= situation.now:
        raise NotDone("past", forum, starts_at=new_start)
    if new_start == meeting.starts_at:
        raise NotDone("unchanged", forum, starts_at=new_start)
    if await repository.occurrences(new_start, new_start + timedelta(seconds=1), forum.code,
                                   include_cancelled=False):
        raise NotDone("taken", forum, starts_at=new_start)
    added = await repository.move(meeting, new_start)
    await uow.record("meeting.moved", "meeting", added.id, forum=forum.code,
                     starts_at=meeting.starts_at.isoformat(), moved_to=new_start.isoformat())
    await uow.commit()
    bound = await uow.session.scalar(select(func.count()).select_from(ConversationReference).where(
        ConversationReference.forum_id == forum.id, ConversationReference.active.is_(True)))
    return Moved(forum, meeting.starts_at, new_start, bool(bound))


def new_meeting_start(old: datetime, moved_to: dict, zone: ZoneInfo) -> datetime:
    """The new start: the time given, or the old time of day on the new date."""
    start = datetime.fromisoformat(moved_to["start"])
    end = datetime.fromisoformat(moved_to["end"])
    if start.time() == time() and end - start >= timedelta(days=1):
        start = datetime.combine(start.date(), old.time())
    return start.replace(tzinfo=zone)


@dataclass(frozen=True)
class HolidayMoves:
    moved: list[tuple[Occurrence, datetime]]  # each moved meeting as it was, and its new start
    left: list[datetime]  # the old starts of those not moved


async def move_off_holidays(uow, situation: Situation, forum_code: str,
                            moves: list[tuple[datetime, datetime]]) -> HolidayMoves:
    """Moves each offered meeting that is still where it was and whose new time is free (each a move of its
    own, audited), all in one transaction."""
    require_admin(situation, "flytta möten")
    repository = uow.meetings
    moved, left = [], []
    for old_start, new_start in moves:
        [occurrence] = await repository.occurrences(old_start, old_start + timedelta(seconds=1), forum_code,
                                                    include_cancelled=False) or [None]
        taken = await repository.occurrences(new_start, new_start + timedelta(seconds=1), forum_code,
                                             include_cancelled=False)
        if occurrence is None or taken or new_start <= situation.now:
            left.append(old_start)
            continue
        added = await repository.move(occurrence, new_start)
        await uow.record("meeting.moved", "meeting", added.id, forum=forum_code, starts_at=old_start.isoformat(),
                         moved_to=new_start.isoformat())
        moved.append((occurrence, new_start))
    await uow.commit()
    return HolidayMoves(moved, left)

