"""The observation log as a user changes and reads it: log, show with history, remove, restore, list, correct.

Each function is one transaction on a ``UnitOfWork``: it checks the rule (``domain.rules.observations``),
writes, records the audit entry and commits. A refusal is an ``ObservationRefused`` whose message is the
Swedish reply; the dialog renders what comes back (rows are loaded with their focus area and author).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from domain.rules.access import (
    NOT_OWN_TEXT,
    SHARED_SENSITIVE_TEXT,
    may_see_observation,
    may_see_sensitive,
    sensitive_text,
)
from domain.rules.observations import may_correct, may_restore, may_undo
from domain.situation import Situation
from domain.vocabulary import PARTY_NAMES
from services.access import record_refusal
from services.unit_of_work import UnitOfWork
from storage.models import Observation
from storage.observations import ObservationDraft

# The columns a correction of one field (as the user names it) replaces.
CORRECTED_COLUMNS = {
    "focus_area": ("focus_area",),
    "when": ("occurred_start", "occurred_end"),
    "place": ("place", "place_key"),
    "description": ("description",),
    "kind": ("kind",),
    "source_party": ("source_party",),
}


class ObservationRefused(Exception):
    """Nothing was changed; the message is the Swedish reason."""


@dataclass(frozen=True)
class Logged:
    number: int
    created: bool  # False: the same draft was saved before, nothing new


def missing(number: int | str) -> str:
    return f"Det finns ingen observation #O{number}."


async def _audit(uow: UnitOfWork, action: str, number: int, **detail) -> None:
    await uow.record(action, "observation", f"O{number}", **detail)


async def log_observation(uow: UnitOfWork, draft: ObservationDraft, *, idempotency_key: str) -> Logged:
    """Saves the draft with its audit entry; a second save with the same key is a no-op (a card sent twice)."""
    author = await uow.author()
    row, created = await uow.observations.add(draft, author, at=uow.actor.now, idempotency_key=idempotency_key)
    if created:
        await _audit(uow, "observation.created", row.number, focus_area=draft.focus_area, kind=row.kind,
                     version=row.id)
    await uow.commit()
    return Logged(row.number, created)


async def view_observation(uow: UnitOfWork, number: int, situation: Situation | None = None, *,
                           shared: bool = False) -> list[Observation]:
    """Every version, oldest first (empty when there is none); a look at a kept observation is audited.

    With the asker's ``situation``: a reporter sees only what they logged, and a ``känslig`` observation only
    its party's members and admins, and never in a ``shared`` conversation (a channel, a room); a refusal is
    audited and raised as ``ObservationRefused``."""
    versions = await uow.observations.history(number)
    if versions and situation is not None:
        first, current = versions[0], versions[-1]
        if not may_see_observation(situation.asker, first.author_member_id):
            await record_refusal(uow, situation, "show_observation", "not_own")
            raise ObservationRefused(NOT_OWN_TEXT)
        if current.sensitive and not may_see_sensitive(situation.asker, first.author_party):
            await record_refusal(uow, situation, "show_observation", "sensitive")
            raise ObservationRefused(sensitive_text(number, PARTY_NAMES.get(first.author_party, first.author_party)))
        if current.sensitive and shared:
            await record_refusal(uow, situation, "show_observation", "sensitive_shared")
            raise ObservationRefused(SHARED_SENSITIVE_TEXT.format(number=number))
    if versions:
        await _audit(uow, "observation.viewed", number)
        await uow.commit()
    return versions


async def delete_observation(uow: UnitOfWork, situation: Situation, number: int) -> Observation:
    """Removed, not destroyed: by the author within 15 minutes; restorable with ``restore_observation``."""
    row = await uow.observations.current(number)
    if row is None or row.deleted_at is not None:
        raise ObservationRefused(missing(number) if row is None else f"#O{number} är redan borttagen.")
    if not may_undo(row.created_at, row.author_member_id, situation.asker.member_id, situation.now):
        raise ObservationRefused(
            f"#O{row.number} kan bara tas bort av den som loggade den, inom 15 minuter. Rätta den i stället "
            f"med till exempel ”ändra #O{row.number} plats till …” – rättelsen sparas som historik.")
    await uow.observations.delete(row, at=situation.now)
    await _audit(uow, "observation.deleted", row.number, version=row.id)
    await uow.commit()
    return row


async def restore_observation(uow: UnitOfWork, situation: Situation, number: int) -> Observation:
    """A removed observation back in lists and the lägesbild, by its author or an admin."""
    versions = await uow.observations.history(number)
    if not versions:
        raise ObservationRefused(missing(number))
    current = versions[-1]
    if current.deleted_at is None:
        raise ObservationRefused(
            f"#O{number} är inte borttagen, så det finns inget att återställa (”visa #O{number}” visar den).")
    if not may_restore(versions[0].author_member_id, situation.asker.member_id, situation.asker.is_admin):
        raise ObservationRefused(f"Bara den som loggade #O{number} eller en administratör kan återställa den.")
    await uow.observations.restore(current)
    await _audit(uow, "observation.restored", number, version=current.id)
    await uow.commit()
    return current


async def list_observations(uow: UnitOfWork, situation: Situation, *, start: datetime | None = None,
                            end: datetime | None = None, focus_area: str | None = None,
                            limit: int = 10) -> tuple[list[Observation], int]:
    """The asker's own live observations, newest first, and how many there are; the look is audited."""
    rows, total = await uow.observations.by_author(
        situation.asker.member_id, start=start, end=end, focus_area=focus_area, limit=limit)
    await uow.record("observations.listed", "observation", count=len(rows), own=True)
    await uow.commit()
    return rows, total


async def mark_sensitive(uow: UnitOfWork, situation: Situation, number: int, sensitive: bool) -> Observation:
    """"markera #O12 som känslig": by its author or an admin; who may read it changes, not what it says."""
    versions = await uow.observations.history(number)  # oldest first: the last is the current version
    row = versions[-1] if versions else None
    if row is None or row.deleted_at is not None:
        raise ObservationRefused(missing(number))
    if not may_correct(versions[0].author_member_id, situation.asker.member_id, situation.asker.is_admin):
        raise ObservationRefused(
            f"Bara den som loggade #O{number} eller en administratör kan ändra om den är känslig.")
    if row.sensitive != sensitive:
        await uow.observations.mark_sensitive(row, sensitive)
        await _audit(uow, "observation.sensitivity_changed", number, sensitive=sensitive, version=row.id)
        await uow.commit()
    return row


async def correct_observation(uow: UnitOfWork, situation: Situation, number: int, field: str,
                              revise: Callable[[Observation], ObservationDraft | str]) -> Observation:
    """A new version of ``number`` with ``field`` changed, by its author or an admin; the old one stays.

    ``revise`` reads the user's new value against the current version (no I/O): the saved form of the
    corrected observation, or the Swedish reason the value was refused."""
    row = await uow.observations.current(number)
    if row is None or row.deleted_at is not None:
        raise ObservationRefused(missing(number))
    if not may_correct(row.author_member_id, situation.asker.member_id, situation.asker.is_admin):
        raise ObservationRefused(f"Bara den som loggade #O{number} eller en administratör kan rätta den.")
    new = revise(row)
    if isinstance(new, str):
        raise ObservationRefused(new)
    changes = {key: getattr(new, key) for key in CORRECTED_COLUMNS[field]}
    corrected = await uow.observations.correct(row, changes, await uow.author(), at=situation.now)
    await _audit(uow, "observation.corrected", number, field=field, version=corrected.id)
    await uow.commit()
    return corrected
