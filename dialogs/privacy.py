"""Screening what a user writes for personal data before anything is stored.

The joint log is read by both the municipality and the police and describes places and situations, never
individuals (GDPR data minimisation; secrecy under offentlighets- och sekretesslagen between the parties). So a
message that holds a personal identity number, contact details, a plate, a police case number, a school class
with an age, a person's name, a first name next to a class, an age or a school, or health data about one person
(a diagnosis, medication, psychiatric care, a pregnancy, a disability, an injury) is refused as a whole, with a
short Swedish explanation. The name rules live in ``dialogs.privacy_names``, the health rules in
``dialogs.privacy_health``.

Pure: no botbuilder, no SQL. Findings never carry the matched text, so a refused text cannot leak into logs.
False positives are treated as costly (people stop trusting a bot that refuses ordinary sentences), so each
rule validates what it can (Luhn and date for identity numbers, plate alphabet, number plans) rather than
matching loosely.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from dialogs.privacy_health import has_health_data
from dialogs.privacy_names import first_names, has_full_name, names_a_child

__all__ = ["KINDS", "LABELS", "PrivacyFinding", "first_names", "normalise_input", "refusal_text", "screen"]


@dataclass(frozen=True)
class PrivacyFinding:
    kind: str
    label: str


KINDS: tuple[str, ...] = (
    "personnummer", "samordningsnummer", "telefon", "epost", "regnr", "k_nummer", "klass_alder", "namn",
    "namn_barn", "halsa")

LABELS: dict[str, str] = {
    "personnummer": "ett personnummer",
    "samordningsnummer": "ett samordningsnummer",
    "telefon": "ett telefonnummer",
    "epost": "en e-postadress",
    "regnr": "ett registreringsnummer",
    "k_nummer": "ett diarienummer från polisen (K-nummer)",
    "klass_alder": "en skolklass tillsammans med en ålder",
    "namn": "något som ser ut som en persons namn",
    "namn_barn": "ett förnamn som kan peka ut ett barn",
    "halsa": "uppgifter om hälsa",
}

# What to write instead, most telling first; kinds without an example get a plain request.
_EXAMPLES: tuple[tuple[str, str], ...] = (
    ("halsa", "”en elev behöver extra stöd” i stället för diagnosen eller hälsouppgiften"),
    ("klass_alder", "”en elev i årskurs 8” i stället för klass och ålder"),
    ("namn_barn", "”en elev i årskurs 7” i stället för namnet"),
    ("namn", "”en ungdom” eller ”en vuxen man” i stället för namnet"),
    ("regnr", "”en mörk personbil” i stället för registreringsnumret"),
    ("k_nummer", "”polisanmälan är gjord” i stället för K-numret"),
    ("personnummer", "”en vuxen” i stället för personnumret"),
    ("samordningsnummer", "”en vuxen” i stället för samordningsnumret"),
)

_MASK = "\x00"
# Hyphen (escaped for use inside [...]) and the dashes and minus signs that people paste from Word.
_DASH = "\\-\u2010\u2011\u2012\u2013\u2212"

# --- identity numbers -------------------------------------------------------------------------------------------
# 10 or 12 digits; the separator ('-' under 100 years, '+' over) may have a space either side. A lone space is not
# a separator: "261125 1930" is how some write a date and a time.
_IDENTITY = re.compile(
    rf"(?<![0-9])(?P<century>1[89]|20)?(?P<date>[0-9]{{6}})"
    rf"(?P<sep>[ \u00a0]?[+{_DASH}][ \u00a0]?)?(?P<tail>[0-9]{{4}})(?![0-9])"
)

# --- phone numbers ----------------------------------------------------------------------------------------------
# Swedish numbers: 08 (Stockholm), 0XX or 0XXX area codes, 07X mobiles; 8-10 digits nationally (10 for mobiles).
# Dots, colons and slashes are not separators, so times (08.30, 08:30) and dates (08/11) never form a number.
_AREA = r"(?:7[02369]|8|[1-69][0-9]{1,2})"
_PHONE = re.compile(
    rf"(?<![\w+{_DASH}/])(?<![0-9][.,:])"
    rf"(?:(?P<intl>(?:\+|00)[ ]?46[ ]?(?:\(0\)[ ]?)?){_AREA}|0{_AREA}|\(0{_AREA}\))"
    rf"(?:[ ]?[{_DASH}][ ]?|[ ])?"
    rf"(?:[0-9]{{2,4}}(?:[ {_DASH}][0-9]{{2,4}}){{0,3}}|[0-9]{{5,8}})"
    rf"(?![\w{_DASH}/]|[.,:][0-9])"
)
_GROUP_SEPARATORS = re.compile(r"[^0-9()]+")
_AFTER_DASH = re.compile(rf"^\(?[0-9]{{5,}}[ ]?[{_DASH}]")  # an area code has at most four digits
# 08-12-2026 and 08 12 2026 are dates, not Stockholm numbers.
_DATE_LIKE = re.compile(rf"0[1-9][ {_DASH}](?:0?[1-9]|1[0-2])[ {_DASH}](?:[0-9]{{2}}|(?:19|20)[0-9]{{2}})")
# Other countries: a leading '+' glued to the digits is a strong enough cue.
_PHONE_FOREIGN = re.compile(r"(?<![\w+])\+(?!46)[1-9][0-9]{0,2}(?:[ -]?[0-9]){7,12}(?![\w-])")

# --- e-mail -----------------------------------------------------------------------------------------------------
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@(?:[\w-]+\.)+[^\W\d_]{2,}(?![\w-])")

# --- vehicle registration numbers -------------------------------------------------------------------------------
# Swedish plates: three letters without I, Q, V (nor Å, Ä, Ö), then two digits and a digit or a letter (not O).
_PLATE = re.compile(
    r"(?<![^\W_])(?P<letters>[A-HJ-PR-UW-Z]{3})(?P<sep>[ \u00a0-]?)[0-9]{2}[0-9A-HJ-NPR-UW-Z](?![^\W_])",
    re.IGNORECASE,
)
# Three-letter words and abbreviations that are followed by three digits in ordinary text ("och 100 personer").
_NOT_PLATE = frozenset("""
    all alt ant anm apr att aug bor box bra dag dec dem den det dnr dom dog ens era ett fax feb fel fem fre
    ger ggr han har hej hel hem hen hon hus jag jan jul jun kan kap kkr kom kpl lgh maj man mar med men mer
    mkr mob mot nej ner nog nov nya nye nyt och okt ons oss par per pkt ref rum sal sek sen sep sex sju ska
    sms som sos str tal tar tel tfn tkr tog ton tor tot tre typ ung upp usd ute eur nok dkk gbp chf bla etc
    and the for pdf
