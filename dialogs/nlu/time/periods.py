"""Rules that name a span: weeks, months, quarters, seasons, years, weekends, recent windows, school breaks."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from dialogs.nlu.time.base import (
    HOSTLOV_WEEK,
    Interval,
    _Context,
    _day,
    _days,
    _iso_week,
    _monday,
    _month,
    _month_year,
    _week,
    _which_month,
)
from dialogs.nlu.time.named_days import _holiday
from dialogs.nlu.timewords import (
    MONTH_PATTERN,
    MONTHS,
    NUMBER_PATTERN,
    ORDINAL_WORDS,
    SEASONS,
    number,
)

# --- periods (weeks, months, quarters, seasons, years, named spans) ----------------------------------

_PERIOD_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str], _Context], Interval | None]]] = []


def _period_rule(pattern: str):
    def register(func):
        _PERIOD_RULES.append((re.compile(f"^(?:{pattern})$"), func))
        return func
    return register


@_period_rule(r"(?:(?:under |i )?(?:denna|den har|innevarande) vecka|i veckan|(?:under )?veckan|den har veckan)")
def _this_week(m, ctx):
    return _week(_monday(ctx.today))


@_period_rule(r"(?:under |i )?(?:nasta|kommande) vecka|nasta veckan")
def _next_week(m, ctx):
    return _week(_monday(ctx.today) + timedelta(weeks=1))


@_period_rule(r"(?:under |i )?(?P<twice>forr)?(?:forra|forrgaende) veckan?")
def _last_week(m, ctx):
    return _week(_monday(ctx.today) - timedelta(weeks=2 if m["twice"] else 1))


@_period_rule(r"(?:under |i |till |senast |pa )?v ?(?P<a>\d{1,2})(?:(?:-| till | och )v? ?(?P<b>\d{1,2}))?"
              r"(?: (?P<y>\d{4}))?")
def _numbered_weeks(m, ctx):
    first, last = int(m["a"]), int(m["b"] or m["a"])
    year = int(m["y"]) if m["y"] else None
    if year is None:
        current = ctx.today.isocalendar()
        year = current.year
        if ctx.future and first < current.week:
            year += 1
        elif not ctx.future and first > current.week:
            year -= 1
    return _weeks(year, first, last)


def _weeks(year: int, first: int, last: int) -> Interval | None:
    """ISO weeks ``first`` to ``last`` of ``year``; a ``last`` below ``first`` is in the next year."""
    start = _iso_week(year, first)
    end_monday = _iso_week(year if last >= first else year + 1, last)
    if start is None or end_monday is None:
        return None
    return Interval(datetime.combine(start, time()), datetime.combine(end_monday + timedelta(weeks=1), time()))


@_period_rule(r"(?:under |i )?(?:denna|den har|innevarande) manad(?:en)?|i manaden|(?:under )?manaden")
def _this_month(m, ctx):
    return _month(ctx.today.year, ctx.today.month)


@_period_rule(r"(?:under |i )?(?:nasta|kommande) manad(?:en)?")
def _next_month(m, ctx):
    following = ctx.today + relativedelta(months=1)
    return _month(following.year, following.month)


@_period_rule(r"(?:under |i )?forra manaden?")
def _last_month(m, ctx):
    previous = ctx.today - relativedelta(months=1)
    return _month(previous.year, previous.month)






# "jul" alone is Christmas ("till jul", "i jul"), read by the named days; July is "juli" or "3 jul".
@_period_rule(rf"(?:under |i |till |senast |pa )?(?!jul$)(?P<month>{MONTH_PATTERN})"
              r"(?: (?P<y>\d{4})| (?P<rel>forra aret|i fjol|ifjol|nasta ar|i ar))?")
def _named_month(m, ctx):
    month = MONTHS[m["month"]]
    if m["rel"]:
        shift = {"forra aret": -1, "i fjol": -1, "ifjol": -1, "nasta ar": 1, "i ar": 0}[m["rel"]]
        return _month(ctx.today.year + shift, month)
    return _month(int(m["y"]) if m["y"] else _month_year(ctx, month), month)


@_period_rule(rf"(?:i |till |senast (?:i )?)?(?P<when>borjan|mitten|slutet) (?:av |pa )?"
              rf"(?P<month>manaden|{MONTH_PATTERN})(?: (?P<y>\d{{4}}))?")
def _part_of_month(m, ctx):
    return _month_part(m, ctx)


@_period_rule(rf"(?:under |i |mellan )?(?P<first>{MONTH_PATTERN}) ?(?:och|till|-|to|and) ?(?P<last>{MONTH_PATTERN})"
              r"(?: (?P<y>\d{4}))?")
def _month_range(m, ctx):  # "under september och oktober": from the first to the end of the last
    year = int(m["y"]) if m["y"] else _month_year(ctx, MONTHS[m["first"]])
    first, last = MONTHS[m["first"]], MONTHS[m["last"]]
    end = _month(year if last >= first else year + 1, last)
    return Interval(_month(year, first).start, end.end)


def _month_part(m, ctx):
    year, month = _which_month(m, ctx)
    whole = _month(year, month)
    first = whole.start
    if m["when"] == "borjan":
        return Interval(first, first + timedelta(days=10))
    if m["when"] == "mitten":
        return Interval(first + timedelta(days=10), first + timedelta(days=20))
    return Interval(first + timedelta(days=20), whole.end)


def _quarter(year: int, quarter: int) -> Interval | None:
    if not 1 <= quarter <= 4:
        return None
    start = date(year, 3 * quarter - 2, 1)
    return Interval(datetime.combine(start, time()), datetime.combine(start + relativedelta(months=3), time()))


@_period_rule(r"(?:under |i )?(?:(?P<ord>forsta|andra|tredje|fjarde) kvartalet|q ?(?P<n>[1-4])|kvartal (?P<k>[1-4]))"
              r"(?: (?P<y>\d{4})| (?P<last>i fjol|ifjol|forra aret))?")
def _numbered_quarter(m, ctx):
    quarter = ORDINAL_WORDS[m["ord"]] if m["ord"] else int(m["n"] or m["k"])
    current = (ctx.today.month - 1) // 3 + 1
    if m["y"] or m["last"]:  # "q1 2026", "första kvartalet i fjol"
        return _quarter(int(m["y"]) if m["y"] else ctx.today.year - 1, quarter)
    year = ctx.today.year
    if ctx.future and quarter < current:
        year += 1
    elif not ctx.future and quarter > current:
        year -= 1
    return _quarter(year, quarter)


@_period_rule(r"(?:under |i )?(?:detta|det har|innevarande) kvartal(?:et)?")
def _this_quarter(m, ctx):
    return _quarter(ctx.today.year, (ctx.today.month - 1) // 3 + 1)


@_period_rule(r"(?:under |i )?nasta kvartal(?:et)?")
def _next_quarter(m, ctx):
    following = ctx.today + relativedelta(months=3)
    return _quarter(following.year, (following.month - 1) // 3 + 1)


@_period_rule(r"(?:under |i )?forra kvartalet")
def _last_quarter(m, ctx):
    previous = ctx.today - relativedelta(months=3)
    return _quarter(previous.year, (previous.month - 1) // 3 + 1)


def _season(ctx: _Context, first_month: int, *, behind: bool | None = None) -> Interval:
    """The season starting in ``first_month``: the current one if we are in it, else by direction."""
    past = (not ctx.future) if behind is None else behind
    today = ctx.today
    start = date(today.year, first_month, 1)
    if first_month == 12 and today.month <= 2:
        start = date(today.year - 1, 12, 1)
    end = start + relativedelta(months=3)
    inside = start <= today < end
    if behind and start > today:  # "i höstas" in November is this autumn; in March, last autumn
        start -= relativedelta(years=1)
    elif not inside and past and start > today:
        start -= relativedelta(years=1)
    elif not inside and not past and end <= today:
        start += relativedelta(years=1)
    return Interval(datetime.combine(start, time()), datetime.combine(start + relativedelta(months=3), time()))


@_period_rule(rf"(?:under |i |till |pa )?(?:(?:den |denna |nasta |kommande )?)(?P<season>{'|'.join(SEASONS)})"
              r"(?: (?P<y>\d{4}))?")
def _named_season(m, ctx):
    first_month = SEASONS[m["season"]][0]
    if m["y"]:
        start = date(int(m["y"]), first_month, 1)
        return Interval(datetime.combine(start, time()), datetime.combine(start + relativedelta(months=3), time()))
    return _season(ctx, first_month)


@_period_rule(rf"(?P<season>{'|'.join(SEASONS)}) (?P<rel>i ar|forra aret|i fjol|ifjol)"
              rf"|(?P<last>forra|forrforra) (?P<season2>{'|'.join(SEASONS)})")
def _season_of_a_year(m, ctx):  # "hösten i år", "hösten förra året", "förra hösten"
    season = m["season"] or m["season2"]
    back = {"i ar": 0, "forra aret": 1, "i fjol": 1, "ifjol": 1}[m["rel"]] if m["rel"] else \
        {"forra": 1, "forrforra": 2}[m["last"]]
    start = date(ctx.today.year - back, SEASONS[season][0], 1)
    return Interval(datetime.combine(start, time()), datetime.combine(start + relativedelta(months=3), time()))


# Breaks the municipality need not configure: höstlovet is the same week in the whole country, and sommarlovet
# runs from about midsommar to the middle of August everywhere.
_NATIONAL_BREAKS = {"hostlov": (HOSTLOV_WEEK, HOSTLOV_WEEK), "sommarlov": (25, 33)}


# School terms, when the municipality has set no dates: the autumn term August–December, spring January–June.
_AUTUMN_TERM, _SPRING_TERM = (8, 5), (1, 6)


@_period_rule(r"(?:under |i |den har |denna |innevarande )?(?P<which>hostterminen|varterminen|terminen|termin)"
              r"|(?P<last>forra) (?P<which2>terminen|hostterminen|varterminen)")
def _school_term(m, ctx):
    """"den här terminen" is the current term; a named term is the last one begun (the current or next one
    when reading ahead); "förra" steps one term (or one year, for a named term) back."""
    which = m["which"] or m["which2"]
    today = ctx.today
    current = date(today.year, 8, 1) if today.month >= 8 else date(today.year, 1, 1)
    if which in ("terminen", "termin"):
        start = current
        if m["last"]:
            start = date(start.year - 1, 8, 1) if start.month == 1 else date(start.year, 1, 1)
    else:
        first_month = 8 if which == "hostterminen" else 1
        start = date(today.year, first_month, 1)
        if start > today and not ctx.future:
            start = date(today.year - 1, first_month, 1)
        elif ctx.future and start + relativedelta(months=6) <= today:
            start = date(today.year + 1, first_month, 1)
        if m["last"]:
            start = date(start.year - 1, first_month, 1)
    months = _AUTUMN_TERM[1] if start.month == 8 else _SPRING_TERM[1]
    return Interval(datetime.combine(start, time()), datetime.combine(start + relativedelta(months=months), time()))


@_period_rule(r"i (?P<season>varas|somras|hostas|vintras)")
def _last_season(m, ctx):  # "i somras": the last summer, always behind
    first_month = {"varas": 3, "somras": 6, "hostas": 9, "vintras": 12}[m["season"]]
    return _season(ctx, first_month, behind=True)


@_period_rule(r"(?:under |i )?(?:ar|detta ar|i ar|innevarande ar|aret|det har aret)")
def _this_year(m, ctx):
    return _year(ctx.today.year)


@_period_rule(r"i fjol|(?:under |i )?forra aret|ifjol")
def _last_year(m, ctx):
    return _year(ctx.today.year - 1)


@_period_rule(r"(?:under |i )?nasta ar")
def _next_year(m, ctx):
    return _year(ctx.today.year + 1)


@_period_rule(r"(?:under |i |ar )?(?P<y>20\d{2})")
def _numbered_year(m, ctx):
    return _year(int(m["y"]))


def _year(year: int) -> Interval:
    return Interval(datetime(year, 1, 1), datetime(year + 1, 1, 1))


_RECENT_UNITS = {"dag": "d", "dagar": "d", "dagarna": "d", "dygn": "d", "dygnen": "d", "dygnet": "d", "d": "d",
                 "dgr": "d", "vecka": "w", "veckan": "w", "veckor": "w", "veckorna": "w", "v": "w", "manad": "m",
                 "manaden": "m", "manader": "m", "manaderna": "m", "man": "m", "mandr": "m", "halvar": "h",
                 "halvaret": "h", "ar": "y", "aret": "y", "aren": "y",
                 "kvartal": "q", "kvartalet": "q", "kvartalen": "q", "timmar": "t", "timmarna": "t",
                 "timmen": "t", "timme": "t", "tim": "t"}


@_period_rule(rf"(?:under |de |den |det |i )?(?:senaste|sista|gangna) (?:(?P<n>{NUMBER_PATTERN}) )?"
              rf"(?P<unit>{'|'.join(sorted(_RECENT_UNITS, key=len, reverse=True))})\.?")
def _recent(m, ctx):
    """'senaste månaden', 'de sista 14 dagarna', 'sista 3 mån': a window ending now (the rest of today included)."""
    n = number(m["n"]) if m["n"] else 1
    unit = _RECENT_UNITS[m["unit"]]
    if unit == "t":
        return Interval(ctx.now - timedelta(hours=n), ctx.now)
    end = ctx.today + timedelta(days=1)
    span = {"d": relativedelta(days=n), "w": relativedelta(weeks=n), "m": relativedelta(months=n),
            "q": relativedelta(months=3 * n), "h": relativedelta(months=6 * n), "y": relativedelta(years=n)}[unit]
    return _days(end - span, ctx.today)


@_period_rule(r"hittills i ar|i ar hittills|hittills (?:under|i) aret|(?:sedan|sen|fran) arsskiftet|hittills")
def _so_far_this_year(m, ctx):
    return _days(date(ctx.today.year, 1, 1), ctx.today)


@_period_rule(r"(?:i |under |till )?nasta helg(?:en)?")
def _next_weekend(m, ctx):  # the weekend of next week
    saturday = _monday(ctx.today) + timedelta(weeks=1, days=5)
    return _days(saturday, saturday + timedelta(days=1))


@_period_rule(r"(?:i |under )?forra helgen")
def _last_weekend(m, ctx):
    saturday = _monday(ctx.today) - timedelta(days=2)
    return _days(saturday, saturday + timedelta(days=1))


@_period_rule(r"(?:i |under |till )?helgen|(?:i |under )?(?:denna|den har) helg")
def _weekend(m, ctx):
    today = ctx.today
    if today.weekday() >= 5:
        saturday = today - timedelta(days=today.weekday() - 5)
    elif ctx.future:
        saturday = today + timedelta(days=5 - today.weekday())
    else:
        saturday = today - timedelta(days=today.weekday() + 2)
    return _days(saturday, saturday + timedelta(days=1))


@_period_rule(r"(?:i |under |till |efter )?mellandagarna")
def _between_holidays(m, ctx):
    year = ctx.today.year
    if ctx.future and ctx.today > date(year, 12, 30):
        year += 1
    elif not ctx.future and ctx.today < date(year, 12, 27):
        year -= 1
    return _days(date(year, 12, 27), date(year, 12, 30))


@_period_rule(r"(?:fore|innan|till|senast|vid|runt) (?:arsskiftet|arets slut|arsslutet|aret slut)")
def _year_end(m, ctx):  # the turn of the year: by 31 December
    year = ctx.today.year if ctx.future or ctx.today.month == 12 and ctx.today.day == 31 else ctx.today.year - 1
    return _day(date(year, 12, 31))


@_period_rule(r"(?:efter |under )?helgens")
def _weekend_of(m, ctx):  # "efter helgens fest": the weekend named in passing, read as "i helgen"
    return _weekend(m, ctx)


@_period_rule(r"i paskas|(?:under |i )?paskhelgen som var")
def _last_easter(m, ctx):  # långfredag to annandag påsk, the last one
    good_friday = _holiday("langfredag", _Context(ctx.now, False, ctx.school_breaks))
    return _days(good_friday, good_friday + timedelta(days=3))


@_period_rule(r"(?:fore|innan) (?P<name>jul|julafton|nyar|nyarsafton|midsommar|pask|sommaren|semestern)")
def _before(m, ctx):
    name = {"sommaren": "midsommar", "semestern": "midsommar"}.get(m["name"], m["name"])
    return _day(_holiday(name, ctx) - timedelta(days=1))


@_period_rule(r"(?:under |pa |till )?(?P<name>[a-z]+lov)(?:et)?(?: (?P<y>\d{4}))?")
def _school_break(m, ctx):
    name = m["name"]
    weeks = ctx.school_breaks.get(name) or _NATIONAL_BREAKS.get(name)
    if weeks is None:
        return None
    first, last = weeks
    if m["y"]:
        return _weeks(int(m["y"]), first, last)
    this_year = _weeks(ctx.today.year, first, last)
    if this_year is None:
        return None
    if ctx.future and this_year.end.date() <= ctx.today:
        return _weeks(ctx.today.year + 1, first, last)
    if not ctx.future and this_year.start.date() > ctx.today:
        return _weeks(ctx.today.year - 1, first, last)
    return this_year


