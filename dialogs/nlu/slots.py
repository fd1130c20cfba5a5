"""Slots found inside a sentence: a time expression, a place as the user wrote it, action numbers,
owners and statuses. Each reader works on ``Words`` (the original words beside their folded forms), so
what is matched ignores case and diacritics while what is returned is what the user wrote."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from dialogs.nlu.text import fold
from dialogs.nlu.time import Interval, read_time
from dialogs.nlu.timewords import MONTHS, PARTS_OF_DAY, WEEKDAYS

_TOKEN = re.compile(r"#?\d+(?:[:./-]\d+)*(?::?[ea])?|[^\W\d_]+(?:-[^\W\d_]+)*|[,:;!?]", re.UNICODE)


@dataclass
class Words:
    original: list[str]
    folded: list[str]

    @classmethod
    def of(cls, text: str) -> Words:
        original = _TOKEN.findall(text)
        return cls(original, [fold(word) for word in original])

    def __len__(self) -> int:
        return len(self.folded)

    def text(self, start: int, end: int) -> str:
        return " ".join(self.original[start:end])


# --- time inside a sentence --------------------------------------------------------------------------

_TIME_STARTERS = {
    "i", "pa", "om", "for", "nasta", "forra", "forrforra", "denna", "den", "kl", "klockan", "igar", "idag",
    "imorgon", "imorn", "ikvall", "inatt", "imorse", "iforrgar", "iovermorgon", "natten", "v", "vecka", "veckan",
    "senast", "till", "fore", "innan", "under", "sista", "forsta", "andra", "tredje", "fjarde", "halv", "kvart",
    "q", "kvartal", "last", "next", "this", "tomorrow", "yesterday", "tonight", "today", "in", "at", "on",
    "mellandagarna", "helgen", "senaste", "vid", "sedan", *WEEKDAYS, *MONTHS, *PARTS_OF_DAY,
}
MAX_TIME_WORDS = 7


def find_time(words: Words, now: datetime, direction: str, skip: set[int] | None = None,
              school_breaks=None) -> tuple[Interval, int, int] | None:
    """The longest run of words that reads as a time (first one on ties), with its word span."""
    skip = skip or set()
    best: tuple[Interval, int, int] | None = None
    for start, word in enumerate(words.folded):
        if start in skip or not (word in _TIME_STARTERS or word[:1].isdigit()):
            continue
        if start > 0 and words.folded[start - 1] == "varje":  # "varje kväll" is a habit, not a time
            continue
        for end in range(min(len(words), start + MAX_TIME_WORDS), start, -1):
            if best is not None and end - start <= best[2] - best[1]:
                break
            if any(i in skip or words.folded[i] in ",:;!?" for i in range(start, end)):
                continue
            interval = read_time(words.text(start, end), now, direction, school_breaks)
            if interval is not None:
                best = (interval, start, end)
                break
    return best


# --- places ------------------------------------------------------------------------------------------

_PLACE_PREPOSITIONS = {"pa", "vid", "utanfor", "framfor", "bakom", "nara", "at", "near", "outside", "i", "in"}
_PLACE_NOUNS = {
    "skola", "skolan", "park", "parken", "centrum", "torg", "torget", "station", "stationen", "gard", "garden",
    "plan", "planen", "hall", "hallen", "bad", "badet", "kyrka", "kyrkan", "gata", "gatan", "vag", "vagen",
    "stadion", "arena", "arenan", "bibliotek", "biblioteket", "skolgard", "skolgarden", "parkering",
    "parkeringen", "busstation", "resecentrum", "hamn", "hamnen", "strand", "stranden", "square", "school",
}
_NOT_PLACE = {"personal", "en", "ett", "den", "det", "att", "och", "som", "med", "mig", "oss", "dem"}


def find_place(words: Words, skip: set[int]) -> tuple[str, int, int] | None:
    """'på Haganässkolan', 'vid Folkets park', 'i Diö' (a name after 'i' must be capitalised)."""
    for index, word in enumerate(words.folded):
        if word not in _PLACE_PREPOSITIONS or index + 1 >= len(words) or index + 1 in skip:
            continue
        first = index + 1
        head, head_folded = words.original[first], words.folded[first]
        capitalised = head[:1].isupper()
        if head_folded in _TIME_STARTERS or head_folded in _NOT_PLACE or not head[:1].isalpha():
            continue
        if word in ("i", "in") and not capitalised:
            continue
        end = first + 1
        while end < len(words) and end not in skip:
            nxt, nxt_folded = words.original[end], words.folded[end]
            if nxt_folded in _TIME_STARTERS or not nxt[:1].isalpha():
                break
            if not (nxt[:1].isupper() or nxt_folded in _PLACE_NOUNS):
                break
            end += 1
        return words.text(first, end), first, end
    return None


def capitalised_words(words: Words, skip: set[int]) -> tuple[str, int, int] | None:
    """A proper name written alone ('lägesbild Diö'): capitalised words after the first word."""
    for index in range(1, len(words)):
        if index in skip or not words.original[index][:1].isupper() or words.folded[index] in _TIME_STARTERS:
            continue
        end = index + 1
        while end < len(words) and end not in skip and words.original[end][:1].isupper():
            end += 1
        return words.text(index, end), index, end
    return None


# --- numbers, owners, statuses -----------------------------------------------------------------------

_REF_WORDS = {"atgard", "atgarden", "atgarder", "nummer", "nr", "action", "punkt"}


def find_ref(words: Words) -> tuple[str, set[int]] | None:
    for index, word in enumerate(words.folded):
        if re.fullmatch(r"#\d{1,6}", word):
            return word[1:], {index}
        if word in _REF_WORDS and index + 1 < len(words) and re.fullmatch(r"#?\d{1,6}", words.folded[index + 1]):
            return words.folded[index + 1].lstrip("#"), {index, index + 1}
    return None


_OWNERS = {
    "mina": "me", "min": "me", "mitt": "me", "mig": "me", "jag": "me", "my": "me", "mine": "me",
    "polisen": "polis", "polisens": "polis", "polis": "polis", "police": "polis", "lpo": "polis",
    "kommunen": "kommun", "kommunens": "kommun", "kommun": "kommun", "municipality": "kommun",
}


def find_owner(words: Words, skip: set[int], member_names: tuple[str, ...] = ()) -> str | None:
    """'mina', 'polisen', 'kommunens', or a member by full or first name ('Annas åtgärder' -> the name).

    A member's full name is looked for first, so "Olle Polis" is the member, not the police."""
    for name in member_names:
        parts = [fold(part) for part in name.split()]
        for index in range(len(words)):
            here = words.folded[index:index + len(parts)]
            genitive = [*here[:-1], here[-1].removesuffix("s")] if here else here
            if parts in (here, genitive) and words.original[index][:1].isupper():
                return name
    for index, word in enumerate(words.folded):
        if index not in skip and word in _OWNERS:
            return _OWNERS[word]
    for name in member_names:
        parts = [fold(part) for part in name.split()]
        first = [i for i, w in enumerate(words.folded) if w.removesuffix("s") == parts[0]
                 and words.original[i][:1].isupper()]
        if first and sum(1 for other in member_names if fold(other.split()[0]) == parts[0]) == 1:
            return name
    return None


