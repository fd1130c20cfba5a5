"""A forum's meetings as an iCalendar feed, what members subscribe to in Outlook or on their phone.

The feed carries every occurrence from a quarter back to a good year ahead, each with a UID that stays the same
as long as the meeting keeps its start, and cancelled ones as STATUS:CANCELLED (so a subscribed calendar updates
instead of keeping a meeting that is off). The HTTP route that serves it is bot/calendar_feed.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from services.unit_of_work import UnitOfWork
from storage.meetings import Occurrence

PAST = timedelta(days=90)
AHEAD = timedelta(days=400)
PRODID = "-//Samverkansboten//Forummöten//SV"


async def forum_calendar(uow: UnitOfWork, code: str) -> bytes | None:
    """The forum's feed, 90 days back to 400 days ahead of the actor's now; None when there is no such forum.

    A read nobody is identified for (the address carries a shared token), so nothing is audited or committed.
    """
    now = uow.actor.now
    try:
        forum = await uow.meetings.forum(code)
    except LookupError:
        return None
    occurrences = await uow.meetings.occurrences(now - PAST, now + AHEAD, code)
    return calendar_bytes(forum.name, occurrences, now, uow.zone)


def calendar_bytes(name: str, occurrences: list[Occurrence], now: datetime, zone: str) -> bytes:
    """A VCALENDAR of the occurrences, times in UTC (every client converts those the same way)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone)
    calendar.add("x-published-ttl", "PT1H")  # how often subscribed clients should fetch again
    stamp = now.astimezone(UTC)
    for occurrence in occurrences:
        event = Event()
        event.add("uid", occurrence.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", occurrence.starts_at.astimezone(UTC))
        event.add("dtend", occurrence.ends_at.astimezone(UTC))
        event.add("summary", occurrence.forum_name)
        if occurrence.location:
            event.add("location", occurrence.location)
        event.add("status", "CANCELLED" if occurrence.cancelled else "CONFIRMED")
        # A cancellation is a revision of the event; clients that merge by UID take the higher sequence.
        event.add("sequence", 1 if occurrence.cancelled else 0)
        calendar.add_component(event)
    return calendar.to_ical()
