"""Places as people write them: the whole noun phrase, helped by the municipality's own list of places.

"vid ica maxi parkeringen" is one place, not "ica"; "busshållplatsen i Diö" keeps its village. The
collaboration file's ``[[places]]`` (schools, villages, squares, stations, with synonyms) are found in any
case anywhere in the message; other places are read after a preposition as the run of words that names
something, up to a time, a verb or the end of the clause. What is returned is what the user wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dialogs.nlu.lexicon import lemma
from dialogs.nlu.slots import _TIME_STARTERS, Words
from domain.text import fold

MAX_PLACE_WORDS = 6
_PREPOSITIONS = frozenset({"pa", "vid", "utanfor", "framfor", "bakom", "nara", "i", "invid", "mellan", "langs",
                           "utmed", "innanfor", "ovanfor", "under", "kring", "runt", "over", "at", "near", "outside",
                           "in", "on", "by", "around", "behind"})
_ENGLISH_PREPOSITIONS = frozenset({"at", "near", "outside", "in", "on", "by", "around", "behind"})
# Words a place name does not run into: function words, pronouns, common verbs and adverbs, quantities.
_STOP = frozenset("""
    och eller men som nar dar att for med till fran efter om av ut in upp ner igen ocksa aven bara just
    redan nu sen da har hade ar var blir blev kan ska skall vill maste har det den de en ett vi jag du han hon
    man dem oss mig sig sin sitt sina varje flera manga nagra alla mycket lite fler ofta ibland alltid
    samlas samlades hange hanger hangde stod star sitter satt brakar brakade ser sag syns hittade hittades
    finns fanns kom kommer gick gar langer langde rokte roker dricker drack slogs slass sprang springer
    efterat tidigare senare igar idag imorgon ikvall inatt imorse personal personalen elever eleverna
    ungdomar unga vuxna polisen kommunen grupp gang tva tre fyra fem sex sju atta nio tio cirka ca
    pga grund samband form vag forhallande princip stort ovrigt stallet tiden tillfallet natten kvallen
    helgen morgonen lunchen rasten rasterna raster skoltid skoltiden sent tidigt overallt dagligen kvallarna
    natterna helgerna
    morgnarna morgnar kvallar natter helger vardagar vardag enligt hos bland inom genom utan trots via per mot
    ngt nat nagot nagon nan hela istallet nastan sistone sa far fick sager sagt tycker tror
    the a an and at with lately recently again today yesterday tonight last this every
    monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays thursdays fridays
    saturdays sundays weekend weekends night nights morning mornings evening evenings afternoon until late early
    during after before into from for of to
""".split())
# "vid busshållplatsen i Diö": a second place joined by one of these stays part of the first.
_HOUSE_NUMBER = re.compile(r"\d{1,4}[a-z]?")
_NUMBERED_STREETS = ("gatan", "gata", "vagen", "vag", "grand", "granden", "alle", "allen", "backe", "backen",
                     "stig", "stigen", "leden", "torget", "torg")
_JOINERS = frozenset({"i", "vid", "pa", "utanfor", "bakom", "langs", "framfor", "mellan", "och", "under", "till",
                      "mot", "av"})
# "bussen från Pjätteryd till Haganässkolan": a route belongs to the vehicle.
_VEHICLES = ("buss", "bussen", "taget", "skolskjuts", "skolskjutsen", "skolbussen", "pendeln", "nattbussen")
_TIME_COMPOUND = re.compile(r"(?:mandag|tisdag|onsdag|torsdag|fredag|lordag|sondag|helg|vardag|var|host|sommar"
                            r"|vinter)s?(?:kvall|natt|morgon|eftermiddag|formiddag|nat|helg)"
                            r"|^(?:mandag|tisdag|onsdag|torsdag|fredag|lordag|sondag)(?:ens|s)$|mote(?:t|n)?$")
_IDIOMS = re.compile(r"^(?:pa grund av|pa plats|pa vag|pa nytt|i samband med|i form av|i stort|i ovrigt|i tid"
                     r"|i narheten|i fraga|i princip|i stallet|i sa fall|pa riktigt|vid tillfallet|vid behov)\b")


@dataclass(frozen=True)
class PlaceMatch:
    text: str
    start: int
    end: int


@lru_cache(maxsize=8)
def gazetteer(config) -> tuple[tuple[tuple[str, ...], str], ...]:
    """The configured places and their synonyms as folded word tuples, longest first."""
    entries = []
    for place in getattr(config, "places", ()):
        for name in (place.name, *place.synonyms):
            words = tuple(Words.of(name).folded)
            if words:
                entries.append((words, place.name))
    return tuple(sorted(entries, key=lambda e: -len(e[0])))


@lru_cache(maxsize=8)
def _by_opening(config) -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """The gazetteer by the first four letters of its first word, longest names first: a message's word can
    only begin a place whose name opens as it does."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for names, canonical in gazetteer(config):
        index.setdefault(names[0][:4], []).append((names, canonical))
    return {key: tuple(entries) for key, entries in index.items()}


