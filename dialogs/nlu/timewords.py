"""Swedish words for time, after folding (no case, no å/ä/ö): numbers, weekdays, months, parts of the day."""

from __future__ import annotations

NUMBER_WORDS = {
    "en": 1, "ett": 1, "tva": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "atta": 8, "nio": 9,
    "tio": 10, "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14, "femton": 15, "sexton": 16,
    "sjutton": 17, "arton": 18, "nitton": 19, "tjugo": 20, "trettio": 30,
}

ORDINAL_WORDS = {
    "forsta": 1, "andra": 2, "tredje": 3, "fjarde": 4, "femte": 5, "sista": -1,
}

# Monday is 0, as in datetime.weekday(); abbreviations people type on phones included.
WEEKDAYS = {
    "mandag": 0, "man": 0, "mon": 0, "monday": 0,
    "tisdag": 1, "tis": 1, "tue": 1, "tuesday": 1,
    "onsdag": 2, "ons": 2, "wed": 2, "wednesday": 2,
    "torsdag": 3, "tors": 3, "tor": 3, "thu": 3, "thursday": 3,
    "fredag": 4, "fre": 4, "fri": 4, "friday": 4,
    "lordag": 5, "lor": 5, "sat": 5, "saturday": 5,
    "sondag": 6, "son": 6, "sun": 6, "sunday": 6,
}

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "february": 2,
    "mars": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "maj": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "augusti": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}

# Parts of the day as [start hour, end hour) on the day they fall on (night: the day it ends).
PARTS_OF_DAY = {
    "natt": (0, 6), "natten": (0, 6), "inatt": (0, 6),
    "morgon": (6, 10), "morgonen": (6, 10), "morse": (6, 10), "imorse": (6, 10), "bitti": (6, 10),
    "formiddag": (10, 12), "formiddagen": (10, 12),
    "eftermiddag": (12, 18), "eftermiddagen": (12, 18),
    "kvall": (18, 24), "kvallen": (18, 24), "ikvall": (18, 24),
    "lunch": (11, 13), "lunchen": (11, 13), "lunchrasten": (11, 13),
}

SEASONS = {"var": (3, 3), "varen": (3, 3), "sommar": (6, 3), "sommaren": (6, 3), "host": (9, 3),
           "hosten": (9, 3), "vinter": (12, 3), "vintern": (12, 3)}

WEEKDAY_PATTERN = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))
NUMBER_PATTERN = r"\d{1,2}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))


def number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return NUMBER_WORDS.get(token)

