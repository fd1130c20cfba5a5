"""What a user is told when a turn fails: plain Swedish, never a stack trace, and the truth about what was
saved. Each thing a user does is one transaction (``services.UnitOfWork``); a commit marks the turn, so a
failure before it says "inget har sparats" and a failure after it says the change was saved."""

from __future__ import annotations

import logging

from botbuilder.core import MessageFactory, TurnContext

from dialogs.context import saved_this_turn
from domain.collaboration import Collaboration
from storage import is_unavailable

log = logging.getLogger(__name__)

DATABASE_DOWN_TEXT = (
    "Jag kan inte spara eller hämta något just nu eftersom databasen inte svarar. "
    "Inget har sparats – försök igen om en stund."
)


SAVED_THEN_FAILED_TEXT = (
    "Det du gjorde har sparats, men sedan gick något fel hos mig innan jag hann svara klart. "
    "Gör det inte igen – fråga i stället till exempel ”mina åtgärder” eller ”visa mina observationer” "
    "för att se hur det blev."
)


def failure_text(collaboration: Collaboration, *, saved: bool = False) -> str:
    if saved:
        return f"{SAVED_THEN_FAILED_TEXT} Om felet kvarstår, kontakta {collaboration.contact}."
    return (
        "Något gick fel hos mig och inget har sparats. Försök igen om en stund. "
        f"Om felet kvarstår, kontakta {collaboration.contact}."
    )


def turn_error_handler(collaboration: Collaboration):
    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        saved = saved_this_turn(turn_context)
        if is_unavailable(error) and not saved:
            log.warning("database unavailable during a turn: %s", error)
            text = DATABASE_DOWN_TEXT
        else:
            log.exception("turn failed after a commit" if saved else "turn failed", exc_info=error)
            text = failure_text(collaboration, saved=saved)
        try:
            await turn_context.send_activity(MessageFactory.text(text))
        except Exception:  # the channel itself may be what failed; the log has the cause
            log.exception("could not tell the user that the turn failed")

    return on_turn_error
