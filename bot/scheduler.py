"""The scheduler: every minute, decide from the database what is due, put it in the outbox, and deliver.

Nothing is held in timers: a tick reads actions, reminders, meetings and settings and plans what is due by
now (a bot that was down sends what it missed, once, marked late), then claims and sends outbox messages.
Two processes on one PostgreSQL database plan through unique keys and claim with SKIP LOCKED, so each
message goes out once. The clock is injected; tests step it through days, holidays and DST.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from botbuilder.core import MessageFactory
from botbuilder.schema import Activity, Attachment

from bot.channels.proactive import Deliveries, Delivery, Target, TeamsDelivery
from bot.retention_job import RetentionJob
from dialogs.reminders import action_reminder_text, digest_text, personal_reminder_text, unreachable_text
from domain.clock import Clock
from domain.collaboration import Collaboration
from domain.rules import reminders as rules
from domain.rules.calendar import local_day
from storage import ConversationReferenceRepository, Database
from storage.outbox import Outbox
from storage.schedule import ScheduleRepository
from storage.state import SqlStorage

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from storage.models import OutboxMessage

log = logging.getLogger(__name__)

TICK = timedelta(seconds=60)
MEETING_HORIZON = timedelta(days=21)  # far enough for "two working days before" across any holiday
ACTION_WINDOW_AFTER = timedelta(days=14)  # reminders start at most a few working days before the due date
# Dialog state (a draft, a question waiting for its answer) untouched this long is deleted with its text.
STATE_LIFETIME = timedelta(hours=24)


@dataclass
class TickReport:
    planned: int = 0
    sent: int = 0
    retried: int = 0
    gone: int = 0
    expired: int = 0  # dialog state documents deleted
    retention: str | None = None  # the day's retention run (bot.retention_job), None when already run today
    errors: list[str] = field(default_factory=list)


class Scheduler:
    def __init__(self, *, database: Database, collaboration: Collaboration, clock: Clock,
                 delivery: TeamsDelivery | Deliveries | None, worker: str | None = None,
                 state: SqlStorage | None = None):
        """``state``: the bot's dialog state storage (so its memory forgets what expires too)."""
        self.database = database
        self.state = state or SqlStorage(database, now=clock.now)
        self.collaboration = collaboration
        # Reminders, digests and meeting posts go out at the collaboration's wall-clock times, on its days.
        self.zone = ZoneInfo(collaboration.timezone)
        self.clock = clock
        self.delivery = delivery
        self.worker = worker or f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"
        # action id -> (what its reminders depend on, when its next reminder falls): see _plan_actions.
        self._quiet_until: dict[int, tuple[tuple[object, ...], datetime]] = {}
        self.retention = RetentionJob(database, collaboration)

    async def tick(self) -> TickReport:
        report = TickReport()
        now = self.clock.now()
        report.planned = await self.plan(now)
        report.retention = await self.retention.run(now)
        await self.deliver(now, report)
        report.expired = await self.state.expire(now - STATE_LIFETIME)
        return report

    async def run_forever(self) -> None:
        """Tick every minute until cancelled; a failed tick is logged and the next one tries again."""
        while True:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("scheduler tick failed")
            await asyncio.sleep(TICK.total_seconds())

    # --- planning --------------------------------------------------------------------------------------

    async def plan(self, now: datetime) -> int:
        async with self.database.session() as session:
            outbox = Outbox(session)
            planned = 0
            planned += await self._plan_actions(session, outbox, now)
            planned += await self._plan_personal(session, outbox, now)
            planned += await self._plan_meetings(session, outbox, now)
            planned += await self._plan_digests(session, outbox, now)
            await session.commit()
        return planned

    async def _plan_actions(self, session: AsyncSession, outbox: Outbox, now: datetime) -> int:
        schedule = ScheduleRepository(session)
        today = local_day(now, self.zone)
        rows = await schedule.reminder_candidates(today + ACTION_WINDOW_AFTER)
        candidates: list[tuple[rules.Due, int]] = []
        in_reach = {row.action_id for row in rows}
        for gone in self._quiet_until.keys() - in_reach:  # closed, reassigned or deleted since: forget
            del self._quiet_until[gone]
        for row in rows:
            # The database decides; this memory only skips actions whose next reminder has not come yet
            # (any change to what the reminders depend on is a new signature and looks again).
            quiet = self._quiet_until.get(row.action_id)
            if quiet is not None and quiet[0] == row.signature and now < quiet[1]:
                continue
            arguments = dict(action_id=row.action_id, due=row.due, status=row.status, now=now,
                             not_before=row.not_before, snoozed_until=row.snoozed_until, zone=self.zone)
            candidates += [(item, row.action_id) for item in rules.action_reminders(**arguments)]
            upcoming = rules.next_action_reminder_at(**arguments)
            self._quiet_until[row.action_id] = (row.signature, upcoming or now + timedelta(days=1))
        # Every tick derives the same reminders again; those already planned are skipped with one query.
        planned_before = await outbox.existing([due.key for due, _ in candidates])
        wanted = [(due, action_id) for due, action_id in candidates if due.key not in planned_before]
        if not wanted:
            return 0
        actions = await schedule.actions_with_owner({action_id for _, action_id in wanted})
        planned = 0
        for due, action_id in wanted:
            action = actions[action_id]
            late = rules.is_late(due, now)
            text = action_reminder_text(action, due.kind, today, late=late)
            planned += await outbox.plan(key=due.key, kind=due.kind, due_at=due.at, now=now, late=late,
                                         member_id=action.responsible_member_id, payload={"text": text})
        return planned

    async def _plan_personal(self, session: AsyncSession, outbox: Outbox, now: datetime) -> int:
        rows = await ScheduleRepository(session).personal_reminders(now)
        due = [(rules.personal_reminder(reminder_id=r.id, at=r.at, now=now), r) for r in rows]
        planned_before = await outbox.existing([item.key for item, _ in due if item is not None])
        planned = 0
        for item, reminder in due:
            if item is None or item.key in planned_before:
                continue
            late = rules.is_late(item, now)
            planned += await outbox.plan(key=item.key, kind=item.kind, due_at=item.at, now=now, late=late,
                                         member_id=reminder.member_id,
                                         payload={"text": personal_reminder_text(reminder.text, late=late)})
        return planned

    async def _plan_meetings(self, session: AsyncSession, outbox: Outbox, now: datetime) -> int:
        bound = await ScheduleRepository(session).bound_channels()
        if not bound:
            return 0
        from bot.channels.replies import payload_of
        from dialogs.meeting_post import meeting_post_of
        from services.detail import channel_detail, place_of_reference
        from services.situation import post_material
        from storage.meetings import MeetingRepository

        meetings = MeetingRepository(session, self.zone)
        occurrences = await meetings.occurrences(now - MEETING_HORIZON, now + MEETING_HORIZON)
        planned = 0
        for occurrence in occurrences:
            if occurrence.cancelled:
                continue
            channels = [channel.reference for channel in bound if channel.forum_code == occurrence.forum_code]
            due = rules.meeting_post(meeting_id=occurrence.key, starts_at=occurrence.starts_at, now=now,
                                     zone=self.zone) if channels else None
            if due is None:
                continue
            keys = {reference.id: f"{due.key}:{reference.id}" for reference in channels}
            # The post (a lägesbild query and a chart) is built only while some bound channel lacks it.
            done = await outbox.existing(list(keys.values()))
            channels = [reference for reference in channels if keys[reference.id] not in done]
            if not channels:
                continue
            previous = [o for o in occurrences if o.forum_code == occurrence.forum_code and not o.cancelled
                        and o.starts_at < occurrence.starts_at]
            material = await post_material(session, self.collaboration, starts_at=occurrence.starts_at,
                                           since=previous[-1].starts_at if previous else None, now=now)
            posts = {}  # by detail level: a channel at "summary" gets no observation's text or place
            # Teams shows the post as a card with the chart inside, others text and the image (bot.channels.replies).
            for reference in channels:
                detail = await channel_detail(session, self.collaboration, place_of_reference(reference))
                if detail not in posts:
                    posts[detail] = await meeting_post_of(material, self.collaboration,
                                                          forum_name=occurrence.forum_name, now=now, detail=detail)
                payload = payload_of(posts[detail], reference.channel_id)
                planned += await outbox.plan(key=keys[reference.id], kind=due.kind, due_at=due.at, now=now,
                                             late=rules.is_late(due, now), reference_id=reference.id, payload=payload)
        return planned

    async def _plan_digests(self, session: AsyncSession, outbox: Outbox, now: datetime) -> int:
        schedule = ScheduleRepository(session)
        members = await schedule.digest_members()
        planned = 0
        today = local_day(now, self.zone)
        dues = {member.id: rules.digest(member_id=member.id, now=now, since=member.weekly_digest_since,
                                        zone=self.zone) for member in members}
        planned_before = await outbox.existing([due.key for due in dues.values() if due is not None])
        for member in members:
            due = dues[member.id]
            if due is None or due.key in planned_before:
                continue
            actions = await schedule.open_actions_due_before(member.id, today + timedelta(days=7))
            planned += await outbox.plan(key=due.key, kind=due.kind, due_at=due.at, now=now, member_id=member.id,
                                         payload={"text": digest_text(member.name, actions, today)})
        return planned

    # --- delivery --------------------------------------------------------------------------------------

    async def deliver(self, now: datetime, report: TickReport | None = None) -> TickReport:
        report = report or TickReport()
        if self.delivery is None:
            return report
        while True:
            async with self.database.session() as session:
                claimed = await Outbox(session).claim(now=now, worker=self.worker)
                await session.commit()
                targets = {m.id: await self._target(session, m) for m in claimed}
                unreachable = {m.id for m in claimed if targets[m.id] is None and m.reference_id is None
                               and not await self._has_account(session, m.member_id)}
                snapshot = [(m.id, m.kind, m.member_id, dict(m.payload)) for m in claimed]
            if not snapshot:
                return report
            for index, (message_id, kind, member_id, payload) in enumerate(snapshot):
                if message_id not in await self._renew([m[0] for m in snapshot[index:]]):
                    continue  # this process was too slow and another took the message over: not sent twice
                target = targets[message_id]
                if message_id in unreachable:  # console only: nothing failed, there is just nowhere to send
                    await self._unreachable(message_id, member_id, now, report)
                    continue
                if target is None:
                    outcome, opened = Delivery("gone", "ingen kanal att nå mottagaren i"), None
                else:
                    outcome, opened = await self.delivery.send(target, _activity(payload))
                await self._settle(message_id, kind, member_id, target, outcome, opened, now, report)

    async def _renew(self, message_ids: list[int]) -> set[int]:
        """The heartbeat: before each send, the claims on what is left of the batch last another lease."""
        async with self.database.session() as session:
            mine = await Outbox(session).renew(message_ids, now=self.clock.now(), worker=self.worker)
            await session.commit()
        return mine

    async def _settle(self, message_id: int, kind: str, member_id: int | None, target: Target | None,
                      outcome: Delivery, opened: Target | None, now: datetime, report: TickReport) -> None:
        async with self.database.session() as session:
            outbox = Outbox(session)
            if outcome.outcome == "sent":
                await outbox.sent(message_id, now=now)
                report.sent += 1
                if opened is not None and member_id is not None:
                    await _remember_personal(session, opened, member_id)
            elif outcome.outcome == "retry":
                message = await ScheduleRepository(session).outbox_message(message_id)
                report.retried += 1
                await outbox.retry(message, now=now, error=outcome.error, retry_after=outcome.retry_after)
            else:
                report.gone += 1
                await outbox.dead(message_id, error=outcome.error)
                if kind != "notice":
                    await self._gone(session, outbox, target, member_id, now)
            await session.commit()

    @property
    def channels(self) -> frozenset[str]:
        """The channels the delivery can send to (Teams alone, or whatever a ``Deliveries`` holds now)."""
        return getattr(self.delivery, "channels", frozenset({"msteams"}))

    async def _target(self, session: AsyncSession, message: OutboxMessage) -> Target | None:
        channels = self.channels
        schedule = ScheduleRepository(session)
        if message.reference_id is not None:
            reference = await schedule.reference(message.reference_id)
            if reference is None or not reference.active or reference.channel_id not in channels:
                return None
            return Target(reference=reference.reference, service_url=reference.service_url,
                          tenant_id=reference.tenant_id, teams_channel_id=reference.teams_channel_id,
                          key=reference.key, channel=reference.channel_id)
        personal = await schedule.personal_conversation(message.member_id, channels)
        if personal is not None:
            return Target(reference=personal.reference, key=personal.key, channel=personal.channel_id)
        identities = await schedule.identities(message.member_id, channels)
        identity = identities.get("msteams")
        if identity is None:
            # A Matrix member without a direct room yet: the delivery opens one.
            matrix = identities.get("matrix")
            return Target(user_id=matrix.user_key, channel="matrix") if matrix is not None else None
        anchor = await schedule.teams_anchor(identity.tenant_id)
        if anchor is None:
            return None
        return Target(user_id=identity.user_key, tenant_id=identity.tenant_id or anchor.tenant_id,
                      service_url=anchor.service_url)

    async def _has_account(self, session: AsyncSession, member_id: int | None) -> bool:
        """Whether the member has an account in a channel the bot sends to (a console-only member has none)."""
        if member_id is None:
            return True
        return await ScheduleRepository(session).has_account(member_id, self.channels)

    async def _unreachable(self, message_id: int, member_id: int, now: datetime, report: TickReport) -> None:
        """Drops a message for a member with no account to send to; the admins are told once ever, in one line."""
        async with self.database.session() as session:
            outbox = Outbox(session)
            await outbox.dead(message_id, error="no account in a channel the bot sends to")
            report.gone += 1
            schedule = ScheduleRepository(session)
            member = await schedule.member(member_id)
            for admin_id in await schedule.admin_ids():
                if member is not None and admin_id != member_id:
                    await outbox.plan(key=f"notice:unreachable:{member_id}:{admin_id}", kind="notice", due_at=now,
                                      now=now, member_id=admin_id, payload={"text": unreachable_text(member.name)})
            await session.commit()

    async def _gone(self, session: AsyncSession, outbox: Outbox, target: Target | None, member_id: int | None,
                    now: datetime) -> None:
        """The conversation no longer takes messages: stop using it and tell the admins, once a day."""
        if target is not None and target.key is not None:
            await ConversationReferenceRepository(session).mark_inactive(target.key)
        schedule = ScheduleRepository(session)
        member = await schedule.member(member_id) if member_id is not None else None
        matrix = target is not None and target.channel == "matrix"
        where = f"{member.name} i {'Matrix' if matrix else 'Teams'}" if member \
            else "en kanal eller chatt som jag inte längre är med i"
        subject = f"member:{member_id}" if member else f"ref:{target.key if target else '-'}"
        text = (f"Jag kunde inte skicka till {where}. Kontrollera att appen Samverkansboten finns kvar i teamet "
                "eller chatten, och koppla kanalen igen om det behövs.")
        if matrix:
            text = (f"Jag kunde inte skicka till {where}. Kontrollera att boten fortfarande är med i rummet "
                    "(bjud in den igen), och koppla rummet igen om det behövs.")
        day = local_day(now, self.zone).isoformat()  # once a day, the collaboration's day
        for admin_id in await schedule.admin_ids():
            if admin_id != member_id:
                await outbox.plan(key=f"notice:{subject}:{day}:{admin_id}", kind="notice",
                                  due_at=now, now=now, member_id=admin_id, payload={"text": text})


def _activity(payload: dict) -> Activity:
    activity = MessageFactory.text(payload.get("text") or None)
    activity.summary = payload.get("summary")
    attachments = payload.get("attachments") or []
    if attachments:
        activity.attachments = [Attachment().deserialize(a) for a in attachments]
    return activity


async def _remember_personal(session: AsyncSession, opened: Target, member_id: int) -> None:
    """A 1:1 chat the bot opened is kept like one the member started, so the next message continues it."""
    reference = opened.reference or {}
    conversation = (reference.get("conversation") or {}).get("id")
    if not conversation:
        return
    channel = reference.get("channelId") or "msteams"
    await ConversationReferenceRepository(session).upsert(
        f"{channel}:{conversation}", channel_id=channel, service_url=reference.get("serviceUrl"),
        conversation_id=conversation, conversation_type="personal", member_id=member_id, reference=reference,
        bot_id=(reference.get("bot") or {}).get("id"))