""".split())

# --- police case numbers ----------------------------------------------------------------------------------------
_K_NUMBER = re.compile(
    rf"(?<![^\W\d_])(?:"
    rf"k[ ]?[{_DASH}]?[ ]?[0-9]{{3,8}}[ ]?[{_DASH}][ ]?[0-9]{{2}}"
    rf"|k[{_DASH}]?(?:nummer|nr)\.?:?[ ]*(?:[0-9]{{4}}[{_DASH}])?k?[0-9]{{3,8}}[ ]?[{_DASH}][ ]?[0-9]{{2}}"
    rf"|(?:polisanmälan|anmälningsnummer)(?:[ ]?(?:nr|nummer))?\.?:?[ ]*(?:[0-9]{{4}}[{_DASH}])?k?"
    rf"[0-9]{{3,8}}[{_DASH}][0-9]{{2}}"
    rf")(?![0-9])",
    re.IGNORECASE,
)

# --- school class with an age -----------------------------------------------------------------------------------
_CLASS = re.compile(r"(?<![^\W_])(?:klass[ \u00a0]*)?[0-9][A-Fa-f](?![^\W_])", re.IGNORECASE)
_AGE_WORDS = "sex|sju|åtta|nio|tio|elva|tolv|tretton|fjorton|femton|sexton|sjutton|arton|nitton|tjugo"
_AGE = re.compile(
    rf"(?<![\w,.])(?:(?P<n>[0-9]{{1,2}})|{_AGE_WORDS})[ \u00a0]?[{_DASH}]?[ ]?"
    r"år(?:ing(?:en|ar|arna|s)?|ig[at]?|s)?(?![^\W_])",
    re.IGNORECASE,
)
_GAP_WORD = re.compile(r"[^\W_]+")
_MAX_GAP_WORDS = 4
_SCHOOL_AGES = range(5, 21)

_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def normalise_input(text: str) -> str:
    """What a user wrote, as the guard and the store see it: compatibility forms folded (fullwidth digits,
    ligatures), control and zero-width characters removed, so "８１１２１８-９８７６" or a number split by a
    zero-width space is screened like the plain one."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text or "")).strip()


def screen(text: str, allowed_names: Iterable[str] = ()) -> list[PrivacyFinding]:
    """What personal data `text` seems to hold: empty when nothing, else one finding per kind in KINDS order.

    Each rule masks what it matched so later rules do not read it again (a domain in an e-mail address is not a
    plate; a personal identity number is not also a phone number). Never raises on any text (a property test
    holds it to that): the check sits in front of every save.
    """
    if not text:
        return []
    if not isinstance(text, str):
        text = str(text)
    found: set[str] = set()
    masked = text

    def mask(spans: list[tuple[int, int]]) -> None:
        """Blank out matched spans, keeping every other character where it was."""
        nonlocal masked
        if spans:
            parts, last = [], 0
            for start, end in sorted(spans):
                start = max(start, last)
                if end > start:
                    parts += [masked[last:start], _MASK * (end - start)]
                    last = end
            masked = "".join(parts) + masked[last:]

    spans = [m.span() for m in _EMAIL.finditer(masked)]
    if spans:
        found.add("epost")
    mask(spans)

    spans = [m.span() for m in _K_NUMBER.finditer(masked)]
    if spans:
        found.add("k_nummer")
    mask(spans)

    spans = []
    for match in _IDENTITY.finditer(masked):
        kind = _identity_kind(match)
        if kind:
            found.add(kind)
            spans.append(match.span())
    mask(spans)

    spans = [m.span() for m in _PHONE.finditer(masked) if _plausible_phone(m)]
    spans += [m.span() for m in _PHONE_FOREIGN.finditer(masked)]
    if spans:
        found.add("telefon")
    mask(spans)

    if any(_is_plate(m) for m in _PLATE.finditer(masked)):
        found.add("regnr")
    classes, ages = _classes_and_ages(masked)
    if _class_with_age(masked, classes, ages):
        found.add("klass_alder")
    if has_full_name(masked, allowed_names):
        found.add("namn")
    if names_a_child(masked, classes + ages):
        found.add("namn_barn")
    if has_health_data(masked):
        found.add("halsa")
    return [PrivacyFinding(kind, LABELS[kind]) for kind in KINDS if kind in found]


