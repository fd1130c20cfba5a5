"""Names in what a user writes: a person's full name in any case, and a first name that points at one child.

People do not write names in Title Case in a chat: "elsa karlsson i 7b", "ELSA KARLSSON", "eleven elsa". A full
name is a known first name next to a surname; written in Title Case any surname-like word will do (as before),
in lower case or capitals only a known surname or a surname's ending (-sson, -berg, -ström …), since "anna
gick" must pass. A first name alone is no one, but next to a class, an age, a school or a word like "eleven" it
points at one child, whom the log must never name. First names that are everyday words in lower case ("per",
"bo", "klara", "max") count there only when written with a capital inside a sentence.

Pure, and like ``dialogs.privacy`` it only answers whether: the matched text goes nowhere.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import cache
from importlib import resources

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_NAME_GAP = re.compile(r"[ \t\u00a0]{1,3}")
_SAINT_BEFORE = re.compile(r"(?:\bsankt|\bs:t|\bs:ta|\bst\.?|\bsanta)[ \u00a0]+$", re.IGNORECASE)
# Second words that make "Förnamn X" a place or an organisation: Haganässkolan, Gustav Adolfskyrkan, Maria Ungdom.
_PLACE_SUFFIXES = (
    "skolan", "skolans", "skola", "gatan", "gata", "vägen", "väg", "torget", "torg", "parken", "park", "plan",
    "planen", "platsen", "plats", "gården", "hallen", "centrum", "kyrkan", "kyrka", "stationen", "station",
    "området", "biblioteket", "badet", "huset", "hamnen", "gymnasiet", "kommun", "kommunen", "församling",
    "mottagningen", "mottagning", "ungdom", "stadion", "arenan", "vallen", "backen", "stigen", "gränd", "allé",
    "hult", "ryd", "torp", "köping",  # place names: Max Älmhult is a restaurant, not a person
    "restaurang", "restaurangen", "pizzeria", "bageri", "bageriet", "butik", "butiken", "teatern", "hotell",
    "hotellet", "burgers",
)
# Words that follow a first name but are not surnames: "Bo Tryggt", weekdays and months written as headings.
_NOT_SURNAME = frozenset("""
    tryggt trygg tillsammans sverige polis polisen stad län kyrka skola förskola stiftelsen stiftelse fonden
    pub bar café cafe kiosk bio grill salong livs
    måndag tisdag onsdag torsdag fredag lördag söndag januari februari mars april maj juni juli augusti
    september oktober november december och eller
""".split())
# A lowercase place noun after "Förnamn Efternamns" makes the pair a street or building: "Karl Johans gata".
_PLACE_NOUNS = frozenset("""
    gata gatan väg vägen torg torget plats platsen park parken skola skolan kyrka kyrkan gård gården backe
    backen gränd allé stig stigen plan bro bron hall hallen kapell kapellet församling minne gymnasium gymnasiet
""".split())
# First names that are everyday Swedish words (or abbreviations) in lower case: "två per klass", "bo i lund",
# "klara sig", "max 14 år", "1 tim", "i dan", "tom lokal", "lisa för själen".
_COMMON_WORDS = frozenset("""
    bo björn dan max per sam sten stig tim tom jan frank jack edit iris klara liv saga tea lova karl
    ivar siri sami said axel viola signe
