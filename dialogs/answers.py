"""Yes and no as people write them to a question: "ja", "ja det stämmer", "stämmer, spara", "👍", "nej tack".

One reading for every question the bot asks, so a confirmation is not understood in one conversation and
missed in the next. An answer that also asks for a change ("ja men ändra tiden") is neither.
"""

from __future__ import annotations

import re

from dialogs.nlu import fold

_YES_WORDS = frozenset({"ja", "japp", "jepp", "jo", "jajamen", "yes", "y", "j", "ok", "okej", "okey", "oki", "spara",
                        "stammer", "korrekt", "ratt", "absolut", "precis", "visst", "kor", "perfekt", "toppen",
                        "bra", "sure", "yep", "yeah", "save"})
_YES_SIGNS = frozenset({"✅", "👍", "✔", "✔️", "☑️", "👌"})
_NO_WORDS = frozenset({"nej", "nope", "no", "slang", "nae", "icke", "avsta"})
_NO_SIGNS = frozenset({"❌", "👎"})
# Folded answers that skip an optional question ("vet inte" for a place, "-" for a reason).
SKIP_WORDS = frozenset({"-", "vet ej", "vet inte", "ingen", "inget", "ingen plats", "hoppa over", "hoppa",
                        "skippa", "okand", "nej", "pass"})
_BUT = re.compile(r"\b(?:men|andra|ratta|byt|fel|inte|utom|fast|istallet|but|change)\b")
_WORD = re.compile(r"[^\W\d_]+|[✅👍✔☑👌❌👎]")


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text or ""))


def is_yes(text: str) -> bool:
    """'ja', 'ja det stämmer', 'stämmer, spara', 'ok spara den', '👍' (not 'ja men ändra tiden')."""
    stripped = (text or "").strip()
    if stripped in _YES_SIGNS:
        return True
    words = _words(stripped)
    if not words or len(words) > 6 or words[0] not in _YES_WORDS:
        return False
    return not _BUT.search(" ".join(words[1:]))


def is_no(text: str) -> bool:
    """'nej', 'nej tack', 'släng det', '❌'."""
    stripped = (text or "").strip()
    if stripped in _NO_SIGNS:
        return True
    words = _words(stripped)
    return bool(words) and len(words) <= 4 and words[0] in _NO_WORDS
