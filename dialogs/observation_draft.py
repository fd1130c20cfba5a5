"""An observation being written: read from one sentence, filled in by answers, checked before it is saved.

No botbuilder and no SQL here: the conversation (``dialogs.log_observation``) and the Teams card both fill a
``Draft`` through the same readers, so a sentence, a guided answer and a card field are checked alike
(privacy, safety, length, a time in the future).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.numbers import format_number

from dialogs.answers import SKIP_WORDS
from dialogs.format import interval_text
from dialogs.nlu import catalog, safety_verdict
from dialogs.nlu.places import canonical_key, find_place
from dialogs.nlu.rules.observations import says_sensitive
from dialogs.nlu.slots import Words, find_kind, find_time
from dialogs.nlu.time import Interval, read_time
from dialogs.privacy import refusal_text, screen
from dialogs.safety import EMERGENCY_TEXT, individual_case_text
from domain.collaboration import Collaboration
from domain.rules.observations import MAX_DESCRIPTION_CHARS, MAX_PLACE_CHARS, is_in_future
from domain.situation import Situation
from domain.text import fold, words
from domain.vocabulary import KIND_NAMES
from storage.observations import ObservationDraft

FIELD_NAMES = {
    "focus_area": "fokusområde",
    "when": "tid",
    "place": "plats",
    "description": "beskrivning",
    "kind": "typ",
    "source_party": "källa",
}
REQUIRED = ("focus_area", "when", "description")
GUIDED = ("focus_area", "when", "place", "description", "kind")  # the source is the asker's party unless changed
NOW_WORDS = frozenset({"nu", "just nu", "precis nu", "alldeles nyss", "nyss", "now"})
_COMMAND = re.compile(
    r"^\s*(?:jag\s+vill\s+)?(?:(?:logga|rapportera|registrera|anmäl|anmal|notera|log|report)\b[\s:,-]*)?"
    r"(?:(?:en|ett)\s+)?(?:ny(?:tt)?\s+)?(?:(?:observation|iakttagelse|händelse|handelse|incident)\b[\s:,-]*)?",
    re.IGNORECASE)
_FILLER = frozenset({
    "i", "pa", "vid", "kl", "klockan", "och", "en", "ett", "av", "om", "till", "fran", "under", "med", "for",
    "igar", "idag", "imorse", "ikvall", "inatt", "natt", "natten", "kvall", "kvallen", "morse", "morgon",
    "eftermiddag", "eftermiddagen", "formiddag", "formiddagen", "forra", "veckan", "vecka", "helgen", "nu",
    "har", "det", "var", "som", "ca", "cirka", "tiden", "dag", "dagen", "igen", "sen", "sent", "tidigt",
})
_EDIT = re.compile(
    r"^\s*(?:(?:ändra|andra|rätta|ratta|korrigera|byt|sätt|satt|change|set)\s+)?(?:så\s+att\s+)?"
    r"(?P<field>tid(?:en|punkt(?:en)?)?|när|nar|datum(?:et)?|plats(?:en)?|var|ställe(?:t)?|stalle(?:t)?"
    r"|fokus(?:område(?:t)?|omrade(?:t)?)?|område(?:t)?|omrade(?:t)?|typ(?:en)?|sort(?:en)?|slag(?:et)?"
    r"|beskrivning(?:en)?|text(?:en)?|vad|källa(?:n)?|kalla(?:n)?|part(?:en)?)\s*"
    r"(?:till|:|=|är|ar|(?:ska|skall|skulle)\s+(?:vara|va)\b)\s*"
    r"(?P<value>.+?)\s*$", re.IGNORECASE | re.DOTALL)
_EDIT_FIELDS = {
    "tid": "when", "nar": "when", "datum": "when", "plats": "place", "var": "place", "stalle": "place",
    "fokus": "focus_area", "omrade": "focus_area", "typ": "kind", "sort": "kind", "slag": "kind",
    "beskrivning": "description", "text": "description", "vad": "description", "kalla": "source_party",
    "part": "source_party",
}
_CLOCK_ONLY = re.compile(r"^(?:kl\.?|klockan|vid)?\s*(?:\d{1,2}(?:[.:]\d{2})?(?:-tiden)?|halv \w+|kvart (?:i|over) \w+)"
                         r"(?:\s*[-–]\s*\d{1,2}(?:[.:]\d{2})?)?$")


@dataclass
class Draft:
    """Kept in dialog state as a plain dict (``as_state``): strings only, local times as ISO text."""

    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    focus_area: str | None = None
    kind: str | None = None
    place: str | None = None
    start: str | None = None  # local, 'YYYY-MM-DDTHH:MM'
    end: str | None = None
    description: str | None = None
    source_party: str | None = None
    guided: bool = False
    asked: list[str] = field(default_factory=list)  # optional fields already asked (an empty answer is one)
    future_ok: bool = False
    sensitive: bool = False  # "känslig": only the logging party's members and admins see it

    def as_state(self) -> dict:
        return asdict(self)

    @classmethod
    def from_state(cls, state: dict) -> Draft:
        return cls(**{key: state[key] for key in cls.__dataclass_fields__ if key in state})

    @property
    def interval(self) -> tuple[datetime, datetime] | None:
        if self.start is None:
            return None
        return datetime.fromisoformat(self.start), datetime.fromisoformat(self.end or self.start)

    def missing(self) -> str | None:
        """The next field to ask for, or None when the draft can be shown for confirmation."""
        for name in GUIDED if self.guided else REQUIRED:
            if name == "when":
                if self.start is None:
                    return name
            elif getattr(self, name) is None and name not in self.asked:
                return name
        return None


@dataclass(frozen=True)
class Refusal:
    """An answer that cannot be used; ``stop`` ends the conversation with nothing stored (danger, one person)."""

    text: str
    stop: bool = False


def from_sentence(text: str, slots: dict, situation: Situation) -> Draft:
    """A draft from a one-sentence log message; a bare 'logga' starts the guided questions."""
    when = slots.get("when")
    description = _description_of(text)
    draft = Draft(
        focus_area=slots.get("focus_area"), kind=slots.get("kind"), place=slots.get("place"),
        start=when["start"] if when else None, end=when["end"] if when else None, description=description,
        sensitive=says_sensitive(text))
    if draft.focus_area is None and draft.start is None and description is None:
        draft.guided = True
        draft.source_party = situation.asker.party
        return draft
    draft.kind = draft.kind or "handelse"
    draft.source_party = situation.asker.party
    return draft


def _description_of(text: str) -> str | None:
    """The sentence without its command words, if it says more than a focus area or a time."""
    rest = _COMMAND.sub("", text, count=1).strip(" :,.-")
    content = [w for w in words(rest) if w not in _FILLER and not w.isdigit() and len(w) > 1]
    if len(content) < 2:
        return None
    return rest[:1].upper() + rest[1:]


def screen_text(text: str, situation: Situation) -> Refusal | None:
    """What every written answer passes before it can be kept: safety first, then privacy, then length."""
    verdict = safety_verdict(text, situation.collaboration)
    if verdict == "emergency":
        return Refusal(EMERGENCY_TEXT, stop=True)
    if verdict == "individual_case":
        return Refusal(individual_case_text(situation), stop=True)
    findings = screen(text, allowed_names=[m.name for m in situation.collaboration.members])
    if findings:
        return Refusal(refusal_text(findings))
    return None


def apply_answer(draft: Draft, name: str, answer: str, situation: Situation) -> Draft | Refusal:
    """Fill field ``name`` from what the user wrote, or say why it cannot be used."""
    answer = answer.strip()
    folded = fold(answer).strip(" .!")
    config = situation.collaboration
    refusal = screen_text(answer, situation)  # every field, also those only a time or a choice is read from
    if refusal is not None:
        return refusal
    if name == "focus_area":
        code = read_focus_area(answer, config)
        if code is None:
            return Refusal("Jag hittar inget fokusområde som heter så.")
        return replace(draft, focus_area=code)
    if name == "when":
        interval = read_when(answer, draft, situation)
        if interval is None:
            return Refusal("Den tiden förstår jag inte. Skriv till exempel ”nu”, ”igår kväll”, ”i fredags kl 22” "
                           "eller ”20/11 kl 14”.")
        start, end = interval
        return replace(draft, start=start.strftime("%Y-%m-%dT%H:%M"), end=end.strftime("%Y-%m-%dT%H:%M"),
                       future_ok=False)
    if name == "place":
        if folded in SKIP_WORDS:
            return replace(draft, place=None, asked=[*draft.asked, "place"])
        if len(words(answer)) > 5:  # a sentence: the place in it, not the sentence ("det var vid ICA i Diö")
            found = find_place(Words.of(answer), set(), config)
            if found is None:
                return Refusal("Skriv bara platsen, till exempel ”Haganässkolan” eller ”Diö torg”.")
            answer = found.text
        if len(answer) > MAX_PLACE_CHARS:
            return Refusal(f"Platsen får vara högst {MAX_PLACE_CHARS} tecken.")
        return replace(draft, place=answer)
    if name == "description":
        if len(answer) > MAX_DESCRIPTION_CHARS:
            return Refusal(too_long_description(len(answer)))
        if len(words(answer)) < 2:
            return Refusal("Beskriv med några ord vad som hände, till exempel ”klotter på skolans gavel”.")
        return replace(draft, description=answer[:1].upper() + answer[1:])
    if name == "kind":
        kind = read_kind(answer)
        if kind is None:
            return Refusal("Den typen känner jag inte igen.")
        return replace(draft, kind=kind)
    if name == "source_party":
        party = read_party(answer, config)
        if party is None:
            return Refusal("Den parten känner jag inte igen.")
        return replace(draft, source_party=party)
    raise ValueError(f"unknown field {name!r}")


def answer_with_more(draft: Draft, answer: str, situation: Situation) -> Draft | Refusal | None:
    """An answer to "När hände det?" that also says where or what ("torget igår runt 22", "igår kväll vid
    pizzerian, två grupper slogs"): the time, and the place and description the draft still lacks. None when
    there is no time in it, or it names another place than the draft's: that is a new entry, not an answer."""
    now = situation.local_now.replace(tzinfo=None, second=0, microsecond=0)
    all_words = Words.of(answer)
    found = find_time(all_words, now, "past", set(), situation.collaboration.school_break_weeks())
    if found is None:
        return None
    interval, start, end = found
    rest = " ".join(part for part in (all_words.written(0, start), all_words.written(end, len(all_words)))
                    if part).strip(" ,.;:-–")
    clock = _CLOCK_LATER.search(fold(rest))
    if clock and int(clock["h"]) < 24 and interval.start.time() == time() and \
            interval.end - interval.start == timedelta(days=1):
        # "idag efter idrotten, typ 14": the day, and the hour said apart from it ("typ 27" is no hour)
        moment = interval.start.replace(hour=int(clock["h"]), minute=int(clock["m"] or 0))
        if moment <= now:
            interval = Interval(moment, moment)
    place = find_place(Words.of(f"vid {rest}"), {0}, situation.collaboration) if rest else None
    if place is not None and draft.place and fold(place.text) != fold(draft.place):
        return None
    filled = replace(draft, start=interval.start.strftime("%Y-%m-%dT%H:%M"),
                     end=interval.end.strftime("%Y-%m-%dT%H:%M"), future_ok=False)
    if place is not None and not draft.place:
        filled = apply_answer(filled, "place", place.text, situation)
    said = [word for word in words(rest) if fold(word) not in _FILLER and not word[:1].isdigit()
            and fold(word) not in _TIME_ONLY]  # "idag efter idrotten, typ 14" says only when
    if not isinstance(filled, Refusal) and draft.description is None and len(said) >= MIN_DESCRIPTION_WORDS:
        filled = apply_answer(filled, "description", answer, situation)
    return filled


MIN_DESCRIPTION_WORDS = 4
_CLOCK_LATER = re.compile(r"\b(?:kl\.?|klockan|typ|ca\.?|cirka|runt|vid|omkring|ungefar)\s*(?P<h>\d{1,2})"
                          r"(?:[:.](?P<m>[0-5]\d))?"
                          r"(?:-tiden)?\s*$")
_TIME_ONLY = frozenset({"efter", "fore", "innan", "typ", "runt", "omkring", "ungefar", "kring", "strax", "just"})


def too_long_description(length: int) -> str:
    return (f"Beskrivningen är för lång: {format_number(length, locale='sv')} tecken, och högst "
            f"{format_number(MAX_DESCRIPTION_CHARS, locale='sv')} tecken får plats. Korta ner den till det viktigaste "
            "– platsen och vad som hände.")


_POLITE = re.compile(r"^\s*(?:kan du|kan ni|jag vill|vill du|vill|snälla|snalla|please)\s+|"
                     r"\s+(?:istället|istallet|i stället|tack|please)[\s.!]*$", re.IGNORECASE)


def parse_edit(text: str) -> tuple[str, str] | None:
    """'ändra tid till kl 22' → ('when', 'kl 22'); 'plats: Diö torg' → ('place', 'Diö torg'); 'kan du ändra
    tiden till kl 13 istället' too."""
    match = _EDIT.match(_POLITE.sub("", _POLITE.sub("", text)))
    if match is None:
        return None
    stem = fold(match["field"])
    for prefix, name in _EDIT_FIELDS.items():
        if stem.startswith(prefix):
            return name, match["value"]
    return None


def read_focus_area(answer: str, config: Collaboration) -> str | None:
    number = _choice_number(answer, len(config.focus_areas))
    if number is not None:
        return config.focus_areas[number].code
    code = fold(answer).strip()
    if any(area.code == code for area in config.focus_areas):  # the card's choice sends the code itself
        return code
    match = catalog.best(Words.of(answer).folded, catalog.focus_area_terms(config))
    return match.code if match else None


def read_kind(answer: str) -> str | None:
    number = _choice_number(answer, len(KIND_NAMES))
    if number is not None:
        return list(KIND_NAMES)[number]
    folded = fold(answer)
    return find_kind(folded) or next((k for k in KIND_NAMES if fold(k).startswith(folded.strip()[:5]) and
                                      len(folded.strip()) >= 4), None)


def read_party(answer: str, config: Collaboration) -> str | None:
    number = _choice_number(answer, len(config.parties))
    if number is not None:
        return config.parties[number].code
    folded = fold(answer).strip(" .!")
    for party in config.parties:
        if folded.startswith(party.code) or folded == fold(party.name):
            return party.code
    return None


def read_when(answer: str, draft: Draft, situation: Situation) -> tuple[datetime, datetime] | None:
    """A free Swedish time, read towards the past. A bare clock time ('kl 22') keeps the draft's day."""
    now = situation.local_now.replace(tzinfo=None, second=0, microsecond=0)
    folded = fold(answer).strip(" .!")
    if folded in NOW_WORDS:
        return now, now
    anchor = now
    if draft.start is not None and _CLOCK_ONLY.match(folded):
        anchor = datetime.combine(datetime.fromisoformat(draft.start).date(), time(23, 59))
    interval = read_time(answer, anchor, "past", situation.collaboration.school_break_weeks())
    return (interval.start, interval.end) if interval else None


def _choice_number(answer: str, count: int) -> int | None:
    match = re.fullmatch(r"\s*(\d{1,2})\s*[.)]?\s*", answer)
    if match and 1 <= int(match.group(1)) <= count:
        return int(match.group(1)) - 1
    return None


def focus_choices(config: Collaboration) -> str:
    return "\n".join(f"{n}. {area.name}" for n, area in enumerate(config.focus_areas, start=1))


def kind_choices() -> str:
    return "\n".join(f"{n}. {name}" for n, name in enumerate(KIND_NAMES.values(), start=1))


def party_choices(config: Collaboration) -> str:
    return "\n".join(f"{n}. {party.name}" for n, party in enumerate(config.parties, start=1))


QUESTIONS = {
    "focus_area": lambda s: f"Vilket fokusområde gäller det?\n{focus_choices(s.collaboration)}",
    "when": lambda s: "När hände det? Skriv till exempel ”nu”, ”igår kväll” eller ”i fredags kl 22”.",
    "place": lambda s: "Var hände det? Skriv platsen, till exempel ”Haganässkolan” eller ”Diö torg” "
                       "(eller ”-” om det inte gäller en plats).",
    "description": lambda s: "Vad hände? Beskriv kort platsen och situationen – inga namn eller personuppgifter.",
    "kind": lambda s: f"Vilken typ av uppgift är det?\n{kind_choices()}",
    "source_party": lambda s: f"Vem kommer uppgiften från?\n{party_choices(s.collaboration)}",
}


def is_future(draft: Draft, situation: Situation) -> bool:
    interval = draft.interval
    return interval is not None and is_in_future(interval[0], situation.local_now.replace(tzinfo=None))


def when_text(draft: Draft, situation: Situation) -> str:
    interval = draft.interval
    return interval_text(*interval, now=situation.local_now.replace(tzinfo=None)) if interval else "–"


def reading_lines(draft: Draft, situation: Situation) -> list[str]:
    config = situation.collaboration
    focus = config.focus_area(draft.focus_area).name if draft.focus_area else "–"
    party = config.party(draft.source_party).name if draft.source_party else "–"
    return [
        f"Fokusområde: {focus}",
        f"Typ: {KIND_NAMES.get(draft.kind or '', '–')}",
        f"När: {when_text(draft, situation)}",
        f"Var: {draft.place or '–'}",
        f"Vad: {draft.description or '–'}",
        f"Källa: {party}",
        *(["Känslig: ja, visas bara för din part och administratörer"] if draft.sensitive else []),
    ]


def to_storage(draft: Draft, situation: Situation) -> ObservationDraft:
    """The draft as it is saved: local times to UTC, the place folded for grouping."""
    zone = ZoneInfo(situation.collaboration.timezone)
    start, end = draft.interval
    place = " ".join(draft.place.split()) if draft.place else None
    return ObservationDraft(
        focus_area=draft.focus_area, kind=draft.kind or "handelse",
        occurred_start=start.replace(tzinfo=zone), occurred_end=None if end == start else end.replace(tzinfo=zone),
        description=draft.description, source_party=draft.source_party or situation.asker.party,
        place=place, place_key=place_key(place, situation.collaboration), sensitive=draft.sensitive)


def place_key(place: str | None, config: Collaboration | None = None) -> str | None:
    """The place folded, configured places by their own names, so "elme" and "Elmeskolan" are one place."""
    if not place:
        return None
    return canonical_key(place, config) if config is not None else " ".join(words(place))


def local_interval(start: datetime, end: datetime | None, situation: Situation) -> tuple[datetime, datetime]:
    zone = ZoneInfo(situation.collaboration.timezone)
    local_start = start.astimezone(zone).replace(tzinfo=None)
    return local_start, (end.astimezone(zone).replace(tzinfo=None) if end else local_start)


UNDO_HINT = "Skriv ”ångra” inom 24 timmar om det blev fel."
