"""The observation log: adding, undoing and correcting observations, and reading them back for export.

Every change happens in the caller's session together with its audit entry, so an observation and the
record that it was written commit (or roll back) as one. Corrections add a version under the same number
rather than overwriting the row.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import FocusArea, Member, Observation
from storage.sequences import next_number

SEQUENCE = "observation"


@dataclass(frozen=True)
class ObservationDraft:
    """What is saved; ``place_key`` is the caller's folded form of ``place`` (for grouping and search)."""

    focus_area: str  # code
    kind: str
    occurred_start: datetime  # aware
    occurred_end: datetime | None
    description: str
    source_party: str
    place: str | None = None
    place_key: str | None = None
    sensitive: bool = False  # "känslig": shown only to the logging party's members and admins


CORRECTABLE = frozenset(f.name for f in fields(ObservationDraft))


class UnknownFocusArea(LookupError):
    pass


class ObservationRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def add(self, draft: ObservationDraft, author: Member, *, at: datetime,
                  idempotency_key: str | None = None) -> tuple[Observation, bool]:
        """Save a new observation with the next number; ``(row, created)``.

        With an ``idempotency_key`` already used (a card submitted twice, a retried request) the row saved
        the first time is returned and nothing is added. Caller commits.
        """
        if idempotency_key is not None:
            existing = await self.by_idempotency_key(idempotency_key)
            if existing is not None:
                return existing, False
        row = Observation(
            number=await next_number(self.session, SEQUENCE), author_member_id=author.id,
            author_party=author.party, created_at=at, idempotency_key=idempotency_key,
            **await self._columns(draft))
        # Check-then-insert is safe: turns in one conversation (where a card lives) are serialised, and the
        # unique key still refuses a duplicate if that ever fails; the whole turn then rolls back.
        self.session.add(row)
        await self.session.flush()
        return row, True

    async def by_idempotency_key(self, key: str) -> Observation | None:
        return await self.session.scalar(
            self._with_relations(select(Observation)).where(Observation.idempotency_key == key))

    async def current(self, number: int) -> Observation | None:
        """The current version of observation ``number`` (also when undone: callers check ``deleted_at``)."""
        return await self.session.scalar(self._with_relations(select(Observation)).where(
            Observation.number == number, Observation.replaced_at.is_(None)))

    async def by_author(self, member_id: int, *, start: datetime | None = None, end: datetime | None = None,
                        focus_area: str | None = None, limit: int = 10) -> tuple[list[Observation], int]:
        """The live observations ``member_id`` logged (first version theirs), newest first, and how many there are."""
        logged = select(Observation.number).where(Observation.author_member_id == member_id,
                                                  Observation.supersedes_id.is_(None))
        conditions = [Observation.number.in_(logged), Observation.replaced_at.is_(None),
                      Observation.deleted_at.is_(None)]
        if start is not None and end is not None:
            # "vad har jag loggat idag": logged then, or happened then
            conditions.append(or_(Observation.occurred_start.between(start, end - timedelta(microseconds=1)),
                                  Observation.created_at.between(start, end - timedelta(microseconds=1))))
        if focus_area is not None:
            conditions.append(Observation.focus_area_id == select(FocusArea.id).where(
                FocusArea.code == focus_area).scalar_subquery())
        total = await self.session.scalar(select(func.count()).select_from(Observation).where(*conditions))
        rows = await self.session.scalars(
            self._with_relations(select(Observation)).where(*conditions)
            .order_by(Observation.occurred_start.desc(), Observation.number.desc()).limit(limit))
        return list(rows), int(total or 0)

    async def history(self, number: int) -> list[Observation]:
        """Every version of observation ``number``, oldest first."""
        return list(await self.session.scalars(
            self._with_relations(select(Observation)).where(Observation.number == number)
            .order_by(Observation.id)))

    async def delete(self, row: Observation, *, at: datetime) -> None:
        """Marks the current version removed: it leaves lists and the lägesbild but is kept, to restore."""
        await self.session.execute(
            update(Observation).where(Observation.id == row.id).values(deleted_at=at))
        row.deleted_at = at

    async def restore(self, row: Observation) -> None:
        """Brings a removed observation back into lists and the lägesbild ("återställ #O12")."""
        await self.session.execute(
            update(Observation).where(Observation.id == row.id).values(deleted_at=None))
        row.deleted_at = None

    async def correct(self, row: Observation, changes: dict, author: Member, *, at: datetime) -> Observation:
        """A new current version of ``row`` with ``changes`` applied (keys of ``ObservationDraft``)."""
        unknown = set(changes) - CORRECTABLE
        if unknown:
            raise ValueError(f"cannot correct {', '.join(sorted(unknown))}")
        draft = replace(draft_of(row), **changes)
        await self.session.execute(
            update(Observation).where(Observation.id == row.id).values(replaced_at=at))
        row.replaced_at = at
        await self.session.flush()
        new = Observation(
            number=row.number, author_member_id=author.id, author_party=author.party, created_at=at,
            supersedes_id=row.id, **await self._columns(draft))
        self.session.add(new)
        await self.session.flush()
        await self.session.refresh(new, ["focus_area", "author"])
        return new

    async def mark_sensitive(self, row: Observation, sensitive: bool) -> None:
        """Marks the current version känslig (or not): who may read it, not what it says, so no new version."""
        await self.session.execute(
            update(Observation).where(Observation.id == row.id).values(sensitive=sensitive))
        row.sensitive = sensitive

    async def between(self, start: datetime, end: datetime) -> list[Observation]:
        """Live observations that occurred in ``[start, end)``, oldest first (for export)."""
        return list(await self.session.scalars(
            self._with_relations(select(Observation))
            .where(Observation.occurred_start >= start, Observation.occurred_start < end,
                   Observation.replaced_at.is_(None), Observation.deleted_at.is_(None))
            .order_by(Observation.occurred_start, Observation.number)))

    async def _columns(self, draft: ObservationDraft) -> dict:
        focus_id = await self.session.scalar(select(FocusArea.id).where(FocusArea.code == draft.focus_area))
        if focus_id is None:
            raise UnknownFocusArea(draft.focus_area)
        values = {f.name: getattr(draft, f.name) for f in fields(draft) if f.name != "focus_area"}
        return {**values, "focus_area_id": focus_id}

    @staticmethod
    def _with_relations(statement):
        return statement.options(selectinload(Observation.focus_area), selectinload(Observation.author))


def draft_of(row: Observation) -> ObservationDraft:
    return ObservationDraft(
        focus_area=row.focus_area.code, kind=row.kind, occurred_start=row.occurred_start,
        occurred_end=row.occurred_end, description=row.description, source_party=row.source_party,
        place=row.place, place_key=row.place_key, sensitive=row.sensitive)
