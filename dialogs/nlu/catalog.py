"""Finding the configuration's focus areas and forums in what people write.

Terms are the names, codes and synonyms in the collaboration file, folded (no case, no å/ä/ö). A
term matches a whole phrase, a Swedish compound or inflection that starts with it ("klottret",
"styrgruppsmötet"), or, for long words, a near miss (rapidfuzz) such as "skadegörlse". When two
entries match equally well nothing is chosen, so the conversation asks instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from domain.text import fold

PREFIX_MIN = 4  # shorter terms ("hot", "vnr") must match a whole word
FUZZY_MIN = 6
FUZZY_SCORE = 88.0


# Words that say who a message is about, not what happened. Every focus area concerns young people, so a
# synonym made only of these ("unga", "barn och ungdomar") is the weakest evidence: "berusade ungdomar" is
# ANDTS, "unga som klottrar" the schools' damage, and "ungdomar samlas vid torget" still Trygga unga.
_WHO = frozenset({"unga", "ungdomar", "ungdom", "ungdomarna", "barn", "och", "barnen", "elever", "eleverna",
                  "tonaringar", "minderariga", "youths", "teenagers", "kids", "young", "people"})


@dataclass(frozen=True)
class Term:
    code: str
    words: tuple[str, ...]
    strength: int  # 3 name or code, 2 synonym phrase, 1 synonym word, 0 a synonym that only names who


@dataclass(frozen=True)
class Match:
    code: str
    start: int  # word index in the text
    end: int
    score: float


@dataclass(frozen=True, eq=False)
class Terms:
    """A configuration's terms, longest first. Compared and hashed by identity: one per configuration (cached
    below), so remembering the matches of a message costs a pointer, not hashing every term."""
    items: tuple[Term, ...]


def _terms(entries) -> Terms:
    terms = []
    for entry in entries:
        names = {fold(entry.name), entry.code.replace("-", " ")}
        for text in names:
            terms.append(Term(entry.code, tuple(_words(text)), 3))
        for synonym in entry.synonyms:
            words = tuple(_words(fold(synonym)))
            if words:
                strength = 0 if set(words) <= _WHO else 2 if len(words) > 1 else 1
                terms.append(Term(entry.code, words, strength))
    return Terms(tuple(sorted(terms, key=lambda t: (-len(t.words), -t.strength))))


_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


@lru_cache(maxsize=32)
def focus_area_terms(collaboration) -> Terms:
    return _terms(collaboration.focus_areas)


@lru_cache(maxsize=32)
def forum_terms(collaboration) -> Terms:
    return _terms(collaboration.forums)


def _word_matches(term_word: str, word: str, last: bool) -> float:
    if word == term_word:
        return 100.0
    if last and word.startswith(term_word + "-"):  # "brå-mötet", "sspf-gruppen"
        return 95.0
    if last and len(term_word) >= PREFIX_MIN and word.startswith(term_word):
        return 95.0
    # A near miss needs a similar length: a ratio of 88 allows about one edit in eight letters.
    if len(term_word) >= FUZZY_MIN and len(word) >= FUZZY_MIN - 1 and abs(len(word) - len(term_word)) <= 2:
        score = fuzz.ratio(term_word, word)
        if score >= FUZZY_SCORE:
            return score - 5
    return 0.0


def find(words: list[str], terms: Terms) -> list[Match]:
    """Every place a term matches in ``words`` (folded), best first."""
    return list(_find(tuple(words), terms))


@lru_cache(maxsize=1024)
def _find(words: tuple[str, ...], terms: Terms) -> tuple[Match, ...]:
    """``find`` for one message, remembered: logging, the lägesbild and the classifier's features all ask."""
    found: list[Match] = []
    initials = [word[:1] for word in words]
    for term in terms.items:
        size = len(term.words)
        initial = term.words[0][:1]
        for start in range(len(words) - size + 1):
            if initials[start] != initial:  # a near miss in the first letter is not looked for
                continue
            scores = []
            for k, term_word in enumerate(term.words):
                score = _word_matches(term_word, words[start + k], k == size - 1)
                if not score:
                    break
                scores.append(score)
            if len(scores) == size:
                # How specific the term is decides, not how exactly it was spelled: "snusförsäljning till
                # unga" names two focus areas equally, and is left for the conversation to ask about.
                fuzzy = 1 if min(scores) < 95 else 0
                found.append(Match(term.code, start, start + size, 10 * term.strength + size - fuzzy))
    return tuple(sorted(found, key=lambda m: -m.score))


def best(words: list[str], terms: Terms) -> Match | None:
    """The clearly best match, or None when there is none or two different entries tie."""
    found = find(words, terms)
    if not found:
        return None
    top = found[0]
    rivals = [m for m in found if m.code != top.code and m.score >= top.score]
    return None if rivals else top
