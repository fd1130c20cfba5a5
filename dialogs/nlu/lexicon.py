"""Swedish words as the understanding compares them: lemmas, and typos mended towards known words.

Swedish inflects and compounds freely ("slog", "slagit" and "slår" are one verb; "busshållplatsen" is
a place), so readers compare lemmas from simplemma instead of suffix lists. People type without å/ä/ö
and with typos, so a word wordfreq does not know as Swedish is first given its å/ä/ö back ("atgarder"
→ "åtgärder", from wordfreq's Swedish word list), then mended with symspellpy towards the project's own
vocabulary (the training corpus and the collaboration's terms): "åtgärdr" → "åtgärder". Ordinary
words are never "mended": "far" stays "far" although "får" is more common.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import simplemma
from symspellpy import SymSpell, Verbosity
from wordfreq import top_n_list, zipf_frequency

from domain.text import fold

# wordfreq's Zipf scale: 3 is a word seen about once per million words. Below this a word is a candidate
# for mending (rare words, typos, words glued together without a space).
KNOWN_ZIPF = 2.5
SWEDISH_WORDS = 60_000
_MIN_MEND_LENGTH = 5


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The dictionary form of one lower-case word ('slog' → 'slå', 'eleverna' → 'elev')."""
    if not word or not word[0].isalpha():
        return word
    try:
        return simplemma.lemmatize(word, lang="sv").casefold()
    except (ValueError, KeyError):  # simplemma refuses some odd tokens
        return word


@lru_cache(maxsize=65536)
def is_swedish(word: str) -> bool:
    """True when wordfreq knows the word as Swedish (or as common English, which people mix in)."""
    return zipf_frequency(word, "sv") >= KNOWN_ZIPF or zipf_frequency(word, "en") >= 4.0


class Speller:
    """Gives typed words their Swedish spelling back: å/ä/ö restored, typos mended towards a vocabulary."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._symspell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        self._spelling: dict[str, tuple[float, str]] = {}  # folded form → (zipf, the word as spelled)
        for word in top_n_list("sv", SWEDISH_WORDS):
            self._remember(word, in_vocabulary=False)
        for word in vocabulary:
            self._remember(word.casefold(), in_vocabulary=True)

    def _remember(self, word: str, *, in_vocabulary: bool) -> None:
        folded = fold(word)
        if len(folded) < 2 or not folded.isalpha():
            return
        zipf = zipf_frequency(word, "sv")
        known = self._spelling.get(folded)
        if known is None or zipf > known[0]:
            self._spelling[folded] = (zipf, word)
        if in_vocabulary and len(folded) >= 3:
            # Frequent words win ties: "atgarder" over "atgard" for "atgardr".
            self._symspell.create_dictionary_entry(folded, max(1, int(10 ** zipf * 10)))

    def spell(self, word: str) -> str:
        """``word`` (lower case, as typed) as it is spelled in Swedish, or unchanged when unsure."""
        if not word.isalpha() or is_swedish(word):
            return word
        folded = fold(word)
        known = self._spelling.get(folded)
        if known is not None:
            return known[1]
        if len(folded) < _MIN_MEND_LENGTH:
            return word
        found = self._symspell.lookup(folded, Verbosity.TOP, max_edit_distance=1 if len(folded) < 8 else 2)
        if not found:
            return word
        return self._spelling.get(found[0].term, (0.0, found[0].term))[1]


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def vocabulary_of(texts: Iterable[str]) -> set[str]:
    """Every word of three letters or more in ``texts``, lower case, as written."""
    found: set[str] = set()
    for text in texts:
        found.update(word for word in _WORD.findall(text.casefold()) if len(word) >= 3)
    return found


@lru_cache(maxsize=1)
def plain_speller() -> Speller:
    """A speller that only gives å/ä/ö back (wordfreq's Swedish words), for readers without the trained model."""
    return Speller(())
