"""The safety screen: acute danger now, a concern about one child or person, or neither.

It runs first on every message, guided answer and card field, and reads meaning rather than single words.
Each word is reduced to its lemma and its tense, and the message to *concepts*: harm, who is concerned
(one child, one adult, a group), whether it happens now, happened or keeps happening, whether the writer
worries or asks what to do. Rules combine the concepts into a first verdict; a classifier trained on the
safety corpus (``dialogs/nlu/corpus/safety.tsv``) weighs the same concepts with the words and catches
phrasings no rule foresaw (see ``dialogs.nlu.model``). So "det brinner i skolans soprum" is acute, "det
brann i soprummet i lördags" belongs in the log, and "en elev berättade att hans pappa slår honom" is an
orosanmälan even when it starts with "logga". When it cannot tell whether one child is meant, the verdict
is ``unclear_concern`` and the bot asks one short question instead of storing or ignoring.

Pure: no chat, no storage. Concepts name what was found, never the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dialogs.nlu import safety_words as W
from dialogs.nlu.lexicon import Speller, lemma, plain_speller
from domain.text import fold

EMERGENCY = "emergency"
INDIVIDUAL = "individual_case"
UNCLEAR = "unclear_concern"
NONE = "none"
VERDICTS = (EMERGENCY, INDIVIDUAL, UNCLEAR, NONE)
MAX_SCREENED_CHARS = 2000

_TOKEN = re.compile(r"\d+(?:[-:]?[a-zåäö]+)?|[^\W\d_]+|[!?]", re.UNICODE)
_AGE = re.compile(r"^(\d{1,2})-?(?:åring|aring|årig|arig)\w*$")
_CLASS = re.compile(r"^\d{1,2}(?::?an|:a|[a-f])$")
_CLASS_WORDS = frozenset("ettan tvaan trean fyran femman sexan sjuan attan nian".split())
_PAST_TIME = re.compile(
    r"\b(?:igar|i gar|i forrgar|forra (?:veckan|helgen|manaden|aret|gangen|terminen)|i (?:mandags|tisdags|onsdags"
    r"|torsdags|fredags|lordags|sondags|helgen som var|natt som var|somras|hostas|varas|vintras|fjol|helgen|natt)"
    r"|(?:for|sedan) \w+ (?:dagar|veckor|manader|timmar|ar) sedan|for \w+ (?:dag|vecka|manad|timme|ar) sedan"
    r"|i morse|inatt|natten (?:till|mot) (?:i ?gar|mandag|tisdag|onsdag|torsdag|fredag|lordag|sondag)"
    r"|tidigare idag|i eftermiddags|i formiddags|efter helgen|yesterday|last (?:night|week|weekend|month))\b")
_FUTURE_TIME = re.compile(r"\b(?:imorgon|i morgon|nasta vecka|ikvall|i kvall|om \w+ minuter|pa (?:mandag|tisdag"
                          r"|onsdag|torsdag|fredag|lordag|sondag)|i eftermiddag|efter skolan|efter lektionen)\b")
# Common strong verbs in the past tense: their form does not show the tense by its ending.
_STRONG_PAST = frozenset("""
    var hade blev kom gick sa sade fick tog såg låg satt stod slog brann sprang dog sköt högg drog gav for
    flög bröt skrek grät slets sov hittade
