"""What a user is told when a turn fails: plain Swedish, never a stack trace, and the truth that nothing
was saved (every write of a turn is one transaction, and dialog state is only saved after success)."""

from __future__ import annotations

import logging

from botbuilder.core import MessageFactory, TurnContext

from domain.collaboration import Collaboration
from storage import is_unavailable

log = logging.getLogger(__name__)

DATABASE_DOWN_TEXT = (
    "Jag kan inte spara eller hämta något just nu eftersom databasen inte svarar. "
    "Inget har sparats – försök igen om en stund."
)


def failure_text(collaboration: Collaboration) -> str:
    return (
        "Något gick fel hos mig och inget har sparats. Försök igen om en stund. "
        f"Om felet kvarstår, kontakta {collaboration.contact}."
    )


def turn_error_handler(collaboration: Collaboration):
    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        if is_unavailable(error):
            log.warning("database unavailable during a turn: %s", error)
            text = DATABASE_DOWN_TEXT
        else:
            log.exception("turn failed", exc_info=error)
            text = failure_text(collaboration)
        try:
            await turn_context.send_activity(MessageFactory.text(text))
        except Exception:  # the channel itself may be what failed; the log has the cause
            log.exception("could not tell the user that the turn failed")

    return on_turn_error
