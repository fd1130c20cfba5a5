"""Refusals by access level (``domain.rules.access``): the Swedish reason, and an audit entry naming the intent.

The entry records what was asked for (the intent), never the message's text: a reader's "logga …" sentence is
not stored because it was refused.
"""

from __future__ import annotations

from domain.rules.access import level, may, refusal
from domain.situation import Situation
from services.unit_of_work import UnitOfWork


async def record_refusal(uow: UnitOfWork, situation: Situation, intent: str, reason: str = "access") -> None:
    await uow.record("access.refused", "intent", intent, access=level(situation.asker), reason=reason)
    await uow.commit()


async def refused(uow: UnitOfWork, situation: Situation, intent: str) -> str | None:
    """None when the asker may do ``intent``; otherwise the refusal, audited and committed."""
    access = level(situation.asker)
    if may(access, intent):
        return None
    await record_refusal(uow, situation, intent)
    return refusal(access, intent, situation.collaboration.contact)
