"""Slots found inside a sentence: a time expression, a place as the user wrote it, action numbers,
owners and statuses. Each reader works on ``Words`` (the original words beside their folded forms), so
what is matched ignores case and diacritics while what is returned is what the user wrote."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from dialogs.nlu.time import Interval, read_time
from dialogs.nlu.timewords import MONTHS, PARTS_OF_DAY, SEASONS, WEEKDAYS
from domain.text import fold

# A school class ("9an", "8:an", "7b") is one word, so that it is never read as a date.
_TOKEN = re.compile(r"\d{1,2}(?::?an|[a-fA-F])(?![^\W_])|#?\d+(?:[:./-]\d+)*(?::?[ea])?|[^\W\d_]+(?:-[^\W\d_]+)*"
                    r"|[,:;!?]", re.UNICODE)


@dataclass
class Words:
    original: list[str]
    folded: list[str]
    spans: list[tuple[int, int]] | None = None  # where each word is in ``source``
    source: str = ""

    @classmethod
    def of(cls, text: str) -> Words:
        matches = list(_TOKEN.finditer(text))
        original = [m.group() for m in matches]
        return cls(original, [fold(word) for word in original], [m.span() for m in matches], text)

    def __len__(self) -> int:
        return len(self.folded)

    def text(self, start: int, end: int) -> str:
        """The words joined by single spaces (what the readers read)."""
        return " ".join(self.original[start:end])

    def written(self, start: int, end: int) -> str:
        """The words as the user wrote them, with what stood between them ("Paulina-huset", "12 000 kr")."""
        if not self.spans or start >= end:
            return self.text(start, end)
        return self.source[self.spans[start][0]:self.spans[end - 1][1]]


# --- time inside a sentence --------------------------------------------------------------------------

_TIME_STARTERS = {
    "i", "pa", "om", "for", "nasta", "forra", "forrforra", "denna", "den", "kl", "klockan", "igar", "idag",
    "imorgon", "imorn", "imorrn", "imorron", "ikvall", "inatt", "imorse", "iforrgar", "iovermorgon", "natten",
    "v", "vecka", "veckan", "borjan", "mitten", "slutet", "beginning", "middle", "mid", "end",
    "senast", "till", "fore", "innan", "under", "sista", "forsta", "andra", "tredje", "fjarde", "halv", "kvart",
    "q", "kvartal", "last", "next", "this", "tomorrow", "yesterday", "tonight", "today", "in", "at", "on",
    "mellandagarna", "helgen", "senaste", "vid", "sedan", "sen", "mellan", "hittills",
    "tidigare", "efter", "helgens", "veckans", "manadens", "dagens", "arets", "det", "detta", "fran",
    "julafton", "jul", "juldagen", "nyarsafton", "nyar", "nyarsdagen", "trettondagen", "trettondagsafton", "lucia",
    "valborg", "midsommar", "midsommarafton", "pask", "paskdagen", "langfredag", "annandag", "nationaldagen",
    "allhelgona", "advent", "terminen", "hostterminen", "varterminen", *SEASONS, *WEEKDAYS, *MONTHS, *PARTS_OF_DAY,
    *(day + "ens" for day in WEEKDAYS if day.endswith("dag")),  # "tisdagens rast"
    # "fredagskvällen", "lördagsnatt": the day and its part in one word
    *(f"{day}s{part}{end}" for day in WEEKDAYS if day.endswith("dag")
      for part in ("morgon", "formiddag", "eftermiddag", "kvall", "natt") for end in ("", "en")),
}
MAX_TIME_WORDS = 7


def find_time(words: Words, now: datetime, direction: str, skip: set[int] | None = None,
              school_breaks=None, *, narrowest: bool = False) -> tuple[Interval, int, int] | None:
    """The longest run of words that reads as a time (first one on ties), with its word span. ``narrowest``:
    of several separate times, the one that says most exactly when, a week or less counting as exact:
    "Medborgardialogen igår: oro för fester på sommaren" happened yesterday; "hot i helgen, flera stannade
    hemma idag" still in the weekend, the longer phrase.

    A part of a date-like unit that does not read as a whole ("30 februari", "efter jul", "9an") is never
    read: the whole is named as unread instead (``dialogs.nlu.unread``)."""
    from dialogs.nlu.unread import units

    skip = set(skip or ()) | {i for unit in units(words, now, school_breaks) for i in range(unit.start, unit.end)}
    skip |= _not_times(words.folded)
    if narrowest:
        runs = [run for start in range(len(words.folded))
                if (run := _time_from(words, start, now, direction, skip, school_breaks, 0))]
        taken: set[int] = set()
        separate = []
        for run in sorted(runs, key=lambda run: (run[1] - run[2], run[1])):  # longest first: "natten till söndag"
            if not taken & set(range(run[1], run[2])):
                separate.append(run)
                taken |= set(range(run[1], run[2]))
        return max(separate, key=lambda run: (-_exactness(run[0]), run[2] - run[1], -run[1]), default=None)
    best: tuple[Interval, int, int] | None = None
    for start in range(len(words.folded)):
        run = _time_from(words, start, now, direction, skip, school_breaks, best[2] - best[1] if best else 0)
        best = run or best
    return best


def _exactness(interval: Interval) -> int:
    """How roughly a time says when: within a week, a month, a quarter, or more (a smaller number is exacter)."""
    length = interval.end - interval.start
    return next((rank for rank, most in enumerate(_EXACTNESS) if length <= most), len(_EXACTNESS))


_EXACTNESS = (timedelta(days=7), timedelta(days=31), timedelta(days=92))


def _time_from(words: Words, start: int, now: datetime, direction: str, skip: set[int], school_breaks,
               longer_than: int) -> tuple[Interval, int, int] | None:
    """The longest run of words from ``start``, longer than ``longer_than`` words, that reads as a time."""
    word = words.folded[start]
    if start in skip or not (word in _TIME_STARTERS or _number_starts(words.folded, start)) \
            or _ambiguous(words, start):
        return None
    if start > 0 and words.folded[start - 1] == "varje":  # "varje kväll" is a habit, not a time
        return None
    for end in range(min(len(words), start + MAX_TIME_WORDS), start + longer_than, -1):
        if any(i in skip or words.folded[i] in ",:;!?" or _ambiguous(words, i) for i in range(start, end)):
            continue
        interval = read_time(words.text(start, end), now, direction, school_breaks)
        if interval is not None:
            return interval, start, end
    return None


# --- places ------------------------------------------------------------------------------------------

_NUMBER_FOLLOWERS = {*MONTHS, "dagar", "dag", "veckor", "vecka", "manader", "manad", "ar", "timmar", "timme",
                     "minuter", "tiden", "sedan", "sen"}


# Weekday and month abbreviations that are also Swedish words once å/ä/ö are gone: "man" (mån/man), "son"
# (sön/son), "mar" (mar/mår), "jan", "jul". They count as times only as written with å/ä/ö or next to a number.
_SEASON_LEADS = frozenset({"i", "till", "under", "nasta", "forra", "senast", "fore", "innan", "efter", "sedan", "sen",
                           "hela", "denna", "kommande"})
_AMBIGUOUS_ABBREVIATIONS = frozenset({"man", "son", "mar", "jan", "tor", "fri", "sat", "sun", "mon"})


def _ambiguous(words: Words, index: int) -> bool:
    word, written = words.folded[index], words.original[index].casefold()
    if word == "var" and written != "vår" and (not index or words.folded[index - 1] not in _SEASON_LEADS):
        return True  # "var" is "was", "where" or "every" far more often than "vår" without its å
    if word not in _AMBIGUOUS_ABBREVIATIONS or written in ("mån", "sön"):
        return False
    before = words.folded[max(0, index - 2):index]
    if before and before[-1] in ("till", "mot") and before[0] in ("natt", "natten"):
        return False  # "natt till sön"
    near = words.folded[max(0, index - 2):index] + words.folded[index + 1:index + 2]
    return not any(w[:1].isdigit() for w in near)


def _number_starts(folded: list[str], index: int) -> bool:
    """A number starts a time when it is a date or a clock time by itself ('3/12', '19.30', '3:e'), or is
    followed by a month or a unit ('9 dec', '3 dagar sedan', '19 tiden'); a lone count ('17 ärenden') is not."""
    word = folded[index]
    if not word[:1].isdigit():
        return False
    if not word.isdigit():
        return True
    return index + 1 < len(folded) and folded[index + 1] in _NUMBER_FOLLOWERS


_AGE = re.compile(r"(?:aring|arig|ars\b|arsald)")
# What a number counts, when it is not a time: "5-6 fall", "10-15 ungdomar", "3 st".
_COUNTED = frozenset("""
    fall st stycken ggr ganger personer pers individer ungdomar unga elever barn killar tjejer pojkar flickor vuxna
    anmalningar arenden incidenter handelser bilar cyklar fonster rutor
