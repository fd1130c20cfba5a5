"""The conversation's gate: a reader or a reporter asking for what their access level does not allow gets the
reason and nothing else (``domain.rules.access``); the refusal is audited by ``services.access``."""

from __future__ import annotations

from dialogs.context import unit_of_work
from dialogs.replies import send
from domain.rules.access import level, may
from domain.situation import Situation
from services import access


async def refusal_for(turn_context, situation: Situation, intent: str) -> str | None:
    """None when the asker may do ``intent``; otherwise the reason, audited."""
    if may(level(situation.asker), intent):  # the common case touches no database
        return None
    async with unit_of_work(turn_context, situation) as uow:
        return await access.refused(uow, situation, intent)


async def permitted(turn_context, situation: Situation, intent: str) -> bool:
    """True when the asker may do ``intent``; otherwise says why, audits it, and returns False."""
    reason = await refusal_for(turn_context, situation, intent)
    if reason is not None:
        await send(turn_context, reason)
    return reason is None