""".split())
_PRESENT_MODALS = frozenset("går står slår ser dör tar drar".split())  # present forms that do not end in -r
# Auxiliaries and modals say nothing about when something happens: "har hittat" is done, "ska ses" is ahead.
_AUXILIARIES = frozenset("är har hade var kan kunde ska skall skulle vill ville måste får fick bör blir blev".split())


@dataclass(frozen=True)
class _Word:
    spelled: str  # lower case, å/ä/ö restored
    lemma: str  # lower case lemma
    form: str  # folded spelled
    base: str  # folded lemma
    written: str  # lower case as written


def _words(text: str, speller: Speller) -> list[_Word]:
    out = []
    for token in _TOKEN.findall(text.casefold()):
        spelled = speller.spell(token) if token.isalpha() else token
        base = lemma(spelled)
        out.append(_Word(spelled, base, fold(spelled), fold(base), token))
    return out


def _tense(word: _Word) -> str | None:
    """'present' or 'past' for a lexical verb form, None for anything else (nouns, adjectives, infinitives,
    auxiliaries)."""
    form, base = word.spelled, word.lemma
    if form in _AUXILIARIES:
        return None
    if form in _PRESENT_MODALS:
        return "present"
    if form in _STRONG_PAST:
        return "past"
    if form == base or base[-1:] not in "aeiouyåäö":
        return None
    if form in (base + "r", base[:-1] + "er", base + "s", base[:-1] + "s") or (
            form == base[:-1] and form.endswith("r")):  # "hör", "kör", "gör"
        return "present"
    if form.endswith(("ade", "de", "te", "des", "tes", "ades", "dde", "tte")) and form[:2] == base[:2]:
        return "past"
    return None


def _has(lemmas: list[str], forms: list[str], phrases) -> bool:
    # Runs on every message against every phrase: a phrase with a word the message lacks is skipped
    # before the positional scan.
    present = set(lemmas).union(forms)
    for phrase in phrases:
        if not present.issuperset(phrase):
            continue
        size = len(phrase)
        for i in range(len(lemmas) - size + 1):
            if all(p in (lemmas[i + k], forms[i + k]) for k, p in enumerate(phrase)):
                return True
    return False


def concepts(text: str, speller: Speller | None = None) -> frozenset[str]:
    """The concepts a message carries, as ``c_…`` tokens, and the rules' verdict as ``r_…``."""
    words = _words(text[:MAX_SCREENED_CHARS], speller or plain_speller())
    if not words:
        return frozenset()
    found = _concepts(words, text)
    verdict = _rules(found)
    return frozenset(found | ({f"r_{verdict}"} if verdict != NONE else set()))


def _concepts(words: list[_Word], text: str) -> set[str]:
    joined = " ".join(w.form for w in words)
    lemmas = [w.base for w in words]
    forms = [w.form for w in words]
    every = set(lemmas) | set(forms)
    found: set[str] = set()

    def mark(name: str, present: bool) -> None:
        if present:
            found.add(name)

    tenses = [_tense(w) for w in words]
    for i, word in enumerate(words):  # "hade slagit" is done; "har kommit in" has just happened
        if word.spelled in ("har", "hade") and any(
                w.spelled.endswith(("t", "it", "at", "tt")) and w.lemma != w.spelled for w in words[i + 1:i + 3]):
            tenses[i] = "past" if word.spelled == "hade" else "perfect"
    danger = [w for i, w in enumerate(words) if (w.base in W.DANGER or w.form in W.DANGER or _danger_compound(w))
              and not _harmless_phrase(words, i)]
    situation = _has(lemmas, forms, W.DANGER_PHRASES)
    mark("c_danger", bool(danger) or situation)
    mark("c_danger_strong", any(w.base not in W.WEAK_DANGER for w in danger) or situation)
    mark("c_danger_situation", situation)
    mark("c_verbless", not any(_tense(w) for w in words) and not {"har", "ar", "var", "hade"} & set(forms))
    mark("c_danger_present", any(_tense(w) == "present" for w in danger))
    mark("c_present", "present" in tenses)
    mark("c_past", "past" in tenses)
    mark("c_perfect", "perfect" in tenses)
    # "hittade en batong" is done: a word of urgency counts unless it is itself in the past
    mark("c_ongoing", any((w.base in W.ONGOING or w.form in W.ONGOING) and tenses[i] != "past"
                          for i, w in enumerate(words)) or _has(lemmas, forms, W.ONGOING_PHRASES))
    mark("c_bang", "!" in text)
    mark("c_past_time", bool(_PAST_TIME.search(joined)))
    mark("c_future_time", bool(_FUTURE_TIME.search(joined)))
    mark("c_habitual", bool(every & W.HABITUAL) or bool(_RECURRING_TIME.search(joined)))
    mark("c_generic", bool(every & W.GENERIC) or joined.startswith(("hur manga", "hur ofta", "vad gor vi",
                                                                   "vad kan vi", "om det", "ifall")))
    mark("c_question", text.rstrip().endswith("?") or forms[0] in W.QUESTION_WORDS)
    reports = [w for w in words if w.base in W.REPORT or w.form in W.REPORT]
    counted = any(w.form.isdigit() or w.base in _TREND or w.form in _TREND for w in words)
    tally = counted and all(w.form.endswith(("ingar", "ingarna")) for w in reports)  # "8 orosanmälningar"
    mark("c_report", bool(reports) and not tally or _has(lemmas, forms, W.REPORT_PHRASES))
    mark("c_suicide", _has(lemmas, forms, W.SUICIDE))
    mark("c_welfare", bool(every & W.WELFARE) or _has(lemmas, forms, W.WELFARE_PHRASES))
    mark("c_home", bool(every & W.HOME))
    mark("c_family", any(w.base in W.FAMILY for w in words))
    mark("c_concern", bool(every & W.CONCERN) or _has(lemmas, forms, W.CONCERN_PHRASES))
    mark("c_victim", bool(every & W.VICTIM))
    mark("c_log_command", forms[0] in ("logga", "rapportera", "notera", "registrera", "log"))
    group = _group(words)
    one = _one_person(words, group)
    mark("c_one_child", one == "child")
    mark("c_one_adult", one == "adult")
    mark("c_group", group)
    mark("c_property", bool(every & W.PROPERTY))
    mark("c_person", any(w.base in W.CHILD or w.base in W.ADULT or w.form in W.PRONOUNS for w in words))
    return found


