"""What understanding returns: the intent, its slots, how sure it is, and what it could not read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Unread:
    """A part of the message that looks like a date, an owner or a place but could not be read.

    ``why`` is ``vague`` ("efter jul"), ``no_such_date`` ("30 februari"), ``no_break`` (a school break the
    collaboration file does not have) or ``unknown`` (looks like one, reads as none)."""

    slot: str
    text: str
    why: str

    def as_json(self) -> dict[str, str]:
        return {"slot": self.slot, "text": self.text, "why": self.why}


@dataclass(frozen=True)
class Understanding:
    intent: str
    slots: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0
    alternatives: tuple[str, ...] = ()  # other likely intents, best first, when the reading is unsure
    unread: tuple[Unread, ...] = ()

    @property
    def unsure(self) -> bool:
        return bool(self.alternatives)
