"""Questions to the log (the lägesbild, comparisons) and everyday questions that are not its business."""

from __future__ import annotations

import re
from typing import Any

from dialogs.nlu import catalog
from dialogs.nlu.places import find_place
from dialogs.nlu.reading import Understanding
from dialogs.nlu.rules.message import Message, filled, span_of
from dialogs.nlu.slots import capitalised_words
from domain.text import fold

SITUATION = re.compile(r"\b(?:lagesbild\w*|laget|lage|hur ser (?:det|laget) ut|vad (?:har )?hant|vad hande"
                        r"|situation\w*|overview|what happened)\b")


# A question to the log rather than an entry for it: "hur många klotterfall på Haganässkolan v 46", "har vi fått
# in något om hot mot personal", "något loggat från Folkets park i natt?".
ASKS_THE_LOG = re.compile(r"^(?:hur (?:manga|mycket|vanligt|ofta|utbrett)|har (?:vi|ni|det|nagon) (?:fatt|kommit"
                           r"|varit|hant|loggats|rapporterats|sett|noterat)|vad har (?:loggats|rapporterats|hant"
                           r"|kommit in|ni sett|vi sett|ni fatt|vi fatt)|finns det (?:nagot|nagra|fler|manga)"
                           r"|(?:nagot|nat|nagonting) (?:nytt|loggat|rapporterat|om|fran|pa|vid|i)"
                           r"|nagra (?:nya|loggade)"
                           r"|any(?:thing)?|how many|is there|are there|what has)\b|\?\s*$"
                           r"|^(?:antal|sammanfattning|sammanstallning|summering|oversikt|overview|summary)\b(?![^:]*:)"
                           r"|^vilk(?:a|en|et)\b.{0,40}?\b(?:har|ar|sker|hander|finns)\b.*"
                           r"\b(?:mest|flest|minst|oftast|varst|vanligast|storst|hogst)\b")


# Everyday questions a colleague might type into the wrong chat: opening hours, buses, weather, the phone
# switchboard, the lunch menu, office IT. Not the log's business even when they name a place and a day
# ("när stänger apoteket i centrum idag"), so they are not offered as a lägesbild.
OFF_TOPIC = re.compile(
    r"\boppettid\w*|\bhar (?!atgard|punkt|uppgift|arend|plan|vi\b|ni\b|du\b|jag\b|det\b)(?:\w+ ){1,3}oppet\b"
    r"|\bar (?!atgard|punkt|uppgift|arend|plan)(?:\w+ )?\w+(?:en|et|n)(?: i \w+)? (?:oppet|oppen)\b"
    r"|\b(?:nar|vilken tid) (?:oppnar|stanger)\b|\b(?:nar|vilken tid) gar (?:\w+ )?(?:bussen|taget|buss|tag)\b"
    r"|\b(?:snoar|regnar|blaser) det\b|\bkommer det (?:sno|regn|storm)\w*|\bsnorojning\w*|\bintranatet\b"
    r"|\bblir det (?:halt|sno|regn|kallt|varmt|minusgrader)\b|\bvadret\b"
    r"|\bvaderprognos\w*|\bplogas\b|\bskolmeny\w*|\bmatsedel\w*|\bsoporna\b|\bsophamtning\w*"
    r"|\btelefonnummer\w*|\bvaxelnummer\w*|\bboka (?:\w+ )?(?:konferensrum\w*|motesrum\w*|lokal\w*|tolk)\b"
    r"|\bheadset\w*|\bhur (?:gor|tar) (?:jag|man) en skarmdump|\blosenord\w*|\bskrivaren\b|\bovertid\b"
    r"|\blonespec\w*"
    r"|\bsemesteransok\w*|\btranslate\b|\bopening hours\b|\bweather\b")


# A comparison and what it is compared with: "jämfört med förra året", "jämför ANDTS i höst med i fjol" (the
# period before "med" is the lägesbild's own), "fler än i oktober", "mot samma period i fjol". "mot" alone is
# "against" far more often ("hot mot personal"), so it compares only when a time follows.
_MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
_COMPARE = re.compile(r"\b(?:jamfort|jamforelse|jmf|jfr|jamf|compared)\b(?: med| mot| to| with)?\s+(?P<what>.*)$"
                      r"|\b(?:jamfor|compare)\b(?:.*?\b(?:med|mot|with|to)\b)?\s+(?P<with>.*)$"
                      r"|\b(?:mot|vs|versus)\s+(?P<against>(?:forra|forr|fjol|i fjol|ifjol|fjolaret|samma|aret|last"
                      rf"|previous|{_MONTHS}|\d).*)$"
                      r"|\b(?:mer|fler|farre|mindre|storre|hogre|lagre|more|less|fewer)\b.*?\b(?:an|than)\s+"
                      r"(?P<than>.*)$")
_PREVIOUS_YEAR = re.compile(r"\b(?:forra aret|i fjol|ifjol|fjolaret|forra (?:hosten|varen|sommaren|vintern"
                            r"|terminen|nyaret|julen|valborg|midsommar)|(?:hosten|varen|sommaren|vintern) innan"
                            r"|samma (?:period|tid|manad|vecka)"
                            r"|aret innan|arets? före|last year)\b")


_ALL_OF_A_KIND = re.compile(r"[a-z]+(?:orna|erna|arna)|[a-z]*(?:skolor|platser|stallen|omraden|parker|byar)")


def read_situation(message: Message) -> Understanding:
    """The lägesbild's focus area, period and place, and a comparison ('jämfört med förra året')."""
    compare = _COMPARE.search(message.folded)
    compared_words: set[int] = set()
    slots: dict[str, Any] = {}
    if compare is not None:
        group = next(name for name in ("what", "with", "against", "than") if compare[name] is not None)
        slots["compare"] = "previous_year" if _PREVIOUS_YEAR.search(compare[group]) else "previous_period"
        offset = len(message.folded[:compare.start(group)].split())
        compared_words = set(range(offset, len(message.words)))
    focus = message.focus
    period, time_words = message.time("past", message.focus_words | compared_words)
    slots.update(filled(focus_area=focus.code if focus else None, period=period))
    taken = message.focus_words | time_words | compared_words
    every_focus_word = set().union(*(span_of(m) for m in catalog.find(
        message.words.folded, catalog.focus_area_terms(message.config))))
    place = find_place(message.words, taken | every_focus_word, message.config)
    if place is not None and place.start == 1 and message.words.folded[0] in ("vilka", "vilken", "vilket", "which"):
        # "vilken skola har flest …" asks which one; "vilka platser i Diö …" is about Diö
        place = find_place(message.words, taken | every_focus_word | {1}, message.config)
    if place is None:
        written = capitalised_words(message.words, taken | every_focus_word)
        slots.update(filled(place=written[0] if written else None))
    elif not _ALL_OF_A_KIND.fullmatch(fold(place.text)):  # "på skolorna": every school, not a place filter
        slots["place"] = place.text
    return Understanding("show_situation", slots)
