"""A member's own changes as the audit log records them: what "ångra" looks at, and whether others came after.

The audit log is the one record of every change of every kind, in the order made; an undo is recorded
there too (``change.undone``, naming the entry it undid), so "ångra" twice steps back one change at a time.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ActionUpdate, ActionUpdateKind, AuditEntry, Observation

UNDONE = "change.undone"
# What a member changes through the bot, by audit action; views, lists and received messages are not changes.
CHANGES = frozenset({
    "observation.created", "observation.corrected", "observation.deleted", "observation.restored",
    "action.created", "action.completed", "action.cancelled", "action.postponed", "action.reassigned",
    "action.snoozed", "action.commented", "reminder.created", "reminder.cancelled", "member.settings",
    "meeting.scheduled", "meeting_series.scheduled", "meeting.moved", "meeting.cancelled", "channel.bound",
    "channel.unbound", "member.added",
})
_LOOK_BACK = 200  # entries: more undone changes in a row than this are not stepped back through


class ChangeLog:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def last_change(self, member_id: int) -> AuditEntry | None:
        """The member's latest change that has not been undone."""
        entries = await self.session.scalars(
            select(AuditEntry).where(AuditEntry.actor_member_id == member_id,
                                     AuditEntry.action.in_(CHANGES | {UNDONE}))
            .order_by(AuditEntry.id.desc()).limit(_LOOK_BACK))
        undone: set[int] = set()
        for entry in entries:
            if entry.action == UNDONE:
                undone.add(int((entry.detail or {}).get("undid", 0)))
            elif entry.id not in undone:
                return entry
        return None

    async def entry(self, entry_id: int) -> AuditEntry | None:
        return await self.session.get(AuditEntry, entry_id)

    async def action_update(self, update_id: int) -> ActionUpdate | None:
        """One entry of an action's history, as the audit entry of a change names it."""
        return await self.session.get(ActionUpdate, update_id)

    async def action_changed_by_others(self, action_id: int, since_update_id: int, member_id: int) -> bool:
        """Whether someone else changed the action after the member's update (comments change nothing)."""
        found = await self.session.scalar(
            select(ActionUpdate.id).where(
                ActionUpdate.action_id == action_id, ActionUpdate.id > since_update_id,
                ActionUpdate.kind != ActionUpdateKind.COMMENT.value,
                ActionUpdate.author_member_id.is_distinct_from(member_id)).limit(1))
        return found is not None

    async def observation_changed_by_others(self, number: int, since_version_id: int, member_id: int) -> bool:
        """Whether someone else corrected the observation after the member's version."""
        found = await self.session.scalar(
            select(Observation.id).where(Observation.number == number, Observation.id > since_version_id,
                                         Observation.author_member_id != member_id).limit(1))
        return found is not None
