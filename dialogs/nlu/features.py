"""What the statistical readers see of a message: lemmas, with the details that vary replaced by their kind.

"skjut upp #12 till 3/12" and "skjut upp åtgärd 7 till fredag" should look alike to a classifier, so
action numbers, dates, clock times, forums and numbers become placeholder tokens (``xref``, ``xdate``,
``xclock``, ``xforum``, ``xnum``). The remaining words are mended (typos) and lemmatised, so "åtgärdr",
"åtgärderna" and "atgarder" are one feature. A focus area keeps its words and gains ``xfocus``, because
the words themselves tell intents apart ("lägesbild ANDTS" asks, "snus vid ICA" tells).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dialogs.nlu import catalog
from dialogs.nlu.lexicon import Speller, lemma
from dialogs.nlu.timewords import MONTHS, WEEKDAYS
from domain.text import fold

_TOKEN = re.compile(r"#\s?o\d+|#\d+|\d+(?:[:./-]\d+)*(?::?[^\W\d_]+)?|[^\W\d_]+|[?!]", re.UNICODE)
_DATE = re.compile(r"^\d{1,2}/\d{1,2}(?:/\d{2,4})?$|^\d{4}-\d{2}-\d{2}$|^\d{1,2}\.\d{1,2}\.\d{2,4}$")
_CLOCK = re.compile(r"^\d{1,2}[:.]\d{2}$")
_CLASS = re.compile(r"^\d{1,2}(?::?an|:a|:e|[a-f])$")
_REF_WORDS = frozenset({"atgard", "atgarden", "nr", "nummer", "punkt", "action"})
_TIME_WORDS = frozenset({*MONTHS, *WEEKDAYS}) - {"man", "mar", "son", "sat", "ons", "tor", "fri", "jul", "may",
                                                   "sun", "tis", "lor", "mon"}


@dataclass(frozen=True)
class Features:
    """A message prepared for the classifiers: ``tokens`` for word n-grams, ``folded`` for character n-grams,
    ``cues`` for what rules found (each a feature of its own)."""

    tokens: str
    folded: str
    cues: tuple[str, ...] = ()


def featurize(text: str, config, speller: Speller | None = None, cues: tuple[str, ...] = ()) -> Features:
    lower = " ".join(text.casefold().split())
    folded = fold(lower)
    written = _TOKEN.findall(lower)
    raw = [fold(token) for token in written]
    forums = _spans(raw, catalog.forum_terms(config))
    focus = _spans(raw, catalog.focus_area_terms(config))
    out: list[str] = []
    for index, token in enumerate(raw):
        if index in forums:
            if index == min(forums[index]):
                out.append("xforum")
            continue
        out.append(_token(token, written[index], raw[index - 1] if index else "", speller))
        if index in focus and index == max(focus[index]):
            out.append("xfocus")
    if folded.rstrip().endswith("?"):
        out.append("xquestion")
    return Features(" ".join(out), folded, cues)


def _token(token: str, written: str, previous: str, speller: Speller | None) -> str:
    if token.startswith("#"):
        return "xoref" if "o" in token else "xref"
    if token[0].isdigit():
        if previous in _REF_WORDS:
            return "xref"
        if _DATE.match(token):
            return "xdate"
        if _CLOCK.match(token):
            return "xclock"
        if _CLASS.match(token):
            return "xclass"
        return "xnum"
    if token in "?!":
        return "xquestion" if token == "?" else "xbang"
    if token in _TIME_WORDS:
        return "xdate"
    word = speller.spell(written) if speller is not None else written
    return fold(lemma(word))


def _spans(words: list[str], terms) -> dict[int, range]:
    """Word index → the span of the configuration term that covers it."""
    covered: dict[int, range] = {}
    for match in catalog.find(words, terms):
        span = range(match.start, match.end)
        if not any(i in covered for i in span):
            for i in span:
                covered[i] = span
    return covered
