"""Who is responsible, as people write it: me, a party, both, a unit of a party, a member, a named person.

"gemensamt" is both parties; "socialtjänsten" is the municipality with the unit kept (the collaboration file
lists each party's units); "Karin" is the member Karin Lund when she is the only Karin; "rektor Maria Lind"
is a person outside the bot, with her role kept. A member's full name wins over a party word inside it, so
"Olle Polis" is the member, not the police.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dialogs.nlu.slots import Words
from domain.text import fold

_PARTY_WORDS = {
    "mina": "me", "min": "me", "mitt": "me", "mig": "me", "jag": "me", "my": "me", "mine": "me", "me": "me",
    "polisen": "polis", "polisens": "polis", "polis": "polis", "police": "polis",
    "kommunen": "kommun", "kommunens": "kommun", "kommun": "kommun", "municipality": "kommun",
    "gemensamt": "gemensam", "gemensam": "gemensam", "gemensamma": "gemensam", "bada": "gemensam",
    "tillsammans": "gemensam", "joint": "gemensam", "both": "gemensam",
}
_FOR_ME = re.compile(r"\b(?:at mig|till mig|for mig|jag (?:fixar|gor det|kan ta|tar den|tar det|tar hand om)|to me"
                     r"|for me)\b|(?:^|, )(?:me|jag|mig)(?:,|$)")
_BOTH = re.compile(r"\b(?:kommunen och polisen|polisen och kommunen|kommun och polis|polis och kommun"
                   r"|bada parterna|bada parter)\b")
ROLES = frozenset("""
    rektor rektorn biträdande kurator kuratorn samordnare samordnaren fritidsledare fritidsledaren kommunpolis
    kommunpolisen lärare läraren mentor mentorn chef chefen enhetschef enhetschefen socialsekreterare
    skolsköterska skolsköterskan vaktmästare vaktmästaren fältassistent fältassistenten förvaltningschef
    säkerhetssamordnare områdespolis polisinspektör
""".split())
_ROLES_FOLDED = frozenset(fold(role) for role in ROLES)
_NOT_OWNER_AFTER = frozenset({"om", "att", "for", "med"})
# A unit after one of these is a place in the sentence ("vandring vid fritidsgården"), not who is responsible.
_PLACE_BEFORE = frozenset({"vid", "pa", "i", "for", "med", "fran", "hos", "utanfor", "bakom", "mot", "om"})


@dataclass(frozen=True)
class Owner:
    owner: str  # me, kommun, polis, gemensam, or a person's name
    unit: str | None = None
    role: str | None = None

    def slots(self) -> dict[str, str]:
        found = {"owner": self.owner}
        if self.unit:
            found["owner_unit"] = self.unit
        if self.role:
            found["owner_role"] = self.role
        return found


@lru_cache(maxsize=8)
def _units(config) -> tuple[tuple[tuple[str, ...], str, str], ...]:
    """(folded words, the unit as configured, party) for every party's units, longest first."""
    found = []
    for party in getattr(config, "parties", ()):
        for unit in getattr(party, "units", ()):
            words = tuple(Words.of(unit).folded)
            if words:
                found.append((words, unit, party.code))
    return tuple(sorted(found, key=lambda u: -len(u[0])))


def find_owner(words: Words, skip: set[int], member_names: tuple[str, ...] = (), config=None) -> Owner | None:
    folded = words.folded
    member = _member(words, member_names) or _member_by_first_name(words, member_names)
    if member is not None:
        return Owner(member)
    if _FOR_ME.search(" ".join(folded)):
        return Owner("me")
    person = _named_person(words) or _person_in_owner_place(words, member_names)
    if person is not None:
        return person
    if _both_parties(words, config):
        return Owner("gemensam")
    for index, word in enumerate(folded[:-1]):  # "polisen ska besöka skolorna": the subject does it
        if index not in skip and word in ("polisen", "kommunen") and folded[index + 1] in _MUST:
            return Owner(_PARTY_WORDS[word])
    if config is not None:
        for names, unit, party in _units(config):
            size = len(names)
            for index in range(len(folded) - size + 1):
                before = folded[index - 1] if index else ""
                here = tuple(folded[index:index + size])
                genitive = (*here[:-1], here[-1].removesuffix("s")) if here else here
                if index not in skip and names in (here, genitive) and before not in _PLACE_BEFORE:
                    return Owner(party, unit=unit)
    for index, word in enumerate(folded):
        if index not in skip and word in _PARTY_WORDS:
            return Owner(_PARTY_WORDS[word])
    return None


def _member(words: Words, member_names: tuple[str, ...]) -> str | None:
    """A member by full name, in any case; 'Annas' (genitive) too."""
    for name in member_names:
        parts = [fold(part) for part in name.split()]
        for index in range(len(words)):
            here = words.folded[index:index + len(parts)]
            genitive = [*here[:-1], here[-1].removesuffix("s")] if here else here
            if len(parts) > 1 and parts in (here, genitive):
                return name
    return None


def _member_by_first_name(words: Words, member_names: tuple[str, ...]) -> str | None:
    """A member by first name when no other member has it: capitalised, or after 'till', 'ansvarig', 'åt'."""
    for name in member_names:
        first = fold(name.split()[0])
        if sum(1 for other in member_names if fold(other.split()[0]) == first) != 1:
            continue
        for index, word in enumerate(words.folded):
            if word.removesuffix("s") != first and word != first:
                continue
            before = words.folded[index - 1] if index else ""
            if words.original[index][:1].isupper() or before in ("till", "ansvarig", "at", "ge", ","):
                return name
    return None


