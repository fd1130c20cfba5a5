"""The composition root: configuration, database, state and the handler, built once per process.

Every entry point (the webhook, the console, tests, benchmarks) builds the same ``Runtime``, so
they all talk to the same bot on the same database.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from botbuilder.core import PrivateConversationState

from bot.channels.turn_locks import ConversationLocks
from bot.config import Settings
from bot.handler import SamverkanBot
from dialogs.nlu import prepare_understanding
from domain.clock import Clock, SystemClock
from domain.collaboration import Collaboration, load_collaboration
from storage import Database, SqlStorage
from storage.actions import sync_deadline_actions
from storage.catalog import sync_catalog
from storage.locks import AdvisoryTurnLock
from storage.members import sync_configured_members
from storage.ownership import SqliteClaim, claim_sqlite

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    collaboration: Collaboration
    database: Database
    bot: SamverkanBot
    clock: Clock
    locks: ConversationLocks = field(default_factory=ConversationLocks)
    turn_lock: AdvisoryTurnLock | None = None
    claim: SqliteClaim | None = None
    state: SqlStorage | None = None  # the dialog state, which the scheduler expires

    async def close(self) -> None:
        if self.turn_lock is not None:
            await self.turn_lock.dispose()
        await self.database.dispose()
        if self.claim is not None:
            self.claim.release()


async def prepare_database(database: Database, collaboration: Collaboration, clock: Clock) -> None:
    """Migrate to the current schema and load the configuration's catalogue, members and deadlines."""
    await database.upgrade()
    await database.refresh_statistics()
    async with database.session() as session:
        changes = await sync_catalog(session, collaboration.focus_areas, collaboration.forums, clock.now())
        await sync_configured_members(session, collaboration.members)
        await sync_deadline_actions(session, collaboration.deadlines, collaboration.today(clock.now()),
                                    at=clock.now())
        await sync_configured_meetings(session, collaboration, clock.now())
        await session.commit()
    for change in changes:
        log.info("catalogue: %s %s %s", change.kind, change.code, change.change)


async def sync_configured_meetings(session, collaboration: Collaboration, now) -> None:
    """Forums whose configuration says when they meet ('meets = "varannan tisdag kl 13"') get that series.

    One series per forum, kept while the text's rule is unchanged (so its first date stays put); a changed
    rule replaces it, and a forum whose line was removed loses it. Series set by chat or calendar are left
    alone.
    """
    from domain.rules.recurrence import parse_recurrence
    from storage.meetings import MeetingRepository

    meetings = MeetingRepository(session, collaboration.timezone)
    local_now = now.astimezone(ZoneInfo(collaboration.timezone))
    for forum in collaboration.forums:
        uid = f"config:{forum.code}"
        existing = await meetings.series_by_uid(uid)
        rule = parse_recurrence(forum.meets, local_now) if forum.meets else None
        if rule is None or rule.start_time is None:
            if existing is not None:
                await meetings.remove_imported_series(uid)
            continue
        if existing is not None and (existing.rrule, existing.start_time) == (rule.rrule, rule.start_time):
            continue
        if existing is not None:
            await meetings.remove_imported_series(uid)
        await meetings.add_series(forum.code, rule.rrule, start_time=rule.start_time, dtstart=rule.first,
                                  duration_minutes=rule.duration_minutes or 120, source="config", external_uid=uid)
        log.info("meetings: %s meets %s", forum.code, rule.text())


async def build_runtime(settings: Settings, clock: Clock | None = None, *, prepare: bool = True,
                        serving: bool = False) -> Runtime:
    """``serving``: this process answers the webhook. On SQLite it then claims the file (a second server
    is refused with ``DatabaseInUse``) and, as the only writer of its state, reads state from memory."""
    clock = clock or SystemClock()
    collaboration = load_collaboration(settings.config_path)
    claim = claim_sqlite(settings.database_url) if serving else None
    database = Database(settings.database_url, statement_timeout=settings.database_statement_timeout)
    try:
        if prepare:
            await prepare_database(database, collaboration, clock)
            # The trained understanding: loaded from its cache, or trained once (seconds) before the first
            # message rather than during it. In a thread, so the event loop is not blocked meanwhile.
            await asyncio.to_thread(prepare_understanding, collaboration)
    except BaseException:
        await database.dispose()
        if claim is not None:
            claim.release()
        raise
    storage = SqlStorage(database, sole_writer=claim is not None, now=clock.now)
    bot = SamverkanBot(
        database=database,
        collaboration=collaboration,
        clock=clock,
        private_state=PrivateConversationState(storage),
        rate_limit=settings.rate_limit_per_minute,
    )
    turn_lock = None
    if database.dialect_name == "postgresql":
        turn_lock = AdvisoryTurnLock(database.url, statement_timeout=database.statement_timeout)
    return Runtime(settings, collaboration, database, bot, clock, ConversationLocks(turn_lock), turn_lock, claim,
                   storage)
