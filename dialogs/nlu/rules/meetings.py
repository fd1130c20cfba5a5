"""Forums and their meetings: when the next one is, scheduling, moving, cancelling, a channel's posts."""

from __future__ import annotations

import re
from collections.abc import Callable

from dialogs.nlu import catalog
from dialogs.nlu.reading import Understanding
from dialogs.nlu.rules.message import Message, filled, span_of
from dialogs.nlu.slots import Words

_BIND = re.compile(r"\bkoppla (?:den har |denna |det har |detta )?(?:kanal\w* |rum\w* |chatt\w* |grupp\w* )?till\b"
                   r"|\b(?:detta|det har) (?:rum|kanal)\w* (?:ar|=|for)\b|\bbind\w* (?:this|den har|detta)\b")
_UNBIND = re.compile(r"\bkoppla (?:bort|loss|ifran)\b|\bavkoppla\w*|\bavregistrera\w*|\bsluta (?:posta|skicka|med)\b"
                     r"|\bta bort bindning\w*\b|\bskicka inte (?:hit )?(?:fler|mer)\b|\bstop posting\b"
                     r"|\bsla av (?:\w+ )?(?:dagordning|agend|underlag)\w*"
                     r"|\binga fler \S+ (?:\w+ ){0,3}(?:har|i (?:den har|denna) (?:kanal|rum))\w*\b|\bunbind\b")
_CANCEL_MEETING = re.compile(r"\b(?:stall in|stalla in|installt|installd|inget|ingen|ta bort|stryk|avboka|cancel)"
                             r" (?:\w+ ){0,3}?(?:mote\w*|\w*bra|sspf\w*|styrgrupp\w*)\b"
                             r"|\b(?:mote\w*|\w*bra|sspf\w*) (?:\w+ ){0,2}?(?:installt|installd|stalls in|utgar"
                             r"|blir inte av)\b")
_RECURRENCE = re.compile(r"\b(?:varannan|varje|var (?:tredje|fjarde)|(?:forsta|andra|tredje|fjarde|sista) "
                         r"(?:mandag|tisdag|onsdag|torsdag|fredag)\w*)\b")
_IS = re.compile(r"\b(?:ar|blir|halls|traffas|moter|motes)\b")


BRIEF = re.compile(r"\b(?:\w*underlag\w*|dagordning\w*|agenda|sammanfattning|summary|brief\w*|forbered\w*|infor"
                    r"|pre-meeting)\b")
MEETING = re.compile(r"\b(?:nar|nasta|traffas|mote\w*|when|next|moten)\b|\?$")
CALENDAR = re.compile(r"\b(?:kalender\w*|motesplan\w*|motena|calendar|schedule)\b|^(?:vilka )?moten\b"
                       r"|\bvilka moten\b")
OWN_CALENDAR = re.compile(r"\b(?:min|mitt|outlook|google|synka\w*|prenumerera\w*|exportera\w*|lagg in|my)\b")


_HERE = re.compile(r"\b(?:har|hit|here)\b")
_IN_THIS_CHANNEL = re.compile(r"\bi (?:den har|denna|detta|det har) (?:kanal|rum|chatt|team)\w*"
                              r"|\bin this (?:channel|room)")
_POSTING = re.compile(r"\b(?:posta\w*|skicka\w*|publicera\w*|lagg\w* upp|lagg\w* ut|dela|post|send|publish)\b")
_FROM_NOW_ON = re.compile(r"\b(?:framover|hadanefter|fortsattningsvis|i fortsattningen|alltid|from now on"
                          r"|ska (?:\w+ ){0,4}(?:hamna|komma|postas|publiceras|laggas|skickas|fa)"
                          # a generic plural is a habit; "skicka underlagen hit" is one request now
                          r"|dagordningar|agendor|kallelser)\b")


def _posts_here_from_now_on(folded: str) -> bool:
    """"posta dagordningen för SSPF här framöver", "publicera obrå-underlag i denna kanal": a standing wish for
    where a forum's posts go, not one agenda now."""
    if _IN_THIS_CHANNEL.search(folded) and (_POSTING.search(folded) or _FROM_NOW_ON.search(folded)):
        return True
    return bool(_HERE.search(folded) and _FROM_NOW_ON.search(folded) and (_POSTING.search(folded)
                or re.search(r"\b(?:dagordning|agend|underlag|kallelse)\w*", folded)))


