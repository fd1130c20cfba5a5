"""Normalising what people type: glued forms ("imorn", "igar"), English, ordinals, dashes."""

from __future__ import annotations

import re

from dialogs.nlu.text import fold

# --- normalising -------------------------------------------------------------------------------------

_GLUED = [
    (r"\bi ?gar\b", "igar"), (r"\bi ?(?:morgon|morn|morrn|morron)\b", "imorgon"), (r"\bi ?dag\b", "idag"),
    (r"\bi ?kvall\b", "ikvall"), (r"\bi ?natt\b", "inatt"), (r"\bi ?morse\b", "imorse"),
    (r"\bi ?forrgar\b", "iforrgar"), (r"\bi ?overmorgon\b", "iovermorgon"),
    (r"\bklockan\b", "kl"), (r"\bkl\.", "kl "), (r"\bvecka ?(?=\d)", "v "), (r"\bv\. ?", "v "),
    (r"\bv(\d)", r"v \1"), (r"\bkl ?([012]\d)([0-5]\d)\b", r"kl \1:\2"),
    # Abbreviations and everyday forms of parts of the day.
    (r"\b(?:em|e\.m\.?)(?=\s|$)", "eftermiddag"), (r"\b(?:fm|f\.m\.?)(?=\s|$)", "formiddag"),
    (r"\befter lunch(?:en)?\b", "eftermiddag"), (r"\bi eftermiddags\b", "idag eftermiddag"),
    (r"\bi formiddags\b", "idag formiddag"), (r"\btidigare (?:idag|i dag)\b", "idag"),
    (r"\bi helgen som var\b", "forra helgen"), (r"\btill veckan\b", "nasta vecka"),
    (r"\bnasta vecka (mandag|tisdag|onsdag|torsdag|fredag|lordag|sondag)(?:en)?\b", r"\1 nasta vecka"),
]
# "ca 22-tiden", "runt halv åtta", "vid ungefär 7.30": an approximate time is read as that time, and shown.
_APPROXIMATE = re.compile(r"\b(?:ca\.?|cirka|circa|ungefar|omkring|runt|typ|kring|about|around)(?=\s|$)")


# English, mapped onto the Swedish forms read below (the intents are understood in English too).
_ENGLISH = [
    (r"\btoday\b", "idag"), (r"\byesterday\b", "igar"), (r"\btomorrow\b", "imorgon"),
    (r"\btonight\b", "ikvall"), (r"\blast night\b", "inatt"), (r"\bthis morning\b", "imorse"),
    (r"\bthis evening\b", "ikvall"),
    (r"\bthis week\b", "denna vecka"), (r"\bnext week\b", "nasta vecka"), (r"\blast week\b", "forra veckan"),
    (r"\bthis month\b", "denna manad"), (r"\bnext month\b", "nasta manad"), (r"\blast month\b", "forra manaden"),
    (r"\bthis year\b", "i ar"), (r"\blast year\b", "i fjol"), (r"\bnext year\b", "nasta ar"),
    (r"\b(?:this |the )?weekend\b", "helgen"), (r"\blast (?=[a-z]+day\b)", "i "), (r"\bon (?=[a-z]+day\b)", "pa "),
    (r"\bnext (?=[a-z]+day\b)", "nasta "), (r"\bat (?=\d)", "kl "), (r"\bweek (?=\d)", "v "),
    (r"\bin (\w+) (day|days)\b", r"om \1 dagar"), (r"\bin (\w+) (week|weeks)\b", r"om \1 veckor"),
    (r"\bin (\w+) (month|months)\b", r"om \1 manader"), (r"\bin (\w+) (hour|hours)\b", r"om \1 timmar"),
    (r"\bin (\w+) (minute|minutes)\b", r"om \1 minuter"), (r"\b(\w+) (day|days) ago\b", r"for \1 dagar sedan"),
    (r"\b(\w+) (week|weeks) ago\b", r"for \1 veckor sedan"), (r"\b(\w+) (hour|hours) ago\b", r"for \1 timmar sedan"),
    (r"\ban hour ago\b", "for en timme sedan"), (r"\bin an hour\b", "om en timme"),
    (r"\bin (?=[a-z]+$)", "i "), (r"\bevening\b", "kvall"), (r"\bmorning\b", "morgon"),
    (r"\bafternoon\b", "eftermiddag"), (r"\bnight\b", "natt"), (r"\bbefore christmas\b", "fore jul"),
    (r"\bchristmas eve\b", "julafton"), (r"\bchristmas\b", "jul"), (r"\bmidsummer\b", "midsommar"),
    (r"\bend of the month\b", "i slutet av manaden"), (r"\bone\b", "en"), (r"\btwo\b", "tva"),
    (r"\bthree\b", "tre"),
]


def normalise(text: str) -> str:
    folded = fold(text)
    folded = re.sub(r"[,!?;]", " ", folded)
    for pattern, replacement in _ENGLISH:
        folded = re.sub(pattern, replacement, folded)
    folded = re.sub(r"(?<=\d):(?:e|a)\b", "", folded)  # "3:e", "1:a"
    folded = _APPROXIMATE.sub(" ", folded)
    for pattern, replacement in _GLUED:
        folded = re.sub(pattern, replacement, folded)
    folded = re.sub(r"\s*[-\u2010-\u2015\u2212]\s*", "-", folded)  # hyphen, en and em dash, minus
    return " ".join(folded.split()).strip(" .")