_TREND = frozenset("fler farre antal okad oka okning minska minskning statistik siffra jamfort".split())
_RECURRING_TIME = re.compile(r"\bpa \w*(?:dagar|kvallar|helger|natter|raster)(?:na)?\b")  # "på helgerna"


def _rules(c: set[str]) -> str:
    """A first verdict from the concepts alone; the classifier weighs it with the words."""
    calm = not ({"c_past_time", "c_habitual", "c_generic", "c_report"} & c)
    asking = "c_question" in c and "c_ongoing" not in c and "c_bang" not in c
    one = {"c_one_child", "c_one_adult"} & c
    concern_about_one = one and ("c_welfare" in c or "c_suicide" in c) and (
        {"c_home", "c_family", "c_concern"} & c or "c_one_child" in c)
    things_only = "c_property" in c and "c_person" not in c and "c_suicide" not in c
    if "c_danger" in c and calm and not asking and not (things_only and "c_ongoing" not in c):
        now = {"c_ongoing", "c_bang"} & c
        just_now = "c_perfect" in c and "c_danger_situation" in c  # "har ramlat och rör sig inte"
        if now or just_now or ("c_danger_strong" in c and ({"c_danger_present", "c_present", "c_danger_situation"} & c)
                   and not (concern_about_one and "c_past" in c)):
            if not (concern_about_one and not now and {"c_home", "c_family", "c_concern"} & c):
                return EMERGENCY
    if "c_suicide" in c and ({"c_ongoing", "c_future_time", "c_bang"} & c) and calm:
        return EMERGENCY
    if "c_report" in c and "c_generic" not in c and "c_habitual" not in c and not (asking and not one):
        return INDIVIDUAL
    if concern_about_one and "c_generic" not in c:
        return INDIVIDUAL
    if "c_one_child" in c and "c_concern" in c and ({"c_home", "c_family"} & c):
        return INDIVIDUAL
    if "c_one_child" in c and "c_victim" in c:
        return UNCLEAR
    return NONE


# "skjuta upp" (postpone), "slå upp" (look up), "slå på" (switch on): a particle makes the verb harmless.
_HARMLESS_PARTICLES = {"skjuta": {"upp", "fram", "pa"}, "sla": {"upp", "ihop", "av", "pa", "fast", "igen"},
                       "skjut": {"upp", "fram", "pa"}, "branna": {"ut"}, "brinna": {"for", "inne"}}


