"""Swedish recurrence phrases as RFC 5545 rules: "varannan tisdag kl 13", "första måndagen i mars och oktober kl 9".

A pure function of the text and the local time now, so it tests without a database or a chat. Text that is
not fully understood gives None rather than a guessed rule: a meeting series read wrongly would put dozens of
wrong dates in everyone's calendar, so the chat answers with examples instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.rrule import rrulestr

from domain.text import fold

_WEEKDAYS = ("mandag", "tisdag", "onsdag", "torsdag", "fredag", "lordag", "sondag")
_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_NAMES = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
_MONTHS = {"januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4, "maj": 5,
           "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
           "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12}
_MONTH_NAMES = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
                "november", "december")
_ORDINALS = {"forsta": 1, "1:a": 1, "1a": 1, "andra": 2, "2:a": 2, "2a": 2, "tredje": 3, "3:e": 3, "3e": 3,
             "fjarde": 4, "4:e": 4, "4e": 4, "femte": 5, "5:e": 5, "5e": 5, "sista": -1, "nast sista": -2,
             "nastsista": -2}
_ORDINAL_NAMES = {1: "första", 2: "andra", 3: "tredje", 4: "fjärde", 5: "femte", -1: "sista", -2: "näst sista"}
# "varje" 1, "varannan" 2, "var tredje" 3 …: how often, in weeks or months.
_EVERY = {"varje": 1, "varenda": 1, "varannan": 2, "vartannat": 2, "var tredje": 3, "var 3:e": 3, "var fjarde": 4,
          "var 4:e": 4, "var femte": 5, "var 5:e": 5, "var sjatte": 6, "var 6:e": 6}
_EVERY_NAMES = {1: "varje", 2: "varannan", 3: "var tredje", 4: "var fjärde", 5: "var femte", 6: "var sjätte"}

_WEEKDAY = r"(?P<{name}>" + "|".join(_WEEKDAYS) + r")(?:en|ar|arna|s)?"
_ORDINAL = "|".join(sorted((re.escape(word) for word in _ORDINALS), key=len, reverse=True))
_EVERY_WORDS = "|".join(sorted((re.escape(word) for word in _EVERY), key=len, reverse=True))
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_AND = r"\s+(?:(?:och|samt)\s+)?"  # commas are gone by then: "mars, juni och oktober"
_MONTH_LIST = rf"(?P<months>(?:{_MONTH})(?:{_AND}(?:{_MONTH}))*)"
_DAYS = rf"(?P<days>{_WEEKDAY.format(name='day')}(?:{_AND}(?:{'|'.join(_WEEKDAYS)})(?:en|ar|arna|s)?)*)"

_CLOCK = r"(?P<{h}>\d{{1,2}})(?:[:.](?P<{m}>\d{{2}}))?"
_TIME = re.compile(r"\b(?:kl(?:ockan)?\.?\s*" + _CLOCK.format(h="h", m="m") + r"|(?P<h2>\d{1,2})[:.](?P<m2>\d{2}))"
                   r"(?:\s*(?:-|till)\s*(?:kl(?:ockan)?\.?\s*)?" + _CLOCK.format(h="eh", m="em") + r")?\b")

_RULES = [
    # "varannan tisdag", "varje tisdag och torsdag", "var tredje onsdag"
    ("weekly", re.compile(rf"^(?P<every>{_EVERY_WORDS})\s+{_DAYS}$")),
    # "varannan vecka på tisdagar", "varje vecka tisdag"
    ("weekly", re.compile(rf"^(?P<every>{_EVERY_WORDS})\s+vecka\s+(?:pa\s+)?{_DAYS}$")),
    # "tisdagar varannan vecka"
    ("weekly", re.compile(rf"^(?:pa\s+)?{_DAYS}\s+(?P<every>{_EVERY_WORDS})\s+vecka$")),
    # "första måndagen i mars och oktober"
    ("yearly", re.compile(rf"^(?P<ordinal>{_ORDINAL})\s+{_WEEKDAY.format(name='day')}\s+(?:i|varje|av)\s+"
                          rf"{_MONTH_LIST}$")),
    # "sista fredagen i månaden", "första måndagen varje månad", "andra tisdagen varannan månad"
    ("monthly", re.compile(rf"^(?P<ordinal>{_ORDINAL})\s+{_WEEKDAY.format(name='day')}\s+"
                           rf"(?:(?:i|av)\s+)?(?:(?P<every>{_EVERY_WORDS})\s+)?(?:manad|manaden)$")),
    # "den 15:e varje månad"
    ("monthday", re.compile(r"^(?:den\s+)?(?P<monthday>\d{1,2})(?::?[ae])?\s+(?:(?:i|av)\s+)?"
                            rf"(?:(?P<every>{_EVERY_WORDS})\s+)?(?:manad|manaden)$")),
]
_FILLER = re.compile(r"\b(?:moten|motet|mote|traffas|ses|ar|blir|halls|pa|med start|kl|klockan)\b")
_ROUGH = re.compile(r"[^\w:]+")


@dataclass(frozen=True)
class Recurrence:
    """A series as understood: the rule without DTSTART, its wall-clock time and the first day it happens."""

    rrule: str  # e.g. "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    description: str  # how the bot says it back: "varannan tisdag"
    start_time: time | None  # None when the text gave no time: the chat asks for it
    duration_minutes: int | None  # from "kl 13–15"; None for the default
    first: date  # the first day on or after the day it was read that the rule holds (and its time not passed)

    def text(self) -> str:
        """'varannan tisdag kl 13:00'."""
        return f"{self.description} kl {self.start_time:%H:%M}" if self.start_time else self.description

    def days(self, count: int) -> list[date]:
        """The first ``count`` days of the series, from ``first``."""
        return [moment.date() for moment in rule_from(self.rrule, self.first, self.start_time)[:count]]


def rule_from(rrule: str, first: date, start_time: time | None = None):
    """The dateutil rule for an RRULE text starting on ``first`` at a naive local wall time."""
    return rrulestr(rrule, dtstart=datetime.combine(first, start_time or time()))


def parse_recurrence(text: str, now: datetime) -> Recurrence | None:
    """A Swedish phrase as a rule, read at ``now`` (local, naive or aware); None when not fully understood."""
    folded = " ".join(fold(text or "").replace("–", "-").replace("—", "-").split())
    clock = _TIME.search(folded)
    start_time, duration = None, None
    if clock is not None:
        hour, minute = int(clock["h"] or clock["h2"]), int(clock["m"] or clock["m2"] or 0)
        if hour > 23 or minute > 59:
            return None
        start_time = time(hour, minute)
        if clock["eh"] is not None:
            end_hour, end_minute = int(clock["eh"]), int(clock["em"] or 0)
            if end_hour > 24 or end_minute > 59:
                return None
            duration = end_hour * 60 + end_minute - hour * 60 - minute
            if duration <= 0:
                return None
        folded = folded[:clock.start()] + " " + folded[clock.end():]
    rest = " ".join(_ROUGH.sub(" ", _FILLER.sub(" ", folded)).split())
    for kind, pattern in _RULES:
        match = pattern.match(rest)
        if match is not None:
            built = _build(kind, match)
            if built is None:
                return None
            rrule, description = built
            return Recurrence(rrule, description, start_time, duration,
                              _first_day(rrule, now.replace(tzinfo=None), start_time))
    return None


def _build(kind: str, match: re.Match[str]) -> tuple[str, str] | None:
    groups = match.groupdict()
    every = _EVERY[groups["every"]] if groups.get("every") else 1
    interval = f";INTERVAL={every}" if every > 1 else ""
    if kind == "weekly":
        days = sorted({_WEEKDAYS.index(day) for day in re.findall("|".join(_WEEKDAYS), groups["days"])})
        names = " och ".join(_DAY_NAMES[day] for day in days)
        return (f"FREQ=WEEKLY{interval};BYDAY={','.join(_DAY_CODES[day] for day in days)}",
                f"{_EVERY_NAMES.get(every, f'var {every}:e')} {names}")
    if kind == "monthday":
        day = int(groups["monthday"])
        if not 1 <= day <= 31:
            return None
        return f"FREQ=MONTHLY{interval};BYMONTHDAY={day}", f"den {day} {_every_month(every)}"
    ordinal = _ORDINALS[groups["ordinal"]]
    weekday = _WEEKDAYS.index(groups["day"])
    byday = f"{ordinal:+d}{_DAY_CODES[weekday]}"
    day_text = f"{_ORDINAL_NAMES[ordinal]} {_DAY_NAMES[weekday]}en"
    if kind == "monthly":
        where = "i månaden" if every == 1 else _every_month(every)
        return f"FREQ=MONTHLY{interval};BYDAY={byday}", f"{day_text} {where}"
    months = sorted({_MONTHS[word] for word in re.findall(_MONTH, groups["months"])})
    names = [_MONTH_NAMES[month - 1] for month in months]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]
    return f"FREQ=YEARLY;BYMONTH={','.join(str(m) for m in months)};BYDAY={byday}", f"{day_text} i {listed}"


def _every_month(every: int) -> str:
    return "varje månad" if every == 1 else f"{_EVERY_NAMES.get(every, f'var {every}:e')} månad"


def _first_day(rrule: str, now: datetime, start_time: time | None) -> date:
    """The first day the rule holds, counted as if INTERVAL were 1: "varannan tisdag" said on a Thursday
    starts next Tuesday, not in the week after (RFC 5545 counts intervals from DTSTART's week)."""
    every_time = re.sub(r";INTERVAL=\d+", "", rrule)
    rule = rule_from(every_time, now.date(), start_time)
    moment = rule.after(now if start_time else datetime.combine(now.date(), time()) - timedelta(seconds=1))
    return moment.date() if moment else now.date()