def _known_entry(words: Words, index: int, config) -> tuple[int, str | None]:
    """The end of a configured place starting at ``index`` and its name, or ``(index, None)`` when none does."""
    for names, canonical in _by_opening(config).get(words.folded[index][:4], ()):
        size = len(names)
        here = words.folded[index:index + size]
        if len(here) == size and all(w == n or (k == size - 1 and w.startswith(n) and len(n) >= 4)
                                     for k, (w, n) in enumerate(zip(here, names, strict=True))):
            return index + size, canonical
    return index, None


def _known_at(words: Words, index: int, config) -> int:
    """The end of a configured place starting at ``index``, or ``index`` when none does."""
    return _known_entry(words, index, config)[0]


def canonical_key(text: str, config) -> str:
    """The folded words of a place with each configured place in it named as the municipality names it:
    "toaletten på elme" and "Elmeskolan" group and search alike ("toaletten pa elmeskolan", "elmeskolan")."""
    found = Words.of(text)
    out: list[str] = []
    index = 0
    while index < len(found):
        end, canonical = _known_entry(found, index, config) if config is not None else (index, None)
        if canonical is not None:
            out.extend(Words.of(canonical).folded)
            index = end
        else:
            out.append(found.folded[index])
            index += 1
    return " ".join(out)


def find_place(words: Words, skip: set[int], config=None) -> PlaceMatch | None:
    """The place the message is surest of: the first phrase after a preposition that names a place, known
    ("vid stationen"), proper ("vid Systembolaget") or a kind of place ("vid parkeringen"), where a known or
    proper place close after a kind of place wins ("klotter på toaletterna igen på Linnéskolan"); else a
    configured place anywhere; else the first phrase after a preposition."""
    generic = weak = None
    for first, end in _after_prepositions(words, skip, config):
        start = _narrowed(words, _noun_before(words, first, skip), end, config)
        if _names_a_place(words, start, end, config, proper=True):
            if generic is not None and not _close(words, generic.end, start):
                return generic
            return _match(words, start, end)
        if generic is None and (start < first or _names_a_place(words, first, end, config, proper=False)):
            generic = _match(words, start, end)
        weak = weak or _match(words, first, end)
    return generic or _anywhere(words, skip, config) or weak


def _narrowed(words: Words, start: int, end: int, config) -> int:
    """Where the place in a phrase starts: "taket på Paradisskolan", "bombhot mot Linnéskolan", "bilar vid
    rondellen": a thing or an event joined to a place is what happened there, not part of the place's name.
    "datasalen på Haganässkolan" and "Lidl-parkeringen" keep their words: they name a place already."""
    for joiner in range(start + 1, end - 1):
        if words.folded[joiner] not in _NARROWING_JOINERS:
            continue
        if _names_a_place(words, start, joiner, config, proper=False):
            return start
        after = joiner + 1
        if _names_a_place(words, after, after + 1, config, proper=False):
            return after
        return start
    return start


_NARROWING_JOINERS = _JOINERS - {"och"}  # "gång- och cykelvägen" is one place


def _close(words: Words, end: int, start: int) -> bool:
    """Two phrases in one breath: a few words apart and no comma between."""
    return start - end <= 3 and "," not in words.folded[end:start]


def _match(words: Words, start: int, end: int) -> PlaceMatch:
    return PlaceMatch(words.written(start, end), start, end)