def refusal_text(findings: list[PrivacyFinding]) -> str:
    """The Swedish reply to a refused message: what, why, that nothing was saved, and how to rephrase."""
    labels = _join([f.label for f in findings]) or "uppgifter som kan peka ut en person"
    kinds = {f.kind for f in findings}
    what = "uppgiften" if len(findings) == 1 else "uppgifterna"
    example = next((text for kind, text in _EXAMPLES if kind in kinds), None)
    rephrase = f"Skriv gärna om det utan {what}, till exempel {example}." if example else (
        f"Skriv gärna om det utan {what}.")
    return (
        f"Jag hittade {labels} i texten. "
        "Loggen läses av både kommunen och polisen och beskriver platser och situationer, aldrig enskilda personer. "
        "Uppgifter som kan peka ut någon hör därför inte hemma här, enligt dataskyddsförordningen (GDPR) och "
        "offentlighets- och sekretesslagen. "
        "Inget har sparats. "
        f"{rephrase}"
    )


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum that the last digit of a Swedish identity number carries (over its 10-digit form)."""
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid_date(month: int, day: int, leap: bool) -> bool:
    if not 1 <= month <= 12 or not 1 <= day <= _DAYS_IN_MONTH[month - 1]:
        return False
    return leap or (month, day) != (2, 29)


def _identity_kind(match: re.Match[str]) -> str | None:
    """'personnummer', 'samordningsnummer' (day + 60) or None when the date or the checksum does not hold."""
    date, tail, century, sep = match["date"], match["tail"], match["century"], match["sep"]
    if century is None and date.startswith("070") and not sep:
        return None  # 0701234567: a mobile number, left to the phone rule
    yy, month, day = int(date[:2]), int(date[2:4]), int(date[4:6])
    kind = "personnummer"
    if day > 60:
        day -= 60
        kind = "samordningsnummer"
    if century:
        year = int(century + date[:2])
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    else:
        leap = yy % 4 == 0  # some century has the leap day (00: 2000)
    if not _valid_date(month, day, leap) or not luhn_valid(date + tail):
        return None
    return kind


def _plausible_phone(match: re.Match[str]) -> bool:
    """8-10 digits in national form, exactly 10 for a mobile; not a date, not opening hours ("08-10 13-15")."""
    if _DATE_LIKE.fullmatch(match.group()):
        return False
    national = match.group()[len(match["intl"] or ""):]
    separators = _GROUP_SEPARATORS.findall(national)
    if len(set(separators[1:])) > 1:
        return False
    if _AFTER_DASH.search(national):
        return False  # 010229-9872 is shaped like an identity number (whose checksum failed), not a phone number
    digits = "".join(ch for ch in match.group() if ch.isdigit())
    if match["intl"]:
        prefix = "0046" if match["intl"].startswith("00") else "46"
        digits = "0" + digits[len(prefix):]
        if digits.startswith("00"):  # "+46 (0)70 …": the (0) was read as part of the number
            digits = digits[1:]
    if digits.startswith("07"):
        return len(digits) == 10
    return 8 <= len(digits) <= 10


def _is_plate(match: re.Match[str]) -> bool:
    return match["letters"].casefold() not in _NOT_PLATE


def _classes_and_ages(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Where class tokens ("8B", "klass 7c") and school ages ("14 år", "13-åring") stand, each in order."""
    return [m.span() for m in _CLASS.finditer(text)], [m.span() for m in _AGE.finditer(text) if _school_age(m)]


def _class_with_age(text: str, classes: list[tuple[int, int]], ages: list[tuple[int, int]]) -> bool:
    """A class token and a school age within a few words, in one sentence."""
    if not classes or not ages:
        return False
    starts = [start for start, _ in ages]
    for c_start, c_end in classes:
        i = bisect_left(starts, c_end)
        if i < len(ages) and _near(text[c_end:ages[i][0]]):
            return True
        if i > 0 and ages[i - 1][1] <= c_start and _near(text[ages[i - 1][1]:c_start]):
            return True
    return False


def _school_age(match: re.Match[str]) -> bool:
    return match["n"] is None or int(match["n"]) in _SCHOOL_AGES


def _near(gap: str) -> bool:
    if len(gap) > 80 or any(ch in gap for ch in ".!?\n"):
        return False
    return len(_GAP_WORD.findall(gap)) <= _MAX_GAP_WORDS
