"""What a message asks for (the intent) and the details it gives (slots), per the corpus contract.

Intents are decided by ordered rules on folded text (safety first: acute danger and concerns about one
person before anything is logged), then each intent's slots are read. A slot that is not clear is left
out, so the conversation asks; ``unknown`` means the bot says what it can do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, lru_cache
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
from dialogs.nlu.timewords import number

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
_OBSERVATION_REF = re.compile(r"(?:^|\s)#\s?o(\d{1,7})\b|\bobservation(?:en)?\s+(?:nr\s+|nummer\s+)?#?o?(\d{1,7})\b")
_OBSERVATION_REF_WRITTEN = re.compile(r"#\s?o\d{1,7}\b|observation\w*\s+(?:nr\s+|nummer\s+)?#?o?\d{1,7}\b",
                                      re.IGNORECASE)
_UNDO = re.compile(r"^(?:angra|undo)(?: (?:det|den|senaste|sista|loggningen|observationen|det senaste|det sista"
                   r"|det jag (?:just )?(?:loggade|skrev)))?\W*$")
_DELETE = re.compile(r"\b(?:ta bort|radera|stryk|delete|remove)\b")
_CORRECT = re.compile(r"\b(?:andra|ratta|korrigera|uppdatera|change|correct|fix)\b")
_MORE = re.compile(r"^(?:mer|fler|visa (?:mer|fler)|nasta(?: sida)?|fortsatt|more|next(?: page)?)\W*$")
_COMMENT = re.compile(r"\b(?:kommentar\w*|kommentera\w*|anteckn\w*|notera\w*|comment\w*|note)\b")
_CANCEL_ACTION = re.compile(r"\b(?:stall in|stalla in|installd|installt|avbryt|avbrytes|stryk|makulera\w*|cancel\w*)\b")
_REASSIGN = re.compile(r"\b(?:ge|tilldela|overlat|lamna over|flytta|byt ansvarig|ansvarig\w*|assign\w*|reassign\w*)\b")
_SHOW_ACTION = re.compile(r"\b(?:visa|historik\w*|vad hander med|hur gar det med|status for|show|history)\b")
_RELATIVE = re.compile(r"\b(?:med )?(?P<n>\d{1,3}|en|ett|tva|tre|fyra|fem|sex|sju|atta|nio|tio)\s+"
                       r"(?P<unit>dag|dagar|vecka|veckor|manad|manader|day|days|week|weeks|month|months)\b")
_DONE_QUESTION = re.compile(r"\b(?:blev klar\w*|blev (?:gjort|fardig\w*)|gjort klart|gjorde klart|klarat|avslutat\w*"
                            r"|slutfor\w*|genomfor(?:t|da|des)|har vi (?:gjort|klarat)|what got done)\b")
_CREATE_FOR_ME = re.compile(r"(?:^|,)\s*(?:jag|mig|mig sjalv)\s*(?:,|$)|ansvarig\w*:?\s+(?:ar\s+)?(?:jag|mig)\b"
                            r"|\bjag (?:ansvarar|tar den|tar det)\b")
_SETTING_NOT_BEFORE = re.compile(r"\b(?:inga|inte|ingen) (?:paminnelse\w*|notis\w*|meddelande\w*) (?:fore|innan)\b"
                                 r"|\bpaminnelse\w* (?:tidigast|forst|efter)\b")
_SETTING_DIGEST = re.compile(r"\bveckosammanfattning\w*|\bveckobrev\w*|\bweekly digest\b")
_SNOOZE = re.compile(r"\b(?:snooz\w*|slumra\w*|tysta\w*|vila)\b")
_BIND = re.compile(r"\bkoppla (?:den har |denna |det har |detta )?(?:kanal\w* |rum\w* |chatt\w* |grupp\w* )?till\b")
_UNBIND = re.compile(r"\bkoppla (?:bort|loss|ifran)\b")
_CANCEL_MEETING = re.compile(r"\b(?:stall in|stalla in|installt|installd|inget|ingen) (?:\w+ ){0,3}?"
                             r"(?:mote\w*|bra|sspf|styrgrupp\w*)\b"
                             r"|\b(?:mote\w*|bra) (?:\w+ ){0,2}?(?:installt|installd|stalls in)\b")
_RECURRENCE = re.compile(r"\b(?:varannan|varje|var (?:tredje|fjarde)|(?:forsta|andra|tredje|fjarde|sista) "
                         r"(?:mandag|tisdag|onsdag|torsdag|fredag)\w*)\b")
_IS = re.compile(r"\b(?:ar|blir|halls|traffas|moter|motes)\b")
_WHOAMI = re.compile(r"^(?:vem ar jag|who am i|min roll|vilken roll har jag|vad har jag for roll|kanner du mig)\W*$")
_ADD_MEMBER = re.compile(r"^(?:lagg till|add)\b.*\b(?:som )?(?:medlem\w*|member)\b")
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


def understand(text: str, now: datetime | None = None, config: Any = None,
               member_names: tuple[str, ...] = ()) -> Understanding:
    """Read one message at ``now`` (local time); ``config`` is the Collaboration (default: the packaged one);
    ``member_names`` are the bot's members beyond those in the configuration."""
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
    if _WHOAMI.match(folded):
        return Understanding("whoami")
    if _ADD_MEMBER.search(folded):
        return _add_member(clean, folded)
    if _MORE.match(folded):
        return Understanding("more")
    if _UNDO.match(folded):
        return Understanding("undo_observation")
    observation = _OBSERVATION_REF.search(folded)
    if observation:
        return _observation_ref(clean, folded, observation)
    message = _Message(words, folded, now, config, member_names)
    if _SETTING_NOT_BEFORE.search(folded):
        clock, _ = message.time("future")
        return Understanding("reminder_settings", _filled(not_before=clock["start"][11:16] if clock else None))
    if _SETTING_DIGEST.search(folded):
        off = re.search(r"\b(?:av|stang\w*|sluta|inte|ingen|nej|off)\b", folded)
        return Understanding("reminder_settings", {"digest": not off})
    if _REMIND.search(folded):
        return _remind(message)
    ref = find_ref(words)
    if ref and _SNOOZE.search(folded):
        until, _ = message.time("future", ref[1])
        return Understanding("snooze_action", _filled(ref=ref[0], until=until))
    meeting = _meeting(message, clean) if not ref else None
    if meeting is not None:
        return meeting
    if ref:
        changed = _action_change(message, ref, clean)
        if changed is not None:
            return changed
    if _DONE_QUESTION.search(folded) and not ref:
        done, _ = message.time("past", message.focus_words)
        if done is not None or _ACTIONS.search(folded):
            return Understanding("list_actions", _filled(
                status="done", due=done, owner=message.owner(),
                focus_area=message.focus.code if message.focus else None))
    if _CREATE.search(folded):
        return _create(message)
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
        return _situation(message)
    if _ACTIONS.search(folded):
        return _list_actions(message)
    if _LOG.search(folded) or message.focus is not None:
        return _log(message)
    return Understanding("unknown", confidence=0.0)


