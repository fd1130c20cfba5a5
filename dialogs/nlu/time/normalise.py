"""Normalising what people type: glued forms ("imorn", "igar"), English, ordinals, dashes."""

from __future__ import annotations

import re

from domain.text import fold

# --- normalising -------------------------------------------------------------------------------------

_GLUED = [
    (r"\bi ?gar\b", "igar"), (r"\bi ?(?:morgon|morn|morrn|morron)\b", "imorgon"), (r"\bi ?dag\b", "idag"),
    (r"\bi ?kvall\b", "ikvall"), (r"\bi ?natt\b", "inatt"), (r"\bi ?morse\b", "imorse"),
    (r"\bi ?forrgar\b", "iforrgar"), (r"\bi ?overmorgon\b", "iovermorgon"),
    (r"\bklockan\b", "kl"), (r"\bkl\.", "kl "), (r"\bvecka ?(?=\d)", "v "), (r"\bv\. ?", "v "),
    (r"\bv(\d)", r"v \1"), (r"\bkl ?([012]\d)([0-5]\d)\b", r"kl \1:\2"),
    # Abbreviations and everyday forms of parts of the day.
    (r"\b(?:em|e\.m\.?)(?=\s|$)", "eftermiddag"), (r"\b(?:fm|f\.m\.?)(?=\s|$)", "formiddag"),
    (r"\befter lunch(?:en)?\b", "eftermiddag"), (r"\befter (?:skolan|skoltid|skoldagen)\b", "eftermiddag"),
    (r"\b(?:under |pa )?formiddagsrasten\b", "formiddag"), (r"\b(?:under |pa )?eftermiddagsrasten\b", "eftermiddag"),
    (r"\b(?:under |pa |vid )(lunch(?:en|rasten)?)\b", r"\1"), (r"\bi eftermiddags\b", "idag eftermiddag"),
    (r"\bi formiddags\b", "idag formiddag"), (r"\btidigare (?:idag|i dag)\b", "idag"),
    (r"\bi helgen som var\b", "forra helgen"), (r"\btill veckan\b", "nasta vecka"),
    (r"\b(nasta|forra|denna) veckas\b", r"\1 vecka"), (r"\b(nasta|forra|denna) manads\b", r"\1 manad"),
    # "veckans läge", "månadens lägesbild", "dagens möte": the current one
    (r"\bveckans\b", "denna vecka"), (r"\bmanadens\b", "denna manad"), (r"\bdagens\b", "idag"),
    (r"\barets\b", "i ar"), (r"\b(?:det har|detta) aret\b", "i ar"), (r"\bden har (veckan|manaden)\b", r"denna \1"),
    (r"\bden har (hosten|varen|sommaren|vintern)\b", r"\1"),
    (r"\bv (\d{1,2}) (mandag|tisdag|onsdag|torsdag|fredag|lordag|sondag)\b", r"\2 v \1"),
    # "sista februari" is its last day, not the month (the month's first day would be silently wrong)
    (r"\b(?:den )?sista (?=(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november"
     r"|december)\b)", "sista dagen i "),
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
    (r"\b(?:this |the )?weekend\b", "helgen"), (r"\blast (?=[a-z]+day\b)", "i "), (r"\bon (?=[a-z]+day\b)", ""),
    (r"\bnext (?=[a-z]+day\b)", "nasta "), (r"\bat (?=\d)", "kl "), (r"\bweek (?=\d)", "v "),
    (r"\bin (\w+) (day|days)\b", r"om \1 dagar"), (r"\bin (\w+) (week|weeks)\b", r"om \1 veckor"),
    (r"\bin (\w+) (month|months)\b", r"om \1 manader"), (r"\bin (\w+) (hour|hours)\b", r"om \1 timmar"),
    (r"\bin (\w+) (minute|minutes)\b", r"om \1 minuter"), (r"\b(\w+) (day|days) ago\b", r"for \1 dagar sedan"),
    (r"\b(\w+) (week|weeks) ago\b", r"for \1 veckor sedan"), (r"\b(\w+) (hour|hours) ago\b", r"for \1 timmar sedan"),
    (r"\ban hour ago\b", "for en timme sedan"), (r"\bin an hour\b", "om en timme"),
    (r"\bin (?=[a-z]+$)", "i "), (r"\bevening\b", "kvall"), (r"\bmorning\b", "morgon"),
    (r"\bafternoon\b", "eftermiddag"), (r"\bnight\b", "natt"), (r"\bbefore christmas\b", "fore jul"),
    (r"\bchristmas eve\b", "julafton"), (r"\bchristmas\b", "jul"), (r"\bmidsummer\b", "midsommar"),
    (r"\bend of the month\b", "i slutet av manaden"), (r"\b(?:at the )?end of\b", "i slutet av"),
    (r"\b(?:at the )?beginning of\b", "i borjan av"), (r"\b(?:in )?(?:the )?middle of\b", "i mitten av"),
    (r"\bmid[- ](?=[a-z]+\b)", "i mitten av "), (r"\bone\b", "en"), (r"\btwo\b", "tva"),
    (r"\bthree\b", "tre"), (r"\bon the (\d{1,2})(?:st|nd|rd|th)\b", r"den \1"),
    (r"\b(\d{1,2}) ?pm\b", lambda m: f"kl {int(m[1]) % 12 + 12}"),
    (r"\b(\d{1,2}) ?am\b", r"kl \1"), (r"\bthe (\d{1,2})(?:st|nd|rd|th)\b", r"den \1"),
    (r"\b(\d{1,2})(?:st|nd|rd|th)\b", r"\1"),
]


