"""Health data about one person: a diagnosis, a dependence, medication, psychiatric care, a pregnancy, a
disability or an injury, said about someone the sentence points at.

Health data is a special category (GDPR art. 9) and the log never needs it, so the help text promises it is not
stored. A health word alone is no one's health: "psykisk ohälsa bland unga ökar", "ANDTS-förebyggande arbete",
"föreläsning om adhd" pass. It counts in a sentence that also points at one person: a pronoun ("han", "hon",
"hen"), a definite person ("eleven", "killen", "13-åringen"), "min/vår elev", "en av eleverna", a first name, or
"en elev" together with a class or an age. A health word after a topic word ("om", "kring", "inom", "mot") is a
subject, not a state ("hon höll i en föreläsning om ångest"), unless a possessive stands before it ("berättade
om sin diagnos").

Words are compared case- and diacritic-folded ("angest", "bipolar"), with their inflected forms generated from
the base form ("diagnosen", "missbrukaren", "medicinerar"), and compounds read by their head or their first
part ("adhd-diagnos", "narkotikamissbruk", "epilepsianfall", "bup-kontakt"). Intoxication ("berusad", "full",
"påverkad") and substances ("alkohol", "droger", "narkotika") are not health data: the log describes them.

Pure and linear in the text: one pass over its words, set look-ups only. Like ``dialogs.privacy`` it answers
only whether; the matched text goes nowhere.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from dialogs.privacy_names import first_names

_PLACE_SUFFIXES = ("skolan", "skola", "ungdom", "gatan", "vagen", "torget", "parken", "kyrkan", "hallen",
                   "gymnasiet", "centrum", "mottagningen")

# --- health words, folded; each also in its inflected forms -----------------------------------------------------
_LASTING = frozenset("""
    adhd autism autistisk asperger aspergers tourette tourettes dyslexi dyskalkyli npf diagnos diagnostiserad
    diabetes diabetiker epilepsi epileptiker epileptisk astma astmatiker allergi allergisk celiaki migran
    depression deprimerad psykos psykotisk schizofreni schizofren bipolar bipolaritet angest panikangest
    atstorning anorexi anorektisk bulimi ocd ptsd tvangssyndrom personlighetsstorning borderline
    cancer leukemi hiv hepatit demens dement stroke hjartfel traumatiserad ohalsa sjukdom sjukskriven
    sjukskrivning utvecklingsstorning utvecklingsstord funktionsnedsattning funktionshinder funktionshindrad
    funktionsvariation rorelsehinder rorelsehindrad horselnedsattning synnedsattning rullstol rullstolsburen
    missbrukare missbruk missbruka alkoholist alkoholism narkoman narkomani knarkare spelberoende
    gravid graviditet
""".split())  # conditions that last: a diagnosis, a disability, a dependence, a pregnancy
_TERMS = _LASTING | frozenset("""
    sjalvskadebeteende sjalvmordsforsok epilepsianfall
    medicin medicinera medicinering lakemedel antidepressiva psykofarmaka somntablett insulin ritalin concerta
    elvanse medikinet strattera sobril stesolid metadon subutex avgiftning
    psyk psykiatri psykiatrisk bup vup habilitering tvangsvard lvm lpt inlagd
    hjarnskakning fraktur benbrott armbrott stygn brannskada huvudskada skallskada nackskada ryggskada
    knaskada hjarnskada skottskada knivskada blamarke
    abort missfall
""".split())
# Exact forms only: short or everyday-looking words whose generated forms would be other words.
_EXACT = frozenset("""
    dov dova dovstum dovstumma blind blinda skadad skadats beroende
