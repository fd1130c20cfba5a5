"""Logging an observation and changing one by its number (#O12): the log's own words."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from dialogs.nlu import catalog
from dialogs.nlu.places import find_place
from dialogs.nlu.reading import Understanding
from dialogs.nlu.rules.message import Message, filled, focus_time_place
from dialogs.nlu.slots import Words, find_kind, find_time, observation_kind
from domain.text import fold

# "#O12", "O12", "#O 12", "observation 12", "obs 12", "loggningen 12"; any length, so that a number too large
# to exist is answered as one, not read as a place "O"
OBSERVATION_REF = re.compile(r"(?:^|\s)#\s?o\s?(\d+)\b|(?:^|\s)o(\d+)\b"
                              r"|\b(?:observation(?:en)?|obs|loggning(?:en)?)\s+(?:nr\s+|nummer\s+)?#?o?(\d+)\b")
_OBSERVATION_REF_WRITTEN = re.compile(r"#\s?o\s?\d+\b|(?<!\w)o\d+\b"
                                      r"|(?:observation|obs|loggning)\w*\s+(?:nr\s+|nummer\s+)?#?o?\d+\b",
                                      re.IGNORECASE)
UNDO = re.compile(r"^(?:angra|undo)(?: (?:det|den|senaste|sista|loggningen|observationen|det senaste|det sista"
                   r"|det jag (?:just )?(?:loggade|skrev)))?\W*$")
_SENSITIVE = re.compile(r"\bkansliga?t?\b")
_MARK = re.compile(r"\b(?:markera\w*|marka\w*|satt\w*|gor)\b")
_NOT_SENSITIVE = re.compile(r"\b(?:inte|ej|icke|avmarkera\w*)\b(?:\s+\w+){0,2}\s+kansliga?t?\b|\bokansliga?t?\b")


def sensitivity(text: str) -> bool | None:
    """Whether a log sentence or an answer marks the observation känslig ("logga känslig: …", "markera som
    känslig": True; "inte känslig": False), or None when it says nothing of it."""
    folded = fold(text)
    if _NOT_SENSITIVE.search(folded):
        return False
    return True if _SENSITIVE.search(folded) else None


def says_sensitive(text: str) -> bool:
    return sensitivity(text) is True


_RESTORE = re.compile(r"\b(?:aterstall\w*|aterskapa\w*|ta tillbaka|restore|undelete)\b")
_DELETE = re.compile(r"\b(?:ta bort|tabort|tas bort|radera\w*|stryk|kasta|slang|ska bort|delete|remove)\b")
_CORRECT = re.compile(r"\b(?:andra|ratta|korrigera|uppdatera|redigera|byt|fel|ska vara|ska ha|skulle vara|inte|change"
                      r"|correct|fix|edit)\b|#?o ?\d+\s*[:-]\s*\w+\s*:|\b(?:plats|tid|datum|fokus\w*|typ|kategori)\s*:")
# Asking about an entry is looking at it: "öppna observation 15", "vad hände i #O18", "vem loggade #O33?".
_ONLY_REQUEST = re.compile(r"(?:(?:kan|kunde|vill|du|jag|vi|snalla|please|andra|ratta|korrigera|redigera"
                           r"|uppdatera|byt|change|edit|fix|observation\w*|loggning\w*|posten|nummer|pa|i)\b\W*)+")
_SHOW_OBSERVATION = re.compile(r"\b(?:visa|show|open|oppna|se|titta|kolla|las|detalj\w*|info\w*|mer om|vad|vem|nar"
                               r"|hur|vilken|vilket|historik\w*|versioner|what|who|when)\b|\?\s*$")


LOG = re.compile(r"^(?:jag vill )?(?:logga|rapportera|registrera|anmal|notera|log|report)\b"
                  r"|\bny (?:observation|iakttagelse|handelse|incident)\b"
                  r"|^(?:observation|iakttagelse|handelse)\b|\blogga\b")


# A message that starts by saying it is for the log is a log entry, whatever else it says (safety aside).
_LOG_COMMAND = re.compile(r"^(?:kan du |jag vill |vill )?(?:logga|rapportera|notera|log)\b(?! ut\b| in\b)"
                          r"|^(?:ny|en ny) (?:observation|iakttagelse|handelse|incident)\b"
                          r"|^(?:observation|iakttagelse|handelse|for loggen)\b")


def is_log_command(folded: str) -> bool:
    return bool(_LOG_COMMAND.match(folded))


# A question that does not ask to log ("när går bussen till Växjö", "har polisen öppet på lördagar?") is not
# an entry for the log, however much it sounds like one.
# Swedish asks yes/no with the verb first: "är det julmarknad på torget", "snöar det i Pjätteryd", "har ni öppet".
_QUESTION = re.compile(r"^(?:vad|vem|vems|var|vart|nar|hur|varfor|vilken|vilka|vilket|finns|what|who|when|where"
                       r"|how|why|which|is|are|does|do)\b|\?\s*$"
                       r"|^(?:ar|finns|kommer|blir|har|kan|ska|far|gar|regnar|snoar|brukar|behover|maste|vet|galler"
                       r"|hinner|oppnar|stanger|\w+as) (?:det|du|ni|man|nagon|nan|vi|jag|dom|de)\b")
_ASKS_TO_LOG = re.compile(r"\b(?:logga\w*|loga|log|rapportera\w*|registrera\w*|notera\w*|anteckna\w*|loggen"
                          r"|for in|fora in|lagga in|lagg in|skriva in|skriv in|dokumentera\w*)\b")


def is_question_not_for_the_log(folded: str) -> bool:
    return bool(_QUESTION.search(folded)) and not _ASKS_TO_LOG.search(folded)


# What asking to log says without saying what happened: "logga", "jag vill logga en händelse", "ny observation".
_ONLY_ASKING = frozenset("""
    logga loga log rapportera registrera notera anmal lagg in till i loggen for att ny nytt en ett jag vi vill
    kan du skulle ha gora observation observationen iakttagelse handelse incident obs nagot nat har tack hej
    please new report note an a the
""".split())


def says_what_happened(words: list[str]) -> bool:
    """Whether a log message has content of its own; a bare request starts the guided questions instead."""
    return any(word not in _ONLY_ASKING and word.isalnum() for word in words)


_FIELD_EDIT = re.compile(r"^(?:andra |ratta |byt |satt )?(?:tid\w*|nar|datum\w*|plats\w*|var|stalle\w*|fokus\w*"
                         r"|omrade\w*|typ\w*|sort\w*|slag\w*|beskrivning\w*|text\w*|vad|kalla\w*|part\w*)\s*"
                         r"(?:till|:|=|ar|(?:ska|skall|skulle) (?:vara|va))\s", re.IGNORECASE)
_NEGATED = re.compile(r"(?:,\s*|\s+)(?:inte|ej|not)\s+.*$|^(?:inte|ej)\s+\S+\s*,?\s*(?:utan\s+)?", re.IGNORECASE)
_KIND_WORDS = ("medborgardialog", "medarbetardialog", "statistik", "iakttagelse", "handelse", "händelse")


def _change(change: str | None, config: Any, now: datetime) -> str | None:
    """A correction as '<field> till <value>': 'ändra plats till Diö torg' stays; '#O8 var i Diö, inte Älmhult'
    becomes 'plats till Diö'; 'fel datum, det var i lördags' becomes 'tid till i lördags'."""
    if not change or _FIELD_EDIT.match(fold(change)):
        return change or None
    positive = _NEGATED.sub("", change).strip(" ,.") or change
    positive = re.sub(r"^(?:fel \w+(?: p[aå])?[,:]?\s*)?(?:det (?:var|h[aä]nde|[aä]r)|det blev|ska vara|skulle vara"
                      r"|ska ha|var|h[aä]nde|g[aä]ller|g[aä]llde)\s+", "", positive, flags=re.IGNORECASE).strip(" ,.")
    words = Words.of(positive)
    folded = fold(positive)
    focus = catalog.best(words.folded, catalog.focus_area_terms(config))
    if focus is not None:
        return f"fokusområde till {words.written(focus.start, focus.end)}"
    kind = next((k for k in _KIND_WORDS if fold(k) in folded), None)
    if kind is not None:
        return f"typ till {kind}"
    found = find_time(words, now, "past", set(), config.school_break_weeks())
    if found is not None and found[2] - found[1] >= len(words) - 2:
        return f"tid till {words.written(found[1], found[2])}"
    place = find_place(Words.of("vid " + positive), set(), config)
    if place is not None:
        return f"plats till {place.text}"
    return change


def read_observation_ref(clean: str, folded: str, match: re.Match[str], config: Any = None,
                     now: datetime | None = None) -> Understanding:
    """'ta bort #O12', 'återställ #O12', 'ändra #O12 plats till …' (the change is kept as written), otherwise
    show it."""
    ref = match.group(1) or match.group(2) or match.group(3)
    if _MARK.search(folded) and (_SENSITIVE.search(folded) or _NOT_SENSITIVE.search(folded)):
        return Understanding("mark_sensitive", {"ref": ref, "sensitive": not _NOT_SENSITIVE.search(folded)})
    if _RESTORE.search(folded):
        return Understanding("restore_observation", {"ref": ref})
    if _DELETE.search(folded):
        return Understanding("delete_observation", {"ref": ref})
    if _CORRECT.search(folded) or not _SHOW_OBSERVATION.search(folded) and len(folded.split()) > 2:
        # Found again in the original text: folding can change lengths ("ß" → "ss").
        written = _OBSERVATION_REF_WRITTEN.search(clean)
        change = clean[written.end():].strip(" :,.?!") if written else None
        if written and not change:
            change = clean[:written.start()].strip(" :,.?!") or None
        if change and _ONLY_REQUEST.fullmatch(fold(change)):
            change = None  # "kan du ändra #O12?" says what to change, not how: the conversation asks
        return Understanding("correct_observation", filled(ref=ref, change=_change(change, config, now)))
    return Understanding("show_observation", {"ref": ref})


def read_log(message: Message) -> Understanding:
    slots, taken = focus_time_place(message, "when")
    place = find_place(message.words, taken, message.config)
    # A bare "logga" starts the guided questions, which ask for the kind; anything more is kept with one.
    told = bool(slots) or place is not None or says_what_happened(message.words.folded)
    kind = observation_kind(message.folded) if told else find_kind(message.folded)
    slots.update(filled(place=place.text if place else None, kind=kind))
    return Understanding("log_observation", slots)


def read_list_observations(message: Message) -> Understanding:
    period, _ = message.time("past", message.focus_words)
    mine = re.search(r"\b(?:mina|min|mitt|jag|my|i)\b", message.folded)
    return Understanding("list_observations", filled(
        owner="me" if mine else None, period=period, focus_area=message.focus.code if message.focus else None))