def _harmless_phrase(words: list[_Word], index: int) -> bool:
    """A danger word in an everyday idiom: "skjuta upp", "brinner verkligen för projektet", "bränn inte ut
    dig", "drunknar i mejl", "#14 skjuts till nästa månad"."""
    word = words[index]
    particles = _HARMLESS_PARTICLES.get(word.base) or _HARMLESS_PARTICLES.get(word.form)
    after = [w.form for w in words[index + 1:index + 5] if w.form not in _FILLERS]
    if particles and after and after[0] in particles:
        return not (after[0] == "for" and after[1:2] == ["fullt"])  # "det brinner för fullt" is a fire
    if word.base in ("drunkna", "drunknar") or word.form.startswith("drunkn"):
        return after[:1] == ["i"] and bool(after[1:2]) and after[1] in _SWAMPED_BY
    if word.base in ("skjuta", "skjut") and after[:1] == ["till"]:
        return bool(after[1:2]) and (after[1] in _LATER or after[1].isdigit())  # postponed, not shot
    if word.base in ("skjuta", "skjut") and after:
        fireworks = after[0].startswith(("raket", "fyrverkeri", "smallare", "nyarsrakete"))
        return fireworks and not any(w.base in W.ONGOING or w.form in W.ONGOING for w in words)  # unless now
    return False


_FILLERS = frozenset("jag du vi ni man verkligen ju sa typ extra inte helt".split())
_SWAMPED_BY = frozenset("mejl mejlen mail mailen jobb jobbet arbete arbetet papper pappren arenden uppgifter".split())
_LATER = frozenset("""
    nasta efter imorgon mandag tisdag onsdag torsdag fredag lordag sondag januari februari mars april maj juni
    juli augusti september oktober november december v vecka veckan jul nyar sommaren hosten varen vintern
    terminen lovet mote motet
""".split())


def _danger_compound(word: _Word) -> bool:
    """Compounds naming a weapon or fire: 'knivhotad', 'brandrök', 'skolbranden' (not 'brandövning')."""
    form = word.form
    if any(part in form for part in ("ovning", "larm", "skydd", "forsakr", "sakerhet", "station", "kar", "fri",
                                     "uppbrand",
                                     "kampanj", "zon")):
        return False
    return any(root in form for root in ("kniv", "vapen", "pistol", "skjut", "brinn", "blod", "molotov", "targa")) or (
        form.endswith(("brand", "branden", "bomb", "bomben")) and len(form) > 5)


def _one_person(words: list[_Word], group: bool = False) -> str | None:
    """'child' or 'adult' when the message is about one identifiable person, else None. A class or an age
    alone ("elever från 9an") does not single anyone out when the message speaks of several."""
    found = None
    for i, word in enumerate(words):
        before = words[i - 1].form if i else ""
        two_before = words[i - 2].form if i > 1 else ""
        if _AGE.match(word.written) or _CLASS.match(word.written) or word.form in _CLASS_WORDS:
            if before not in W.PLURAL_DETERMINERS and not word.form.endswith(("ingar", "ingarna")) and not group:
                return "child"
        if word.base in W.CHILD or word.form in W.CHILD:
            singular = word.form in (word.base, word.base + "en", word.base + "n", word.base + "et", word.base + "t")
            if word.form == word.base and word.base in ("barn", "ungdom", "unge"):
                singular = before in W.SINGULAR_DETERMINERS
            if before in W.PLURAL_DETERMINERS or two_before in ("flera", "manga", "nagra"):
                singular = False
            if before == "av" and two_before in ("en", "ett"):
                singular = True
            if singular:
                return "child"
        if (word.base in W.ADULT or word.form in W.ADULT) and before in W.SINGULAR_DETERMINERS:
            found = found or "adult"
        if word.form in W.PRONOUNS:
            found = found or "adult"
    return found


def _group(words: list[_Word]) -> bool:
    return any(w.form in W.PLURAL_DETERMINERS for w in words) or any(
        w.base in W.CHILD and w.form.endswith(("ar", "er", "arna", "erna", "orna", "or")) for w in words)
