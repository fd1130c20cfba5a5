"""A forum's iCalendar feed built by the use case the /calendar route calls (services.calendar_feed)."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar

from services.calendar_feed import forum_calendar
from services.unit_of_work import Actor, UnitOfWork
from storage.meetings import MeetingRepository
from tests.support.seed import seed

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


async def test_the_feed_holds_the_forums_meetings_and_none_for_an_unknown_forum(database):
    await seed(database)
    async with database.session() as session:
        await MeetingRepository(session, "Europe/Stockholm").add_meeting(
            "operativa-bra", datetime(2026, 12, 8, 12, 0, tzinfo=UTC), location="Kommunhuset")
        await session.commit()
    async with UnitOfWork(database, Actor(None, "calendar", NOW, name="calendar"), zone="Europe/Stockholm") as uow:
        assert await forum_calendar(uow, "inget-forum") is None
        body = await forum_calendar(uow, "operativa-bra")
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["x-wr-timezone"]) == "Europe/Stockholm"
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2026, 12, 8, 12, 0, tzinfo=UTC)
    assert str(event["location"]) == "Kommunhuset" and str(event["status"]) == "CONFIRMED"