def _after_prepositions(words: Words, skip: set[int], config):
    """(first, end) of each phrase after a preposition, in order."""
    folded = words.folded
    for index, word in enumerate(folded):
        if word not in _PREPOSITIONS or index + 1 >= len(words) or index + 1 in skip:
            continue
        if _IDIOMS.match(" ".join(folded[index:index + 4])):
            continue
        first = index + 1
        if word in _ENGLISH_PREPOSITIONS and folded[first] == "the" and first + 1 < len(words):
            end = _english_phrase_end(words, first + 1, skip, config)  # "at the train station"
            if end > first + 1:
                yield first, end
            continue
        end = _phrase_end(words, first, skip, config, capital_after_i=(word in ("i", "in")))
        if end > first:
            yield first, end


def _english_phrase_end(words: Words, first: int, skip: set[int], config) -> int:
    """'the bus station', 'the parking lot at ICA Maxi': English words, read without Swedish verb forms (the
    lemmatizer takes 'bus' for 'busa'), up to a function word, a time or a preposition that names no place."""
    folded, end = words.folded, first
    while end < len(words) and end - first < MAX_PLACE_WORDS and end not in skip:
        word = folded[end]
        joined = end + 1
        names = joined < len(words) and (words.original[joined][:1].isupper() or
                                         config is not None and _known_at(words, joined, config) > joined)
        if word in _ENGLISH_PREPOSITIONS and names and joined not in skip and folded[joined] not in _TIME_STARTERS \
                and folded[joined] not in _STOP:  # "at the school on Fridays"
            end += 2
            continue
        if word in _STOP or word in _TIME_STARTERS or word in _ENGLISH_PREPOSITIONS or not word.isalpha():
            break
        end += 1
    return end


def _names_a_place(words: Words, start: int, end: int, config, proper: bool) -> bool:
    """``proper``: a configured place or a proper name ("vid Systembolaget"); else a kind of place too."""
    for index in range(start, end):
        if config is not None and _known_at(words, index, config) > index:
            return True
        if index > 0 and words.original[index][:1].isupper() and words.folded[index] not in _NOT_PLACES:
            return True
        if not proper and _place_noun(words.folded[index]):
            return True
    return False


def _noun_before(words: Words, first: int, skip: set[int]) -> int:
    """'Fotbollsplanen i Göteryd', 'cykelstället vid resecentrum': a kind of place just before the
    preposition is the place, narrowed by what follows."""
    before = first - 2
    if before >= 0 and before not in skip and _place_noun(words.folded[before]) and \
            not words.folded[before].endswith(_VEHICLES):  # 'skolbuss vid Diö' is a bus, not a place
        return before
    return first


def _anywhere(words: Words, skip: set[int], config) -> PlaceMatch | None:
    """A configured place anywhere, or a kind of place written without a preposition."""
    folded = words.folded
    for index in range(len(folded)):
        if index in skip:
            continue
        end = _known_at(words, index, config) if config is not None else index
        if end == index and _place_noun(folded[index]) and _nameable(words, index) and (
                index > 0 or _joins_a_place(words, index + 1, config)):
            end = index + 1  # a fragment without a preposition: "fylla stortorget lör natt", "skolan i Pjätteryd"
        if end > index and not any(i in skip for i in range(index, end)):
            end = _extend(words, end, skip, config)
            return _match(words, index, end)
    return None


def _phrase_end(words: Words, first: int, skip: set[int], config, capital_after_i: bool) -> int:
    """Where the place phrase starting at ``first`` ends (``first`` itself when there is none)."""
    folded, original = words.folded, words.original
    if config is not None:
        known = _known_at(words, first, config)
        if known > first:
            return _extend(words, known, skip, config)
    head = folded[first]
    if not _nameable(words, first):
        return first
    if capital_after_i and not original[first][:1].isupper() and not _place_noun(head) \
            and not _joins_a_place(words, first + 1, config):
        return first  # "i diö" is a place when the municipality lists it; "i skolan", "i förrådet på X" are too
    end = first + 1
    vehicle = head.endswith(_VEHICLES)
    while end < len(words) and end - first < MAX_PLACE_WORDS and end not in skip:
        word = folded[end]
        joiners = _JOINERS | ({"fran", "till", "mot"} if vehicle else set())
        if word in joiners and end + 1 < len(words) and end + 1 not in skip:
            joined = _known_at(words, end + 1, config) if config is not None else end + 1
            if joined > end + 1 or _nameable(words, end + 1) and (
                    original[end + 1][:1].isupper() or _place_noun(folded[end + 1]) or vehicle):
                end = max(joined, end + 2)
                continue
            break
        if _HOUSE_NUMBER.fullmatch(word) and folded[end - 1].endswith(_NUMBERED_STREETS):
            end += 1  # "Bäckgatan 4", "Kungsgatan 12B", "Linnés gränd 3"
            continue
        if not _nameable(words, end):
            break
        end += 1
    return end