""".split())


def _not_times(folded: list[str]) -> set[int]:
    """Numbers that are ages or counts, never times: "13-14 åringar", "15-åriga", "16 års", "killar 13-14 år"
    (a range before "år"; "om 2 år" stays a time), "typ 5-6 fall", "10-15 ungdomar"."""
    return {index for index, word in enumerate(folded[:-1]) if word[:1].isdigit()
            and (_AGE.match(folded[index + 1]) or folded[index + 1] in _COUNTED
                 or (folded[index + 1] == "ar" and not word.isdigit()))
            and (index == 0 or folded[index - 1] not in ("kl", "klockan"))}  # "kl 22 ungdomar samlades"


def capitalised_words(words: Words, skip: set[int]) -> tuple[str, int, int] | None:
    """A proper name written alone ('lägesbild Diö'): capitalised words after the first word."""
    for index in range(1, len(words)):
        if index in skip or not words.original[index][:1].isupper() or words.folded[index] in _TIME_STARTERS:
            continue
        end = index + 1
        while end < len(words) and end not in skip and words.original[end][:1].isupper():
            end += 1
        return words.text(index, end), index, end
    return None


# --- numbers, owners, statuses -----------------------------------------------------------------------

_REF_WORDS = {"atgard", "atgarden", "atgarder", "nummer", "nr", "action", "punkt", "atg", "uppgift", "uppgiften",
              "task", "item"}
_ORDINAL_NAMES = {"ettan": 1, "tvaan": 2, "trean": 3, "fyran": 4, "femman": 5, "sexan": 6, "sjuan": 7, "attan": 8,
                  "nian": 9, "tian": 10, "elvan": 11, "tolvan": 12}


def find_ref(words: Words, loose: bool = False) -> tuple[str, set[int]] | None:
    """An action's number: '#12', 'åtgärd 12', 'nr 12'; ``loose`` also takes '7:an', 'sexan' and a lone number,
    for a message already known to be about one action ("klarmarkera 7:an", "markera som klar: 43")."""
    for index, word in enumerate(words.folded):
        if re.fullmatch(r"#\d+", word):
            return word[1:], {index}
        if word in _REF_WORDS and index + 1 < len(words) and re.fullmatch(r"#?\d{1,6}", words.folded[index + 1]):
            return words.folded[index + 1].lstrip("#"), {index, index + 1}
    if loose:
        numbers = [(i, w) for i, w in enumerate(words.folded) if re.fullmatch(r"\d{1,4}(?::?an)?", w)
                   or w in _ORDINAL_NAMES]
        if len(numbers) == 1:
            index, word = numbers[0]
            value = _ORDINAL_NAMES.get(word) or int(re.match(r"\d+", word)[0])
            return str(value), {index}
    return None


_STATUSES = [
    ("overdue", re.compile(r"\b(?:forsena\w*|forseande|sena|sen med|ligger efter|efter i planen|overdue|late"
                           r"|passerat\w*|missa\w*|behind|(?:ar|blivit|kommit) sent"
                           r"|inte (?:\w+ )?(?:gjort|gjorts|klar\w*) (?:i tid|fast|trots|som planerat)"
                           r"|(?:efter|over) (?:sitt |sina )?(?:datum|deadline|slutdatum))\b")),
    # "inte klara" before "klara": a negated done is open
    ("open", re.compile(r"\b(?:oppna|oppet|pagaende|pagar|aktiva|(?:ej|inte|icke) (?:\w+ )?(?:klara|klart|klar"
                        r"|avslutade|gjorda|fardiga)|kvar|aterstar|aterstaende|ogjort|ogjorda|open|ongoing|remaining"
                        r"|still (?:working|open|to do)|in progress|jobbar (?:vi |ni |de )?(?:med|pa))\b")),
    ("done", re.compile(r"\b(?:klara|klar|klart|avslutade|avslutades|avklarade|avklarat|fardiga|genomforda|genomfort"
                        r"|gjort|gjorde|hann|bockat av|stangt|stangda|stangde|stangdes|avslutat|avslutats"
                        r"|done|completed|finished|closed)\b")),
]


def find_status(folded_text: str) -> str | None:
    # What is to be finished is not finished: "ska vara klar", "vad ska kommunen göra klart", "måste vi få klart"
    folded_text = re.sub(r"\b(?:ska|skall|maste|bor|behover)\b(?: \w+){0,2}? (?:vara|bli|gora|fa)(?: \w+)? "
                         r"(?:klar\w*|fardig\w*)", " ", folded_text)
    for status, pattern in _STATUSES:
        if pattern.search(folded_text):
            return status
    return None


_KINDS = [
    ("medborgardialog", re.compile(r"\b(?:medborgardialog\w*|medborgarmote\w*|dialogmote\w*|boendemote\w*"
                                   r"|citizen dialogue)")),
    ("medarbetardialog", re.compile(r"\b(?:medarbetardialog\w*|personaldialog\w*|personalmote\w*|apt"
                                    r"|arbetsplatstraff\w*|staff dialogue)\b")),
    ("statistik", re.compile(r"\b(?:statistik\w*|\w*enkat\w*|polisstatistik\w*)|\d+ ?%")),
    ("iakttagelse", re.compile(r"\b(?:iakttagelse\w*|observerat|sett)\b")),
    ("handelse", re.compile(r"(?<!inga )(?<!ingen )(?<!no )\b(?:handelse\w*|incident\w*)\b")),  # not "inga incidenter"
]


# What a pattern or a state looks like, as opposed to one incident at one time: recurring times ("varje kväll",
# "på fredagskvällarna"), frequency and change ("brukar", "allt fler", "färre än förut"), a period ("hela
# veckan", "på sistone"), or what someone perceives ("upplever", "märkt att").
_PATTERN = re.compile(
    r"\b(?:varje|varenda|alla) (?:dag|kvall|natt|helg|vecka|rast|morgon|lunch|fredag|lordag|sondag|gang)\w*"
    r"|\b\w*(?:kvallar|helger|natter|raster|morgnar|eftermiddagar|fredagar|lordagar|sondagar|vardagar)(?:na)?\b"
    r"|\b(?:brukar|ofta|standigt|ideligen|aterkommande|fortfarande|pa sistone|pa senare tid|i perioder"
    r"|kvallstid|nattetid|helgtid|dagtid|allt (?:fler|mer|oftare)|mer och mer|fler och fler"
    r"|okat|okar|okning|minskat|minskar|minskning|farre|pagatt|har borjat|borjat"
    r"|upplever|upplevs|kanner sig|verkar|markt att|marker att|ser att|sett att"
    r"|flera (?:ganger|kvallar|helger|natter|dagar|veckor)"
    r"|(?:hela|under) (?:veckan|hosten|varen|sommaren|vintern|manaden|terminen|lovet)"
    r"|senaste (?:veckan|veckorna|kvallarna|tiden|manaden|manaderna|helgerna)|\d+ ggr|\d+ ganger"
    r"|overallt|i rad|i snitt|i veckan|per vecka|fortsatter|lugnt|inga (?:incidenter|problem|storningar))\b")


def observation_kind(folded_text: str) -> str:
    """The kind of a log entry that does not say it: a pattern or a state is an iakttagelse, anything else a
    händelse, as the log's own default."""
    return find_kind(folded_text) or ("iakttagelse" if _PATTERN.search(folded_text) else "handelse")


