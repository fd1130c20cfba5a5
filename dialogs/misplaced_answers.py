"""An answer that fits another question than the one asked: kept for its own field, not thrown away.

Asked "När hände det?", people sometimes say where ("vid Ica Maxi parkeringen"). Read as a time it fails, and
read as a new message it dropped the draft; it is the place, so the draft keeps it and the time is asked again.
"""

from __future__ import annotations

from dialogs.nlu.places import find_place
from dialogs.nlu.slots import Words
from dialogs.observation_draft import Draft, Refusal, apply_answer
from domain.situation import Situation
from domain.text import words

MAX_PLACE_ANSWER_WORDS = 6  # "vid Ica Maxi parkeringen" is a place; a longer sentence may be a new entry
# Words that may stand around a place in an answer that is only the place ("det var vid Diö torg").
_PLACE_LEAD = frozenset({"vid", "pa", "i", "utanfor", "bakom", "framfor", "nara", "inne", "ute", "det", "var",
                         "hande", "borta", "nere", "uppe", "till", "mot", "hos", "inom", "under", "over"})


def place_instead_of_time(draft: Draft, answer: str, situation: Situation) -> Draft | None:
    """The draft with the place a short answer to "När hände det?" names instead of a time. None when the
    answer names no place, says more than a place ("krossad ruta på Linnéskolan": perhaps a new entry), or the
    draft already has a place."""
    if draft.place or len(words(answer)) > MAX_PLACE_ANSWER_WORDS:
        return None
    all_words = Words.of(answer)
    found = find_place(all_words, set(), situation.collaboration)
    if found is None:
        return None
    rest = words(f"{all_words.written(0, found.start)} {all_words.written(found.end, len(all_words))}")
    if any(word not in _PLACE_LEAD for word in rest):
        return None
    filled = apply_answer(draft, "place", found.text, situation)
    return None if isinstance(filled, Refusal) else filled
