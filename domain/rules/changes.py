"""How far back "ångra" reaches: a day, so a slip is still undone the next morning, while older changes are
corrected in the open (and kept as history) instead of silently stepped back."""

from __future__ import annotations

from datetime import datetime, timedelta

UNDO_WINDOW = timedelta(hours=24)
UNDO_WINDOW_TEXT = "24 timmar"


def may_still_undo(changed_at: datetime, now: datetime) -> bool:
    return now - changed_at <= UNDO_WINDOW
