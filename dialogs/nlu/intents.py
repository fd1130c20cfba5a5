"""What a message asks for (the intent) and the details it gives (slots), per the corpus contract.

Intents are decided by ordered rules on folded text (safety first: acute danger and concerns about one
person before anything is logged), then each intent's slots are read. A slot that is not clear is left
out, so the conversation asks; ``unknown`` means the bot says what it can do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from dialogs.nlu import catalog
from dialogs.nlu.slots import (
    Words,
    capitalised_words,
    find_kind,
    find_owner,
    find_place,
    find_ref,
    find_status,
    find_time,
)
from dialogs.nlu.text import fold

MAX_UNDERSTOOD_CHARS = 2000


@dataclass(frozen=True)
class Understanding:
    intent: str
    slots: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_DANGER = re.compile(r"\b(?:brinner|brand|eld|misshandla\w*|slag(?:s|en|na)?|knivhot\w*|kniv\w*|vapen|skjut\w*"
                     r"|rana\w*|hota[rd]?\w*|blod\w*|medvetslos|overdos\w*|inbrott|slagsmal|fire|attack\w*)\b")
_NOW = re.compile(r"\b(?:nu|just nu|pagar|pagaende|akut|right now|now)\b|!")
_INDIVIDUAL = _any(
    r"\borosanmal\w*", r"\banmala oro\b", r"\boro for (?:en|ett|min|mitt|var|vart|den har|denna) "
    r"(?:elev|barn|ungdom|tjej|kille|flicka|pojke|person|individ|familj)\w*",
    r"\ben (?:elev|kille|tjej|flicka|pojke|ungdom) som (?:heter|mar|blir|ar)\b", r"\bconcern(?:ed)? about (?:a|one)\b",
)
_HELP = re.compile(
    r"^(?:hjalp|help|\?+|meny|kommandon|commands|hej|hejsan|halla|tja|tjena|god ?(?:morgon|dag|kvall)"
    r"|hello|hi|hey|vad kan du(?: gora| hjalpa (?:mig )?med)?|hur funkar (?:du|det)|what can you do)\W*$"
)
_REMIND = re.compile(r"^(?:paminn|pamin|remind)\b|\bpaminnelse\b")
_COMPLETE = re.compile(r"\b(?:klar|klart|klarmarkera\w*|fardig\w*|stang\w*|avsluta\w*|genomford|done|complete\w*)\b")
_POSTPONE = re.compile(r"\b(?:skjut\w*|flytta\w*|senarelagg\w*|forlang\w*|postpone\w*|move|ny deadline)\b")
_CREATE = re.compile(r"\b(?:ny|nytt|skapa|lagg till|lagg upp|registrera|new|create|add)\s+(?:en\s+)?"
                     r"(?:atgard\w*|action|task)\b")
_BRIEF = re.compile(r"\b(?:underlag|dagordning|agenda|sammanfattning|brief\w*|forbered\w*|infor)\b")
_MEETING = re.compile(r"\b(?:nar|nasta|traffas|mote\w*|when|next|moten)\b|\?$")
_PROMISES = re.compile(r"\b(?:medborgarlofte\w*|lofte\w*|lovat|promises?)\b")
_SITUATION = re.compile(r"\b(?:lagesbild\w*|laget|lage|hur ser (?:det|laget) ut|vad (?:har )?hant|vad hande"
                        r"|situation\w*|overview|what happened)\b")
_ACTIONS = re.compile(r"\b(?:atgard\w*|forsenat|forsenade|forfaller|ska vara klart|deadline\w*|actions?|tasks?"
                      r"|vad ar forsenat)\b")
_LOG = re.compile(r"^(?:jag vill )?(?:logga|rapportera|registrera|anmal|notera|log|report)\b"
                  r"|\bny (?:observation|iakttagelse|handelse|incident)\b"
                  r"|^(?:observation|iakttagelse|handelse)\b|\blogga\b")
_AGREEMENT_TOPICS: list[tuple[str, re.Pattern[str]]] = [
    ("renewal", re.compile(r"\b(?:forlang\w*|fornya\w*|ny overenskommelse|renew\w*|(?:nar )?(?:gar|loper) "
                           r"(?:overenskommelsen|avtalet) ut|utgang\w*)")),
    ("lagesbild_update", re.compile(r"\b(?:uppdater\w* (?:av )?(?:den )?(?:gemensamma )?lagesbild\w*"
                                    r"|lagesbild\w* (?:ska |skall )?(?:uppdateras|revideras|tas fram))")),
    ("follow_up", re.compile(r"\b(?:uppfoljning\w*|folj\w* (?:\w+ ){0,2}upp|follow[- ]?up)\b")),
    ("focus_areas", re.compile(r"\b(?:fokusomrad\w*|prioriterade (?:samverkans)?omrad\w*|focus areas?)\b")),
    ("forums", re.compile(r"\b(?:vilka forum|forumen|samverkansforum\w*|forums)\b")),
    ("agreement", re.compile(r"\b(?:samverkansoverenskommelse\w*|overenskommelse\w*|avtal\w*|agreement)\b")),
]


@lru_cache(maxsize=1)
def _default_collaboration():
    from bot.config import load_collaboration

    return load_collaboration()


def understand(text: str, now: datetime | None = None, config: Any = None) -> Understanding:
    """Read one message at ``now`` (local time); ``config`` is the Collaboration (default: the packaged one)."""
    clean = " ".join((text or "").split())
    if not clean or len(clean) > MAX_UNDERSTOOD_CHARS:
        return Understanding("unknown", confidence=0.0)
    now = (now or datetime.now()).replace(tzinfo=None)
    config = config or _default_collaboration()
    folded = fold(clean)
    words = Words.of(clean)

    if _DANGER.search(folded) and _NOW.search(folded):
        return Understanding("emergency")
    if _INDIVIDUAL.search(folded):
        return Understanding("individual_case")
    if _HELP.match(folded):
        return Understanding("help")
    if _REMIND.search(folded):
        return _remind(words, now)
    ref = find_ref(words)
    if ref and _POSTPONE.search(folded):
        return _postpone(words, now, ref)
    if ref and _COMPLETE.search(folded):
        return Understanding("complete_action", {"ref": ref[0]})
    if _CREATE.search(folded):
        return _create(words, folded, now, config)
    forum = catalog.best(words.folded, catalog.forum_terms(config))
    if forum and _BRIEF.search(folded):
        return Understanding("meeting_brief", {"forum": forum.code})
    if forum and _MEETING.search(folded):
        return Understanding("next_meeting", {"forum": forum.code})
    if _PROMISES.search(folded):
        return Understanding("show_promises")
    for topic, pattern in _AGREEMENT_TOPICS:
        if pattern.search(folded):
            return Understanding("agreement_info", {"topic": topic})
    if _SITUATION.search(folded):
        return _situation(words, now, config)
    if _ACTIONS.search(folded):
        return _list_actions(words, folded, now, config)
    focus = catalog.best(words.folded, catalog.focus_area_terms(config))
    if _LOG.search(folded) or focus is not None:
        return _log(words, folded, now, config)
    return Understanding("unknown", confidence=0.0)


def _member_names(config) -> tuple[str, ...]:
    return tuple(member.name for member in getattr(config, "members", ()))


def _span(match) -> set[int]:
    return set(range(match.start, match.end)) if match else set()


def _time_slot(words: Words, now: datetime, direction: str, skip: set[int],
               config=None) -> tuple[dict | None, set[int]]:
    breaks = config.school_break_weeks() if config is not None else None
    found = find_time(words, now, direction, skip, breaks)
    if found is None:
        return None, set()
    interval, start, end = found
    return interval.as_json(), set(range(start, end))


def _log(words: Words, folded: str, now: datetime, config) -> Understanding:
    slots: dict[str, Any] = {}
    focus = catalog.best(words.folded, catalog.focus_area_terms(config))
    taken = _span(focus)
    if focus:
        slots["focus_area"] = focus.code
    when, when_words = _time_slot(words, now, "past", taken, config)
    if when:
        slots["when"] = when
    place = find_place(words, taken | when_words)
    if place:
        slots["place"] = place[0]
    kind = find_kind(folded)
    if kind:
        slots["kind"] = kind
    return Understanding("log_observation", slots)


def _list_actions(words: Words, folded: str, now: datetime, config) -> Understanding:
    slots: dict[str, Any] = {}
    status = find_status(folded)
    if status:
        slots["status"] = status
    owner = find_owner(words, set(), _member_names(config))
    if owner:
        slots["owner"] = owner
    focus = catalog.best(words.folded, catalog.focus_area_terms(config))
    if focus:
        slots["focus_area"] = focus.code
    due, _ = _time_slot(words, now, "future", _span(focus), config)
    if due:
        slots["due"] = due
    return Understanding("list_actions", slots)


_TITLE = re.compile(r"(?:ny|nytt|skapa|lagg till|lagg upp|registrera|new|create|add)\s+(?:en\s+)?"
                    r"(?:atgard\w*|action|task)\s*:?\s*(?P<title>[^,]+)")


def _create(words: Words, folded: str, now: datetime, config) -> Understanding:
    slots: dict[str, Any] = {}
    owner = find_owner(words, set(), _member_names(config))
    if owner and owner != "me":
        slots["owner"] = owner
    due, due_words = _time_slot(words, now, "future", set(), config)
    if due:
        slots["due"] = due
    focus = catalog.best(words.folded, catalog.focus_area_terms(config))
    if focus:
        slots["focus_area"] = focus.code
    title = _title(words, due_words)
    if title:
        slots["title"] = title
    return Understanding("create_action", slots)


def _title(words: Words, due_words: set[int]) -> str | None:
    """The words after 'ny åtgärd:' up to the first comma or the due date, as written."""
    start = None
    for index, word in enumerate(words.folded):
        if word.startswith("atgard") or word in ("action", "task"):
            start = index + 1
            break
    if start is None:
        return None
    if start < len(words) and words.folded[start] == ":":
        start += 1
    end = start
    while end < len(words) and words.folded[end] not in ",;" and end not in due_words \
            and words.folded[end] not in ("ansvarig", "ansvarar", "senast", "klart"):
        end += 1
    while start < end and words.folded[start] in ("om", "for", "att", ":"):
        start += 1
    while end > start and words.folded[end - 1] in ("till", "senast", "fore", "innan", "pa", "den", "klart"):
        end -= 1
    title = words.text(start, end).strip()
    return title[:1].upper() + title[1:] if title else None


def _postpone(words: Words, now: datetime, ref: tuple[str, set[int]]) -> Understanding:
    slots: dict[str, Any] = {"ref": ref[0]}
    due, _ = _time_slot(words, now, "future", ref[1])
    if due:
        slots["due"] = due
    return Understanding("postpone_action", slots)


def _situation(words: Words, now: datetime, config) -> Understanding:
    slots: dict[str, Any] = {}
    focus = catalog.best(words.folded, catalog.focus_area_terms(config))
    taken = _span(focus)
    if focus:
        slots["focus_area"] = focus.code
    period, period_words = _time_slot(words, now, "past", taken, config)
    if period:
        slots["period"] = period
    taken |= period_words
    place = find_place(words, taken) or capitalised_words(words, taken | _focus_words(words, config))
    if place:
        slots["place"] = place[0]
    return Understanding("show_situation", slots)


def _focus_words(words: Words, config) -> set[int]:
    taken: set[int] = set()
    for match in catalog.find(words.folded, catalog.focus_area_terms(config)):
        taken |= _span(match)
    return taken


_REMIND_TEXT = re.compile(r"\b(?:om att|att|om|about|to)\b\s+(?P<text>.+)$")


def _remind(words: Words, now: datetime) -> Understanding:
    slots: dict[str, Any] = {}
    found = find_time(words, now, "future")
    after = 0
    if found:
        slots["when"] = found[0].as_json()
        after = found[2]
    rest = words.text(after, len(words)) if after else words.text(2, len(words))
    match = _REMIND_TEXT.search(rest)
    if match:
        slots["text"] = match["text"].strip()
    return Understanding("remind_me", slots)
