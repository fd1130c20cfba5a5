"""Clock times ("kl 19", "halv åtta", "23-tiden") and parts of the day ("ikväll", "i morse")."""

from __future__ import annotations

import re
from collections.abc import Callable

from dialogs.nlu.timewords import (
    NUMBER_PATTERN,
    PARTS_OF_DAY,
    number,
)

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


@_clock(r"\b(?:kl|vid) ?(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?(?:[- ]?tiden)?\b")
def _kl(m: re.Match[str]):
    return int(m["h"]), int(m["m"] or 0), False


@_clock(r"\b(?:vid |runt )?(?P<h>\d{1,2})[- ]?tiden\b")
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