_STATUSES = [
    ("overdue", re.compile(r"\b(?:forsena\w*|sena|overdue|late|passerat\w*|missade)\b")),
    ("done", re.compile(r"\b(?:klara|klar|avslutade|avklarade|fardiga|genomforda|done|completed|finished)\b")),
    ("open", re.compile(r"\b(?:oppna|pagaende|aktiva|ej klara|inte klara|open|ongoing)\b")),
]


def find_status(folded_text: str) -> str | None:
    folded_text = re.sub(r"\b(?:ska|skall|maste|bor) (?:vara|bli) (?:klar\w*|fardig\w*)", " ", folded_text)
    for status, pattern in _STATUSES:
        if pattern.search(folded_text):
            return status
    return None


_KINDS = [
    ("medborgardialog", re.compile(r"\bmedborgardialog\w*")),
    ("medarbetardialog", re.compile(r"\bmedarbetardialog\w*")),
    ("statistik", re.compile(r"\bstatistik\w*")),
    ("iakttagelse", re.compile(r"\b(?:iakttagelse\w*|observation\w*|observerat|sett)\b")),
    ("handelse", re.compile(r"\b(?:handelse\w*|incident\w*)\b")),
]


def find_kind(folded_text: str) -> str | None:
    for kind, pattern in _KINDS:
        if pattern.search(folded_text):
            return kind
    return None
