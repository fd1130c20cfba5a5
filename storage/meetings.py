"""Forum meetings: single meetings and recurring series, read back as one list of occurrences.

A series is stored as its RRULE and expanded on reading, in local time, so a weekly 13:00 meeting stays at 13:00
on both sides of a daylight saving change. A ``meetings`` row overrides the series occurrence at the same forum
and start: that is how one occurrence is cancelled (a row with ``cancelled``) without touching the rule, and how
a single meeting and a series that coincide show once. The caller owns the session and commits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import Forum, Meeting, MeetingSeries, MeetingSource, Member

DEFAULT_DURATION_MINUTES = 120
UID_DOMAIN = "samverkansboten"


@dataclass(frozen=True)
class Occurrence:
    """One meeting as calendars and reminders see it, whether it is a single meeting or a series' date.

    ``key`` is stable for as long as the meeting keeps its forum and start, so a scheduler can plan a
    message per occurrence once (outbox keys) and a calendar can keep its UID.
    """

    forum_code: str
    forum_name: str
    starts_at: datetime  # aware UTC
    ends_at: datetime  # aware UTC
    location: str | None
    cancelled: bool
    key: str  # f"{forum_code}:{starts_at UTC isoformat}"
    meeting_id: int | None = None  # the meetings row, for a single meeting or an overridden series date
    series_id: int | None = None  # the series it is a date of, if any

    @property
    def uid(self) -> str:
        """An iCalendar UID derived from ``key`` (RFC 5545 UIDs need no particular form, only stability)."""
        return f"{self.forum_code}-{self.starts_at.astimezone(UTC):%Y%m%dT%H%M%SZ}@{UID_DOMAIN}"


def occurrence_key(forum_code: str, starts_at: datetime) -> str:
    return f"{forum_code}:{starts_at.astimezone(UTC).isoformat()}"


def expand(rrule: str, dtstart: date, start_time: time, start: datetime, end: datetime, zone: ZoneInfo, *,
           until: date | None = None) -> list[datetime]:
    """The UTC starts of a rule's dates in ``[start, end)``, expanded on the local wall clock of ``zone``.

    A wall time that does not exist (02:30 on the spring-forward night) is taken as zoneinfo's fold=0 reading.
    """
    rule = rrulestr(rrule, dtstart=datetime.combine(dtstart, start_time))
    low = start.astimezone(zone).replace(tzinfo=None) - timedelta(days=1)
    high = end.astimezone(zone).replace(tzinfo=None) + timedelta(days=1)
    if until is not None:
        high = min(high, datetime.combine(until, time.max))
    if high < low:
        return []
    starts = []
    for local in rule.between(low, high, inc=True):
        instant = local.replace(tzinfo=zone).astimezone(UTC)
        if start <= instant < end:
            starts.append(instant)
    return starts


def check_rrule(rrule: str) -> str:
    """The rule text if dateutil can expand it; ValueError otherwise (before it is stored, not on reading)."""
    if "DTSTART" in rrule.upper() or "UNTIL=" in rrule.upper():
        raise ValueError("the rule must not carry DTSTART or UNTIL; they are columns of the series")
    rrulestr(rrule, dtstart=datetime(2000, 1, 1))
    return rrule


class MeetingRepository:
    """Meetings and series of the forums; ``zone`` is the collaboration's, where wall times are kept.

    There is no default zone: a collaboration configured for another zone would otherwise have its meetings
    expanded, cancelled and moved on Stockholm's wall clock.
    """

    def __init__(self, session: AsyncSession, zone: ZoneInfo | str):
        self.session = session
        self.zone = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)

    async def forum(self, code: str) -> Forum:
        found = await self.session.scalar(select(Forum).where(Forum.code == code))
        if found is None:
            raise LookupError(f"unknown forum {code!r}")
        return found

    # --- writing ------------------------------------------------------------------------------------------

    async def add_meeting(self, forum: str, starts_at: datetime, *, ends_at: datetime | None = None,
                          location: str | None = None, source: str = MeetingSource.CHAT.value,
                          external_uid: str | None = None, cancelled: bool = False) -> Meeting:
        """A single meeting (two hours unless ``ends_at``); a row already at that forum and start is reused,
        so scheduling a cancelled date again reinstates it rather than adding a second row."""
        _aware(starts_at)
        row = await self.session.scalar(select(Meeting).join(Forum).where(
            Forum.code == forum, Meeting.starts_at == starts_at).order_by(Meeting.id).limit(1))
        ends_at = ends_at or starts_at + timedelta(minutes=DEFAULT_DURATION_MINUTES)
        if row is None:
            row = Meeting(forum_id=(await self.forum(forum)).id, starts_at=starts_at, source=source,
                          external_uid=external_uid)
            self.session.add(row)
        row.ends_at, row.cancelled = ends_at, cancelled
        row.location = location if location is not None else row.location
        await self.session.flush()
        return row

    async def add_series(self, forum: str, rrule: str, *, start_time: time, dtstart: date,
                         duration_minutes: int = DEFAULT_DURATION_MINUTES, location: str | None = None,
                         until: date | None = None, source: str = MeetingSource.CHAT.value,
                         created_by: Member | None = None, external_uid: str | None = None) -> MeetingSeries:
        """A recurring meeting. One made in the chat replaces the forum's earlier chat-made series: it ends
        the day before the new one starts (so past dates stay in the calendar), or goes if it had not begun."""
        check_rrule(rrule)
        forum_row = await self.forum(forum)
        if source == MeetingSource.CHAT.value:
            for earlier in await self.series(forum, source=MeetingSource.CHAT.value):
                if earlier.dtstart >= dtstart:
                    await self.session.delete(earlier)
                elif earlier.until is None or earlier.until >= dtstart:
                    earlier.until = dtstart - timedelta(days=1)
        series = MeetingSeries(forum_id=forum_row.id, rrule=rrule, start_time=start_time.replace(tzinfo=None),
                               duration_minutes=duration_minutes, location=location, dtstart=dtstart, until=until,
                               source=source, external_uid=external_uid,
                               created_by_member_id=created_by.id if created_by else None)
        self.session.add(series)
        await self.session.flush()
        return series

    async def series(self, forum: str | None = None, *, source: str | None = None,
                     on_or_after: date | None = None) -> list[MeetingSeries]:
        """Series, optionally of one forum and source, or only those still running on or after a day."""
        statement = select(MeetingSeries).options(selectinload(MeetingSeries.forum)).order_by(MeetingSeries.id)
        if forum is not None:
            statement = statement.join(Forum).where(Forum.code == forum)
        if source is not None:
            statement = statement.where(MeetingSeries.source == source)
        if on_or_after is not None:
            statement = statement.where((MeetingSeries.until.is_(None)) | (MeetingSeries.until >= on_or_after))
        return list(await self.session.scalars(statement))

    async def cancel(self, forum: str, day: date) -> list[Occurrence]:
        """Cancels the forum's meetings on a local day, single or of a series; returns what was cancelled."""
        start = datetime.combine(day, time(), tzinfo=self.zone).astimezone(UTC)
        end = datetime.combine(day + timedelta(days=1), time(), tzinfo=self.zone).astimezone(UTC)
        return await self.cancel_between(forum, start, end)

    async def cancel_between(self, forum: str, start: datetime, end: datetime) -> list[Occurrence]:
        """Cancels the forum's meetings starting in ``[start, end)``; returns them, marked cancelled."""
        cancelled = []
        for occurrence in await self.occurrences(start, end, forum, include_cancelled=False):
            if occurrence.meeting_id is not None:
                row = await self.session.get(Meeting, occurrence.meeting_id)
                row.cancelled = True
            else:
                row = Meeting(forum_id=(await self.forum(forum)).id, starts_at=occurrence.starts_at,
                              ends_at=occurrence.ends_at, location=occurrence.location, cancelled=True,
                              source=MeetingSource.CHAT.value)
                self.session.add(row)
            await self.session.flush()
            cancelled.append(replace(occurrence, cancelled=True, meeting_id=row.id))
        return cancelled

    async def move(self, occurrence: Occurrence, starts_at: datetime) -> Meeting:
        """One meeting to a new start, keeping its length and place: the old date is cancelled (a series'
        date is overridden, so the series stays) and a single meeting is added at the new time."""
        _aware(starts_at)
        await self.cancel_between(occurrence.forum_code, occurrence.starts_at,
                                  occurrence.starts_at + timedelta(seconds=1))
        return await self.add_meeting(occurrence.forum_code, starts_at,
                                      ends_at=starts_at + (occurrence.ends_at - occurrence.starts_at),
                                      location=occurrence.location)

    # --- reading ------------------------------------------------------------------------------------------

    async def occurrences(self, start: datetime, end: datetime, forum: str | None = None, *,
                          include_cancelled: bool = True) -> list[Occurrence]:
        """Every meeting starting in ``[start, end)``, of one forum or all, in order of start (then forum).

        Series dates and single meetings are merged by forum and start, a ``meetings`` row winning; cancelled
        ones are included (``cancelled=True``) unless ``include_cancelled`` is False.
        """
        _aware(start)
        _aware(end)
        found: dict[str, Occurrence] = {}
        first_day = start.astimezone(self.zone).date() - timedelta(days=1)
        series_query = select(MeetingSeries).options(selectinload(MeetingSeries.forum)).where(
            MeetingSeries.dtstart <= end.astimezone(self.zone).date() + timedelta(days=1),
            MeetingSeries.until.is_(None) | (MeetingSeries.until >= first_day))
        meeting_query = select(Meeting).options(selectinload(Meeting.forum)).where(
            Meeting.starts_at >= start, Meeting.starts_at < end)
        if forum is not None:
            series_query = series_query.join(Forum).where(Forum.code == forum)
            meeting_query = meeting_query.join(Forum).where(Forum.code == forum)
        for series in await self.session.scalars(series_query.order_by(MeetingSeries.id)):
            for instant in expand(series.rrule, series.dtstart, series.start_time, start, end, self.zone,
                                  until=series.until):
                key = occurrence_key(series.forum.code, instant)
                found[key] = Occurrence(series.forum.code, series.forum.name, instant,
                                        instant + timedelta(minutes=series.duration_minutes), series.location,
                                        False, key, series_id=series.id)
        for meeting in await self.session.scalars(meeting_query.order_by(Meeting.id)):
            key = occurrence_key(meeting.forum.code, meeting.starts_at)
            overridden = found.get(key)
            ends_at = meeting.ends_at or (overridden.ends_at if overridden else
                                          meeting.starts_at + timedelta(minutes=DEFAULT_DURATION_MINUTES))
            location = meeting.location or (overridden.location if overridden else None)
            found[key] = Occurrence(meeting.forum.code, meeting.forum.name, meeting.starts_at, ends_at, location,
                                    meeting.cancelled, key, meeting_id=meeting.id,
                                    series_id=overridden.series_id if overridden else None)
        ordered = sorted(found.values(), key=lambda o: (o.starts_at, o.forum_code))
        return ordered if include_cancelled else [o for o in ordered if not o.cancelled]

    async def next(self, forum: str | None, after: datetime, *, within: timedelta = timedelta(days=800)
                   ) -> Occurrence | None:
        """The first meeting not cancelled that starts after ``after`` (within ``within``), of one forum or any."""
        for occurrence in await self.occurrences(after, after + within, forum, include_cancelled=False):
            if occurrence.starts_at > after:
                return occurrence
        return None

    # --- calendar import ------------------------------------------------------------------------------------

    async def meeting_by_uid(self, uid: str) -> Meeting | None:
        return await self.session.scalar(select(Meeting).where(Meeting.external_uid == uid))

    async def series_by_uid(self, uid: str) -> MeetingSeries | None:
        return await self.session.scalar(select(MeetingSeries).where(MeetingSeries.external_uid == uid))

    async def upsert_imported_meeting(self, uid: str, forum: str, starts_at: datetime, *, ends_at: datetime | None,
                                      location: str | None, cancelled: bool) -> str:
        """A calendar event by its UID: 'created', 'updated' or 'unchanged', so a re-import adds nothing."""
        _aware(starts_at)
        forum_id = (await self.forum(forum)).id
        values = {"forum_id": forum_id, "starts_at": starts_at, "location": location, "cancelled": cancelled,
                  "ends_at": ends_at or starts_at + timedelta(minutes=DEFAULT_DURATION_MINUTES)}
        row = await self.meeting_by_uid(uid)
        if row is None:
            self.session.add(Meeting(external_uid=uid, source=MeetingSource.ICS.value, **values))
            await self.session.flush()
            return "created"
        return await self._update(row, values)

    async def upsert_imported_series(self, uid: str, forum: str, rrule: str, *, start_time: time, dtstart: date,
                                     duration_minutes: int, location: str | None, until: date | None) -> str:
        """A recurring calendar event by its UID: 'created', 'updated' or 'unchanged'."""
        check_rrule(rrule)
        values = {"forum_id": (await self.forum(forum)).id, "rrule": rrule, "start_time": start_time,
                  "dtstart": dtstart, "duration_minutes": duration_minutes, "location": location, "until": until}
        row = await self.series_by_uid(uid)
        if row is None:
            self.session.add(MeetingSeries(external_uid=uid, source=MeetingSource.ICS.value, **values))
            await self.session.flush()
            return "created"
        return await self._update(row, values)

    async def remove_imported_series(self, uid: str) -> bool:
        """A series the calendar now marks cancelled as a whole; its exceptions stay, as history."""
        row = await self.series_by_uid(uid)
        if row is None:
            return False
        await self.session.delete(row)
        await self.session.flush()
        return True

    async def _update(self, row: Meeting | MeetingSeries, values: dict) -> str:
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        for name in changed:
            setattr(row, name, values[name])
        if changed:
            await self.session.flush()
        return "updated" if changed else "unchanged"


def _aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("meeting times must be aware datetimes")