""".split())
_ENDINGS = ("", "s", "n", "ns", "en", "ens", "et", "ets", "er", "ers", "erna", "ernas", "ar", "arna", "or",
            "orna", "na", "a", "e", "r", "de", "des", "t", "ts", "d", "nde", "ade", "at", "ad", "ats", "iskt")
# Generated forms that are ordinary words.
_NOT_HEALTH = frozenset("adda bupa hiva hive migrant".split())
# Heads that make a compound a health word ("narkotikamissbruk", "ätstörning", "sömnmedicin") ...
_HEADS = ("diagnos", "missbruk", "missbrukare", "beroende", "medicin", "medicinering", "sjukdom", "storning",
          "syndrom", "nedsattning", "psykiatri", "psykos", "depression", "angest", "skada")
# ... unless the compound is one of these: a disturbance of order, a reduced speed, damage to things.
_NOT_HEADED = re.compile(r"^(?:ordnings|trafik|drift|strom|tag|nat|ljud|signal|radio|hastighets|skatte|avgifts|"
                         r"hyres|vatten|vagn|fonster|bil|dorr|brand|frost|fukt|storm|mogel|egendoms|sak|"
                         r"skolans|sko|vand|fasad|glas|lack|bygg|vag|gatu|idrotts|makt|bidrags|fossilo|export|ratts|allman|"
                         r"alternativ|veterinar|intern|klimat|sondags|besluts|fortroende|formans|ambets)")
_SKADA_HEADED = frozenset("bran hjarn huvud skall nack rygg kna skott kniv hjarn fot hand arm ogon".split())
# First parts that make a compound a health word: "epilepsianfall", "adhd-utredning", "bupkontakt".
_MODIFIERS = ("adhd", "autism", "epilepsi", "diabetes", "astma", "npf", "psykos", "depressions", "bup", "missbruks",
              "insulin", "schizofreni", "bipolar", "psykiatri")
# Multi-word health expressions, as folded word sequences.
_PHRASES = (
    ("psykiskt", "sjuk"), ("psykisk", "sjukdom"), ("psykiskt", "instabil"), ("psykiskt", "daligt"),
    ("psykiskt", "dalig"), ("tar", "tabletter"), ("lugnande", "tabletter"), ("vantar", "barn"), ("ska", "foda"),
    ("downs", "syndrom"), ("maria", "ungdom"), ("hos", "psykolog"), ("hos", "psykologen"),
    *((arm, "armen") for arm in ("brot", "brutit", "bryta")), *((arm, "benet") for arm in ("brot", "brutit")),
    *((arm, "handleden") for arm in ("brot", "brutit")), *((arm, "nyckelbenet") for arm in ("brot", "brutit")),
    *((verb, "till", place) for verb in ("fordes", "fors", "kordes", "akte", "togs", "skickades", "hamnade")
      for place in ("sjukhus", "sjukhuset", "akuten", "lasarettet", "psyk", "vardcentralen")),
    *(("pa", place) for place in ("sjukhus", "akuten")),
    ("fick", "skador"), ("lindrigt", "skadad"), ("allvarligt", "skadad"),
)
_TOPIC = frozenset("om kring inom mot angaende gallande rorande forebygga forebyggande forebyggs".split())
_POSSESSIVE = frozenset("sin sitt sina hans hennes hens min mitt mina din ditt dina".split())
_CARE_ORGS = ("bup", "vup", "psykiatri", "habilitering", "maria")
_AT_WORK = frozenset("""
    jobbar jobbade jobba arbetar arbetade arbeta anstalld anstallda bjuder bjod bjuda inbjuden inbjudna
    representant representerar
""".split())
_GROUPS = frozenset("""
    barn elever unga ungdomar familjer personer foraldrar vuxna individer manniskor flickor pojkar killar tjejer
    patienter
""".split())
_INJURY_WORDS = frozenset("skadad skadats skador".split())
_DENIED = frozenset("inte ej ingen inga aldrig".split())
_SKIP_BACK = frozenset("och eller samt , psykisk psykiska fysisk fysiska".split())

# --- who a sentence points at -----------------------------------------------------------------------------------
_PRONOUNS = frozenset("han hon hen honom henne hans hennes hens".split())
_DEFINITE = frozenset("""
    eleven elevens pojken pojkens flickan flickans killen killens tjejen tjejens personen personens grabben
    grabbens ungdomen ungdomens barnet barnets mannen mannens kvinnan kvinnans mamman mammans pappan pappans
    sonen sonens dottern dotterns brodern systern brorsan syrran kompisen kompisens tonaringen tonaringens
    patienten klienten brukaren foraldern vardnadshavaren
