"""What the scheduler reads each tick: reminder candidates, bound channels, delivery targets, admins.

The scheduler (bot/scheduler.py) decides what is due with the domain's rules and hands messages to the outbox;
the queries it needs live here, so the process layer holds no SQL and every query is typed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.actions import OPEN_STATUSES
from storage.models import (
    Action,
    ConversationReference,
    Forum,
    Member,
    MemberIdentity,
    OutboxMessage,
    PersonalReminder,
)

PERSONAL_REMINDER_REACH = timedelta(days=30)  # a personal reminder missed longer than this is not sent any more


@dataclass(frozen=True)
class ReminderCandidate:
    """An open action with a due date and an active owner: what its reminders depend on."""

    action_id: int
    due: date
    status: str
    snoozed_until: datetime | None
    not_before: time | None  # the owner's "inga påminnelser före kl 9"

    @property
    def signature(self) -> tuple[date, str, datetime | None, time | None]:
        """Changes whenever the reminder timeline could change."""
        return (self.due, self.status, self.snoozed_until, self.not_before)


@dataclass(frozen=True)
class BoundChannel:
    """A conversation bound to a forum: the meeting post goes there."""

    reference: ConversationReference
    forum_code: str


class ScheduleRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    # --- planning --------------------------------------------------------------------------------------

    async def reminder_candidates(self, due_until: date) -> list[ReminderCandidate]:
        """Open actions due by ``due_until`` whose owner is active."""
        rows = (await self.session.execute(
            select(Action.id, Action.due_date, Action.status, Action.snoozed_until, Member.reminders_not_before)
            .join(Member, Member.id == Action.responsible_member_id)
            .where(Action.status.in_(OPEN_STATUSES), Action.due_date.is_not(None),
                   Action.due_date <= due_until, Member.active.is_(True)))).all()
        return [ReminderCandidate(action_id, due, status, snoozed_until, _clock(not_before))
                for action_id, due, status, snoozed_until, not_before in rows]

    async def actions_with_owner(self, action_ids: Collection[int]) -> dict[int, Action]:
        """The actions by id, their responsible member loaded for the reminder text."""
        if not action_ids:
            return {}
        actions = await self.session.scalars(
            select(Action).options(selectinload(Action.responsible_member)).where(Action.id.in_(set(action_ids))))
        return {action.id: action for action in actions}

    async def personal_reminders(self, now: datetime) -> list[PersonalReminder]:
        """"Påminn mig" reminders whose time has come, within the reach a late one is still worth sending."""
        return list(await self.session.scalars(select(PersonalReminder).where(
            PersonalReminder.at <= now, PersonalReminder.at > now - PERSONAL_REMINDER_REACH)))

    async def bound_channels(self) -> list[BoundChannel]:
        rows = (await self.session.execute(
            select(ConversationReference, Forum.code).join(Forum, Forum.id == ConversationReference.forum_id)
            .where(ConversationReference.active.is_(True)))).all()
        return [BoundChannel(reference, code) for reference, code in rows]

    async def digest_members(self) -> list[Member]:
        """Active members who asked for the weekly digest."""
        return list(await self.session.scalars(select(Member).where(Member.weekly_digest.is_(True),
                                                                    Member.active.is_(True))))

    async def open_actions_due_before(self, member_id: int, day: date) -> list[Action]:
        """A member's open actions due before ``day``, earliest first: the digest's list."""
        return list(await self.session.scalars(
            select(Action).where(Action.responsible_member_id == member_id, Action.status.in_(OPEN_STATUSES),
                                 Action.due_date < day).order_by(Action.due_date)))

    # --- delivery --------------------------------------------------------------------------------------

    async def outbox_message(self, message_id: int) -> OutboxMessage | None:
        return await self.session.get(OutboxMessage, message_id)

    async def reference(self, reference_id: int) -> ConversationReference | None:
        return await self.session.get(ConversationReference, reference_id)

    async def personal_conversation(self, member_id: int | None,
                                    channels: Iterable[str]) -> ConversationReference | None:
        """The member's newest active 1:1 chat in one of ``channels``."""
        return await self.session.scalar(
            select(ConversationReference).where(
                ConversationReference.member_id == member_id, ConversationReference.active.is_(True),
                ConversationReference.channel_id.in_(list(channels)),
                ConversationReference.conversation_type == "personal")
            .order_by(ConversationReference.updated_at.desc()).limit(1))

    async def identities(self, member_id: int | None, channels: Iterable[str]) -> dict[str, MemberIdentity]:
        """The member's accounts in ``channels``, by channel."""
        return {identity.channel: identity for identity in await self.session.scalars(select(MemberIdentity).where(
            MemberIdentity.member_id == member_id, MemberIdentity.channel.in_(list(channels))))}

    async def teams_anchor(self, tenant_id: str | None) -> ConversationReference | None:
        """The newest active Teams conversation (in the tenant, when known): its service URL opens a new chat."""
        return await self.session.scalar(
            select(ConversationReference).where(
                ConversationReference.channel_id == "msteams", ConversationReference.active.is_(True),
                *([ConversationReference.tenant_id == tenant_id] if tenant_id else []))
            .order_by(ConversationReference.updated_at.desc()).limit(1))

    async def has_account(self, member_id: int, channels: Iterable[str]) -> bool:
        return await self.session.scalar(select(MemberIdentity.id).where(
            MemberIdentity.member_id == member_id, MemberIdentity.channel.in_(list(channels))).limit(1)) is not None

    async def member(self, member_id: int) -> Member | None:
        return await self.session.get(Member, member_id)

    async def admin_ids(self) -> list[int]:
        """The active administrators: they are told when a message cannot be delivered."""
        return list(await self.session.scalars(select(Member.id).where(Member.is_admin.is_(True),
                                                                       Member.active.is_(True))))


def _clock(value: str | None) -> time | None:
    """A stored "HH:MM" as a time of day."""
    if not value:
        return None
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))
