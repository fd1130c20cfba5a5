"""One message as the slot readers see it, and the helpers every family of rules shares."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from dialogs.nlu import catalog
from dialogs.nlu.owners import Owner, find_owner
from dialogs.nlu.slots import Words, find_time
from dialogs.nlu.time import read_time
from domain.text import fold


def written_tail(clean: str, folded_part: str) -> str:
    """The words of ``folded_part`` as the user wrote them (case and å/ä/ö kept)."""
    words = clean.strip(" ?!.").split()
    count = len(folded_part.split())
    start = next((i for i in range(len(words)) if fold(" ".join(words[i:i + count])) == folded_part), None)
    return " ".join(words[start:start + count]) if start is not None else folded_part


_SPAN_AHEAD = re.compile(r"\b(?P<n>\d{1,3}|en|ett|tva|tre|fyra|fem|sex|sju|atta|nio|tio) "
                         r"(?P<unit>dag|dagar|vecka|veckor|manad|manader|days?|weeks?|months?)\b")


@dataclass
class Message:
    """One message as the slot readers need it; the focus-area match is found once and shared."""

    words: Words
    folded: str
    now: datetime
    config: Any
    member_names: tuple[str, ...] = ()
    clean: str = ""

    @cached_property
    def focus(self) -> catalog.Match | None:
        return catalog.best(self.words.folded, catalog.focus_area_terms(self.config))

    @property
    def focus_words(self) -> set[int]:
        return span_of(self.focus)

    def time(self, direction: str, skip: set[int] = frozenset(), *, narrowest: bool = False
             ) -> tuple[dict | None, set[int]]:
        """The time expression in the message as a slot value, and the words it took."""
        found = find_time(self.words, self.now, direction, set(skip), self.config.school_break_weeks(),
                          narrowest=narrowest)
        if found is None:
            return None, set()
        interval, start, end = found
        return interval.as_json(), set(range(start, end))

    def snooze_until(self, skip: set[int]) -> dict | None:
        """Until when an action's reminders rest: a time ("till måndag"), or a span from now ("en vecka")."""
        until, _ = self.time("future", skip)
        span = _SPAN_AHEAD.search(self.folded) if until is None else None
        if span is not None:
            unit = {"day": "dag", "days": "dagar", "week": "vecka", "weeks": "veckor", "month": "manad",
                    "months": "manader"}.get(span["unit"], span["unit"])
            until = read_time(f"om {span['n']} {unit}", self.now, "future")
            until = until.as_json() if until else None
        return until

    def owner_found(self) -> Owner | None:
        """Who is responsible; words of a focus area's name ("Kommun fri från våld") are not an owner."""
        names = tuple(dict.fromkeys((*(member.name for member in self.config.members), *self.member_names)))
        return find_owner(self.words, self.focus_words, names, self.config)

    def owner_slots(self) -> dict[str, str]:
        found = self.owner_found()
        return found.slots() if found else {}


def span_of(match) -> set[int]:
    return set(range(match.start, match.end)) if match else set()


def filled(**slots: Any) -> dict[str, Any]:
    return {key: value for key, value in slots.items() if value is not None}


def focus_time_place(message: Message, time_slot: str) -> tuple[dict[str, Any], set[int]]:
    """What logging and the lägesbild share: focus area, a time read towards the past, and the words used."""
    focus = message.focus
    # when an entry happened is its most exact time; a lägesbild's period is the longest phrase
    interval, time_words = message.time("past", message.focus_words, narrowest=time_slot == "when")
    return filled(focus_area=focus.code if focus else None, **{time_slot: interval}), \
        message.focus_words | time_words
