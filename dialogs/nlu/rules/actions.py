"""Asking about the action plan and adding to it: the list's filters, a new action's title and due date."""

from __future__ import annotations

import re

from dialogs.nlu import catalog
from dialogs.nlu.reading import Understanding
from dialogs.nlu.rules.message import Message, filled
from dialogs.nlu.slots import Words, find_status

DONE_QUESTION = re.compile(r"\b(?:blev klar\w*|blev (?:gjort|fardig\w*)|blivit (?:klar\w*|gjort)|gjort klart"
                            r"|gjorde klart|klarat|avslutat\w*|avslutades|slutfor\w*|genomfor(?:t|da|des)"
                            r"|har \w+ (?:\w+ )?gjort"
                            r"|gjorde (?:vi|polisen|kommunen|jag)|fick (?:\w+ )?klart|bockat av|what got done"
                            r"|completed|finished|what did we)\b")
_CREATE_FOR_ME = re.compile(r"(?:^|,)\s*(?:jag|mig|mig sjalv|me)\s*(?:,|$)|ansvarig\w*:?\s+(?:ar\s+)?(?:jag|mig)\b"
                            r"|\bjag (?:ansvarar|tar den|tar det|fixar|gor det|kan ta)\b|\b(?:at|for|till) mig\b"
                            r"|\bi(?:'| wi)ll take it\b|\bassign(?:ed)? to me\b")


CREATE = re.compile(r"\b(?:ny|nytt|skapa|lagg till|lagg upp|registrera|new|create|add)\s+(?:en\s+)?"
                     r"(?:atgard\w*|atg|action|task|uppgift|punkt i (?:handlings|atgards)?planen)\b|\bnyatgard\w*"
                     r"|^(?:lagg till|lagg in|add)\s*:|^(?:lagg till|lagg in) att\b")


ACTIONS = re.compile(r"\b(?:atgard\w*|forsenat|forsenade|forfaller|ska vara klart|deadline\w*|actions?|tasks?"
                      r"|vad ar forsenat)\b")


# "vem är ansvarig för trygghetsvandringarna", "vem har hand om nattvandringen": who owns the actions about it.
WHO_OWNS = re.compile(r"\bvem (?:ar|har) (?:ansvar\w*|hand om|huvudansvar\w*)\b|\bvem (?:ansvarar|ager|driver)\b")
# What an action is about, after "om", "för", "kring": "åtgärder om nattvandring", "vem ansvarar för X".
_ABOUT = re.compile(r"\b(?:om|for|kring|gallande|angaende|rorande|over)\s+(?P<about>[a-z0-9][a-z0-9 -]*)$")
_ABOUT_FILLER = frozenset("""
    den det de dem en ett vara var ar alla allt nagon nagot nagra vi ni mig oss dig sig sin sitt sina
    atgard atgarden atgarder atgarderna planen atgardsplanen ansvarig ansvar ansvarar hand och i pa
    slutdatum deadline datum status klar klara oppna forsenade vid till med fran av under
""".split())


def read_list_actions(message: Message) -> Understanding:
    status = find_status(message.folded)
    # what is done or overdue was due before today: "försenade åtgärder som skulle varit klara i oktober"
    due, due_words = message.time("past" if status in ("done", "overdue") else "future", message.focus_words)
    owner = message.owner_slots()
    named = catalog.find(message.words.folded, catalog.focus_area_terms(message.config))
    about = None if named or owner else _about(message, due_words)
    return Understanding("list_actions", filled(
        status=status, focus_area=message.focus.code if message.focus else None, due=due, about=about, **owner))


def _about(message: Message, taken: set[int]) -> str | None:
    """The words an action's title should hold, as written ("trygghetsvandringarna"), or None."""
    kept = [i for i in range(len(message.words.folded)) if i not in taken]
    folded = [message.words.folded[i] for i in kept]
    match = _ABOUT.search(" ".join(folded).strip(" ?!.,"))
    if match is None:
        return None
    first = len(match.string[:match.start("about")].split())
    # As written (the answer shows it); the action plan is searched by the words' stems.
    written = [message.words.original[i].casefold() for i in kept[first:]]
    words = [word for word, plain in zip(written, folded[first:], strict=True)
             if plain not in _ABOUT_FILLER and len(plain) > 2 and plain.isalnum()]
    return " ".join(words) or None


def read_create_action(message: Message) -> Understanding:
    owner = message.owner_slots()
    due, due_words = message.time("future")
    cue = next((i for i, word in enumerate(message.words.folded) if word in _DUE_CUES), None)
    if cue is not None and due_words and min(due_words) < cue:
        # "vandringar fre och lör kvällar, klart 31/1": the date after "klart" is the due date; the days
        # before it belong to the title
        after, after_words = message.time("future", set(range(cue)))
        if after is not None:
            due, due_words = after, after_words
    commas = [i for i, word in enumerate(message.words.folded) if word == ","]
    if due_words and commas and max(due_words) < commas[-1]:
        # "sammanställa anmälningar för hösten, Olle Polis, 4/12": a time after the last comma is the due
        # date; the one before it is part of the title
        last, last_words = message.time("future", set(range(commas[-1] + 1)))
        if last is not None:
            due, due_words = last, last_words
    if owner.get("owner") == "me" and not _CREATE_FOR_ME.search(message.folded):
        owner = {}  # "mig" in a title ("ring mig …") does not make the writer responsible
    return Understanding("create_action", filled(
        due=due, focus_area=message.focus.code if message.focus else None, title=_title(message.words, due_words),
        **owner))


