"""Reading Swedish time expressions as intervals, so the bot can show how it read them.

The conventions are the corpus README's: half-open ``[start, end)`` in local time; an instant has
``start == end``; ``direction`` (past or future) decides what the words leave open ("fredag", "kl 19",
"vecka 12"). Swedish rules come first (weekday forms, ISO weeks, parts of the day, clock words,
holidays from the ``holidays`` package); dateparser, pinned to Swedish and English, reads the
absolute dates that are left. Anything not understood is ``None``, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta

from dialogs.nlu.text import fold
from dialogs.nlu.timewords import (
    MONTH_PATTERN,
    MONTHS,
    NUMBER_PATTERN,
    ORDINAL_WORDS,
    PARTS_OF_DAY,
    SEASONS,
    WEEKDAY_PATTERN,
    WEEKDAYS,
    number,
)

MAX_TIME_TEXT = 200
HOSTLOV_WEEK = 44


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime

    @property
    def is_instant(self) -> bool:
        return self.start == self.end

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


# --- named days --------------------------------------------------------------------------------------

def _first_advent(year: int) -> date:
    christmas = date(year, 12, 25)
    fourth_advent = christmas - timedelta(days=(christmas.weekday() + 1) % 7 or 7)
    return fourth_advent - timedelta(weeks=3)


@lru_cache(maxsize=64)
def _swedish_holidays(year: int) -> dict[str, date]:
    by_name = {fold(name): day for day, name in holidays.Sweden(years=year, language="sv").items()}
    midsummer = by_name["midsommardagen"]
    easter = by_name["paskdagen"]
    return {
        "julafton": date(year, 12, 24), "jul": date(year, 12, 24), "julen": date(year, 12, 24),
        "juldagen": date(year, 12, 25), "annandag jul": date(year, 12, 26),
        "nyarsafton": date(year, 12, 31), "nyar": date(year, 12, 31), "nyarsdagen": date(year, 1, 1),
        "trettondagen": date(year, 1, 6), "trettondag jul": date(year, 1, 6),
        "trettondagsafton": date(year, 1, 5),
        "langfredag": easter - timedelta(days=2), "langfredagen": easter - timedelta(days=2),
        "paskafton": easter - timedelta(days=1), "pask": easter, "paskdagen": easter,
        "annandag pask": easter + timedelta(days=1),
        "valborg": date(year, 4, 30), "valborgsmassoafton": date(year, 4, 30),
        "forsta maj": date(year, 5, 1),
        "kristi himmelsfardsdag": by_name["kristi himmelsfardsdag"],
        "nationaldagen": date(year, 6, 6),
        "midsommar": midsummer - timedelta(days=1), "midsommarafton": midsummer - timedelta(days=1),
        "midsommardagen": midsummer,
        "lucia": date(year, 12, 13), "luciadagen": date(year, 12, 13),
        "forsta advent": _first_advent(year),
        "alla helgons dag": by_name["alla helgons dag"], "allhelgona": by_name["alla helgons dag"],
    }


def _holiday(name: str, ctx: _Context) -> date:
    """The named day this year if it is still ahead (future) or already here (past), else the next/last."""
    year = ctx.today.year
    day = _swedish_holidays(year)[name]
    if ctx.future:
        return day if day >= ctx.today else _swedish_holidays(year + 1)[name]
    return day if day <= ctx.today else _swedish_holidays(year - 1)[name]


# --- normalising -------------------------------------------------------------------------------------

_GLUED = [
    (r"\bi ?gar\b", "igar"), (r"\bi ?(?:morgon|morn|morrn|morron)\b", "imorgon"), (r"\bi ?dag\b", "idag"),
    (r"\bi ?kvall\b", "ikvall"), (r"\bi ?natt\b", "inatt"), (r"\bi ?morse\b", "imorse"),
    (r"\bi ?forrgar\b", "iforrgar"), (r"\bi ?overmorgon\b", "iovermorgon"),
    (r"\bklockan\b", "kl"), (r"\bkl\.", "kl "), (r"\bvecka ?(?=\d)", "v "), (r"\bv\. ?", "v "),
    (r"\bv(\d)", r"v \1"),
]


# English, mapped onto the Swedish forms read below (the intents are understood in English too).
_ENGLISH = [
    (r"\btoday\b", "idag"), (r"\byesterday\b", "igar"), (r"\btomorrow\b", "imorgon"),
    (r"\btonight\b", "ikvall"), (r"\blast night\b", "inatt"), (r"\bthis morning\b", "imorse"),
    (r"\bthis evening\b", "ikvall"),
    (r"\bthis week\b", "denna vecka"), (r"\bnext week\b", "nasta vecka"), (r"\blast week\b", "forra veckan"),
    (r"\bthis month\b", "denna manad"), (r"\bnext month\b", "nasta manad"), (r"\blast month\b", "forra manaden"),
    (r"\bthis year\b", "i ar"), (r"\blast year\b", "i fjol"), (r"\bnext year\b", "nasta ar"),
    (r"\b(?:this |the )?weekend\b", "helgen"), (r"\blast (?=[a-z]+day\b)", "i "), (r"\bon (?=[a-z]+day\b)", "pa "),
    (r"\bnext (?=[a-z]+day\b)", "nasta "), (r"\bat (?=\d)", "kl "), (r"\bweek (?=\d)", "v "),
    (r"\bin (\w+) (day|days)\b", r"om \1 dagar"), (r"\bin (\w+) (week|weeks)\b", r"om \1 veckor"),
    (r"\bin (\w+) (month|months)\b", r"om \1 manader"), (r"\bin (\w+) (hour|hours)\b", r"om \1 timmar"),
    (r"\bin (\w+) (minute|minutes)\b", r"om \1 minuter"), (r"\b(\w+) (day|days) ago\b", r"for \1 dagar sedan"),
    (r"\b(\w+) (week|weeks) ago\b", r"for \1 veckor sedan"), (r"\b(\w+) (hour|hours) ago\b", r"for \1 timmar sedan"),
    (r"\ban hour ago\b", "for en timme sedan"), (r"\bin an hour\b", "om en timme"),
    (r"\bin (?=[a-z]+$)", "i "), (r"\bevening\b", "kvall"), (r"\bmorning\b", "morgon"),
    (r"\bafternoon\b", "eftermiddag"), (r"\bnight\b", "natt"), (r"\bbefore christmas\b", "fore jul"),
    (r"\bchristmas eve\b", "julafton"), (r"\bchristmas\b", "jul"), (r"\bmidsummer\b", "midsommar"),
    (r"\bend of the month\b", "i slutet av manaden"), (r"\bone\b", "en"), (r"\btwo\b", "tva"),
    (r"\bthree\b", "tre"),
]


def normalise(text: str) -> str:
    folded = fold(text)
    folded = re.sub(r"[,!?;]", " ", folded)
    for pattern, replacement in _ENGLISH:
        folded = re.sub(pattern, replacement, folded)
    folded = re.sub(r"(?<=\d):(?:e|a)\b", "", folded)  # "3:e", "1:a"
    for pattern, replacement in _GLUED:
        folded = re.sub(pattern, replacement, folded)
    folded = re.sub(r"\s*[-\u2010-\u2015\u2212]\s*", "-", folded)  # hyphen, en and em dash, minus
    return " ".join(folded.split()).strip(" .")


# --- clock -------------------------------------------------------------------------------------------

_HOUR_WORD = rf"(?:{NUMBER_PATTERN})"
_CLOCK_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[int, int, bool] | None]]] = []


def _clock(pattern: str):
    def register(func):
        _CLOCK_PATTERNS.append((re.compile(pattern), func))
        return func
    return register


def _word_hour(token: str) -> int | None:
    value = number(token)
    return value if value is not None and 0 <= value <= 24 else None


@_clock(r"\b(?:kl|vid) ?(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?(?:-tiden)?\b")
def _kl(m: re.Match[str]):
    return int(m["h"]), int(m["m"] or 0), False


@_clock(r"\b(?:vid |runt )?(?P<h>\d{1,2})-?tiden\b")
def _tiden(m: re.Match[str]):
    return int(m["h"]), 0, False


@_clock(r"\b(?P<h>\d{1,2})[:.](?P<m>\d{2})\b")
def _hhmm(m: re.Match[str]):
    return int(m["h"]), int(m["m"]), False


# "halv åtta" is 7:30 and "kvart i tre" 2:45: the named hour is the one being approached.
_CLOCK_WORDS = {"halv": (30, True), "kvart over": (15, False), "kvart i": (45, True)}


@_clock(rf"\b(?P<word>halv|kvart over|kvart i) (?P<h>{_HOUR_WORD})\b")
def _clock_word(m: re.Match[str]):
    hour = _word_hour(m["h"])
    if hour is None:
        return None
    minute, before = _CLOCK_WORDS[m["word"]]
    return ((hour - 1) % 12 or 12) if before else hour, minute, True


@_clock(rf"\b(?P<n>{_HOUR_WORD}) (?P<rel>over|i) (?P<h>{_HOUR_WORD})\b")
def _minutes_past_to(m: re.Match[str]):
    minutes, hour = number(m["n"]), _word_hour(m["h"])
    if minutes is None or hour is None or not 0 < minutes < 30:
        return None
    if m["rel"] == "over":
        return hour, minutes, True
    return (hour - 1) % 12 or 12, 60 - minutes, True


def _find_clock(text: str) -> tuple[tuple[int, int, bool] | None, str]:
    """(hour, minute, spoken) and the text without it; spoken times are 12-hour clock words."""
    for pattern, read in _CLOCK_PATTERNS:
        match = pattern.search(text)
        if match:
            value = read(match)
            if value is None:
                return None, text
            rest = (text[: match.start()] + " " + text[match.end():]).strip()
            return value, " ".join(rest.split())
    return None, text


def _resolve_hour(hour: int, spoken: bool, part: tuple[int, int] | None) -> int:
    """Clock words are 12-hour: with a part of the day they fall in it, without one between 07 and 19."""
    if part is not None and hour < 12 and part[0] >= 12:
        return hour + 12
    if spoken and part is None and hour < 7:
        return hour + 12
    return hour


# --- parts of the day --------------------------------------------------------------------------------

_PART_RE = re.compile(r"\b(?P<part>" + "|".join(sorted(PARTS_OF_DAY, key=len, reverse=True)) + r")\b")


def _find_part(text: str) -> tuple[str | None, str]:
    match = _PART_RE.search(text)
    if not match:
        return None, text
    rest = (text[: match.start()] + " " + text[match.end():]).strip()
    return match["part"], " ".join(rest.split())


# --- days --------------------------------------------------------------------------------------------

def _next_weekday(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _last_weekday(today: date, weekday: int) -> date:
    return today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)


def _month_day(ctx: _Context, month: int, day: int, year: int | None) -> date | None:
    try:
        if year is not None:
            return date(year if year > 100 else 2000 + year, month, day)
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


@_day_rule(rf"(?:forra|forrforra) (?P<weekday>{WEEKDAY_PATTERN})(?:en)?")
def _weekday_last_week(m, ctx):
    weeks = 2 if m[0].startswith("forrforra") else 1
    return _monday(ctx.today) - timedelta(weeks=weeks) + timedelta(days=WEEKDAYS[m["weekday"]])


@_day_rule(rf"(?:i )?(?P<weekday>{WEEKDAY_PATTERN})(?:en)?")
def _bare_weekday(m, ctx):  # never today
    weekday = WEEKDAYS[m["weekday"]]
    return _next_weekday(ctx.today, weekday) if ctx.future else _last_weekday(ctx.today, weekday)


@_day_rule(r"(?:den )?(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:[/-](?P<y>\d{2}|\d{4}))?")
def _slash_date(m, ctx):
    return _month_day(ctx, int(m["m"]), int(m["d"]), int(m["y"]) if m["y"] else None)


@_day_rule(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})")
def _iso_date(m, ctx):
    return _month_day(ctx, int(m["m"]), int(m["d"]), int(m["y"]))


@_day_rule(rf"(?:den )?(?P<d>\d{{1,2}}|{'|'.join(ORDINAL_WORDS)}) (?:i )?(?P<month>{MONTH_PATTERN})"
           r"(?: (?P<y>\d{4}))?")
def _day_month(m, ctx):
    day = int(m["d"]) if m["d"].isdigit() else ORDINAL_WORDS[m["d"]]
    return _month_day(ctx, MONTHS[m["month"]], day, int(m["y"]) if m["y"] else None) if day > 0 else None


@_day_rule(r"(?:den )?(?P<d>\d{1,2})(?:e|a)?")
def _day_of_month(m, ctx):  # "den 20:e": the next or the last 20th
    day = int(m["d"])
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


def _span(n: int | None, unit: str) -> relativedelta:
    n = n or 0
    if unit.startswith("dag"):
        return relativedelta(days=n)
    if unit.startswith("v"):
        return relativedelta(weeks=n)
    if unit.startswith("manad"):
        return relativedelta(months=n)
    return relativedelta(years=n)


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
    text = re.sub(r"^(?:senast|till|pa|den|fram till) (?=\d)", "", text)
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


@_period_rule(rf"(?:under |i |till |senast |pa )?(?P<month>{MONTH_PATTERN})"
              r"(?: (?P<y>\d{4})| (?P<rel>forra aret|i fjol|ifjol|nasta ar|i ar))?")
def _named_month(m, ctx):
    month = MONTHS[m["month"]]
    if m["rel"]:
        shift = {"forra aret": -1, "i fjol": -1, "ifjol": -1, "nasta ar": 1, "i ar": 0}[m["rel"]]
        return _month(ctx.today.year + shift, month)
    return _month(int(m["y"]) if m["y"] else _month_year(ctx, month), month)


@_period_rule(rf"i (?P<when>borjan|mitten|slutet) (?:av |pa )?(?P<month>manaden|{MONTH_PATTERN})(?: (?P<y>\d{{4}}))?")
def _part_of_month(m, ctx):
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
              r"(?: (?P<y>\d{4}))?")
def _numbered_quarter(m, ctx):
    quarter = ORDINAL_WORDS[m["ord"]] if m["ord"] else int(m["n"] or m["k"])
    current = (ctx.today.month - 1) // 3 + 1
    year = int(m["y"]) if m["y"] else ctx.today.year
    if not m["y"] and ctx.future and quarter < current:
        year += 1
    elif not m["y"] and not ctx.future and quarter > current:
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
    if behind and (inside or start > today):
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


@_period_rule(r"i (?P<season>varas|somras|hostas|vintras)")
def _last_season(m, ctx):  # "i somras": the last summer, always behind
    first_month = {"varas": 3, "somras": 6, "hostas": 9, "vintras": 12}[m["season"]]
    return _season(ctx, first_month, behind=True)


@_period_rule(r"(?:under |i )?(?:ar|detta ar|i ar|innevarande ar|aret)")
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


@_period_rule(rf"(?:under |de |den |det )?senaste (?:(?P<n>{NUMBER_PATTERN}) )?(?P<unit>dagarna|dygnen|veckorna|veckan"
              r"|manaderna|manaden|aret|aren|timmarna|timmen|dygnet)")
def _recent(m, ctx):
    """'senaste månaden', 'de senaste 14 dagarna': a window ending now (the rest of today included)."""
    n = number(m["n"]) if m["n"] else 1
    unit = m["unit"]
    if unit.startswith("tim"):
        return Interval(ctx.now - timedelta(hours=n), ctx.now)
    end = ctx.today + timedelta(days=1)
    start = end - (relativedelta(days=n) if unit.startswith("dyg") or unit.startswith("dag") else _span(n, unit))
    return _days(start, ctx.today)


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


@_period_rule(r"(?:fore|innan) (?P<name>jul|julafton|nyar|nyarsafton|midsommar|pask|sommaren|semestern)")
def _before(m, ctx):
    name = {"sommaren": "midsommar", "semestern": "midsommar"}.get(m["name"], m["name"])
    return _day(_holiday(name, ctx) - timedelta(days=1))


@_period_rule(r"(?:under |pa |till |efter )?(?P<name>[a-z]+lov)(?:et)?(?: (?P<y>\d{4}))?")
def _school_break(m, ctx):
    name = m["name"]
    weeks = ctx.school_breaks.get(name) or ((HOSTLOV_WEEK, HOSTLOV_WEEK) if name == "hostlov" else None)
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


# --- instants relative to now ------------------------------------------------------------------------

_RELATIVE_INSTANT = re.compile(
    rf"^(?:om|for) (?P<n>{NUMBER_PATTERN}|en halv|ett par|par) (?P<unit>timme|timmar|tim|h|minut|minuter|min)"
    r"(?: (?:sedan|sen))?$")


def _relative_instant(text: str, ctx: _Context) -> Interval | None:
    if text in ("om en halvtimme", "om en halvtimma"):
        return _instant(ctx.now + timedelta(minutes=30))
    if text in ("for en halvtimme sedan", "for en halvtimme sen"):
        return _instant(ctx.now - timedelta(minutes=30))
    match = _RELATIVE_INSTANT.match(text)
    if not match:
        return None
    count = {"en halv": 0.5, "ett par": 2, "par": 2}.get(match["n"]) or number(match["n"]) or 0
    unit = timedelta(hours=1) if match["unit"].startswith(("tim", "h")) else timedelta(minutes=1)
    sign = 1 if text.startswith("om ") else -1
    if sign < 0 and not re.search(r"(?:sedan|sen)$", text):
        return None
    return _instant(ctx.now + sign * count * unit)


# --- putting it together -----------------------------------------------------------------------------

def _with_part(day: date, part: str) -> Interval:
    start_hour, end_hour = PARTS_OF_DAY[part]
    start = datetime.combine(day, time()) + timedelta(hours=start_hour)
    return Interval(start, datetime.combine(day, time()) + timedelta(hours=end_hour))


def _bare_part(part: str, ctx: _Context) -> Interval:
    """'ikväll', 'i morse', 'inatt' without a day: today, except a night that is past or still ahead."""
    if PARTS_OF_DAY[part][0] == 0:  # night: the one just gone (past) or the coming one (future)
        night_day = ctx.today if not ctx.future or ctx.now.hour < 6 else ctx.today + timedelta(days=1)
        return _with_part(night_day, part)
    return _with_part(ctx.today, part)


def _bare_clock(hour: int, minute: int, ctx: _Context) -> Interval:
    moment = datetime.combine(ctx.today, time(hour % 24, minute))
    if ctx.future and moment <= ctx.now:
        moment += timedelta(days=1)
    elif not ctx.future and moment >= ctx.now:
        moment -= timedelta(days=1)
    return _instant(moment)


_NIGHT_TO = re.compile(r"^natten (?:till|mot) (?P<rest>.+)$")
_NIGHT_AFTER = re.compile(r"^natten (?:efter|pa) (?P<rest>.+)$")


_CLOCK_RANGE = re.compile(r"(?:\bkl |\bmellan )?(?<![\d/-])\b(?P<h1>\d{1,2})(?:[:.](?P<m1>\d{2}))?(?:-| till | och )"
                          r"(?:kl )?(?P<h2>\d{1,2})(?:[:.](?P<m2>\d{2}))?\b(?![/-])")


def _read_clock_range(text: str, match: re.Match[str], ctx: _Context) -> Interval | None:
    """'kl 14-16', 'fredag 13-15', 'mellan 9 och 11 imorgon': from the first time to the second."""
    h1, h2 = int(match["h1"]), int(match["h2"])
    m1, m2 = int(match["m1"] or 0), int(match["m2"] or 0)
    if not (0 <= h1 <= 24 and 0 <= h2 <= 24 and m1 < 60 and m2 < 60):
        return None
    rest = " ".join((text[: match.start()] + " " + text[match.end():]).split())
    part, rest = _find_part(rest)
    if part is not None and rest in ("i", "pa", "under"):
        rest = ""
    part_hours = PARTS_OF_DAY[part] if part else None
    h1, h2 = _resolve_hour(h1, False, part_hours), _resolve_hour(h2, False, part_hours)
    if rest:
        day = _read_day(rest, ctx)
        if day is None:
            return None
    else:
        day = _bare_clock(h1, m1, ctx).start.date()
    start = datetime.combine(day, time()) + timedelta(hours=h1, minutes=m1)
    end = datetime.combine(day, time()) + timedelta(hours=h2, minutes=m2)
    if end <= start:
        end += timedelta(days=1)
    return Interval(start, end)


def read_time(text: str, now: datetime, direction: str = "future",
              school_breaks: dict[str, tuple[int, int]] | None = None) -> Interval | None:
    """Read a Swedish (or English) time expression at ``now`` (local, naive); None when not understood."""
    if not text or len(text) > MAX_TIME_TEXT:
        return None
    if now.tzinfo is not None:
        now = now.replace(tzinfo=None)
    ctx = _Context(now.replace(second=0, microsecond=0), direction != "past", school_breaks or {})
    normal = normalise(text)
    if not normal:
        return None
    try:
        return _read(normal, ctx)
    except (ValueError, OverflowError, KeyError):
        return None


def _read(text: str, ctx: _Context) -> Interval | None:
    range_match = re.match(r"^(?P<a>[^-]+\d)-(?P<b>\d[^-]*)$", text)
    if range_match and "/" in text:
        first, last = _read_day(range_match["a"], ctx), _read_day(range_match["b"], ctx)
        if first and last and last >= first:
            return _days(first, last)
    for pattern, rule in _PERIOD_RULES:
        match = pattern.match(text)
        if match:
            return rule(match, ctx)
    instant = _relative_instant(text, ctx)
    if instant is not None:
        return instant

    night = _NIGHT_TO.match(text) or _NIGHT_AFTER.match(text)
    if night:
        day = _read_day(night["rest"], ctx)
        if day is None:
            return None
        return _with_part(day if text.startswith("natten till") or text.startswith("natten mot")
                          else day + timedelta(days=1), "natt")

    clock_range = _CLOCK_RANGE.search(text)
    if clock_range:
        return _read_clock_range(text, clock_range, ctx)
    clock, rest = _find_clock(text)
    part, rest = _find_part(rest)
    rest = re.sub(r"^(?:vid|kl|runt|at)\b ?|\b(?:vid|kl)$", "", rest).strip()
    if part is not None and rest in ("i", "pa", "under"):  # "i eftermiddag", "på kvällen"
        rest = ""
    part_hours = PARTS_OF_DAY[part] if part else None
    day = _read_day(rest, ctx) if rest else None
    if rest and day is None:
        return None
    if clock is not None:
        hour, minute, spoken = clock
        if not (0 <= hour <= 24 and 0 <= minute < 60):
            return None
        hour = _resolve_hour(hour, spoken, part_hours)
        if day is None and part is None:
            return _bare_clock(hour, minute, ctx)
        if day is None:
            day = ctx.today
        return _instant(datetime.combine(day, time()) + timedelta(hours=hour, minutes=minute))
    if part is not None:
        if day is None:
            return _bare_part(part, ctx)
        if PARTS_OF_DAY[part][0] == 0 and part in ("natt", "natten"):  # "fredag natt": the night after
            return _with_part(day + timedelta(days=1), part)
        return _with_part(day, part)
    if day is not None:
        return _day(day)
    return None


__all__ = ["Interval", "read_time", "normalise"]