""".split())
# Surname endings recognised without a list, in any case: Karlsson, Lindberg, Åström, Lundgren, Bergqvist.
_SURNAME_ENDING = re.compile(r"[^\W\d_]{2,}(?:sson|berg|ström|gren|kvist|qvist|lund|holm|dahl|blad|stedt)s?")
# Words that make a nearby first name one child's: a pupil, a boy, a girl, a sibling.
_CHILD_NOUNS = re.compile(
    r"(?<![^\W_])(?:elev(?:en)?|kille(?:n)?|tjej(?:en)?|pojke(?:n)?|flicka(?:n)?|grabb(?:en)?|barnet|sonen|dottern"
    r"|brorsan|brodern|systern|syrran|lille?bror(?:n|san)?|lillasyster(?:n)?|storebror(?:n|san)?"
    r"|storasyster(?:n)?|kompisen|ungen|tonåring(?:en)?)(?![^\W_])", re.IGNORECASE)
# A school after a preposition: "elsa på haganässkolan" (a name inside the school's name, "Elsa Beskows skola",
# has no preposition between).
_SCHOOL = re.compile(r"(?<![^\W_])(?:på|i|vid|från|till|ur)[ \u00a0]+[^\W\d_]*(?:skolan|skola|gymnasiet|gymnasium)"
                     r"(?![^\W_])", re.IGNORECASE)
# A class written as a year ("åk 7", "årskurs 8", "7:an", "9an"); "7b" and "klass 7c" come from dialogs.privacy.
_YEAR_CLASS = re.compile(r"(?<![^\W_])(?:(?:årskurs|åk)\.?[ \u00a0]*[0-9]|[0-9]:?an)(?![^\W_])", re.IGNORECASE)
# What may stand between a first name and its cue: "elias i 7b", "elsa som går på …", "en elev vid namn elsa".
_LINKERS = frozenset("i på från ur vid som går gick heter hette kallas kallad namn och".split())
_GAP_TOKEN = re.compile(r"[^\W_]+|[^\s,;:()\-–]")
_MAX_AFTER_NAME = 3  # "elsa som går på Linnéskolan"
_MAX_BEFORE_NAME = 3  # "en elev vid namn elsa"


@cache
def first_names() -> frozenset[str]:
    """The vendored first-name list (dialogs/data/fornamn.txt), read once, spelled as written."""
    return frozenset(_read_list("fornamn.txt"))


@cache
def _folded_first_names() -> frozenset[str]:
    return frozenset(name.casefold() for name in first_names())


@cache
def surnames() -> frozenset[str]:
    """The vendored surname list (dialogs/data/efternamn.txt), case-folded."""
    return frozenset(name.casefold() for name in _read_list("efternamn.txt"))


def _read_list(name: str) -> list[str]:
    text = resources.files("dialogs").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def has_full_name(text: str, allowed_names: Iterable[str] = ()) -> bool:
    """A first name directly followed by a surname, in Title Case or in any case, that is not an allowed
    person (a member) nor part of a place's name ("Karl Johans gata", "sven ljungbergs väg")."""
    names, folded_names = first_names(), _folded_first_names()
    words = list(_WORD.finditer(text))
    capitalised = [w for w in words if w.group()[0].isupper()]
    capital_index = {w.start(): i for i, w in enumerate(capitalised)}
    allowed: list[list[str]] | None = None
    for first, second in zip(words, words[1:], strict=False):
        if not _adjacent(text, first, second):
            continue
        written, other = first.group(), second.group()
        if written[0].isupper() and other[0].isupper() and _is_first_name(written, names) \
                and _looks_like_surname(other):
            if _names_a_place(text, capitalised, capital_index[second.start()]):
                continue  # Karl Johans gata, Per Albin Hanssons väg, Gustav Adolfskyrkan
        elif _is_first_name(written.casefold(), folded_names) and written.casefold() not in _COMMON_WORDS \
                and _known_surname(other):
            if _names_a_place_any_case(text, second):
                continue  # sven ljungbergs väg, olof palmes plats
        else:
            continue
        if _SAINT_BEFORE.search(text, max(0, first.start() - 12), first.start()):
            continue  # Sankt Lars, S:t Sigfrid: a church or a parish
        if allowed is None:
            allowed = [re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", str(name).casefold()) for name in allowed_names]
        if _allowed(written, other, allowed):
            continue
        return True
    return False


def _known_surname(word: str) -> bool:
    """A listed surname or a surname's ending, in any case, also in the genitive or double ("svensson-ek")."""
    folded = word.casefold()
    if folded in _NOT_SURNAME or folded.endswith(_PLACE_SUFFIXES):
        return False
    parts = folded.split("-")
    if len(parts) > 1 and (any(part[:1].islower() for part in word.split("-")[1:]) and word[0].isupper()
                           or parts[-1].endswith(_COMPOUND_ENDINGS)):
        return False  # "Lindh-dagen", "lindh-dagen": a compound noun; "svensson-ek" is a name
    listed = surnames()
    return any(part in listed or (part.endswith("s") and part[:-1] in listed) or _SURNAME_ENDING.fullmatch(part)
               for part in parts)


_COMPOUND_ENDINGS = ("en", "et", "an", "na")


def _names_a_place_any_case(text: str, surname: re.Match[str]) -> bool:
    """"sven ljungbergs väg", "olof palmes plats": a surname in the genitive before a place noun."""
    match = _NEXT_WORD.match(text, surname.end())
    return surname.group().casefold().endswith("s") and match is not None and \
        match.group(1).casefold() in _PLACE_NOUNS


def names_a_child(text: str, cues: Iterable[tuple[int, int]] = ()) -> bool:
    """A first name, in any case, next to what makes it one child's: ``cues`` (classes and school ages found by
    the caller), a year class, a school after a preposition, or a word such as "eleven" or "killen"."""
    names = _folded_first_names()
    spans = sorted([*cues, *(m.span() for pattern in (_CHILD_NOUNS, _SCHOOL, _YEAR_CLASS)
                             for m in pattern.finditer(text))])
    if not spans:
        return False
    starts, ends = [start for start, _ in spans], sorted(end for _, end in spans)
    for word in _WORD.finditer(text):
        written = word.group()
        folded = written.casefold()
        if not _is_first_name(folded, names):
            continue
        if folded in _COMMON_WORDS and not (written[0].isupper() and not _starts_sentence(text, word.start())):
            continue
        after = bisect_left(starts, word.end())
        if after < len(starts) and _linked(text[word.end():starts[after]], _MAX_AFTER_NAME):
            return True
        before = bisect_right(ends, word.start()) - 1
        if before >= 0 and _linked(text[ends[before]:word.start()], _MAX_BEFORE_NAME):
            return True
    return False


def _starts_sentence(text: str, index: int) -> bool:
    before = text[:index].rstrip(" \t\u00a0\"”'(-–")
    return not before or before[-1] in ".!?:\n"


def _linked(gap: str, most: int) -> bool:
    """A gap of at most ``most`` linking words and commas, within one sentence."""
    if len(gap) > 60 or any(ch in gap for ch in ".!?\n"):
        return False
    tokens = _GAP_TOKEN.findall(gap)
    return len(tokens) <= most and all(token.casefold() in _LINKERS for token in tokens)


def _is_first_name(word: str, names: frozenset[str]) -> bool:
    return word in names or ("-" in word and all(part in names for part in word.split("-")))


def _looks_like_surname(word: str) -> bool:
    """Capitalised, not an acronym, not a place or venue; "Lindh-dagen" is a compound noun, "Svensson-Ek" a name."""
    if len(word) < 2 or not word[0].isupper() or word.isupper() or not any(ch.islower() for ch in word):
        return False
    if any(part[:1].islower() for part in re.split(r"[-'’]", word)[1:]):
        return False
    folded = word.casefold()
    return folded not in _NOT_SURNAME and not folded.endswith(_PLACE_SUFFIXES)


def _allowed(first: str, last: str, allowed: list[list[str]]) -> bool:
    """True when the two words stand next to each other, in either order, in one of the allowed names.

    A genitive counts as the name ("Anna Svenssons rapport"), and so does "Svensson, Anna".
    """
    first, last = first.casefold(), last.casefold()
    for words in allowed:
        for a, b in zip(words, words[1:], strict=False):
            if (a == first and last in (b, b + "s")) or (a == last and b == first):
                return True
    return False


def _adjacent(text: str, left: re.Match[str], right: re.Match[str]) -> bool:
    return _NAME_GAP.fullmatch(text, left.end(), right.start()) is not None


_NEXT_WORD = re.compile(r"[ \t\u00a0]{1,3}([^\W\d_]+)")
_MAX_NAME_WORDS = 4


def _names_a_place(text: str, words: list[re.Match[str]], i: int) -> bool:
    """Whether the capitalised run from words[i] on ends in a place: a place noun after it, or a place suffix."""
    last = min(len(words), i + _MAX_NAME_WORDS)
    while True:
        if words[i].group().casefold().endswith(_PLACE_SUFFIXES):
            return True
        match = _NEXT_WORD.match(text, words[i].end())
        if match and match.group(1).casefold() in _PLACE_NOUNS:
            return True
        if i + 1 >= last or not _adjacent(text, words[i], words[i + 1]):
            return False
        i += 1
