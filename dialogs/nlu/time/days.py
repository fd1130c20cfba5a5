"""Rules that name one day: relative days, weekdays in every form, dates, holidays, "om 3 dagar"."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from dialogs.nlu.time.base import _Context, _monday, _month_year, _span, _which_month
from dialogs.nlu.time.named_days import _holiday, _swedish_holidays
from dialogs.nlu.timewords import (
    MONTH_PATTERN,
    MONTHS,
    NUMBER_PATTERN,
    ORDINAL_WORDS,
    WEEKDAY_PATTERN,
    WEEKDAYS,
    number,
)

# --- days --------------------------------------------------------------------------------------------

def _next_weekday(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _last_weekday(today: date, weekday: int) -> date:
    return today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)


PLAUSIBLE_YEARS = 10  # a date further away than this is a typo ("31/12 9999"), not read


def _month_day(ctx: _Context, month: int, day: int, year: int | None) -> date | None:
    try:
        if year is not None:
            year = year if year > 100 else 2000 + year
            if abs(year - ctx.today.year) > PLAUSIBLE_YEARS:
                return None
            return date(year, month, day)
        candidate = date(ctx.today.year, month, day)
    except ValueError:
        return None
    if ctx.future and candidate < ctx.today:
        candidate = _replace_year(candidate, ctx.today.year + 1)
    elif not ctx.future and candidate > ctx.today:
        candidate = _replace_year(candidate, ctx.today.year - 1)
    return candidate


def _replace_year(d: date, year: int) -> date | None:
    try:
        return d.replace(year=year)
    except ValueError:
        return None


_DAY_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str], _Context], date | None]]] = []


def _day_rule(pattern: str):
    def register(func):
        _DAY_RULES.append((re.compile(f"^(?:{pattern})$"), func))
        return func
    return register


_RELATIVE_DAYS = {"idag": 0, "igar": -1, "imorgon": 1, "iforrgar": -2, "iovermorgon": 2}


@_day_rule("|".join(_RELATIVE_DAYS))
def _relative_day(m, ctx):
    return ctx.today + timedelta(days=_RELATIVE_DAYS[m[0]])


@_day_rule(rf"i (?P<weekday>{WEEKDAY_PATTERN})s")
def _last_named_weekday(m, ctx):  # "i fredags": always behind
    return _last_weekday(ctx.today, WEEKDAYS[m["weekday"]])


@_day_rule(rf"(?:pa|till|senast|pa kommande|kommande|pa nasta) (?P<weekday>{WEEKDAY_PATTERN})(?:en)?")
def _coming_weekday(m, ctx):  # "på fredag": always ahead
    return _next_weekday(ctx.today, WEEKDAYS[m["weekday"]])


@_day_rule(rf"nasta (?P<weekday>{WEEKDAY_PATTERN})(?:en)?")
def _weekday_next_week(m, ctx):
    return _monday(ctx.today) + timedelta(weeks=1, days=WEEKDAYS[m["weekday"]])


@_day_rule(rf"(?P<weekday>{WEEKDAY_PATTERN})(?:en)? (?:(?P<next>nasta)|(?P<this>denna|den har)|forra) vecka(?:n)?")
def _weekday_of_named_week(m, ctx):  # "tisdag nästa vecka"
    weeks = 1 if m["next"] else 0 if m["this"] else -1
    return _monday(ctx.today) + timedelta(weeks=weeks, days=WEEKDAYS[m["weekday"]])


@_day_rule(rf"(?P<weekday>{WEEKDAY_PATTERN})(?:en)? (?:i |under )?v ?(?P<week>\d{{1,2}})(?: (?P<y>\d{{4}}))?")
def _weekday_of_numbered_week(m, ctx):  # "tisdag v 50"
    week = int(m["week"])
    year = int(m["y"]) if m["y"] else ctx.today.isocalendar().year
    if not m["y"]:
        current = ctx.today.isocalendar().week
        year += 1 if ctx.future and week < current else -1 if not ctx.future and week > current else 0
    try:
        return date.fromisocalendar(year, week, WEEKDAYS[m["weekday"]] + 1)
    except ValueError:
        return None


@_day_rule(rf"(?:forra|forrforra) (?P<weekday>{WEEKDAY_PATTERN})(?:en)?")
def _weekday_last_week(m, ctx):
    weeks = 2 if m[0].startswith("forrforra") else 1
    return _monday(ctx.today) - timedelta(weeks=weeks) + timedelta(days=WEEKDAYS[m["weekday"]])


@_day_rule(rf"(?:i )?(?P<weekday>{WEEKDAY_PATTERN})(?:en)?")
def _bare_weekday(m, ctx):  # never today
    weekday = WEEKDAYS[m["weekday"]]
    return _next_weekday(ctx.today, weekday) if ctx.future else _last_weekday(ctx.today, weekday)


@_day_rule(r"(?:den )?(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:[/-](?P<y>\d{2}|\d{4})| (?P<year>\d{4}))?")
def _slash_date(m, ctx):
    year = m["y"] or m["year"]
    return _month_day(ctx, int(m["m"]), int(m["d"]), int(year) if year else None)


@_day_rule(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})")
def _iso_date(m, ctx):
    return _month_day(ctx, int(m["m"]), int(m["d"]), int(m["y"]))


@_day_rule(rf"(?:den )?(?P<d>\d{{1,2}}|{'|'.join(ORDINAL_WORDS)})(?:e|a)? (?:i )?(?P<month>{MONTH_PATTERN})"
           r"(?: (?P<y>\d{4}))?")
def _day_month(m, ctx):
    day = int(m["d"]) if m["d"].isdigit() else ORDINAL_WORDS[m["d"]]
    return _month_day(ctx, MONTHS[m["month"]], day, int(m["y"]) if m["y"] else None) if day > 0 else None


@_day_rule(rf"(?:den )?sista (?:dagen (?:i )?)?(?P<month>{MONTH_PATTERN})(?: (?P<y>\d{{4}}))?")
def _last_of_month(m, ctx):  # "senast sista januari"
    year = int(m["y"]) if m["y"] else _month_year(ctx, MONTHS[m["month"]])
    return date(year, MONTHS[m["month"]], calendar.monthrange(year, MONTHS[m["month"]])[1])


@_day_rule(r"den (?P<d>\d{1,2})(?:e|a)?|(?P<o>\d{1,2})(?:e|a)")
def _day_of_month(m, ctx):  # "den 20:e", "20:e": the next or the last 20th; a bare "20" is no day (a count?)
    day = int(m["d"] or m["o"])
    if not 1 <= day <= 31:
        return None
    step = 1 if ctx.future else -1
    month = date(ctx.today.year, ctx.today.month, 1)
    for _ in range(13):
        try:
            candidate = month.replace(day=day)
        except ValueError:
            candidate = None
        if candidate is not None and (candidate > ctx.today if ctx.future else candidate < ctx.today):
            return candidate
        month = month + relativedelta(months=step)
    return None


@_day_rule(rf"(?:for )?(?P<n>{NUMBER_PATTERN}) (?P<unit>dag|dagar|vecka|veckor|v|manad|manader|ar) (?:sedan|sen)")
def _ago(m, ctx):
    return ctx.today - _span(number(m["n"]), m["unit"])


@_day_rule(rf"om (?P<n>{NUMBER_PATTERN}) (?P<unit>dag|dagar|vecka|veckor|v|manad|manader|ar)")
def _in_days(m, ctx):
    return ctx.today + _span(number(m["n"]), m["unit"])




@_day_rule(rf"(?P<ord>{'|'.join(ORDINAL_WORDS)}) (?P<weekday>{WEEKDAY_PATTERN})(?:en)? i "
           rf"(?P<month>manaden|{MONTH_PATTERN})(?: (?P<y>\d{{4}}))?")
def _nth_weekday_of_month(m, ctx):
    year, month = _which_month(m, ctx)
    weekday, ordinal = WEEKDAYS[m["weekday"]], ORDINAL_WORDS[m["ord"]]
    first = date(year, month, 1)
    if ordinal > 0:
        day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (ordinal - 1))
        return day if day.month == month else None
    last = first + relativedelta(months=1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


@_day_rule("(?:pa |till |senast |under |i )?(?:" + "|".join(
    sorted(_swedish_holidays(2026), key=len, reverse=True)) + ")")
def _named_day(m, ctx):
    name = re.sub(r"^(?:pa|till|senast|under|i) ", "", m[0])
    return _holiday(name, ctx)


_WEEKDAY_BEFORE_DATE = re.compile(
    rf"^(?:{'|'.join(sorted(WEEKDAYS, key=len, reverse=True))})(?:en)?\.? (?:den )?(?=\d)")


def _read_day(text: str, ctx: _Context) -> date | None:
    text = re.sub(r"^(?:senast|till|pa|fram till) (?=\d)", "", text)
    # "ons 25 nov", "onsdag den 25/11": the date decides; the weekday only says it again.
    text = _WEEKDAY_BEFORE_DATE.sub("", text)
    for pattern, rule in _DAY_RULES:
        match = pattern.match(text)
        if match:
            return rule(match, ctx)
    return _dateparser_day(text, ctx)


def _dateparser_day(text: str, ctx: _Context) -> date | None:
    """Absolute dates the rules above do not cover ("3 december 2027", "2027-12-03"), never relative ones."""
    if not re.search(r"\d", text) or re.search(r"\b(?:om|for|sedan|sen|nasta|forra)\b", text):
        return None
    if not re.search(r"\d\s*[/.-]\s*\d|[a-z]{3,}", text):  # a lone number ("20") is not a date
        return None
    # Day before month, as Swedes write "1.2.2027" (dateparser's default read it as 2 January).
    settings = {"RELATIVE_BASE": ctx.now, "PREFER_DATES_FROM": "future" if ctx.future else "past",
                "DATE_ORDER": "DMY"}
    try:
        import dateparser

        parsed = dateparser.parse(text, languages=["sv", "en"], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; not understood is the answer
        return None
    if parsed is None or abs(parsed.year - ctx.today.year) > 10:  # "13-15" is not the year 2113
        return None
    return parsed.date()


