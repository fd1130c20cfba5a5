"""The world the scheduler benchmark ticks in (``bench/scheduler.py``): a week of December 2026 in Älmhult, and
what surrounds the action plan of ``bench/actions.py`` (meetings, series, bound channels, 1:1 references, member
settings, personal reminders, snoozes), plus the untimed outbox bookkeeping between timed runs. Imported by
``bench/scheduler.py``, which puts the project on the path."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

import actions as action_plan  # bench/actions.py: the same action plan, generated the same way
from sqlalchemy import bindparam, delete, func, select, text, update

from bot.scheduler import ACTION_WINDOW_AFTER, Scheduler
from domain.collaboration import load_collaboration
from storage import Database
from storage.actions import OPEN_STATUSES
from storage.meetings import MeetingRepository
from storage.models import (
    Action,
    ConversationReference,
    MeetingSource,
    Member,
    OutboxMessage,
    OutboxState,
    PersonalReminder,
)

ZONE = ZoneInfo("Europe/Stockholm")


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall time in Älmhult as aware UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE).astimezone(UTC)


TODAY = date(2026, 12, 1)  # a Tuesday
NOW = _local(TODAY, 8)  # 07:00 UTC: the owners' reminders and the digests go out at 08:00 local
STEADY = NOW + timedelta(minutes=1)
HISTORY = (_local(date(2026, 11, 27), 8), _local(date(2026, 11, 30), 8))  # Friday and Monday before (a) daily
WEEK = (_local(date(2026, 12, 2), 8), _local(date(2026, 12, 3), 8), _local(date(2026, 12, 4), 8))
WEEKEND = _local(date(2026, 12, 5), 10)  # Saturday
WINDOW_END = TODAY + ACTION_WINDOW_AFTER  # the scheduler reads open actions due up to this day
SEED = 20261201

DIGEST_SHARE = 0.10
LATE_RISER_SHARE = 0.10  # "inga påminnelser före kl 9"
PERSONAL_REFERENCE_SHARE = 2 / 3  # members who have talked to the bot 1:1
SNOOZED_SHARE = 0.02  # of the open actions the scheduler reads
PERSONAL_REMINDERS = 1000
REMINDER_SPREAD = timedelta(days=15)  # personal reminders from 15 days before NOW to 15 days after
MEETING_SPREAD_DAYS = 730
CANCELLED_SHARE = 0.03
MEETING_HOURS = ((9, 0), (10, 0), (13, 0), (13, 30), (14, 0))
SERIES = (("sspf", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", clock_time(13, 0), date(2025, 1, 7)),
          ("operativa-bra", "FREQ=MONTHLY;BYDAY=1TH", clock_time(9, 0), date(2025, 1, 2)))
# Meetings this week, so posts are due on the Tuesday (Thursday's) and were planned on the Monday (Wednesday's).
FIXED_MEETINGS = (("strategiska-bra", _local(date(2026, 12, 3), 10)),
                  ("styrgrupp-barn-unga", _local(date(2026, 12, 2), 13)))
REMINDER_TEXTS = ("ring fastighetsägaren om belysningen", "skicka kallelsen till SSPF", "boka lokal till BRÅ",
                  "följ upp trygghetsvandringen", "svara skolan om föräldravandringen", "läs lägesbilden")

@dataclass(frozen=True)
class Extras:
    """What was added around the action plan, for the heading."""

    meetings: int
    cancelled: int
    series: int
    channels: int
    personal_references: int
    digest_members: int
    late_risers: int
    reminders: int
    reminders_due: int  # at NOW, within the scheduler's 30 days


# ---- data ---------------------------------------------------------------------------------------

async def _extras(url: str, members: list[tuple[int, str]], meetings: int) -> Extras:
    """Meetings, series, bound channels, 1:1 references, member settings and personal reminders, through the ORM."""
    database = Database(url)
    rng = random.Random(SEED)
    collaboration = load_collaboration()
    forums = [forum.code for forum in collaboration.forums]
    try:
        async with database.session() as session:
            repository = MeetingRepository(session, collaboration.timezone)
            starts = set(FIXED_MEETINGS)
            while len(starts) < meetings:
                day = TODAY + timedelta(days=rng.randrange(-MEETING_SPREAD_DAYS, MEETING_SPREAD_DAYS + 1))
                if day.weekday() < 5:
                    starts.add((rng.choice(forums), _local(day, *rng.choice(MEETING_HOURS))))
            cancelled = 0
            for forum, starts_at in sorted(starts, key=lambda start: start[1]):
                cancel = (forum, starts_at) not in FIXED_MEETINGS and rng.random() < CANCELLED_SHARE
                cancelled += cancel
                await repository.add_meeting(forum, starts_at, location=rng.choice(action_plan.PLACES),
                                             cancelled=cancel)
            for forum, rule, start_time, dtstart in SERIES:
                await repository.add_series(forum, rule, start_time=start_time, dtstart=dtstart,
                                            source=MeetingSource.CONFIG.value)
            forum_ids = {code: (await repository.forum(code)).id for code in forums}
            for code, forum_id in forum_ids.items():
                conversation = f"19:bench-{code}@thread.tacv2"
                session.add(ConversationReference(
                    key=f"msteams:{conversation}", channel_id="msteams",
                    service_url="https://smba.trafficmanager.net/emea/", conversation_id=conversation,
                    conversation_type="channel", teams_channel_id=conversation, tenant_id="bench-tenant",
                    reference={}, forum_id=forum_id, active=True))
            talked = [member for member, _party in members if rng.random() < PERSONAL_REFERENCE_SHARE]
            for member in talked:
                conversation = f"a:bench-personal-{member}"
                session.add(ConversationReference(
                    key=f"msteams:{conversation}", channel_id="msteams",
                    service_url="https://smba.trafficmanager.net/emea/", conversation_id=conversation,
                    conversation_type="personal", tenant_id="bench-tenant", member_id=member, reference={},
                    active=True))
            ids = [member for member, _party in members]
            digest = rng.sample(ids, round(len(ids) * DIGEST_SHARE))
            late = rng.sample(ids, round(len(ids) * LATE_RISER_SHARE))
            await session.execute(update(Member).where(Member.id.in_(digest)).values(weekly_digest=True))
            await session.execute(update(Member).where(Member.id.in_(late)).values(reminders_not_before="09:00"))
            reminders = []
            for _ in range(PERSONAL_REMINDERS):
                at = NOW + REMINDER_SPREAD * rng.uniform(-1, 1)
                local = at.astimezone(ZONE)
                # Whole quarters between 07:00 and 20:45, as people ask ("kl 9", "kl 14.30").
                at = _local(local.date(), rng.randrange(7, 21), 15 * rng.randrange(4))
                reminders.append(PersonalReminder(member_id=rng.choice(ids), at=at, text=rng.choice(REMINDER_TEXTS),
                                                  created_at=min(at, NOW) - timedelta(days=rng.uniform(0.1, 7))))
            session.add_all(reminders)
            await session.commit()
    finally:
        await database.dispose()
    return Extras(meetings=len(starts), cancelled=cancelled, series=len(SERIES), channels=len(forum_ids),
                  personal_references=len(talked), digest_members=len(digest), late_risers=len(late),
                  reminders=len(reminders),
                  reminders_due=sum(1 for r in reminders if NOW - timedelta(days=30) < r.at <= NOW))


def in_reach(rows: list[tuple]) -> list[tuple]:
    """The action rows the scheduler reads every tick: open, with an owner, due by ``WINDOW_END``."""
    return [row for row in rows if row[8] in OPEN_STATUSES and row[4] is not None and row[7] is not None
            and row[7] <= WINDOW_END]


async def snooze(url: str, rows: list[tuple]) -> int:
    """Snooze some of the actions in reach, to 08:00 on a day within ten days of NOW either way."""
    rng = random.Random(SEED + 1)
    reach = in_reach(rows)
    chosen = rng.sample(reach, round(len(reach) * SNOOZED_SHARE))
    if not chosen:  # a small run (--rows 500) has no action to snooze; an empty executemany is an error
        return 0
    table = Action.__table__
    statement = update(table).where(table.c.number == bindparam("n")).values(snoozed_until=bindparam("until"))
    database = Database(url)
    try:
        async with database.session() as session:
            await session.execute(statement, [
                {"n": row[0], "until": _local(TODAY + timedelta(days=rng.randrange(-10, 11)), 8)} for row in chosen])
            await session.commit()
    finally:
        await database.dispose()
    return len(chosen)


# ---- outbox bookkeeping (untimed) ---------------------------------------------------------------

async def forget_planned(database: Database, planned_at: datetime) -> None:
    """Delete what the tick at ``planned_at`` planned, so the next run plans it again."""
    async with database.session() as session:
        await session.execute(delete(OutboxMessage).where(OutboxMessage.created_at == planned_at))
        await session.commit()


async def make_pending(database: Database, planned_at: datetime) -> None:
    """Put what the tick at ``planned_at`` planned back as it was before delivery, so it is sent again."""
    async with database.session() as session:
        await session.execute(update(OutboxMessage).where(OutboxMessage.created_at == planned_at).values(
            state=OutboxState.PENDING.value, attempts=0, claimed_by=None, claimed_until=None, sent_at=None,
            last_error=None))
        await session.commit()


async def _mark_sent(database: Database, at: datetime) -> None:
    """Every pending message as sent at ``at``, in one statement: history the timed ticks find."""
    async with database.session() as session:
        await session.execute(update(OutboxMessage).where(OutboxMessage.state == OutboxState.PENDING.value)
                              .values(state=OutboxState.SENT.value, attempts=1, sent_at=at))
        await session.commit()


async def planned_kinds(database: Database, planned_at: datetime) -> str:
    async with database.session() as session:
        rows = (await session.execute(
            select(OutboxMessage.kind, func.count()).where(OutboxMessage.created_at == planned_at)
            .group_by(OutboxMessage.kind).order_by(OutboxMessage.kind))).all()
    return ", ".join(f"{kind} {count}" for kind, count in rows) or "nothing"


async def catch_up(scheduler: Scheduler, database: Database, at: datetime) -> int:
    """The tick at ``at``, its messages then marked sent in bulk; returns how many it planned."""
    planned = await scheduler.plan(at)
    await _mark_sent(database, at)
    return planned


async def tidy_outbox(database: Database, analyze: bool = False) -> None:
    """The outbox as PostgreSQL's autovacuum keeps it: dead rows (deleted, or left by the updates of a claim and a
    settle) removed, and with ``analyze`` statistics of what it now holds, as autovacuum (or the bot's ANALYZE at a
    start, on SQLite) would have them after a day's planning. The bench server runs without autovacuum: without
    this the timed runs would wade through the dead rows of the runs before them, and PostgreSQL would still
    believe the outbox empty, as at loading (see ``--no-analyze``)."""
    if database.dialect_name == "postgresql":
        async with database.connect() as connection:  # autocommit: VACUUM runs outside a transaction
            await connection.exec_driver_sql("VACUUM (ANALYZE) outbox" if analyze else "VACUUM outbox")
    elif analyze:
        async with database.session() as session:
            await session.execute(text("ANALYZE outbox"))
            await session.commit()


async def outbox_rows(database: Database) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(OutboxMessage)))


async def load(url: str, args) -> tuple[list[tuple], action_plan.Population, Extras]:
    """Migrate, add the members (as bench/actions.py does) and everything around the actions; generate those."""
    members, focus_ids, forum_ids, promise_ids = await action_plan._prepare(url)
    extras = await _extras(url, members, args.meetings)
    rows, population = action_plan._actions(args.rows, members, focus_ids, forum_ids, promise_ids)
    return rows, population, extras


def describe(rows: list[tuple], population: action_plan.Population, extras: Extras, snoozed: int) -> str:
    reach = in_reach(rows)
    overdue = sum(1 for row in reach if row[7] < TODAY)
    return (f"actions: statuses {dict(sorted(population.statuses.items()))}; in reach of the tick (open, with an "
            f"owner, due by {WINDOW_END}): {len(reach)}, of which {overdue} overdue and {snoozed} snoozed\n"
            f"meetings: {extras.meetings} ({extras.cancelled} cancelled) over 4 forums, {TODAY} ± 2 years, and "
            f"{extras.series} series; {extras.channels} bound channels, {extras.personal_references} 1:1 "
            f"references; members: {extras.digest_members} with the weekly digest, {extras.late_risers} not "
            f"before 09:00; personal reminders: {extras.reminders} over {TODAY} ± 15 days, "
            f"{extras.reminders_due} of them due by (a)")