_SHORT_DAYS = {"man": "mandag", "mon": "mandag", "tis": "tisdag", "ons": "onsdag", "tor": "torsdag", "tors": "torsdag",
               "fre": "fredag", "lor": "lordag", "son": "sondag"}


def normalise(text: str) -> str:
    folded = fold(text)
    folded = re.sub(r"[,!?;]", " ", folded)
    for pattern, replacement in _ENGLISH:
        folded = re.sub(pattern, replacement, folded)
    # "tisdagens rast" is that Tuesday's; "natt till sön" is the night to Sunday, short as people type it
    folded = re.sub(r"\b(mandag|tisdag|onsdag|torsdag|fredag|lordag|sondag)ens\b", r"\1", folded)
    # "fredagskvällen", "lördagsnatt", "måndagsmorgonen": the day and its part, as if written apart
    folded = re.sub(r"\b(mandag|tisdag|onsdag|torsdag|fredag|lordag|sondag)s(morgon|formiddag|eftermiddag|kvall|natt)"
                    r"(?:en)?\b", r"\1 \2", folded)
    folded = re.sub(r"\bnatt(?:en)? (till|mot) (man|mon|tis|ons|tors?|fre|lor|son)\b",
                    lambda m: f"natten {m[1]} {_SHORT_DAYS[m[2]]}", folded)
    folded = re.sub(r"(?<=\d):(e|a)\b", r"\1", folded)  # "3:e", "1:a": kept as ordinals ("3e")
    # "i söndags ca 18": an approximate bare number after a day is a clock time ("ca 20 ungdomar" is not)
    folded = re.sub(r"^(?P<day>.*\b(?:igar|idag|imorgon|ikvall|inatt|\w+dags|\w+dag|natt|kvall|morse)\b.*) "
                    r"(?:ca\.?|cirka|runt|omkring|ungefar|vid|typ) (?P<h>\d{1,2})$", r"\g<day> kl \g<h>", folded)
    folded = re.sub(r"^(?:ca\.?|cirka|runt|omkring|ungefar|vid|typ) (?P<h>\d{1,2}) (?P<day>igar|idag|ikvall|inatt"
                    r"|i \w+dags)$", r"\g<day> kl \g<h>", folded)  # "runt 14 idag"
    folded = _APPROXIMATE.sub(" ", folded)
    for pattern, replacement in _GLUED:
        folded = re.sub(pattern, replacement, folded)
    folded = re.sub(r"\s*[-\u2010-\u2015\u2212]\s*", "-", folded)  # hyphen, en and em dash, minus
    return " ".join(folded.split()).strip(" .")


