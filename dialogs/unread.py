"""Saying what could not be read: a date-like part of a message is named, never replaced by a neighbour."""

from __future__ import annotations

from dialogs.nlu import Unread

_SLOT_WORDS = {"due": "ett slutdatum", "when": "en tid", "period": "en period", "until": "en tid", "to": "en tid",
               "from": "en tid"}


def unread_text(parts: tuple[Unread, ...]) -> str:
    return "\n".join(_line(part) for part in parts)


def _line(part: Unread) -> str:
    what = _SLOT_WORDS.get(part.slot, "en tid")
    if part.why == "no_such_date":
        return f"Det finns inget datum ”{part.text}”. Vilket datum menar du?"
    if part.why == "no_break":
        return (f"”{part.text}” kan jag inte läsa som {what}: det lovet finns inte inlagt i samverkans "
                "konfiguration. Skriv datum eller vecka i stället, till exempel ”vecka 8”.")
    if part.why == "vague":
        return (f"”{part.text}” kan jag inte läsa som {what} – skriv till exempel ”senast 8 januari” eller "
                "”fredag kl 14”.")
    return f"”{part.text}” kan jag inte läsa som {what} – skriv till exempel ”fredag 4 december” eller ”v 50”."