def _joins_a_place(words: Words, index: int, config) -> bool:
    """'på Göteryds skola' after 'förrådet': a joiner and then a named place."""
    if index + 1 >= len(words) or words.folded[index] not in _JOINERS:
        return False
    after = index + 1
    known = _known_at(words, after, config) if config is not None else after
    return known > after or words.original[after][:1].isupper() and _nameable(words, after)


def _near_a_landmark(words: Words, index: int, skip: set[int]) -> bool:
    """'vid lekplatsen' after a named place: where in it, which a known place keeps as a street does."""
    after = index + 1
    return words.folded[index] == "vid" and after < len(words) and after not in skip and \
        _place_noun(words.folded[after]) and _nameable(words, after)


def _nameable(words: Words, index: int) -> bool:
    """A word that can be part of a place's name: not a function word, a time, a verb or a count."""
    word, written = words.folded[index], words.original[index]
    if word in _STREET_WORDS and _names_a_street(words, index):
        return True
    if word in _TIME_STARTERS or word in _STOP or not written[:1].isalpha() or _TIME_COMPOUND.search(word):
        return False
    if word in _NOT_PLACES:
        return False
    return _place_noun(word) or not _verb_form(written.casefold()) and not _participle(word)


# The last word of a street's or square's name, which is a common word too ("på väg hem", "Carl Linnés väg").
_STREET_WORDS = frozenset({"vag", "gata", "grand", "torg", "plan", "park", "alle", "backe", "stig", "led", "gang",
                           "plats", "kaj", "strand", "hage", "ang"})


def _names_a_street(words: Words, index: int) -> bool:
    """'Carl Linnés väg', 'Stora torg': a street word right after a capitalised word ends that name."""
    return index > 0 and words.original[index - 1][:1].isupper() and words.folded[index - 1].isalpha()


def _participle(word: str) -> bool:
    """'nedklottrad', 'vandaliserats', 'uppkörd': what happened to a place, not part of its name."""
    if word.startswith("sonder"):  # "sönderslagna", "sönderskurna"
        return True
    return len(word) >= 7 and word.endswith(("rad", "lad", "tad", "kord", "nad", "ats", "ades", "ads", "erad",
                                             "erade", "erats", "rade", "rat"))


def _verb_form(word: str) -> bool:
    """'ökat', 'gör', 'samlas': an inflected verb (from its lemma), which ends a place's name."""
    base = lemma(word)
    if base == word or not base.endswith("a") or len(base) < 3:
        return False
    stem = base[:-1]
    return word in (stem + "r", stem + "ar", stem + "er", stem + "at", stem + "t", stem + "ade", stem + "de",
                    stem + "te", stem + "as", stem + "s", stem + "it", stem + "d", stem) and word != base + "n"


def _extend(words: Words, end: int, skip: set[int], config) -> int:
    """A place followed by what narrows it: 'ICA Maxi parkeringen', "Haganässkolans omklädningsrum",
    'skolgården Paradisskolan'."""
    while end < len(words) and end not in skip:
        word = words.folded[end]
        if _joins_a_place(words, end, config):  # "fritidsgården i Häradsbäck"
            after = _known_at(words, end + 1, config) if config is not None else end + 1
            end = max(after, end + 2)
            continue
        if _near_a_landmark(words, end, skip):  # "Haganäsparken vid lekplatsen", as "Storgatan vid kiosken"
            end += 2
            continue
        if not _nameable(words, end):
            break
        after = _known_at(words, end, config) if config is not None else end
        if after > end:
            end = after
        elif _place_noun(word) or words.folded[end - 1].endswith("s") and end >= 1 and _known_at(
                words, end - 1, config) > end - 1:
            end += 1
        else:
            break
    return end


