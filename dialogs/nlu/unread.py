"""Parts of a message that look like a date but cannot be read: never read silently as something else.

"30 februari" must not become the 30th of this month, "efter jul" not 31 July, "9an" (a school class) not
the 9th. Such a *unit* is found here; the time finder (``dialogs.nlu.slots.find_time``) will not read a part
of it, and understanding names it in ``Understanding.unread`` so the bot can say what it could not read.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from dialogs.nlu.reading import Unread
from dialogs.nlu.time import read_time
from dialogs.nlu.timewords import MONTHS

if TYPE_CHECKING:
    from dialogs.nlu.reading import Understanding
    from dialogs.nlu.slots import Words

CLASS = re.compile(r"^(?:\d{1,2}(?::?an|[a-f])|ak\d{1,2}|ettan|tvaan|trean|fyran|femman|sexan|sjuan|attan|nian)$")
_CLASS_LEADS = frozenset({"ak", "arskurs", "klass", "year", "grade"})
_MONTH_WORDS = frozenset(MONTHS)
_NAMED = frozenset("""
    jul julen julafton nyar nyaret nyarsafton pask pasken paskhelgen midsommar midsommarafton lucia valborg
    arsskiftet sommaren semestern semestrarna helgerna lunch lunchen lunchtid skolstarten skolavslutningen
    terminsstarten terminsslutet arsskifte advent trettondagen
""".split())
_LEADS = frozenset("efter innan fore sedan sen till senast kring runt omkring".split())
# Times too vague to keep, matched as whole phrases: "någon gång", never "någon" alone ("finns det någon åtgärd").
_VAGUE = re.compile(r"\b(?:snart|nyss|framover|inom kort|nagon gang|sa smaningom|smaningom)\b")
# Words that name a period: when none was read for a lägesbild or a list, the default must not stand in silently.
_PERIOD_WORDS = frozenset("""
    hosten varen sommaren vintern terminen terminens kvartalet kvartal halvaret perioden lasaret sasongen
