"""The scheduler's queries (storage.schedule), against both databases, without a scheduler or a chat."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from storage import MemberRepository
from storage.actions import ActionRepository, NewAction
from storage.models import ConversationReference, Forum, MemberIdentity, PersonalReminder
from storage.schedule import ScheduleRepository
from tests.support.seed import seed

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


async def test_reminder_candidates_are_open_dated_actions_of_active_owners_within_reach(database):
    ids = await seed(database)
    anna, olle = ids["Anna Andersson"], ids["Olle Polis"]
    async with database.session() as session:
        actions = ActionRepository(session)
        wanted = await actions.add(NewAction("Trygghetsvandring", "kommun", date(2026, 12, 4),
                                             responsible_member_id=anna, status="pagaende"), None, at=NOW)
        await actions.add(NewAction("Klar sedan länge", "kommun", date(2026, 12, 1), responsible_member_id=anna,
                                    status="klar"), None, at=NOW)
        await actions.add(NewAction("Utan datum", "kommun", None, responsible_member_id=anna), None, at=NOW)
        await actions.add(NewAction("Långt fram", "kommun", date(2027, 6, 1), responsible_member_id=anna),
                          None, at=NOW)
        await actions.add(NewAction("Olles", "polis", date(2026, 12, 2), responsible_member_id=olle), None, at=NOW)
        members = MemberRepository(session)
        (await members.get(anna)).reminders_not_before = "09:30"
        (await members.get(olle)).active = False
        await session.commit()
    async with database.session() as session:
        schedule = ScheduleRepository(session)
        [candidate] = await schedule.reminder_candidates(date(2026, 12, 10))
        assert candidate.action_id == wanted.id
        assert (candidate.due, candidate.status, candidate.not_before) == (date(2026, 12, 4), "pagaende", time(9, 30))
        assert candidate.signature == (date(2026, 12, 4), "pagaende", None, time(9, 30))
        loaded = await schedule.actions_with_owner({wanted.id})
        assert loaded[wanted.id].responsible_member.name == "Anna Andersson"
        assert await schedule.actions_with_owner(set()) == {}
        assert [a.title for a in await schedule.open_actions_due_before(anna, date(2026, 12, 5))] == \
            ["Trygghetsvandring"]


async def test_personal_reminders_due_now_and_not_older_than_a_month(database):
    anna = (await seed(database))["Anna Andersson"]
    async with database.session() as session:
        for days, text in ((-1, "i går"), (-40, "för länge sedan"), (1, "i morgon")):
            session.add(PersonalReminder(member_id=anna, at=NOW + timedelta(days=days), text=text))
        await session.commit()
    async with database.session() as session:
        assert [r.text for r in await ScheduleRepository(session).personal_reminders(NOW)] == ["i går"]


async def test_delivery_lookups_accounts_chats_and_admins(database):
    ids = await seed(database)
    anna, olle = ids["Anna Andersson"], ids["Olle Polis"]
    async with database.session() as session:
        (await MemberRepository(session).get(anna)).is_admin = True
        session.add(MemberIdentity(member_id=anna, channel="msteams", user_key="aad-anna", tenant_id="t1"))
        session.add(ConversationReference(key="msteams:a:1", channel_id="msteams", conversation_id="a:1",
                                          conversation_type="personal", member_id=anna, tenant_id="t1",
                                          service_url="https://smba.example/", reference={}))
        await session.commit()
    async with database.session() as session:
        schedule = ScheduleRepository(session)
        assert await schedule.has_account(anna, {"msteams"})
        assert not await schedule.has_account(anna, {"matrix"})
        assert not await schedule.has_account(olle, {"msteams", "matrix"})
        assert set(await schedule.identities(anna, ["msteams", "matrix"])) == {"msteams"}
        personal = await schedule.personal_conversation(anna, {"msteams"})
        assert personal is not None and personal.conversation_id == "a:1"
        assert await schedule.personal_conversation(olle, {"msteams"}) is None
        assert (await schedule.teams_anchor("t1")).key == "msteams:a:1"
        assert await schedule.teams_anchor("another-tenant") is None
        assert await schedule.admin_ids() == [anna]
        assert (await schedule.member(olle)).name == "Olle Polis"
        assert await schedule.bound_channels() == []
        sspf = await session.scalar(select(Forum.id).where(Forum.code == "sspf"))
        channel = ConversationReference(key="msteams:19:sspf", channel_id="msteams", conversation_id="19:sspf",
                                        conversation_type="channel", tenant_id="t1", forum_id=sspf,
                                        service_url="https://smba.example/", reference={})
        session.add(channel)
        await session.flush()
        assert [(bound.reference.key, bound.forum_code) for bound in await schedule.bound_channels()] == \
            [("msteams:19:sspf", "sspf")]
        channel.active = False
        await session.flush()
        assert await schedule.bound_channels() == []  # a channel the bot was removed from is not posted to