# A dialogue in substance, when the word is not written: who the writer talked with, or whose words they pass on.
# Residents, parents, shopkeepers are citizens; staff of the school, the leisure centre, social services are staff.
_CITIZENS = (r"(?:boende|foraldrar(?:na)?|grannar(?:na)?|invanar(?:e|na)|handlar(?:e|na)|butiksagar(?:e|na)"
             r"|fastighetsagar(?:e|en|na)|medborgar(?:e|na)|besokar(?:e|na)|pensionar(?:er|erna))")
_STAFF = (r"(?:personalen|personal|lararna|larare|kollegor(?:na)?|fritidsledar(?:e|na)|mentorer(?:na)?|elevhalsan"
          r"|skolskoterska(?:n|or|orna)?|kurator(?:n|erna)?|rektor(?:n|erna)|vaktmastar(?:e|en|na)"
          r"|faltassistent(?:en|er|erna)|socialsekreterar(?:e|en|na)|fritidspersonalen|rastvakter(?:na)?)")
_SAID = (r"(?:tycker|tyckte|sager|sa|sagt|har sagt|upplever|upplevde|berattar|berattade|har berattat|vittnar"
         r"|oroar sig|ar oroliga|rapporterar|rapporterade|har markt|marker|markte)")
_DIALOGUES = [
    ("medborgardialog", re.compile(
        rf"\b(?:pratade|pratat|pratar|samtalade|traffade|traffat|motte|mott) med (?:\w+ ){{0,2}}?{_CITIZENS}\b"
        rf"|\bforaldramote\w*|\b{_CITIZENS} (?:\w+ )?{_SAID}\b")),
    ("medarbetardialog", re.compile(
        rf"\b(?:pratade|pratat|samtalade|traffade|traffat) med (?:\w+ ){{0,2}}?{_STAFF}\b"
        rf"|\b{_STAFF} (?:pa \w+ |i \w+ )?(?:har )?{_SAID}\b")),
]


def find_kind(folded_text: str) -> str | None:
    """The kind a message names, or the dialogue it is in substance ("pratade med handlarna", "personalen säger")."""
    for kind, pattern in (*_KINDS, *_DIALOGUES):
        if pattern.search(folded_text):
            return kind
    return None
