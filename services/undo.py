"""”ångra”: the member's own last change, read from the audit log, and its undo as one transaction.

The words for each kind of change live with the conversation (``dialogs.undo_plans``), which hands a
*planner* to these use cases: given the unit of work and the audit entry, it says what the change was, why
it cannot be undone, or how to undo it. These functions do the reading, the re-check on "ja" (the entry
must still be the member's last change), the undo, its ``change.undone`` entry and the one commit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from domain.situation import Situation
from services.unit_of_work import UnitOfWork
from storage.changes import UNDONE, ChangeLog
from storage.models import AuditEntry


@dataclass
class Plan:
    what: str  # "att du sköt upp åtgärd #8 från 4 dec till 11 dec"
    problem: str | None = None  # the whole reply when it cannot be undone
    undo: Callable[[], Awaitable[str]] | None = None  # does it in the unit of work; the reply


Planner = Callable[[UnitOfWork, ChangeLog, AuditEntry, Situation], Awaitable[Plan]]


class UndoRefused(Exception):
    """Nothing was undone; the message is the Swedish reply."""


@dataclass(frozen=True)
class LastChange:
    entry_id: int  # the audit entry the question is about, checked again on "ja"
    plan: Plan


async def last_change(uow: UnitOfWork, situation: Situation, planner: Planner) -> LastChange | None:
    """The asker's latest change not yet undone, planned; None when there is nothing. Reads only."""
    changes = ChangeLog(uow.session)
    entry = await changes.last_change(situation.asker.member_id)
    if entry is None:
        return None
    return LastChange(entry.id, await planner(uow, changes, entry, situation))


async def undo_last_change(uow: UnitOfWork, situation: Situation, asked: int, planner: Planner) -> str:
    """Undoes entry ``asked`` if it is still the asker's last change and still undoable; the reply."""
    changes = ChangeLog(uow.session)
    entry = await changes.last_change(situation.asker.member_id)
    if entry is None or entry.id != asked:
        raise UndoRefused("Något har ändrats sedan jag frågade, så jag ångrar inget. Skriv ”ångra” igen om du vill.")
    plan = await planner(uow, changes, entry, situation)
    if plan.problem or plan.undo is None:
        raise UndoRefused(plan.problem or "Det kan jag inte ångra.")
    reply = await plan.undo()
    await uow.record(UNDONE, entry.subject_type, entry.subject_id, undid=entry.id, change=entry.action)
    await uow.commit()
    return reply