@dataclass
class _Message:
    """One message as the slot readers need it; the focus-area match is found once and shared."""

    words: Words
    folded: str
    now: datetime
    config: Any
    member_names: tuple[str, ...] = ()

    @cached_property
    def focus(self) -> catalog.Match | None:
        return catalog.best(self.words.folded, catalog.focus_area_terms(self.config))

    @property
    def focus_words(self) -> set[int]:
        return _span(self.focus)

    def time(self, direction: str, skip: set[int] = frozenset()) -> tuple[dict | None, set[int]]:
        """The time expression in the message as a slot value, and the words it took."""
        found = find_time(self.words, self.now, direction, set(skip), self.config.school_break_weeks())
        if found is None:
            return None, set()
        interval, start, end = found
        return interval.as_json(), set(range(start, end))

    def owner(self) -> str | None:
        names = tuple(dict.fromkeys((*(member.name for member in self.config.members), *self.member_names)))
        return find_owner(self.words, set(), names)


def _span(match) -> set[int]:
    return set(range(match.start, match.end)) if match else set()


def _filled(**slots: Any) -> dict[str, Any]:
    return {key: value for key, value in slots.items() if value is not None}


def _focus_time_place(message: _Message, time_slot: str) -> tuple[dict[str, Any], set[int]]:
    """What logging and the lägesbild share: focus area, a time read towards the past, and the words used."""
    focus = message.focus
    interval, time_words = message.time("past", message.focus_words)
    return _filled(focus_area=focus.code if focus else None, **{time_slot: interval}), \
        message.focus_words | time_words


