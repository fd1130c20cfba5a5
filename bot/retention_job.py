"""The scheduler's daily retention (gallring) run: once a local day, by the decision in the collaboration file.

Without a decision nothing is deleted and each admin is told so once (the outbox key remembers it). A decision,
or a changed one, is first sent to the admins as a dry-run report; it is applied from the next day on, every
day. With no admin to tell, nothing is applied. The run falls in the night (domain.rules.retention.run_due)
and its messages go out at 08:00. The clock is the scheduler's, so tests step through days.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

from admin.retention import NO_DECISION_TEXT, preview_notice_text
from domain.collaboration import Collaboration
from domain.rules.calendar import local_day
from domain.rules.retention import fingerprint, may_apply, notice_at, run_due
from services import retention
from services.unit_of_work import Actor, UnitOfWork
from storage import Database
from storage.outbox import Outbox
from storage.retention import RetentionRepository
from storage.schedule import ScheduleRepository

log = logging.getLogger(__name__)

NO_DECISION_KEY = "retention:no-decision"
PREVIEW_KEY = "retention:preview"


class RetentionJob:
    def __init__(self, database: Database, collaboration: Collaboration):
        self.database = database
        self.collaboration = collaboration
        self.zone = ZoneInfo(collaboration.timezone)
        self._ran_on: date | None = None

    async def run(self, now: datetime) -> str | None:
        """Once a local day, in the night: "no-decision", "previewed", "waiting" or "applied"; None when it is
        not the time (outside the night window, or already run this day).

        A failed run is logged and tried again the next day (a day later changes nothing that matters)."""
        today = local_day(now, self.zone)
        if self._ran_on == today or not run_due(now, self.zone):
            return None
        self._ran_on = today
        try:
            return await self._run(now, today)
        except Exception:
            log.exception("retention failed")
            return "failed"

    async def _run(self, now: datetime, today: date) -> str:
        decision = self.collaboration.retention
        actor = Actor(None, "scheduler", now, name="scheduler")
        async with UnitOfWork(self.database, actor, zone=self.collaboration.timezone) as uow:
            admins = await ScheduleRepository(uow.session).admin_ids()
            outbox = Outbox(uow.session)
            morning = notice_at(now, self.zone)
            if decision is None:
                for admin_id in admins:
                    await outbox.plan(key=f"{NO_DECISION_KEY}:{admin_id}", kind="notice", due_at=morning, now=now,
                                      member_id=admin_id, payload={"text": NO_DECISION_TEXT})
                await uow.commit()
                return "no-decision"
            prefix = f"{PREVIEW_KEY}:{fingerprint(decision)}:"
            previewed = await RetentionRepository(uow.session).first_planned(prefix)
            if may_apply(local_day(previewed, self.zone) if previewed else None, today):
                await retention.apply(uow, decision)
                return "applied"
            if previewed is not None:
                return "waiting"  # previewed today: applied from tomorrow
            if not admins:
                log.warning("retention decision not applied: no admin to send its dry-run report to")
                return "waiting"
            text = preview_notice_text(await retention.preview(uow, decision))
            for admin_id in admins:
                await outbox.plan(key=f"{prefix}{admin_id}", kind="notice", due_at=morning, now=now,
                                  member_id=admin_id, payload={"text": text})
            await uow.commit()
            return "previewed"