_ACTION_WORDS = frozenset({"action", "task", "atg", "uppgift", "uppgiften", "todo", "nyatgard", "punkt"})
_DUE_CUES = frozenset({"klart", "klar", "senast", "deadline", "due", "slutdatum", "fardigt", "fardig", "fardiga"})
_TITLE_STOPS = frozenset({"ansvarig", "ansvarar", "ansvarige", "senast", "klart", "deadline", "due", "responsible"})
_OWNER_WORDS = frozenset({"polisen", "kommunen", "gemensamt", "gemensam", "jag", "mig"})
_TITLE_PREPOSITIONS = frozenset({"med", "for", "av", "till", "om", "mot", "hos", "at", "fran", "with", "by"})
_PLAN_WORDS = frozenset({"planen", "handlingsplanen", "atgardsplanen", "plan", "plans"})
_SUBJECTS = frozenset({"polisen", "kommunen", "vi", "skolan", "soc", "socialtjansten", "fritid", "jag"})


def _title(words: Words, due_words: set[int]) -> str | None:
    """The action as written: after 'ny åtgärd:' (or its qualifiers 'för polisen:', 'inom ANDTS:'), without
    'polisen ska', up to a comma, a full stop, the owner or the due date."""
    folded = words.folded
    start = next((i + 1 for i, w in enumerate(folded) if w.startswith("atgard") or w in _ACTION_WORDS), None)
    if start is None:  # "kan vi lägga till i planen att polisen ska …"
        start = next((i + 1 for i, w in enumerate(folded) if w == "att" and i and folded[i - 1] in (
            "planen", "till", "in", "upp")), None)
    if start is None:  # "lägg till i planen: …", "lägg till: …", "add to the plan: …", "lägga till i planen en …"
        start = next((i + 1 for i, w in enumerate(folded) if w in _PLAN_WORDS or w == ":" and i and folded[i - 1] in (
            "till", "in", "upp", "add")), None)
    if start is None:
        return None
    colon = next((i for i in range(start, min(start + 6, len(words))) if folded[i] == ":"), None)
    if colon is not None:
        start = colon + 1
    # "… en åtgärd åt mig? kontrollera …", "… ny åtgärd? ska vara grannsamverkan …": the request, then the action
    while start < len(words) and (folded[start] in ("om", "for", "att", ":", ",", "i", "planen", "som", "?", "!") or
                                  folded[start] == "at" and start + 1 < len(words) and folded[start + 1] in (
                                      "mig", "oss", "dig", "er")):
        start += 2 if folded[start] == "at" else 1
    if start + 1 < len(words) and folded[start] in ("ska", "skall", "det") and folded[start + 1] in ("vara", "ska"):
        start += 3 if folded[start] == "det" and start + 2 < len(words) and folded[start + 2] == "vara" else 2
    if start + 1 < len(words) and folded[start] in _SUBJECTS and folded[start + 1] in ("ska", "skall", "bor", "maste"):
        start += 2
    end = start
    while end < len(words) and folded[end] not in ",;?" and end not in due_words and folded[end] not in _TITLE_STOPS:
        if end > start and _sentence_break(words, end):
            break
        end += 1
    while end > start and (folded[end - 1] in ("till", "senast", "fore", "innan", "pa", "den", "klart", "och", "asap",
                                               "snarast", "omgaende")
                           or folded[end - 1] in _OWNER_WORDS and folded[end - 2] not in _TITLE_PREPOSITIONS):
        end -= 1  # "… med polisen" keeps its police: a preposition before it makes it part of the title
    title = words.written(start, end).strip(" .,:;-–?!") if end > start else ""
    if title.count("(") > title.count(")"):
        title = title[:title.rindex("(")].strip(" .,:;-–?!")
    return title[:1].upper() + title[1:] if title else None


def _sentence_break(words: Words, index: int) -> bool:
    """A full stop between word ``index - 1`` and word ``index``; a dash or brackets are part of a title
    ("tobaksfri skoltid – uppföljning", "utbildning i våldsprevention (MVP) för personal")."""
    if not words.spans:
        return False
    between = words.source[words.spans[index - 1][1]:words.spans[index][0]]
    return "." in between


def read_list_done_or_due(message: Message) -> Understanding:
    if DONE_QUESTION.search(message.folded) and find_status(message.folded) != "overdue":
        done, _ = message.time("past", message.focus_words)
        return Understanding("list_actions", filled(
            status="done", due=done, **message.owner_slots(),
            focus_area=message.focus.code if message.focus else None))
    return read_list_actions(message)