def _add_member(clean: str, folded: str) -> Understanding:
    """'lägg till @Karin Lund som medlem, kommunen, fritidsledare' (the person is the @mention)."""
    party = "polis" if re.search(r"\bpolis\w*", folded) else "kommun" if re.search(r"\bkommun\w*", folded) else None
    admin = bool(re.search(r"\badmin\w*|\badministrator\w*", folded))
    parts = [p.strip(" .") for p in re.split(r"[,;]", clean)]
    role = next((p for p in reversed(parts[1:]) if p and not re.search(
        r"(?i)\b(?:kommun\w*|polis\w*|admin\w*|administratör\w*|medlem\w*)\b", p)), None)
    return Understanding("add_member", _filled(party=party, role=role, admin=admin or None))


def _meeting(message: _Message, clean: str) -> Understanding | None:
    """Forums and their meetings: bind a channel, cancel a meeting, set one or a series."""
    folded = message.folded
    forum = catalog.best(message.words.folded, catalog.forum_terms(message.config))
    code = forum.code if forum else None
    if _UNBIND.search(folded):
        return Understanding("unbind_channel", _filled(forum=code))
    if _BIND.search(folded):
        return Understanding("bind_channel", _filled(forum=code))
    if _CANCEL_MEETING.search(folded):
        when, _ = message.time("future", _span(forum))
        return Understanding("cancel_meeting", _filled(forum=code, when=when))
    if forum is None:
        return None
    if _RECURRENCE.search(folded):
        start = forum.end if forum.end < len(message.words) else len(message.words)
        rule = message.words.text(start, len(message.words)).strip(" :,.")
        rule = re.sub(r"^(?:ar|blir|halls|traffas|moter|motes|är)\s+", "", rule, flags=re.IGNORECASE)
        return Understanding("schedule_meeting", _filled(forum=code, recurrence=rule or None))
    if _IS.search(folded):
        when, _ = message.time("future", _span(forum))
        if when is not None:
            return Understanding("schedule_meeting", {"forum": code, "when": when})
    return None


def _observation_ref(clean: str, folded: str, match: re.Match[str]) -> Understanding:
    """'ta bort #O12', 'ändra #O12 plats till …' (the change is kept as written), otherwise show it."""
    ref = match.group(1) or match.group(2)
    if _DELETE.search(folded):
        return Understanding("delete_observation", {"ref": ref})
    if _CORRECT.search(folded):
        # Found again in the original text: folding can change lengths ("ß" → "ss").
        written = _OBSERVATION_REF_WRITTEN.search(clean)
        change = clean[written.end():].strip(" :,.") if written else None
        return Understanding("correct_observation", _filled(ref=ref, change=change or None))
    return Understanding("show_observation", {"ref": ref})


def _log(message: _Message) -> Understanding:
    slots, taken = _focus_time_place(message, "when")
    place = find_place(message.words, taken)
    slots.update(_filled(place=place[0] if place else None, kind=find_kind(message.folded)))
    return Understanding("log_observation", slots)


def _situation(message: _Message) -> Understanding:
    slots, taken = _focus_time_place(message, "period")
    every_focus_word = set().union(*(_span(m) for m in catalog.find(
        message.words.folded, catalog.focus_area_terms(message.config))))
    place = find_place(message.words, taken) or capitalised_words(message.words, taken | every_focus_word)
    slots.update(_filled(place=place[0] if place else None))
    return Understanding("show_situation", slots)