""".split())
# The slot a time fills, per intent.
TIME_SLOTS = {
    "log_observation": "when", "show_situation": "period", "list_actions": "due", "create_action": "due",
    "postpone_action": "due", "remind_me": "when", "snooze_action": "until", "schedule_meeting": "when",
    "cancel_meeting": "when", "move_meeting": "to", "list_observations": "period", "cancel_reminder": "when",
}


@dataclass(frozen=True)
class Unit:
    start: int  # word span
    end: int
    why: str  # as in Unread


def units(words: Words, now: datetime, school_breaks: dict | None = None) -> list[Unit]:
    """Date-like units in ``words`` that do not read as a time as a whole."""
    folded = words.folded
    found: list[Unit] = []
    index = 0
    while index < len(folded):
        word = folded[index]
        if CLASS.match(word):
            found.append(Unit(index, index + 1, "class"))
            index += 1
            continue
        if word in _CLASS_LEADS and index + 1 < len(folded) and re.fullmatch(r"\d{1,2}[a-f]?", folded[index + 1]):
            found.append(Unit(index, index + 2, "class"))
            index += 2
            continue
        span = _date_unit(folded, index)
        if span is not None:
            start, end = span
            text = words.text(start, end)
            if read_time(text, now, "future", school_breaks) is None:
                found.append(Unit(start, end, _why(folded[start:end], school_breaks)))
            index = end
            continue
        index += 1
    return found


def _date_unit(folded: list[str], index: int) -> tuple[int, int] | None:
    """The span of a date-like unit starting at ``index``: '30 februari', 'efter jul', '31/11', 'v 54'."""
    word = folded[index]
    nxt = folded[index + 1] if index + 1 < len(folded) else ""
    if word.isdigit() and nxt in _MONTH_WORDS:
        end = index + 2
        if end < len(folded) and re.fullmatch(r"\d{4}", folded[end]):
            end += 1
        return index, end
    if re.fullmatch(r"\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?", word):
        if re.fullmatch(r"\d{4}", nxt):  # "31/12 2027": the year belongs to the date
            return index, index + 2
        return index, index + 1
    if word in _LEADS and (nxt in _NAMED or nxt.endswith(("lov", "lovet"))):
        return index, index + 2
    if word in ("v", "vecka", "veckan") and nxt.isdigit():
        return index, index + 2
    if word.endswith(("lov", "lovet")) and len(word) > 4:
        return index, index + 1
    return None


def _why(folded: list[str], school_breaks: dict | None) -> str:
    text = " ".join(folded)
    if any(word.endswith(("lov", "lovet")) for word in folded):
        name = next(word for word in folded if word.endswith(("lov", "lovet"))).removesuffix("et")
        return "vague" if name in (school_breaks or {}) or name == "hostlov" else "no_break"
    if folded[0] in _LEADS:
        return "vague"
    if _impossible(text):
        return "no_such_date"
    return "unknown"


def _impossible(text: str) -> bool:
    """A day that no month has in any nearby year: '30 februari', '31/11', 'v 54'."""
    match = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?", text)
    if match:
        day, month = int(match[1]), int(match[2])
    else:
        match = re.fullmatch(r"(\d{1,2}) (\w+)(?: \d{4})?", text)
        if match and match[2] in MONTHS:
            day, month = int(match[1]), MONTHS[match[2]]
        else:
            week = re.fullmatch(r"(?:v|vecka|veckan) (\d{1,2})", text)
            return bool(week) and not 1 <= int(week[1]) <= 53
    if not 1 <= month <= 12:
        return True
    return not 1 <= day <= max(calendar.monthrange(year, month)[1] for year in (2027, 2028))


def _written(words, match: re.Match[str]) -> str:
    """The words of a match in the folded text, as the user wrote them."""
    first = len(match.string[:match.start()].split())
    return words.written(first, first + len(match[0].split()))


def unread_parts(reading: Understanding, clean: str, now: datetime, config) -> tuple[Unread, ...]:
    """What looked like a time for ``reading``'s intent but was not read, as the user wrote it."""
    slot = TIME_SLOTS.get(reading.intent)
    if slot is None:
        return ()
    from dialogs.nlu.slots import Words

    words = Words.of(clean)
    unclear = [unit for unit in units(words, now, config.school_break_weeks()) if unit.why != "class"]
    # "föräldravandring under jullovet, …, senast 8/1": the due date is 8/1, said on its own. An impossible
    # date is always asked about: "30 februari om mötet på fredag" must not quietly become Friday.
    if slot in reading.slots and unclear and all(unit.why != "no_such_date" for unit in unclear) and \
            _read_apart(words, unclear, now, reading.intent, config):
        unclear = []
    found = [Unread(slot, words.text(unit.start, unit.end), unit.why) for unit in unclear]
    vague = _VAGUE.search(" ".join(words.folded))
    if vague and slot not in reading.slots:
        found.append(Unread(slot, _written(words, vague), "vague"))
    named = [words.original[i] for i, word in enumerate(words.folded) if word in _PERIOD_WORDS]
    if named and slot == "period" and slot not in reading.slots and not found:
        found.append(Unread(slot, named[0], "unknown"))
    return tuple(found)


_PAST_INTENTS = frozenset({"log_observation", "show_situation", "list_observations"})


def _read_apart(words, unclear: list[Unit], now: datetime, intent: str, config) -> bool:
    """Whether the time in the reading was read from words well apart from every unreadable part: then that
    part belongs to something else, and the time stands. "30 februari kl 13" is one time, and falls with it."""
    from dialogs.nlu.slots import find_time

    skip = {i for unit in unclear for i in range(unit.start, unit.end)}
    direction = "past" if intent in _PAST_INTENTS else "future"
    found = find_time(words, now, direction, skip, config.school_break_weeks())
    if found is None:
        return False
    _, start, end = found
    return all(start - unit.end >= 2 or unit.start - end >= 2 for unit in unclear)


@dataclass(frozen=True)
class TimeAnswer:
    """An answer to "när?": the time in it, what in it looked like a time but was not one, and how many words
    are neither (a whole new request has many; "30/12 menade jag" and "31/11 då" have two and one)."""

    when: dict[str, str] | None
    unread: tuple[Unread, ...]
    other_words: int


def time_in_answer(text: str, slot: str, now: datetime, direction: str, config) -> TimeAnswer:
    """Read the answer to a question about one time slot, never a neighbouring date for an impossible one."""
    from dialogs.nlu.slots import Words, find_time

    words = Words.of(" ".join((text or "").split())[:200])
    breaks = config.school_break_weeks()
    unclear = [unit for unit in units(words, now, breaks) if unit.why != "class"]
    unread = tuple(Unread(slot, words.text(unit.start, unit.end), unit.why) for unit in unclear)
    other = len(words.folded) - sum(unit.end - unit.start for unit in unclear)
    found = find_time(words, now, direction, school_breaks=breaks)
    if found is None:
        return TimeAnswer(None, unread, other)
    interval, start, end = found
    return TimeAnswer(interval.as_json(), unread, other - (end - start))
