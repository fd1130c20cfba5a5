"""Reading Swedish time expressions as intervals, so the bot can show how it read them.

The conventions are the corpus README's: half-open ``[start, end)`` in local time; an instant has
``start == end``; ``direction`` (past or future) decides what the words leave open ("fredag", "kl 19",
"vecka 12"). Swedish rules come first (weekday forms, ISO weeks, parts of the day, clock words,
holidays from the ``holidays`` package); dateparser, pinned to Swedish and English, reads the
absolute dates that are left. Anything not understood is ``None``, never a guess.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from dialogs.nlu.time.base import Interval, _Context, _day, _days, _instant
from dialogs.nlu.time.clock import _find_clock, _find_part, _resolve_hour
from dialogs.nlu.time.days import _read_day
from dialogs.nlu.time.normalise import normalise
from dialogs.nlu.time.periods import _PERIOD_RULES
from dialogs.nlu.timewords import NUMBER_PATTERN, PARTS_OF_DAY, number
from domain.text import fold

MAX_TIME_TEXT = 200
_SCHOOL_CLASS = re.compile(r"(?<![\w:/.-])(?:\d{1,2}(?::?an|[a-f])|(?:ak|arskurs|klass) \d{1,2}[a-f]?)(?![\w:/.-])")

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
    if _SCHOOL_CLASS.search(fold(text)):  # "8:an", "7b", "åk 9" are classes, never dates
        return None
    normal = normalise(text)
    if not normal:
        return None
    try:
        return _read(normal, ctx)
    except (ValueError, OverflowError, KeyError):
        return None


_LEAD = re.compile(r"^(?P<lead>senast|till|fram till|fore|innan|sedan|sen|fran och med|fran|efter)\s+(?P<rest>.+)$")


_AFTER_WHAT = re.compile(r"[a-z]+lov(?:et)?|jul(?:afton|en)?|nyar(?:et|safton)?|pask(?:en)?|midsommar(?:en)?"
                         r"|sommaren|semestern|arsskiftet|nyarshelgen|julhelgen|paskhelgen")


def _read(text: str, ctx: _Context) -> Interval | None:
    """The whole text as one time; a leading 'senast', 'före' or 'sedan' applies to whatever follows it."""
    found = _read_plain(text, ctx)
    if found is not None:
        return found
    whole = re.match(r"^(?:under )?hela (?P<rest>.+)$", text)  # "hela november", "hela året": that period
    if whole:
        return _read_plain(whole["rest"], ctx) or _read_plain("i " + whole["rest"].removesuffix("et"), ctx)
    lead = _LEAD.match(text)
    if lead is None:
        return None
    word = lead["lead"]
    if word in ("senast", "till", "fram till"):
        return _read_plain(lead["rest"], ctx)
    if word in ("fore", "innan"):  # "före sportlovet": the day before it starts, as "före jul"
        named = _read_plain(lead["rest"], ctx)
        return _day(named.start.date() - timedelta(days=1)) if named else None
    if word == "efter" and (ctx.future or not _AFTER_WHAT.fullmatch(lead["rest"])):
        # "klart efter jul" names no day: the conversation asks for one. "krossat glas efter helgen" happened
        # during the weekend, which is read without the "efter".
        return None
    if re.search(r"(?:ens|ets|ans|dagens)$", lead["rest"]):
        return None  # "från helgens nattvandring": that weekend's walk, not everything since the weekend
    # "sedan augusti", "sen sommarlovet", "efter höstlovet": from then (a school break: from its end) to the end
    # of today
    named = _read_plain(lead["rest"], _Context(ctx.now, False, ctx.school_breaks))
    if named is None or named.start >= ctx.now:
        return None
    if word == "fran" and not (re.search(r"\d", lead["rest"]) and named.end - named.start <= timedelta(days=1)):
        return named  # "loggningar från i fredags", "något från i natt?": of that time; "från 1 oktober": since
    since = named.end if word == "efter" or lead["rest"].endswith(("lov", "lovet")) else named.start
    return Interval(since, datetime.combine(ctx.today + timedelta(days=1), time()))


_BETWEEN = re.compile(r"^(?:mellan|fran) (?P<a>.+?) (?:och|till|-) (?P<b>.+)$")
_DAY_SPAN = re.compile(r"^(?:(?:mellan|fran) )?(?:den )?(?P<a>\d{1,2})(?::?e|:?a)? ?(?:-| och | till ) ?"
                       r"(?P<b>(?:den )?\d{1,2}(?::?e|:?a)? (?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)[a-z]*"
                       r"(?: \d{4})?)$")  # a month by name: "22-23 igår" is a time of day


# "påminn mig imorgon 8", "fredag 14": an hour written right after a day that is ahead, as people type it in a
# chat. Only ahead and only waking hours: "idag 3 elever" and "i fredags 8 ungdomar" are counts.
_DAY_AND_HOUR = re.compile(r"^(?P<day>.*(?:dag|imorgon|iovermorgon)) (?P<h>\d{1,2})(?:[:.](?P<m>[0-5]\d))?$")
FIRST_BARE_HOUR, LAST_BARE_HOUR = 6, 23


def _day_and_hour(text: str, ctx: _Context) -> Interval | None:
    match = _DAY_AND_HOUR.match(text) if ctx.future else None
    if match is None or not FIRST_BARE_HOUR <= int(match["h"]) <= LAST_BARE_HOUR:
        return None
    day = _read_day(match["day"], ctx)
    if day is None:
        return None
    moment = datetime.combine(day, time(int(match["h"]), int(match["m"] or 0)))
    return _instant(moment) if moment > ctx.now else None


def _read_plain(text: str, ctx: _Context) -> Interval | None:
    day_and_hour = _day_and_hour(text, ctx)
    if day_and_hour is not None:
        return day_and_hour
    between = _BETWEEN.match(text)
    # "mellan 10/11 och 20/11" (but "mellan 9 och 11" is a clock range, read below)
    if between and not re.fullmatch(r"(?:kl )?\d{1,2}(?:[:.]\d{2})?", between["a"]):
        first, last = _read_plain(between["a"], ctx), _read_plain(between["b"], ctx)
        if first is not None and last is not None and last.end > first.start:
            return Interval(first.start, last.end)
    span = _DAY_SPAN.match(text)  # "1-15 november", "mellan 1 och 15 nov": the first day takes the last's month
    if span:
        last = _read_day(span["b"], ctx)
        if last is not None and 1 <= int(span["a"]) < last.day:
            return _days(last.replace(day=int(span["a"])), last)
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