def _list_actions(message: _Message) -> Understanding:
    due, _ = message.time("future", message.focus_words)
    return Understanding("list_actions", _filled(
        status=find_status(message.folded), owner=message.owner(),
        focus_area=message.focus.code if message.focus else None, due=due))


def _create(message: _Message) -> Understanding:
    owner = message.owner()
    due, due_words = message.time("future")
    if owner == "me" and not _CREATE_FOR_ME.search(message.folded):
        owner = None  # "mig" in a title ("ring mig …") does not make the writer responsible
    return Understanding("create_action", _filled(
        owner=owner, due=due,
        focus_area=message.focus.code if message.focus else None, title=_title(message.words, due_words)))


def _postpone(message: _Message, ref: tuple[str, set[int]]) -> Understanding:
    relative = _RELATIVE.search(message.folded)
    due, _ = message.time("future", ref[1]) if relative is None else (None, None)
    by = None
    if relative is not None:
        count = int(relative["n"]) if relative["n"].isdigit() else number(relative["n"])
        unit = relative["unit"]
        by = {"months": count} if unit.startswith(("man", "month")) else \
            {"days": count * (7 if unit.startswith(("veck", "week")) else 1)}
    reason = _REASON.search(message.words.text(0, len(message.words)))
    return Understanding("postpone_action", _filled(ref=ref[0], due=due, by=by,
                                                    reason=reason["text"].strip() if reason else None))


_REASON = re.compile(r"\b(?:eftersom|pga\.?|på grund av|för att|då|because)\s+(?P<text>.+)$", re.IGNORECASE)
_AFTER_REF = re.compile(r"^.*?(?:#\s?\d{1,6}|(?:åtgärd(?:en)?|atgard(?:en)?|nr|nummer)\s+#?\d{1,6})\s*[:,-]?\s*",
                        re.IGNORECASE)


def _action_change(message: _Message, ref: tuple[str, set[int]], clean: str) -> Understanding | None:
    """What a message naming an action (#12) asks to do with it, in order of how specific the words are."""
    folded = message.folded
    number_text = ref[0]
    if _COMMENT.search(folded):
        after = _AFTER_REF.sub("", clean, count=1).strip()
        after = re.sub(r"^(?:lägg till |lagg till )?(?:en )?(?:kommentar\w*|anteckning\w*|notering)"
                       r"(?: (?:på|pa|till|om|för|for))?\s*[:,-]?\s*", "", after, flags=re.IGNORECASE)
        return Understanding("comment_action", _filled(ref=number_text, text=after or None))
    if _CANCEL_ACTION.search(folded):
        reason = _REASON.search(clean)
        return Understanding("cancel_action", _filled(ref=number_text,
                                                      reason=reason["text"].strip() if reason else None))
    owner = message.owner() if _REASSIGN.search(folded) else None
    if owner is not None and owner != "me" or owner == "me" and re.search(r"\b(?:till mig|ge mig|jag tar)\b", folded):
        return Understanding("reassign_action", {"ref": number_text, "owner": owner})
    if _POSTPONE.search(folded):
        return _postpone(message, ref)
    if _COMPLETE.search(folded):
        return Understanding("complete_action", {"ref": number_text})
    if _SHOW_ACTION.search(folded) or len(message.words) <= 2:
        return Understanding("show_action", {"ref": number_text})
    return None


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


_REMIND_TEXT = re.compile(r"\b(?:om att|att|om|about|to)\b\s+(?P<text>.+)$")


def _remind(message: _Message) -> Understanding:
    interval, time_words = message.time("future")
    after = max(time_words) + 1 if time_words else 2  # what follows the time, or "påminn mig …"
    match = _REMIND_TEXT.search(message.words.text(after, len(message.words)))
    return Understanding("remind_me", _filled(when=interval, text=match["text"].strip() if match else None))
