"""Intervals and the context a time expression is read in (now, direction, school breaks)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from dialogs.nlu.timewords import MONTHS

HOSTLOV_WEEK = 44  # the same week in the whole country; other breaks come from configuration


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime

    def as_json(self) -> dict[str, str]:
        return {"start": self.start.strftime("%Y-%m-%dT%H:%M"), "end": self.end.strftime("%Y-%m-%dT%H:%M")}


def _day(d: date) -> Interval:
    start = datetime.combine(d, time())
    return Interval(start, start + timedelta(days=1))


def _days(first: date, last: date) -> Interval:
    return Interval(datetime.combine(first, time()), datetime.combine(last + timedelta(days=1), time()))


def _instant(moment: datetime) -> Interval:
    return Interval(moment, moment)


def _week(monday: date) -> Interval:
    return _days(monday, monday + timedelta(days=6))


def _month(year: int, month: int) -> Interval:
    first = date(year, month, 1)
    return Interval(datetime.combine(first, time()), datetime.combine(first + relativedelta(months=1), time()))


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _iso_week(year: int, week: int) -> date | None:
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        return None


@dataclass(frozen=True)
class _Context:
    now: datetime
    future: bool
    school_breaks: dict[str, tuple[int, int]]

    @property
    def today(self) -> date:
        return self.now.date()

def _which_month(m: re.Match[str], ctx: _Context) -> tuple[int, int]:
    """(year, month) for a match with groups ``month`` ('manaden' or a name) and optional ``y``."""
    if m["month"] == "manaden":
        return ctx.today.year, ctx.today.month
    month = MONTHS[m["month"]]
    return (int(m["y"]) if m["y"] else _month_year(ctx, month)), month


def _month_year(ctx: _Context, month: int) -> int:
    year = ctx.today.year
    if ctx.future and month < ctx.today.month:
        return year + 1
    if not ctx.future and month > ctx.today.month:
        return year - 1
    return year


def _span(n: int | None, unit: str) -> relativedelta:
    n = n or 0
    if unit.startswith("dag"):
        return relativedelta(days=n)
    if unit.startswith("v"):
        return relativedelta(weeks=n)
    if unit.startswith("manad"):
        return relativedelta(months=n)
    return relativedelta(years=n)
