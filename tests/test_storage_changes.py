"""A member's last change as the audit log gives it to "ångra", on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import AuditLog, Database
from storage.changes import UNDONE, ChangeLog
from tests.support.seed import seed

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


async def test_last_change_skips_reads_others_and_what_was_undone(database: Database):
    members = await seed(database, at=T0, members=(("Anna Åberg", "kommun", "Samordnare"),
                                                   ("Olle Polis", "polis", "Kommunpolis")))
    anna, olle = members["Anna Åberg"], members["Olle Polis"]
    async with database.session() as session:
        log = AuditLog(session)
        logged = await log.record("observation.created", actor_member_id=anna, subject_type="observation",
                                  subject_id="O1", detail={"version": 1}, at=T0)
        postponed = await log.record("action.postponed", actor_member_id=anna, subject_type="action",
                                     subject_id=8, detail={"update": 3}, at=T0 + timedelta(minutes=1))
        await log.record("observation.viewed", actor_member_id=anna, subject_type="observation", subject_id="O1")
        await log.record("action.completed", actor_member_id=olle, subject_type="action", subject_id=8)
        await session.commit()
        changes = ChangeLog(session)
        assert (await changes.last_change(anna)).id == postponed.id
        assert postponed.at == T0 + timedelta(minutes=1)  # the bot's clock, not the wall clock
        await log.record(UNDONE, actor_member_id=anna, subject_type="action", subject_id=8,
                         detail={"undid": postponed.id, "change": "action.postponed"})
        await session.commit()
        assert (await changes.last_change(anna)).id == logged.id
        await log.record(UNDONE, actor_member_id=anna, subject_type="observation", subject_id="O1",
                         detail={"undid": logged.id, "change": "observation.created"})
        await session.commit()
        assert await changes.last_change(anna) is None