_OWNER_PLACE_BEFORE = frozenset({",", ":", "till", "at", "ansvarig", "ska", "ger", "ge", "har", "ar", "ansvarar",
                                 "star", "is", "does"})
_OWNER_PLACE_AFTER = frozenset({",", "ansvarar", "tar", "ska", "gor", "fixar", "har", "ansvarig", "ha", "pa", "kvar",
                                "for", "sen", "som", "inom", "nagra", "is"})
# What follows a genitive owner: "Annas försenade åtgärder", "Olles sena", "Karin Lunds öppna".
_AFTER_GENITIVE = ("atgard", "atg", "uppgift", "oppna", "sena", "forsenade", "klara", "avslutade", "pagaende")
_ROLE_ENDINGS = ("chef", "chefen", "samordnare", "samordnaren", "ekonom", "ekonomen", "kommunikator",
                 "kommunikatoren", "handlaggare", "handlaggaren", "strateg", "strategen", "utredare", "utredaren")


def _person_in_owner_place(words: Words, member_names: tuple[str, ...] = ()) -> Owner | None:
    """A person's name where an owner goes: ', Karin Lund,', 'till Karin', 'Maria Lind tar över …', with a role
    before it ('HR-chefen Lisa Strand') or after it in brackets kept. Names come from the first-name list."""
    original, folded = words.original, words.folded
    names = _first_names()
    for index, word in enumerate(original):
        nxt = folded[index + 1] if index + 1 < len(words) else ""
        if word.endswith("s") and word[:-1].capitalize() in names and nxt.startswith(_AFTER_GENITIVE):
            return Owner(word[:-1])  # "Annas åtgärder"
        if word not in names and word.capitalize() not in names:
            continue
        if sum(1 for member in member_names if fold(member.split()[0]) == folded[index]) > 1:
            continue  # "Per" when two members are called Per: the conversation asks which
        if not word[:1].isupper() and not (index and folded[index - 1] in ("till", "at", "ansvarig")) \
                and not (index == 0 and nxt in ("tar", "ansvarar", "ska")):
            continue
        end = index + 1
        if end < len(words) and original[end][:1].isupper() and original[end].isalpha() and end < len(words) \
                and folded[end] not in _NOT_SURNAMES:
            end += 1
        before = folded[index - 1] if index else ","
        role = None
        if index and (folded[index - 1] in _ROLES_FOLDED or folded[index - 1].endswith(_ROLE_ENDINGS)):
            role = original[index - 1]
            before = folded[index - 2] if index > 1 else ","
        after = folded[end] if end < len(words) else ","
        name = original[index:end]
        if len(name) == 2 and after.startswith(_AFTER_GENITIVE):
            name = [name[0], _without_genitive(name[1])]  # "Karin Lunds öppna åtgärder", "Olle Polis åtgärder"
            return Owner(" ".join(name), role=role)
        if before in _OWNER_PLACE_BEFORE or after in _OWNER_PLACE_AFTER or index == 0 and after in ("tar", "ska"):
            return Owner(" ".join(name), role=role)
    return None


_NOT_SURNAMES = frozenset({"polisen", "kommunen", "och"})
_MUST = frozenset({"ska", "skall", "bor", "maste", "behover", "tar", "ansvarar", "will", "should"})


def _without_genitive(surname: str) -> str:
    """'Lunds' → 'Lund', 'Anderssons' → 'Andersson'; a name that ends in a vowel and s takes no genitive s
    ('Olle Polis åtgärder'), nor does one in -ss ('Hess')."""
    if len(surname) > 3 and surname.endswith("s") and surname[-2].lower() not in "aeiouyåäös":
        return surname[:-1]
    return surname


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    from dialogs.privacy import first_names

    return first_names()


def _both_parties(words: Words, config) -> bool:
    """'kommunen och polisen', 'socialtjänsten + polisen', 'båda parter': the responsibility is joint."""
    if _BOTH.search(" ".join(words.folded)):
        return True
    sides = []
    for index, word in enumerate(words.folded):
        party = _PARTY_WORDS.get(word) if word in ("polisen", "polis", "kommunen", "kommun", "police") else None
        if index and words.folded[index - 1] in _PLACE_BEFORE:
            continue
        if party is None and config is not None:
            party = next((p for names, _, p in _units(config) if names == (word,)), None)
        if party in ("kommun", "polis"):
            sides.append((index, party))
    return any(b[0] - a[0] <= 3 and a[1] != b[1] and all(w in ("och", "samt", "and", ",") for w in
                                                          words.folded[a[0] + 1:b[0]])
               for a, b in zip(sides, sides[1:], strict=False))


def _named_person(words: Words) -> Owner | None:
    """'rektor Maria Lind', 'ansvarig: Maria Lind': a role or 'ansvarig' before a capitalised first and last name."""
    original, folded = words.original, words.folded
    for index, word in enumerate(folded):
        if word not in _ROLES_FOLDED and not word.startswith("ansvarig"):
            continue
        start = index + 1
        if start < len(words) and folded[start] in (":", "ar", "blir"):
            start += 1
        if start < len(words) and folded[start] in _ROLES_FOLDED:  # "ansvarig rektor Maria Lind"
            return _named_person(Words(original[start:], folded[start:]))
        name = original[start:start + 2]
        if len(name) == 2 and all(part[:1].isupper() and part[1:].islower() and part.isalpha() for part in name) \
                and folded[start] not in _NOT_OWNER_AFTER:
            role = original[index] if word in _ROLES_FOLDED else None
            after = folded[start + 2] if start + 2 < len(words) else ""
            if after.startswith(_AFTER_GENITIVE):  # "rektor Maria Linds åtgärder"
                name = [name[0], _without_genitive(name[1])]
            return Owner(" ".join(name), role=role)
    return None