def read_meeting(message: Message, clean: str) -> Understanding | None:
    """Forums and their meetings: bind a channel, cancel a meeting, set one or a series."""
    folded = message.folded
    forum = catalog.best(message.words.folded, catalog.forum_terms(message.config))
    code = forum.code if forum else None
    if _UNBIND.search(folded):
        return Understanding("unbind_channel", filled(forum=code))
    if _BIND.search(folded) or code and _posts_here_from_now_on(folded):
        return Understanding("bind_channel", filled(forum=code))
    if _CANCEL_MEETING.search(folded):
        when, _ = message.time("future", span_of(forum))
        upcoming = when is None and re.search(r"\bnasta\b", folded) is not None  # "ställ in nästa sspf"
        return Understanding("cancel_meeting", filled(forum=code, when=when, next=upcoming or None))
    if forum is None:
        return None
    if _RECURRENCE.search(folded):
        start = forum.end if forum.end < len(message.words) else len(message.words)
        rule = message.words.text(start, len(message.words)).strip(" :,.")
        rule = re.sub(r"^(?:ar|blir|halls|traffas|moter|motes|är)\s+", "", rule, flags=re.IGNORECASE)
        return Understanding("schedule_meeting", filled(forum=code, recurrence=rule or None))
    if _IS.search(folded):
        when, _ = message.time("future", span_of(forum))
        if when is not None:
            return Understanding("schedule_meeting", {"forum": code, "when": when})
    return None


DETAIL = re.compile(r"\bdetalj(?:niva|grad)\w*|\bdetail level\b")
_DETAIL_SUMMARY = re.compile(r"\b(?:sammanfatt\w*|summary|summering\w*|kortfatta\w*|begransa\w*|lag|laga|lagre)\b")
_DETAIL_FULL = re.compile(r"\b(?:full\w*|hel|hela|allt|all|hog|hoga|hogre|komplett\w*|detaljera\w*)\b")
_DETAIL_CHANGE = re.compile(r"\b(?:satt\w*|sta\w*|stall\w*|andra\w*|byt\w*|gor|gora|anvand\w*|ska vara|set|change"
                            r"|use)\b|^detalj\w* (?:till |=|:)?\s*\w+$")
_DETAIL_QUESTION = re.compile(r"\b(?:vilken|vilket|vad|hur|which|what)\b|\?$")


def read_detail(folded: str) -> Understanding:
    """"vilken detaljnivå har den här kanalen" (a question), "sätt detaljnivå sammanfattning här" (a change)."""
    rest = DETAIL.sub(" ", folded)
    level = "summary" if _DETAIL_SUMMARY.search(rest) else "full" if _DETAIL_FULL.search(rest) else None
    if level is not None and not _DETAIL_QUESTION.search(folded) or level is None and _DETAIL_CHANGE.search(folded) \
            and not _DETAIL_QUESTION.search(folded):
        return Understanding("set_detail_level", filled(level=level))
    return Understanding("show_detail_level")


_CLOCK_ONLY = re.compile(r"^(?:kl |klockan )?\d{1,2}(?: \d{2})?(?: istallet| samma dag)*$")


def _arrow_split(message: Message) -> int:
    """The index of the first word after an arrow."""
    cut = message.clean.find("→") if "→" in message.clean else message.clean.find("->")
    return len(Words.of(message.clean[:cut]).folded)


def read_move_meeting(message: Message) -> Understanding:
    """'flytta operativa brå 5/1 till 7/1 kl 10': the meeting's day, then where it goes after 'till'."""
    words = message.words
    forum = catalog.best(words.folded, catalog.forum_terms(message.config))
    skip = span_of(forum)
    split = next((i for i, word in enumerate(words.folded) if word in ("till", "to", "blir") and i not in skip), None)
    rest = split + 1 if split is not None else None  # where the new time begins
    if split is None and ("→" in message.clean or "->" in message.clean):  # "obrå tisdag → onsdag"
        split = rest = _arrow_split(message)
    before = set(range(split, len(words))) if split is not None else set()
    # "från 10/12 till 14/12": the meeting's day, not "since 10/12"
    before |= {i for i, word in enumerate(words.folded) if word in ("fran", "from")}
    after = set(range(0, rest)) if rest is not None else set(range(len(words)))
    moved_from, _ = message.time("future", skip | before)
    moved_to, _ = message.time("future", skip | after) if split is not None else (None, None)
    if moved_from is not None and moved_to is not None and rest is not None and _CLOCK_ONLY.match(
            " ".join(words.folded[rest:])):
        # "op brå imorgon flyttas till kl 13", "… till kl 15 samma dag": the same day at the new hour
        moved_to = {"start": moved_from["start"][:11] + moved_to["start"][11:],
                    "end": moved_from["start"][:11] + moved_to["end"][11:]}
    return Understanding("move_meeting", filled(forum=forum.code if forum else None, **{"from": moved_from},
                                                 to=moved_to))


def meeting_for(intent: str) -> Callable[[Message], Understanding]:
    def read(message: Message) -> Understanding:
        found = read_meeting(message, message.clean)
        if found is not None and found.intent == intent:
            return found
        forum = catalog.best(message.words.folded, catalog.forum_terms(message.config))
        slots = filled(forum=forum.code if forum else None)
        if intent in ("schedule_meeting", "cancel_meeting"):
            when, _ = message.time("future", span_of(forum))
            slots.update(filled(when=when))
        if intent == "next_meeting":  # "operativa brå i januari": the meetings in that period
            period, _ = message.time("future", span_of(forum))
            slots.update(filled(period=period))
        return Understanding(intent, slots)
    return read