""".split())
_SINGULAR_NOUNS = frozenset("""
    elev kille tjej pojke flicka grabb barn ungdom son dotter kompis klient brukare patient granne kollega
    tonaring bror syster
""".split())
_MY = frozenset("min mitt var vart".split())  # "vår", "vårt" folded
_ONE_OF = frozenset("""
    vara mina eleverna killarna tjejerna ungdomarna barnen dem de pojkarna flickorna
""".split())
_AGE_PERSON = re.compile(r"^[0-9]{1,2}-?aring(?:en|ens)?$")
_CLASS_CUE = re.compile(r"^(?:[0-9][a-f]|[0-9]:?an|[0-9]:a|klass|arskurs|ak)$")
_INDEFINITE = frozenset("en ett".split())
# First names that are also everyday words in a health sentence, written in lower case.
_NOT_A_NAME = frozenset("bo per max dag maj juni klara liv love vera sol tim tom frank ask rut siv ove saga".split())

_SENTENCE = re.compile(r"[.!?;\n]+")
_TOKEN = re.compile(r"[^\W_]+(?:[-:’'][^\W_]+)*|,")


def _fold(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(ch))


@cache
def _term_forms() -> frozenset[str]:
    forms = {term + ending for term in _TERMS for ending in _ENDINGS}
    return frozenset((forms | _EXACT) - _NOT_HEALTH)


_LONGEST_HEAD = max(len(head) for head in _HEADS) + max(len(ending) for ending in _ENDINGS)


@cache
def _phrases_by_first() -> dict[str, tuple[tuple[str, ...], ...]]:
    found: dict[str, list[tuple[str, ...]]] = {}
    for phrase in _PHRASES:
        found.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(phrases) for first, phrases in found.items()}


@cache
def _lasting_forms() -> frozenset[str]:
    return frozenset({term + ending for term in _LASTING for ending in _ENDINGS} - _NOT_HEALTH)


@cache
def _head_forms() -> dict[str, str]:
    return {head + ending: head for head in _HEADS for ending in _ENDINGS}


@cache
def _folded_first_names() -> frozenset[str]:
    return frozenset(_fold(name) for name in first_names())


def is_health_word(word: str) -> bool:
    """A folded word that names a health matter: listed, inflected, or a compound with a health head or start."""
    if word in _term_forms():
        return True
    parts = [part for part in re.split(r"[-:’']", word) if part]
    if len(parts) > 1 and (any(p in _term_forms() for p in parts) or parts[0].startswith(_MODIFIERS)):
        return parts[0] not in ("anti", "icke")  # "anti-drog", not "anti-adhd"
    if word.startswith(_MODIFIERS) and len(word) > 6 and not word.startswith(("bupa", "psykosocial")):
        return True
    heads = _head_forms()
    for i in range(max(2, len(word) - _LONGEST_HEAD), max(2, len(word) - 4)):  # a head ends the word
        head = heads.get(word[i:])
        if head is None:
            continue
        prefix = word[:i]
        if head == "skada":
            return prefix.rstrip("s") in _SKADA_HEADED
        return not _NOT_HEADED.match(prefix)
    return False


def names_a_condition(text: str) -> bool:
    """Whether ``text`` names a lasting condition (a diagnosis, a disability, a dependence, a pregnancy) about
    anyone or no one: for the safety screen, which must not read a diagnosis as an emergency. Medication and
    injuries are not lasting: "har tagit alla sina mediciner", "en kille med skottskada" may be acute."""
    lasting, heads = _lasting_forms(), _head_forms()
    for word in _TOKEN.findall(text or ""):
        folded = _fold(word)
        parts = [folded, *(p for p in re.split(r"[-:’']", folded) if p)]
        if any(p in lasting for p in parts) or (is_health_word(folded) and not any(
                folded.endswith(head) for head in heads if heads[head] in ("medicin", "medicinering", "skada"))
                and any(p.startswith(_MODIFIERS) or any(p.endswith(h) for h in heads) for p in parts)):
            return True
    return False


def has_health_data(text: str) -> bool:
    """A health matter and one person pointed at, in one sentence."""
    for sentence in _SENTENCE.split(text or ""):
        words = _words(sentence)
        if not words:
            continue
        health = [i for i in range(len(words)) if _health_at(words, i) and not _as_topic(words, i)]
        if health and _points_at_one(words, sentence):
            return True
    return False


def _words(sentence: str) -> list[tuple[str, str]]:
    """(folded, as written) for each word and comma."""
    return [(_fold(token), token) for token in _TOKEN.findall(sentence)]


def _health_at(words: list[tuple[str, str]], i: int) -> bool:
    folded, written = words[i]
    if folded == ",":
        return False
    if folded == "add":  # ADD, or "har add" / "adhd eller add"
        before = words[i - 1][0] if i else ""
        return written.isupper() or before in ("har", "hade", "med", "och", "eller", "fatt")
    if folded == "cp":
        return written.isupper()
    if folded == "beroende":
        return not (i + 1 < len(words) and words[i + 1][0] == "pa")  # "beroende på vädret"
    if is_health_word(folded):
        return True
    return any(_phrase_at(words, i, phrase) for phrase in _phrases_by_first().get(folded, ()))


def _phrase_at(words: list[tuple[str, str]], i: int, phrase: tuple[str, ...]) -> bool:
    return len(words) - i >= len(phrase) and all(words[i + k][0] == p for k, p in enumerate(phrase))


def _as_topic(words: list[tuple[str, str]], i: int) -> bool:
    """The health word is a subject spoken of: "om adhd", "kring psykisk ohälsa", "föreläsning om adhd och
    autism", "barn med adhd"; a place of work or a party to the collaboration: "Sara från BUP", "jobbar på
    psykiatrin", "bjuder in habiliteringen"; or denied of an injury: "han var inte skadad". Not after a
    possessive ("om sin diagnos")."""
    before = [w for w, _ in words[max(0, i - 3):i]][::-1]  # nearest first
    if words[i][0].startswith(_CARE_ORGS) and (before[:1] == ["fran"] or set(before[:3]) & _AT_WORK):
        return True
    if before[:1] == ["med"] and before[1:2] and before[1] in _GROUPS:
        return True
    if words[i][0] in _INJURY_WORDS and before[:1] and before[0] in _DENIED:
        return True
    j = i - 1
    while j >= 0 and i - j <= 4:
        word = words[j][0]
        if word in _POSSESSIVE or word in _PRONOUNS:
            return False
        if word in _TOPIC:
            return True
        if word not in _SKIP_BACK and not _health_at(words, j):
            return False
        j -= 1
    return False


def _points_at_one(words: list[tuple[str, str]], sentence: str) -> bool:
    folded = [w for w, _ in words]
    has_class = any(_CLASS_CUE.match(w) for w in folded)
    names = _folded_first_names()
    for i, (word, written) in enumerate(words):
        before = folded[i - 1] if i else ""
        if word in _PRONOUNS or word in _DEFINITE or _AGE_PERSON.match(word) and (
                word.endswith(("en", "ens")) or before in _INDEFINITE):
            return True
        if word in _SINGULAR_NOUNS and (before in _MY or before in _INDEFINITE and has_class):
            return True
        if word == "av" and before == "en" and i + 1 < len(folded) and folded[i + 1] in _ONE_OF:
            return True
        if word in names and (written[0].isupper() or word not in _NOT_A_NAME and len(word) > 3) \
                and not _names_a_place(words, i):
            return True
    return False


def _names_a_place(words: list[tuple[str, str]], i: int) -> bool:
    """"Maria Ungdom", "Elsa Beskows skola": a first name that begins the name of a place or an organisation."""
    if i + 1 >= len(words):
        return False
    folded, written = words[i + 1]
    return folded.endswith(_PLACE_SUFFIXES) or written[0].isupper() and folded.endswith("s")
