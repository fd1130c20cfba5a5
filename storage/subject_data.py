"""What the bot holds about one member (a data subject), and pseudonymising it when they ask to be erased.

``subject_records`` gathers every row that names or was written by the member: their row and identities,
what they authored (observations, actions, action history, meeting series), their reminders, the
conversations the bot may message them in, messages addressed to them, and the audit entries where they
act (by member id, or by a chat account of theirs before they were known).

``pseudonymise`` keeps authorship: the member row stays, under a pseudonym, so the log, the lägesbild's
counts and every action's history are unchanged. What only serves to reach or identify them goes: their
identities, personal conversations (references, outbox, dialog state) and personal reminders. Where their
name was copied into a structured field (an action's "who answers" history, messages naming them) it is
replaced by the pseudonym. The audit log is append-only and is not touched: it never holds a name (an entry
names its actor by member id, which now reads as the pseudonym), and a chat account id recorded with a
refused message stays until retention removes the entry. The caller audits and commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import (
    Action,
    ActionUpdate,
    AuditEntry,
    BotStateRow,
    ConversationReference,
    MeetingSeries,
    Member,
    MemberIdentity,
    Observation,
    OutboxMessage,
    PersonalReminder,
)


@dataclass
class SubjectRecords:
    member: Member
    identities: list[MemberIdentity]
    observations: list[Observation]  # every version they wrote, undone and replaced ones too
    actions_created: list[Action]
    actions_responsible: list[Action]
    action_updates: list[ActionUpdate]
    meeting_series: list[MeetingSeries]
    reminders: list[PersonalReminder]
    conversations: list[ConversationReference]
    outbox: list[OutboxMessage]
    audit: list[AuditEntry]
    other_names: set[str] = field(default_factory=set)  # other members' names, to keep out of the export


@dataclass(frozen=True)
class Erasure:
    """How many rows an erasure removed or rewrote (counts only: safe for the audit log)."""

    identities: int
    conversations: int
    reminders: int
    outbox: int
    dialog_state: int
    history_names: int
    messages_naming: int

    def as_detail(self) -> dict[str, int]:
        return dict(self.__dict__)


def identity_actors(identities: list[MemberIdentity]) -> list[tuple[str, str]]:
    """How the webhook writes a chat account as an audit actor: ``channel:user`` and ``channel:user@tenant``."""
    return [(f"{i.channel}:{i.user_key}", f"{i.channel}:{i.user_key}@") for i in identities]


async def subject_records(session: AsyncSession, member: Member) -> SubjectRecords:
    identities = list(await session.scalars(
        select(MemberIdentity).where(MemberIdentity.member_id == member.id).order_by(MemberIdentity.id)))
    observations = list(await session.scalars(
        select(Observation).options(selectinload(Observation.focus_area))
        .where(Observation.author_member_id == member.id).order_by(Observation.number, Observation.id)))
    with_area = selectinload(Action.focus_area)
    actions_created = list(await session.scalars(
        select(Action).options(with_area).where(Action.created_by_member_id == member.id).order_by(Action.number)))
    actions_responsible = list(await session.scalars(
        select(Action).options(with_area).where(Action.responsible_member_id == member.id)
        .order_by(Action.number)))
    action_updates = list(await session.scalars(
        select(ActionUpdate).options(selectinload(ActionUpdate.action))
        .where(ActionUpdate.author_member_id == member.id).order_by(ActionUpdate.id)))
    meeting_series = list(await session.scalars(
        select(MeetingSeries).options(selectinload(MeetingSeries.forum))
        .where(MeetingSeries.created_by_member_id == member.id).order_by(MeetingSeries.id)))
    reminders = list(await session.scalars(
        select(PersonalReminder).where(PersonalReminder.member_id == member.id).order_by(PersonalReminder.at)))
    conversations = list(await session.scalars(
        select(ConversationReference).where(ConversationReference.member_id == member.id)
        .order_by(ConversationReference.id)))
    outbox = list(await session.scalars(
        select(OutboxMessage).where(OutboxMessage.member_id == member.id).order_by(OutboxMessage.id)))
    audit = list(await session.scalars(
        select(AuditEntry).where(_acted_by(member, identities)).order_by(AuditEntry.at, AuditEntry.id)))
    others = {name for name in await session.scalars(select(Member.name).where(Member.id != member.id))}
    return SubjectRecords(member, identities, observations, actions_created, actions_responsible, action_updates,
                          meeting_series, reminders, conversations, outbox, audit, others - {member.name})


def _acted_by(member: Member, identities: list[MemberIdentity]):
    by_account = [or_(AuditEntry.actor == exact, AuditEntry.actor.startswith(tenanted, autoescape=True))
                  for exact, tenanted in identity_actors(identities)]
    return or_(AuditEntry.actor_member_id == member.id, *by_account)


async def pseudonymise(session: AsyncSession, member: Member, pseudonym: str) -> Erasure:
    """Erases the member as described above; the caller checks it may (the last admin) and commits."""
    name = member.name
    identities = list(member.identities)
    references = list(await session.scalars(
        select(ConversationReference).where(ConversationReference.member_id == member.id)))
    dialog_state = 0
    for reference in references:
        prefixes = [f"{reference.channel_id}/conversations/{reference.conversation_id}"]
        user_id = ((reference.reference or {}).get("user") or {}).get("id")
        if isinstance(user_id, str) and user_id:
            prefixes.append(f"{reference.channel_id}/users/{user_id}")
        dialog_state += (await session.execute(delete(BotStateRow).where(
            or_(*[BotStateRow.key.startswith(prefix, autoescape=True) for prefix in prefixes])))).rowcount or 0
    reference_ids = [reference.id for reference in references]
    outbox = (await session.execute(delete(OutboxMessage).where(or_(
        OutboxMessage.member_id == member.id, OutboxMessage.reference_id.in_(reference_ids))))).rowcount or 0
    if reference_ids:
        await session.execute(delete(ConversationReference).where(ConversationReference.id.in_(reference_ids)))
    reminders = (await session.execute(
        delete(PersonalReminder).where(PersonalReminder.member_id == member.id))).rowcount or 0

    history_names = 0
    named = select(ActionUpdate).where(or_(ActionUpdate.old_value == name, ActionUpdate.new_value == name))
    for update in await session.scalars(named):
        if update.old_value == name:
            update.old_value = pseudonym
        if update.new_value == name:
            update.new_value = pseudonym
        history_names += 1
    for action in await session.scalars(select(Action).where(Action.responsible_text == name)):
        action.responsible_text = pseudonym
        history_names += 1

    messages_naming = 0
    for message in await session.scalars(select(OutboxMessage)):
        rewritten = _replaced(message.payload, name, pseudonym)
        if rewritten != message.payload:
            message.payload = rewritten
            messages_naming += 1

    member.identities.clear()  # delete-orphan: the rows go
    member.name = pseudonym
    member.role = ""
    member.is_admin = False
    member.active = False
    member.reminders_not_before = None
    member.weekly_digest = False
    member.weekly_digest_since = None
    await session.flush()
    return Erasure(identities=len(identities), conversations=len(reference_ids), reminders=reminders,
                   outbox=outbox, dialog_state=dialog_state, history_names=history_names,
                   messages_naming=messages_naming)


def _replaced(value: Any, name: str, pseudonym: str) -> Any:
    """``value`` (a JSON document) with every occurrence of ``name`` in its strings replaced."""
    if isinstance(value, str):
        return value.replace(name, pseudonym)
    if isinstance(value, list):
        return [_replaced(item, name, pseudonym) for item in value]
    if isinstance(value, dict):
        return {key: _replaced(item, name, pseudonym) for key, item in value.items()}
    return value


async def mentions(session: AsyncSession, member: Member) -> list[str]:
    """Free text that still contains the member's full name ("#O12", "#12 kommentar"): erasure leaves what
    people wrote as they wrote it, so an administrator can review these by hand."""
    wanted = member.name.casefold()
    found = [f"#O{number}" for number, text in await session.execute(
        select(Observation.number, Observation.description).where(Observation.replaced_at.is_(None)))
        if wanted in (text or "").casefold()]
    found += [f"#{number}" for number, title in await session.execute(select(Action.number, Action.title))
              if wanted in (title or "").casefold()]
    found += [f"#{number} (historik)" for number, text in await session.execute(
        select(Action.number, ActionUpdate.text).join(ActionUpdate, ActionUpdate.action_id == Action.id))
        if wanted in (text or "").casefold()]
    return sorted(set(found))
