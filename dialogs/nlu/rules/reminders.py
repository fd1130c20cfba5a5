"""Reminders the user sets for themself, and the settings for the ones the bot sends."""

from __future__ import annotations

import re

from dialogs.nlu.reading import Understanding
from dialogs.nlu.rules.message import Message, filled

SETTING_NOT_BEFORE = re.compile(r"\b(?:inga|inte|ingen) (?:paminnelse\w*|notis\w*|meddelande\w*) (?:fore|innan)\b"
                                 r"|\bpaminnelse\w* (?:tidigast|forst|efter)\b|\bpaminn\w* (?:mig )?(?:aldrig|inte) "
                                 r"(?:fore|innan)\b|\bno reminders before\b")
SETTING_DIGEST = re.compile(r"\bveckosammanfattning\w*|\bveckobrev\w*|\bweekly digest\b"
                             r"|\bsammanfattning (?:varje|en gang i|per) vecka\b|\bveckovis sammanfattning\b")
SNOOZE = re.compile(r"\b(?:snooz\w*|slumra\w*|tysta\w*|vila)\b")


REMIND = re.compile(r"^(?:paminn|pamin|remind)\b|\bpaminnelse\b|\bpaminn\w* m(?:ig|ej)\b|\bremind me\b")
CANCEL_REMINDER = re.compile(r"\b(?:ta bort|radera|stryk|avboka|ateranropa|delete|remove|cancel|glom)\b.*"
                              r"\b(?:paminn\w*|reminder\w*)|\b(?:behover|vill) inte (?:bli )?(?:paminn\w*|pamind)\b"
                              r"|\bpaminnelse\w* (?:om \S+ )?(?:ar|kan) (?:inte aktuell|struken|tas bort)")
LIST_REMINDERS = re.compile(r"^(?:visa |lista |vilka |se )?(?:mina|alla mina|my|mina aktiva|kommande) "
                             r"(?:paminnelse\w*|reminders?)\W*$|\bvilka paminnelse\w* har jag\b")


def is_remind_command(folded: str) -> bool:
    """'påminn mig …', 'påmin mej …': a request that starts by asking for a reminder is one."""
    return bool(re.match(r"(?:kan du |snalla |please )?(?:paminn?|remind) (?:mig|mej|me)\b", folded))


_REMIND_TEXT = re.compile(r"\b(?:om att|att|om|about|to)\b\s+(?P<text>.+)$", re.IGNORECASE)
_REMIND_LEAD = re.compile(r"^(?:kan du |snalla |please |glom inte (?:att )?|kom ihag (?:att )?"
                          r"|(?:kan du )?(?:satt|lagg in|skapa|gor) (?:upp )?(?:en )?|en ny |ny )?"
                          r"(?:paminn\w*|pamin\w*|remind\w*)(?: mig| mej| me)?\b", re.IGNORECASE)


def read_remind(message: Message) -> Understanding:
    """'påminn mig imorgon kl 9 om att ringa skolan', 'påminnelse: ring skolan imorgon kl 8'."""
    interval, time_words = message.time("future")
    words = message.words
    lead = _REMIND_LEAD.match(message.folded)
    first = len(lead[0].split()) if lead is not None else 0
    # The text as written, without the time: what the privacy guard screens is what is stored.
    pieces, start = [], first
    for index in sorted(time_words) + [len(words)]:
        if index > start:
            pieces.append(words.written(start, index))
        start = max(start, index + 1)
    text = " ".join(piece.strip() for piece in pieces if piece.strip())
    if lead is not None and text.startswith(":"):
        text = text[1:]  # "ny påminnelse: ring räddningstjänsten om eldningen": all of it is what to do
    else:
        match = _REMIND_TEXT.match(text) or _REMIND_TEXT.search(text)
        text = match["text"] if match else text
    text = text.strip(" :,.-")
    text = re.sub(r"^(?:mig|me)\b\s*[:,]?\s*", "", text, flags=re.IGNORECASE).strip(" :,.-")
    return Understanding("remind_me", filled(when=interval, text=text or None))


_NUMBER_WORDS = {"ett": "1", "en": "1", "tva": "2", "tre": "3", "fyra": "4", "fem": "5", "sex": "6", "sju": "7",
                 "atta": "8", "nio": "9", "tio": "10", "forsta": "1", "andra": "2", "tredje": "3", "fjarde": "4",
                 "femte": "5", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "first": "1",
                 "second": "2", "third": "3"}
# The reminder's number in "mina påminnelser": "påminnelse #8", "reminder 4", "påminnelse tre", "den första
# påminnelsen", "ta bort 2".
_REMINDER_NUMBER = re.compile(r"\b(?:paminnelse\w*|reminder\w*|nr|nummer)\s*(?:nr|nummer)?\s*#?\s*"
                              rf"(?P<n>\d{{1,3}}|{'|'.join(_NUMBER_WORDS)})\b|#\s*(?P<h>\d{{1,3}})\b"
                              r"|\b(?P<o>forsta|andra|tredje|fjarde|femte|first|second|third)"
                              r" (?:paminnelsen|reminder)\b"
                              r"|^(?:ta bort|radera|stryk|avbryt|delete|remove|cancel) (?P<m>\d{1,3})$")
# "påminnelsen om X behövs inte längre", "… kan du ta bort": what is said about the reminder, not its name.
_NO_LONGER = re.compile(r"\s+(?:längre|langre|behövs inte|behovs inte|är inte aktuell|ar inte aktuell|kan du ta bort"
                        r"|ta bort den|kan tas bort|är klar|ar klar|är fixad|ar fixad|är gjord|ar gjord)\b.*$",
                        re.IGNORECASE)
_REMINDER_ABOUT = re.compile(r"\b(?:om att|om|att|about)\s+(?P<text>.+)$", re.IGNORECASE)


def read_cancel_reminder(message: Message) -> Understanding:
    number = _REMINDER_NUMBER.search(message.folded)
    if number:
        found = next(number[group] for group in ("n", "h", "o", "m") if number[group])
        return Understanding("cancel_reminder", {"ref": _NUMBER_WORDS.get(found, found)})
    text = message.words.text(0, len(message.words))
    about = _REMINDER_ABOUT.search(_NO_LONGER.sub("", text.split(",")[0]))
    when, _ = message.time("future")
    return Understanding("cancel_reminder", filled(text=about["text"].strip(" .!?") if about else None, when=when))