_PLACE_HEADS = (
    "skola", "skolan", "gard", "garden", "plats", "platsen", "park", "parken", "torg", "torget", "station",
    "stationen", "centrum", "hall", "hallen", "bad", "badet", "kyrka", "kyrkan", "gata", "gatan", "vag", "vagen",
    "parkering", "parkeringen", "hallplats", "hallplatsen", "tunnel", "tunneln", "bro", "bron", "omrade",
    "omradet", "bibliotek", "biblioteket", "korridor", "korridoren", "toalett", "toaletten", "toaletterna",
    "matsal", "matsalen", "entre", "entren", "skog", "skogen", "sjo", "sjon", "strand", "stranden", "hamn",
    "hamnen", "kiosk", "kiosken", "butik", "butiken", "affar", "affaren", "arena", "arenan", "plan", "planen",
    "stig", "stigen", "buss", "bussen", "tag", "taget", "perrong", "perrongen", "rondell", "rondellen",
    "lekplats", "lekplatsen", "skatepark", "skateparken", "kuren", "busskur", "busskuren", "fritids", "trapphus",
    "trapphuset", "kallare", "kallaren", "baksida", "baksidan", "gymnastiksal", "gymnastiksalen", "idrottshall",
    "idrottshallen", "cykelstall", "cykelstallet", "soprum", "soprummet", "vaningen", "sal", "salen", "rum",
    "rummet", "garage", "garaget", "dunge", "dungen", "buskar", "buskarna", "scen", "scenen", "hus", "huset",
    "sparet", "sparen", "parkeringsplats", "parkeringsplatsen", "gangvag", "gangvagen", "cykelvag",
    "cykelvagen", "grillplats", "grillplatsen", "badplats", "badplatsen", "museum", "museet", "kyrkogard",
    "kyrkogarden", "camping", "campingen", "center", "centret", "plan", "planen", "ishall", "ishallen",
    "forrad", "forradet", "stuga", "stugan", "stugor", "stugorna", "trappa", "trappan", "uppgang", "uppgangen",
    "lokal", "lokalen", "lokaler", "lokalerna", "plank", "planket", "strand", "stranden", "gymnasium",
    "gymnasiet", "pizzeria", "pizzerian", "gymmet", "forskola", "forskolan", "bygdegard", "bygdegarden",
    "hemmet", "tornet", "byggnad", "byggnaden", "byggnader", "byggnaderna", "bana", "banan", "banor",
    "garagen", "lagenhet", "lagenheten", "lagenheter", "lagenheterna", "husen", "sandlada", "sandladan", "ladan",
    "stall", "stallet", "hus", "fritidsgard", "vardcentral", "vardcentralen", "overgang", "overgangen",
    "krog", "krogen", "pub", "puben", "restaurang", "restaurangen", "kafe", "kafeet", "cafe", "cafeet", "apotek",
    "apoteket", "paviljong", "paviljongen", "bussficka", "bussfickan", "genomfart", "genomfarten", "brygga",
    "bryggan", "bryggor", "bryggorna", "hotell", "hotellet", "mack", "macken", "gatukok", "gatukoket",
)
# Where people meet online is not a place in the municipality; a bus line is a route.
_NOT_PLACES = frozenset({"snapchat", "instagram", "tiktok", "facebook", "whatsapp", "discord", "telegram", "natet",
                         "internet", "linje", "mobil", "mobilen", "mobiler", "mobilerna", "telefon", "telefonen",
                         "telefoner", "fokusomrade", "fokusomraden", "fokusomradet",
                         "bad"})  # "när han bad dem gå": asked, not a bath


def _place_noun(word: str) -> bool:
    """A word that names a kind of place, compounds and inflections included ('busshållplatsen', 'skolgården',
    'korridorerna', 'omklädningsrummen')."""
    if len(word) < 3:
        return False
    if word.endswith(_PLACE_HEADS):
        return True
    if not word.isalpha():
        return False
    base = fold(lemma(word))  # "tags" is not "tåg": a short lemma is too often another word
    return base != word and len(base) >= 5 and base.endswith(_PLACE_HEADS)
