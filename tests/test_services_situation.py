"""The lägesbild and the meeting brief as use cases, without chat, on SQLite and PostgreSQL: the days follow
the collaboration's configured time zone, and every look is audited."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from admin.reports import gather_follow_up
from dialogs.render.chart import _days
from domain.collaboration import load_collaboration
from domain.situation import Asker, Situation
from services import observations
from services import situation as situation_service
from services.unit_of_work import Actor, UnitOfWork
from storage import Database
from storage.models import AuditEntry
from storage.observations import ObservationDraft
from tests.support.seed import seed

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
# 14:00 UTC is 23:00 on the 25th in Tokyo and 09:00 on the 25th in New York; 16:30 UTC is already the 26th in
# Tokyo (01:30) but still the 25th in New York (11:30) and in Stockholm (17:30).
MOMENTS = (datetime(2026, 11, 25, 14, 0, tzinfo=UTC), datetime(2026, 11, 25, 16, 30, tzinfo=UTC))


async def _asker(database: Database) -> Asker:
    ids = await seed(database, at=NOW - timedelta(days=30))
    return Asker(ids["Anna Andersson"], "Anna Andersson", "kommun", "samordnare")


def _unit(database: Database, asker: Asker, zone: str) -> tuple[UnitOfWork, Situation]:
    collaboration = replace(load_collaboration(), timezone=zone)
    return (UnitOfWork(database, Actor(asker.member_id, "console", NOW), zone=zone),
            Situation(collaboration, asker, NOW))


async def _log(database: Database, asker: Asker) -> None:
    for index, moment in enumerate(MOMENTS):
        uow, _ = _unit(database, asker, "Europe/Stockholm")
        async with uow:
            await observations.log_observation(uow, ObservationDraft(
                focus_area="skadegorelse-skola", kind="handelse", occurred_start=moment, occurred_end=None,
                description="Klotter", source_party="kommun"), idempotency_key=f"{index:032x}")


@pytest.mark.parametrize(("zone", "per_day"), [
    ("Asia/Tokyo", [(date(2026, 11, 25), 1), (date(2026, 11, 26), 1)]),
    ("America/New_York", [(date(2026, 11, 25), 2)]),
])
async def test_the_days_of_the_lagesbild_are_the_configured_zones(database: Database, zone, per_day):
    asker = await _asker(database)
    await _log(database, asker)
    uow, situation = _unit(database, asker, zone)
    async with uow:
        picture = await situation_service.situation_picture(
            uow, situation, start=datetime(2026, 11, 20), end=datetime(2026, 11, 27),
            previous_start=datetime(2026, 11, 13), focus_area="skadegorelse-skola")
    assert picture.per_day == per_day and picture.total == 2
    assert picture.start == datetime(2026, 11, 20, tzinfo=ZoneInfo(zone)) and picture.timezone == zone
    # the chart's day axis is counted in the same zone, from the picture's first local day to its last
    days = _days(picture, ZoneInfo(picture.timezone))
    assert (days[0][0], days[-1][0], sum(n for _, n in days)) == (date(2026, 11, 20), date(2026, 11, 26), 2)
    async with database.session() as session:
        [viewed] = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "situation.viewed"))).all()
    assert (viewed.subject_type, viewed.actor_member_id, viewed.detail) == (
        "lagesbild", asker.member_id, {"focus_area": "skadegorelse-skola", "place_filter": False,
                                       "start": "2026-11-20T00:00:00", "end": "2026-11-27T00:00:00"})


async def test_a_meeting_brief_reads_the_forum_and_is_audited(database: Database):
    asker = await _asker(database)
    await _log(database, asker)
    uow, situation = _unit(database, asker, "Asia/Tokyo")
    async with uow:
        nothing = await situation_service.meeting_brief(uow, situation, forum_code=None, place=None)
    assert nothing is None and not uow.committed  # no forum named, none bound, none meets soon
    forum = situation.collaboration.forums[0]
    uow, situation = _unit(database, asker, "Asia/Tokyo")
    async with uow:
        brief = await situation_service.meeting_brief(uow, situation, forum_code=forum.code, place=None)
    assert (brief.forum_name, brief.upcoming) == (forum.name, None)
    material = brief.material
    assert material.today == date(2026, 11, 26) and not material.since_previous
    # whole Tokyo days, 30 back up to and including yesterday: only the 23:00 observation of the 25th
    assert material.picture.per_day == [(date(2026, 11, 25), 1)] and material.overdue.total == 0
    async with database.session() as session:
        [viewed] = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "meeting_brief.viewed"))).all()
    assert (viewed.subject_type, viewed.subject_id, viewed.detail) == ("forum", forum.code, {"meeting": None})


@pytest.mark.parametrize(("zone", "month"), [("Asia/Tokyo", 11), ("America/New_York", 10)])
async def test_the_follow_up_reports_months_are_the_configured_zones(database: Database, zone, month):
    # 16:00 UTC on 31 October is already 1 November in Tokyo, still 31 October in New York.
    asker = await _asker(database)
    uow, _ = _unit(database, asker, "Europe/Stockholm")
    async with uow:
        await observations.log_observation(uow, ObservationDraft(
            focus_area="skadegorelse-skola", kind="handelse", occurred_start=datetime(2026, 10, 31, 16, tzinfo=UTC),
            occurred_end=None, description="Klotter", source_party="kommun"), idempotency_key="f" * 32)
    async with database.session() as session:
        report = await gather_follow_up(session, replace(load_collaboration(), timezone=zone), 2026, now=NOW)
    assert report.months[month - 1] == 1 and sum(report.months) == 1
