"""Working days in Sweden, and local wall-clock times as UTC instants.

Plain functions of the day passed in (no clock reads), so the reminder rules built on them test in microseconds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

ZONE = ZoneInfo("Europe/Stockholm")
_DAY = timedelta(days=1)


@lru_cache(maxsize=64)
def _days_off(year: int) -> dict[date, str]:
    """Public holidays plus the eves nobody works on, whatever the law says, with their Swedish names.

    The SE calendar lists every Sunday as a holiday unless told not to; weekends are handled apart anyway.
    """
    public = holidays.country_holidays("SE", years=year, include_sundays=False, language="sv")
    midsummer_eve = date(year, 6, 19) + timedelta(days=(4 - date(year, 6, 19).weekday()) % 7)  # Friday 19–25 June
    eves = {date(year, 12, 24): "julafton", date(year, 12, 31): "nyårsafton", midsummer_eve: "midsommarafton"}
    return {day: _as_said(name) for day, name in public.items()} | eves


def _as_said(name: str) -> str:
    """'Juldagen' → 'juldagen' as it reads mid-sentence; 'Kristi himmelsfärdsdag' keeps its capital."""
    return name if name.startswith("Kristi") else name[:1].lower() + name[1:]


def day_off_name(day: date) -> str | None:
    """The holiday or eve on ``day`` ('juldagen', 'julafton'), or None on an ordinary day (weekends too)."""
    return _days_off(day.year).get(day)


def is_working_day(day: date) -> bool:
    """Monday–Friday, not a public holiday, not julafton, nyårsafton or midsommarafton."""
    return day.weekday() < 5 and day not in _days_off(day.year)


def next_working_day(day: date) -> date:
    """The day itself when it is a working day, else the first one after it."""
    while not is_working_day(day):
        day += _DAY
    return day


def previous_working_day(day: date) -> date:
    """The day itself when it is a working day, else the last one before it."""
    while not is_working_day(day):
        day -= _DAY
    return day


def working_days_before(day: date, n: int) -> date:
    """Counts n working days back from previous_working_day(day), which is the 0th.

    So a reminder n working days before a due date on a weekend lands n working days before the Friday the
    due reminder goes out on, never on the same day as it.
    """
    if n < 0:
        raise ValueError("n must be 0 or more")
    day = previous_working_day(day)
    for _ in range(n):
        day = previous_working_day(day - _DAY)
    return day


def at_local(day: date, clock: time, zone: ZoneInfo = ZONE) -> datetime:
    """The UTC instant when the wall clock in `zone` shows `clock` on `day`.

    Always fold=0, as zoneinfo reads it: a time in the spring-forward gap (02:30 on 29 Mar 2026) is taken with
    the offset before the change, so it lands as far after 02:00 as asked, at 03:30 local; a time that
    occurs twice in autumn (02:30 on 25 Oct 2026) is the first, summer-time one.
    """
    local = datetime.combine(day, clock.replace(tzinfo=None, fold=0), tzinfo=zone)
    return local.astimezone(UTC)


def local_day(moment: datetime, zone: ZoneInfo = ZONE) -> date:
    """The calendar day in `zone` at an aware instant; a naive one is refused rather than guessed."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("local_day needs an aware datetime")
    return moment.astimezone(zone).date()
