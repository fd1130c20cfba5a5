"""Intent recognition for what the bot answers today: help and greetings, and the agreement's facts.

Patterns are written on folded text (no case, no diacritics), so "vilka fokusomraden" and
"Vilka fokusområden?" read alike. Everything else is ``unknown``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dialogs.nlu.text import fold

MAX_UNDERSTOOD_CHARS = 2000


@dataclass(frozen=True)
class Understanding:
    intent: str
    slots: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0


_HELP = re.compile(
    r"^(?:hjalp|help|hj[a-z]*lp|\?+|meny|kommandon|commands|hej|hejsan|halla|tja|tjena|god ?(?:morgon|dag|kvall)"
    r"|hello|hi|hey|vad kan du(?: gora| hjalpa (?:mig )?med)?|hur funkar (?:du|det)|what can you do)\W*$"
)

# topic -> patterns on folded text; order matters only for overlapping phrasings.
_AGREEMENT_TOPICS: list[tuple[str, re.Pattern[str]]] = [
    ("renewal", re.compile(r"\b(?:forlang\w*|fornya\w*|ny overenskommelse|renew\w*|(?:nar )?(?:gar|loper) "
                           r"(?:overenskommelsen|avtalet) ut|utgang\w*)")),
    ("lagesbild_update", re.compile(r"\b(?:uppdater\w* (?:av )?(?:den )?(?:gemensamma )?lagesbild\w*"
                                    r"|lagesbild\w* (?:ska |skall )?(?:uppdateras|revideras|tas fram))")),
    ("follow_up", re.compile(r"\b(?:uppfoljning\w*|folja upp|foljas upp|follow[- ]?up)\b")),
    ("focus_areas", re.compile(r"\b(?:fokusomrad\w*|prioriterade (?:samverkans)?omrad\w*|focus areas?)\b")),
    ("forums", re.compile(r"\b(?:forum|foren|forumen|samverkansforum\w*|forums|motesforum\w*)\b")),
    ("agreement", re.compile(r"\b(?:samverkansoverenskommelse\w*|overenskommelse\w*|avtal\w*|agreement)\b")),
]


def understand(text: str, now: datetime | None = None, config: Any = None) -> Understanding:
    """Read one message. ``now`` and ``config`` are part of the contract for time and catalogue slots."""
    folded = fold(text or "").strip()
    if not folded or len(folded) > MAX_UNDERSTOOD_CHARS:
        return Understanding("unknown", confidence=0.0)
    folded = re.sub(r"\s+", " ", folded)
    if _HELP.match(folded):
        return Understanding("help")
    for topic, pattern in _AGREEMENT_TOPICS:
        if pattern.search(folded):
            return Understanding("agreement_info", {"topic": topic})
    return Understanding("unknown", confidence=0.0)
