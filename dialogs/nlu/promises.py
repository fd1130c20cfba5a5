"""Reading what is said about the citizen promises (medborgarlöften): a new one, an action linked to one or
unlinked from it, one promise asked about by its number.

A promise is named by a word and its number ("medborgarlöfte 1", "löfte nr 2"); that number is never an
action's, so "visa medborgarlöfte nr 1" is not action #1.
"""

from __future__ import annotations

import re

from dialogs.nlu.reading import Understanding
from dialogs.nlu.slots import Words, find_ref

_PROMISE_WORD = re.compile(r"(?:medborgar)?lofte(?:t|n|na)?|promise")
_NUMBER_LEAD = frozenset({"nr", "nummer", "no"})
_YEAR = re.compile(r"20\d\d")  # "medborgarlöftet 2026" is the year's promise, not promise number 2026
# "nytt medborgarlöfte: …", "lägg till ett medborgarlöfte om …", "skapa löfte: …"
_CREATE = re.compile(r"^(?:kan du |jag vill |vi vill |vill )?(?:ny|nytt|skapa|lagga? till|lagga? in|lagga? upp"
                     r"|registrera|spara|new|create|add)\s+(?:ett\s+|en\s+)?(?:nytt\s+|new\s+)?(?:medborgarlofte|lofte"
                     r"|citizen promise|promise)\b")
_UNLINK = re.compile(r"\b(?:koppla (?:bort|loss|ifran)|ta bort|ta ut|lyft (?:ut|bort)|stryk|unlink|remove"
                     r"|(?:hor|ingar) inte (?:\w+ )?(?:till|under|i)|inte (?:langre )?(?:vara )?(?:kopplad|hora|ga))\b")
_LINK = re.compile(r"\b(?:koppla\w*|knyt\w*|lanka\w*|link\w*|hor (?:till|under|ihop med)|tillhor|ingar i"
                   r"|lagg (?:\S+ )?(?:under|till|i)|flytta (?:\S+ )?till|for (?:\S+ )?till|ska hora till"
                   r"|kopplas|hora till|ga under)\b")
_TITLE = re.compile(r"(?i)\b(?:medborgarl[öo]fte|l[öo]fte|citizen promise|promise)\w*(?P<rest>.*)$")
# Words between the promise and what it says, when no colon separates them: "… om att minska klottret".
_TITLE_LEAD = re.compile(r"(?i)^(?:(?:som lyder|om att|om|att|med texten|med rubriken)\b)?\s*")


def promise_number(words: Words) -> tuple[str, set[int]] | None:
    """The number after a promise word ("medborgarlöfte 1", "löfte nr 2", "medborgarlöftet #3") and its words."""
    folded = words.folded
    for index, word in enumerate(folded):
        if not _PROMISE_WORD.fullmatch(word):
            continue
        at = index + 1
        if at < len(folded) and folded[at] in _NUMBER_LEAD:
            at += 1
        if at < len(folded) and re.fullmatch(r"#?\d{1,4}", folded[at]) and not _YEAR.fullmatch(folded[at]):
            return folded[at].lstrip("#"), set(range(index, at + 1))
    return None


# What a question about one promise says besides the promise: "hur går det med medborgarlöfte 1?".
_ASKING = frozenset("""
    visa hur gar det med status for pa kolla om ligger vi till uppfoljning av lage laget tack kan du jag fa se
    lista vad har hant i ar var nu vilka vilken atgarder hor ingar kopplade finns gjort gors show how is the
    , : ; ! ?
""".split())


def asks_about_one_promise(clean: str) -> bool:
    """'medborgarlöfte 1', 'hur går det med löfte nr 2?': one promise asked about by number, nothing else."""
    words = Words.of(clean)
    number = promise_number(words)
    return number is not None and all(word in _ASKING for i, word in enumerate(words.folded) if i not in number[1])


def names_a_promise(words: Words) -> bool:
    return any(_PROMISE_WORD.fullmatch(word) for word in words.folded)


def action_ref(words: Words, promise: set[int], *, loose: bool = False) -> str | None:
    """The action's number, never the promise's: '#12', 'åtgärd 12', and when ``loose`` a lone other number."""
    kept = Words([w for i, w in enumerate(words.original) if i not in promise],
                 [w for i, w in enumerate(words.folded) if i not in promise])
    found = find_ref(kept, loose=loose)
    return found[0] if found else None


def title_of(clean: str) -> str | None:
    """The promise as written after its word: 'nytt medborgarlöfte: Vi ska …' → 'Vi ska …', 'lägg till ett
    medborgarlöfte om att minska klottret' → 'Minska klottret'."""
    match = _TITLE.search(clean)
    if match is None:
        return None
    rest = match["rest"].strip()
    separated = re.search(r"^[:\-–]|[:?]\s", rest)  # "… för 2027: Vi ska …", "… till invånarna? Fler …"
    if separated:
        rest = rest[separated.end():]
    else:
        rest = _TITLE_LEAD.sub("", rest)
    rest = rest.strip(" \"'”“.:;,-–")
    return rest[:1].upper() + rest[1:] if rest else None


def read_create(clean: str) -> Understanding:
    title = title_of(clean)
    return Understanding("create_promise", {"title": title} if title else {})


def read_link(words: Words, folded: str, intent: str | None = None, *, loose: bool = False) -> Understanding:
    """'koppla #12 till medborgarlöfte 1', 'koppla bort #12 från medborgarlöfte 1' (``intent`` when known)."""
    number = promise_number(words)
    ref = action_ref(words, number[1] if number else set(), loose=loose)
    intent = intent or ("unlink_promise" if _UNLINK.search(folded) else "link_promise")
    slots = {key: value for key, value in (("ref", ref), ("promise", number[0] if number else None)) if value}
    return Understanding(intent, slots)


def read_show(words: Words) -> Understanding:
    number = promise_number(words)
    return Understanding("show_promises", {"promise": number[0]} if number else {})


def promise_reading(words: Words, folded: str, clean: str) -> Understanding | None:
    """Creating a promise or linking an action to one, which the words say exactly; or None. A promise's
    number that the action readers would take for an action's ("medborgarlöfte nr 1") reads as the promise."""
    if _CREATE.match(folded):
        return read_create(clean)
    if not names_a_promise(words):
        return None
    number = promise_number(words)
    linking = bool(_LINK.search(folded) or _UNLINK.search(folded))
    # with a link word, a bare number is the action's: "koppla bort 11 från löfte 2"
    ref = action_ref(words, number[1] if number else set(), loose=linking)
    if ref is not None and linking:
        return read_link(words, folded, loose=True)
    if number is not None and ref is None and find_ref(words) is not None:
        return read_show(words)
    return None
