"""The meeting, channel, reminder and membership use cases called directly, without chat: permission, what
they write and audit, one commit each, and the collaboration's own time zone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from domain.collaboration import load_collaboration
from domain.places import Place
from domain.situation import Asker, Situation
from services import channels, meetings, members, reminders
from services.unit_of_work import Actor, UnitOfWork
from storage.models import AuditEntry, ConversationReference, Meeting, MeetingSeries, Member, PersonalReminder
from tests.support.seed import seed

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # Thursday 26 November 2026, 10:00 in Älmhult
CHANNEL = Place(channel="msteams", key="msteams:19:ch-1", kind="channel", teams_channel="19:ch")
PERSONAL = Place(channel="msteams", key="msteams:a:anna", kind="personal")


@pytest.fixture
async def ids(database):
    return await seed(database)


def situation(ids, name: str = "Anna Andersson", *, admin: bool = True, zone: str | None = None,
              now: datetime = NOW) -> Situation:
    collaboration = load_collaboration()
    if zone is not None:
        collaboration = replace(collaboration, timezone=zone)
    party = "kommun" if name == "Anna Andersson" else "polis"
    return Situation(collaboration, Asker(ids[name], name, party, "", admin), now)


def uow_for(database, asked: Situation) -> UnitOfWork:
    return UnitOfWork(database, Actor(asked.asker.member_id, "msteams", asked.now),
                      zone=asked.collaboration.timezone)


async def audited(database, action: str) -> list[AuditEntry]:
    async with database.session() as session:
        return list(await session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                          .order_by(AuditEntry.id)))


def when(start: str, end: str | None = None) -> dict:
    return {"start": start, "end": end or start}


# --- meetings ---------------------------------------------------------------------------------------------

async def test_an_admin_schedules_a_meeting_and_it_is_audited_and_read_back_as_the_next(database, ids):
    asked = situation(ids)
    async with uow_for(database, asked) as uow:
        done = await meetings.schedule_meeting(uow, asked, None, "sspf", when=when("2026-12-08T13:00:00"))
    stockholm = ZoneInfo("Europe/Stockholm")
    assert isinstance(done, meetings.Scheduled) and not done.reinstated
    assert (done.forum.code, done.starts_at, done.ends_at - done.starts_at) == \
        ("sspf", datetime(2026, 12, 8, 13, tzinfo=stockholm), timedelta(minutes=120))
    [entry] = await audited(database, "meeting.scheduled")
    assert (entry.actor_member_id, entry.channel, entry.detail["forum"]) == (ids["Anna Andersson"], "msteams", "sspf")
    async with uow_for(database, asked) as uow:
        answer = await meetings.next_meeting(uow, asked, None, "sspf")
        with pytest.raises(meetings.NotDone) as taken:
            await meetings.schedule_meeting(uow, asked, None, "sspf", when=when("2026-12-08T13:00:00"))
    assert answer.found.starts_at == datetime(2026, 12, 8, 12, tzinfo=UTC) and answer.skipped == []
    assert taken.value.reason == "taken"


async def test_only_admins_change_the_calendar_and_nothing_is_written_when_refused(database, ids):
    asked = situation(ids, "Olle Polis", admin=False)
    async with uow_for(database, asked) as uow:
        with pytest.raises(channels.Refused, match="Bara en administratör kan lägga in möten"):
            await meetings.schedule_meeting(uow, asked, None, "sspf", when=when("2026-12-08T13:00:00"))
        with pytest.raises(channels.Refused, match="ställa in möten"):
            await meetings.cancel_meeting(uow, asked, None, "sspf", next_one=True)
    async with database.session() as session:
        assert (await session.scalars(select(Meeting))).all() == []
        assert (await session.scalars(select(MeetingSeries))).all() == []
        assert [entry.action for entry in (await session.scalars(select(AuditEntry))).all()
                if entry.action.startswith("meeting")] == []


async def test_meetings_are_kept_on_the_configured_zones_wall_clock(database, ids):
    """A collaboration in New York: "kl 13" is 13:00 there (18:00 UTC), for a single meeting and a series."""
    asked = situation(ids, zone="America/New_York")
    async with uow_for(database, asked) as uow:
        single = await meetings.schedule_meeting(uow, asked, None, "sspf", when=when("2026-12-08T13:00:00"))
    async with uow_for(database, asked) as uow:
        series = await meetings.schedule_meeting(uow, asked, None, "operativa-bra",
                                                 recurrence="varje torsdag kl 13")
    assert single.starts_at.astimezone(UTC) == datetime(2026, 12, 8, 18, tzinfo=UTC)
    assert [o.starts_at for o in series.upcoming] == [datetime(2026, 11, 26, 18, tzinfo=UTC),
                                                      datetime(2026, 12, 3, 18, tzinfo=UTC),
                                                      datetime(2026, 12, 10, 18, tzinfo=UTC)]
    async with uow_for(database, asked) as uow:  # and a day is New York's day when cancelling
        done = await meetings.cancel_meeting(uow, asked, None, "operativa-bra", when=when(
            "2026-12-03T00:00:00", "2026-12-04T00:00:00"))
    assert [o.starts_at for o in done.cancelled] == [datetime(2026, 12, 3, 18, tzinfo=UTC)]


async def test_cancel_and_move_one_meeting_of_a_series(database, ids):
    asked = situation(ids)
    async with uow_for(database, asked) as uow:
        await meetings.schedule_meeting(uow, asked, None, "sspf", recurrence="varje tisdag kl 9")
    async with uow_for(database, asked) as uow:
        cancelled = await meetings.cancel_meeting(uow, asked, None, "sspf", next_one=True)
    assert [o.starts_at for o in cancelled.cancelled] == [datetime(2026, 12, 1, 8, tzinfo=UTC)]
    assert cancelled.following.starts_at == datetime(2026, 12, 8, 8, tzinfo=UTC)
    async with uow_for(database, asked) as uow:
        moved = await meetings.move_meeting(uow, asked, None, "sspf", moved_from=when("2026-12-08T00:00:00"),
                                            moved_to=when("2026-12-09T00:00:00", "2026-12-10T00:00:00"))
    assert (moved.old_start, moved.new_start, moved.bound) == (
        datetime(2026, 12, 8, 8, tzinfo=UTC), datetime(2026, 12, 9, 9, tzinfo=ZoneInfo("Europe/Stockholm")), False)
    [entry] = await audited(database, "meeting.moved")
    assert entry.detail == {"forum": "sspf", "starts_at": "2026-12-08T08:00:00+00:00",
                            "moved_to": "2026-12-09T09:00:00+01:00"}
    async with uow_for(database, asked) as uow:
        with pytest.raises(meetings.NotDone) as nothing:
            await meetings.move_meeting(uow, asked, None, "sspf", moved_from=when("2026-12-08T00:00:00"),
                                        moved_to=when("2026-12-10T00:00:00", "2026-12-11T00:00:00"))
    assert nothing.value.reason == "none_that_day" and nothing.value.facts["day"] == date(2026, 12, 8)


async def test_a_series_on_a_holiday_is_offered_and_moved_to_the_working_day_before(database, ids):
    asked = situation(ids)
    async with uow_for(database, asked) as uow:
        series = await meetings.schedule_meeting(uow, asked, None, "sspf",
                                                 recurrence="sista fredagen i månaden kl 10")
    [clash] = [c for c in series.clashes if c.holiday == "juldagen"]
    assert clash.moved_to.date() == date(2026, 12, 23)
    async with uow_for(database, asked) as uow:
        done = await meetings.move_off_holidays(uow, asked, "sspf", [(clash.occurrence.starts_at, clash.moved_to)])
    assert [new for _, new in done.moved] == [clash.moved_to] and done.left == []


# --- channels ---------------------------------------------------------------------------------------------

async def test_binding_a_channel_names_the_forum_for_later_questions_and_unbinding_ends_it(database, ids):
    asked = situation(ids)
    async with uow_for(database, asked) as uow:
        binding = await channels.bind_channel(uow, asked, CHANNEL, "sspf", {
        "channel_id": "msteams", "conversation_id": "19:ch-1", "conversation_type": "channel",
        "teams_channel_id": "19:ch", "service_url": "https://smba.example/", "reference": {}})
    assert (binding.forum.code, binding.previous) == ("sspf", None)
    other_thread = replace(CHANNEL, key="msteams:19:ch-2")
    async with uow_for(database, asked) as uow:
        assert (await channels.bound_forum(uow.session, other_thread)).code == "sspf"  # the channel, not the thread
        assert await channels.bound_forum(uow.session, PERSONAL) is None
        with pytest.raises(channels.WrongForum):
            await channels.unbind_channel(uow, asked, CHANNEL, "operativa-bra")
    async with uow_for(database, asked) as uow:
        assert (await channels.unbind_channel(uow, asked, CHANNEL, None)).forum.code == "sspf"
    async with uow_for(database, asked) as uow:
        assert await channels.unbind_channel(uow, asked, CHANNEL, None) is None
    async with database.session() as session:
        assert (await session.scalar(select(ConversationReference))).forum_id is None
    assert [e.detail for e in await audited(database, "channel.bound")] == [{"forum": "sspf", "previous": None}]
    assert len(await audited(database, "channel.unbound")) == 1


# --- reminders --------------------------------------------------------------------------------------------

async def test_a_reminder_is_created_listed_and_removed_by_words_of_its_text(database, ids):
    asked = situation(ids)
    at = datetime(2026, 11, 27, 8, tzinfo=UTC)
    async with uow_for(database, asked) as uow:
        await reminders.create_reminder(uow, asked, at, "ringa rektorn om mötet")
    async with uow_for(database, asked) as uow:
        await reminders.create_reminder(uow, asked, at + timedelta(days=1), "skicka lägesbilden")
    async with uow_for(database, situation(ids, "Olle Polis")) as uow:
        assert await reminders.upcoming_reminders(uow, situation(ids, "Olle Polis")) == []
    async with uow_for(database, asked) as uow:
        removal = await reminders.cancel_reminder(uow, asked, text="rektorn")
    assert removal.removed.text == "ringa rektorn om mötet" and len(removal.upcoming) == 2
    async with database.session() as session:
        assert [r.text for r in await session.scalars(select(PersonalReminder))] == ["skicka lägesbilden"]
    [created, _] = await audited(database, "reminder.created")
    assert created.detail is None  # never the reminder's text
    assert len(await audited(database, "reminder.cancelled")) == 1


async def test_reminder_settings_and_a_snooze_of_an_action_that_does_not_exist(database, ids):
    asked = situation(ids)
    async with uow_for(database, asked) as uow:
        settings = await reminders.change_reminder_settings(uow, asked, digest=True)
    assert settings.weekly_digest
    async with database.session() as session:
        anna = await session.get(Member, ids["Anna Andersson"])
        assert anna.weekly_digest_since is not None
    async with uow_for(database, asked) as uow:
        with pytest.raises(reminders.NotChangeable, match="Det finns ingen åtgärd #7"):
            await reminders.snooze_action(uow, asked, 7, datetime.combine(date(2026, 11, 30), time(8), UTC))


# --- members ----------------------------------------------------------------------------------------------

async def test_an_admin_adds_a_member_by_account_and_the_last_admin_stays(database, ids):
    async with database.session() as session:
        (await session.get(Member, ids["Anna Andersson"])).is_admin = True
        await session.commit()
    asked = situation(ids)
    account = {"channel": "msteams", "user_key": "aad-karin", "tenant_id": "t-1"}
    async with uow_for(database, asked) as uow:
        added = await members.add_member_in_chat(uow, asked, name="Karin Lund", party="kommun", role="", admin=False,
                                                 **account)
    async with uow_for(database, asked) as uow:
        again = await members.add_member_in_chat(uow, asked, name="Karin Lund", party="kommun", role="",
                                                 admin=False, **account)
    assert (added.member.name, added.already, again.already) == ("Karin Lund", False, True)
    async with uow_for(database, asked) as uow:
        with pytest.raises(members.MemberChangeRefused, match="den enda administratören"):
            await members.change_member_in_chat(uow, asked, "mig", admin=False)
    async with uow_for(database, asked) as uow:
        removed = await members.change_member_in_chat(uow, asked, "Karin", admin=None)
    assert removed.removed and removed.member.name == "Karin Lund"
    async with uow_for(database, asked) as uow:
        with pytest.raises(members.NotOne):
            await members.change_member_in_chat(uow, asked, "Karin", admin=True)  # no longer active
    assert len(await audited(database, "member.added")) == 1
    assert len(await audited(database, "member.removed")) == 1
