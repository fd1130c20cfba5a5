"""One transaction for one thing a user does: the repositories it may touch, its audit entries, one commit.

A use case opens a ``UnitOfWork``, checks permission, changes what it must, records who did it and
commits; leaving the block without ``commit()`` rolls everything back, audit entries included. Whoever
opens the unit learns through ``on_commit`` that something was saved, so a failure after that point is
never reported as "inget har sparats". A unit that only read (its audit entries all say so: "….viewed",
"….listed", "….exported", a refusal) saved nothing the user did, and does not call it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage import AuditLog, Database, MemberRepository
from storage.actions import ActionRepository, PromiseRepository
from storage.meetings import MeetingRepository
from storage.models import Member
from storage.observations import ObservationRepository


@dataclass(frozen=True)
class Actor:
    """Who acts, through which channel, and when by the bot's clock (the audit log's "who, where, when")."""

    member_id: int | None
    channel: str | None
    now: datetime
    name: str | None = None  # for the command line and the scheduler, which are not members


_READ_SUFFIXES = (".viewed", ".listed", ".exported")
_READ_ACTIONS = frozenset({"access.refused"})


def is_read(action: str) -> bool:
    """Whether an audit action records a look, not a change."""
    return action.endswith(_READ_SUFFIXES) or action in _READ_ACTIONS


class UnitOfWork:
    def __init__(self, database: Database, actor: Actor, *, zone: str,
                 on_commit: Callable[[], None] | None = None):
        self.database = database
        self.actor = actor
        self.zone = zone
        self._on_commit = on_commit
        self._session_context = None
        self.committed = False
        self._recorded: list[str] = []

    async def __aenter__(self) -> UnitOfWork:
        self._session_context = self.database.session()
        self.session = await self._session_context.__aenter__()
        self.observations = ObservationRepository(self.session)
        self.actions = ActionRepository(self.session)
        self.promises = PromiseRepository(self.session)
        self.members = MemberRepository(self.session)
        self.meetings = MeetingRepository(self.session, self.zone)
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        try:
            if not self.committed:
                # A read, or a refusal, ends here. Rolling back would expire every row it loaded, and the
                # dialog still renders them: detached first, they keep what was loaded.
                self.session.expunge_all()
                await self.session.rollback()
        finally:
            await self._session_context.__aexit__(*exc_info)

    async def author(self) -> Member | None:
        """The acting member's row, for what a repository stamps with its author."""
        return None if self.actor.member_id is None else await self.session.get(Member, self.actor.member_id)

    async def record(self, action: str, subject_type: str | None = None, subject_id: int | str | None = None,
                     **detail: Any) -> None:
        """An audit entry for this unit, by its actor, committed (or rolled back) with the change."""
        self._recorded.append(action)
        await AuditLog(self.session).record(
            action, actor_member_id=self.actor.member_id,
            actor=self.actor.name if self.actor.member_id is None else None, channel=self.actor.channel,
            subject_type=subject_type, subject_id=subject_id, detail=detail or None, at=self.actor.now)

    async def commit(self) -> None:
        await self.session.commit()
        self.committed = True
        only_read = bool(self._recorded) and all(is_read(action) for action in self._recorded)
        if self._on_commit is not None and not only_read:
            self._on_commit()
