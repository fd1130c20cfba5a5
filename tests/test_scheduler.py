"""The bot speaking first, end to end: the scheduler plans from the database, the outbox delivers over real
HTTP to the recording Bot Connector; the clock is stepped through days, weekends and restarts."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.app import SCHEDULER_KEY
from bot.channels.proactive import TeamsDelivery
from bot.channels.teams import BotFrameworkConfiguration, create_adapter
from bot.scheduler import Scheduler
from domain.clock import FixedClock
from storage import Database, models
from storage.actions import ActionRepository, NewAction
from tests.support import activities as teams
from tests.support.bot_server import BotServer, add_teams_member, start_bot

DUE = date(2026, 12, 4)  # a Friday: "before" on Tue 1 Dec, "due" on Fri 4 Dec, weekly from Fri 11 Dec


def local(day: date, hour: int, minute: int = 0) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo("Europe/Stockholm")).astimezone(UTC)


@pytest.fixture
async def clock():
    return FixedClock()  # Thursday 26 November 2026, 10:00 in Älmhult


@pytest.fixture
async def server(database, clock, connector):
    bot = await start_bot(database.url, clock)
    bot.members = {
        "anna": await add_teams_member(bot.runtime, "Anna Andersson", "kommun", "aad-anna", teams.TENANT,
                                       admin=True),
        "olle": await add_teams_member(bot.runtime, "Olle Polis", "polis", "aad-olle", teams.TENANT),
    }
    # Anna has talked to the bot: her 1:1 conversation reference is stored.
    await bot.post(teams.message("hjälp", connector.url))
    connector.clear()
    yield bot
    await bot.stop()


def scheduler_of(server: BotServer) -> Scheduler:
    return server.runner.app[SCHEDULER_KEY]


async def add_action(server: BotServer, title: str, member: str, due: date = DUE) -> int:
    async with server.runtime.database.session() as session:
        action = await ActionRepository(session).add(
            NewAction(title, "kommun", due, responsible_member_id=server.members[member]), None,
            at=server.runtime.clock.now())
        await session.commit()
        return action.number


async def tick_at(server: BotServer, connector, moment: datetime) -> list[str]:
    server.runtime.clock.current = moment
    connector.clear()
    await scheduler_of(server).tick()
    return [s.text for s in connector.sent]


async def test_owner_reminders_before_on_and_after_the_due_date_each_once(server, connector):
    number = await add_action(server, "Trygghetsvandring i centrum", "anna")
    assert await tick_at(server, connector, local(date(2026, 11, 26), 10)) == []
    assert await tick_at(server, connector, local(date(2026, 12, 1), 7, 59)) == []
    [before] = await tick_at(server, connector, local(date(2026, 12, 1), 8, 0))
    assert before.startswith(f"Påminnelse: #{number} Trygghetsvandring i centrum ska vara klar 4 december 2026 "
                             "(om 3 dagar).")
    assert connector.sent[0].conversation_id == "a:personal-aad-anna"
    assert await tick_at(server, connector, local(date(2026, 12, 1), 9)) == []  # once, however often it ticks
    [on_the_day] = await tick_at(server, connector, local(DUE, 8))
    assert "ska vara klar i dag" in on_the_day
    assert await tick_at(server, connector, local(date(2026, 12, 7), 8)) == []
    [overdue] = await tick_at(server, connector, local(date(2026, 12, 11), 8))
    assert overdue.startswith(f"#{number} Trygghetsvandring i centrum är försenad sedan 4 december 2026 (7 dagar).")
    assert "snooza" in overdue


async def test_weekends_and_holidays_move_reminders_to_working_days(server, connector):
    await add_action(server, "Julmöte", "anna", due=date(2026, 12, 26))  # annandag jul, a Saturday
    # "due" on the working day before: Wednesday 23 December (24 and 25 are days off).
    assert await tick_at(server, connector, local(date(2026, 12, 22), 12)) != []  # "before" by then
    [due] = await tick_at(server, connector, local(date(2026, 12, 23), 8))
    assert "ska vara klar 26 december 2026" in due


async def test_a_bot_that_was_down_sends_what_it_missed_once_marked_late(server, connector, database):
    await add_action(server, "Trygghetsvandring i centrum", "anna")
    # Down from 26 November to 9 December: only the newest reminder (the due-date one) goes out, late.
    [late] = await tick_at(server, connector, local(date(2026, 12, 9), 10))
    assert late.startswith("(Försenad: jag var inte igång när den skulle ha skickats.) Påminnelse:")
    # Restarted: a new scheduler on the same database sends nothing twice.
    delivery = TeamsDelivery(create_adapter(BotFrameworkConfiguration("", "", "", "MultiTenant")), "")
    restarted = Scheduler(database=server.runtime.database, collaboration=server.runtime.collaboration,
                          clock=server.runtime.clock, delivery=delivery)
    connector.clear()
    await restarted.tick()
    assert connector.sent == []


async def test_snooze_and_quiet_mornings(server, connector):
    number = await add_action(server, "Trygghetsvandring i centrum", "anna")
    await server.post(teams.message(f"snooza #{number} till onsdag", connector.url))
    assert connector.sent[-1].text.startswith(f"Inga påminnelser om #{number} före 2 december 2026 kl 08:00.")
    await server.post(teams.message("inga påminnelser före kl 9", connector.url))
    assert connector.sent[-1].text.startswith("Okej, inga påminnelser om dina åtgärder före kl 09:00; de kommer "
                                              "bara på arbetsdagar. En påminnelse du själv har bett om")
    assert await tick_at(server, connector, local(date(2026, 12, 1), 8)) == []  # snoozed
    [after_snooze] = await tick_at(server, connector, local(date(2026, 12, 2), 8))
    assert after_snooze.startswith("Påminnelse (efter snooze):")
    assert await tick_at(server, connector, local(DUE, 8)) == []  # not before 09:00
    [due] = await tick_at(server, connector, local(DUE, 9))
    assert "ska vara klar i dag" in due


async def test_personal_reminder_arrives_at_the_time_asked(server, connector):
    await server.post(teams.message("påminn mig imorgon kl 9 om att ringa rektorn", connector.url))
    assert connector.sent[-1].text == "Jag påminner dig 27 november 2026 kl 09:00 om: ringa rektorn"
    assert await tick_at(server, connector, local(date(2026, 11, 27), 8, 59)) == []
    assert await tick_at(server, connector, local(date(2026, 11, 27), 9)) == ["Påminnelse: ringa rektorn"]
    assert await tick_at(server, connector, local(date(2026, 11, 27), 9, 1)) == []


async def test_a_member_without_a_chat_gets_a_new_one_opened(server, connector):
    await add_action(server, "Kvällspatrull", "olle")
    await tick_at(server, connector, local(date(2026, 12, 1), 8))
    created = [s for s in connector.sent if s.path == "/v3/conversations"]
    assert len(created) == 1
    assert created[0].body["members"][0]["id"] == "aad-olle"
    [reminder] = [s for s in connector.sent if s.conversation_id == created[0].conversation_id and s.text]
    assert reminder.text.startswith("Påminnelse: #")
    async with server.runtime.database.session() as session:
        opened = await session.scalar(select(models.ConversationReference).where(
            models.ConversationReference.member_id == server.members["olle"]))
    assert opened is not None and opened.conversation_type == "personal"


async def test_throttled_then_delivered_once(server, connector):
    await add_action(server, "Trygghetsvandring i centrum", "anna")
    connector.fail_next(429, retry_after=90)
    assert await tick_at(server, connector, local(date(2026, 12, 1), 8)) == []
    assert connector.refused[0][0] == 429
    assert await tick_at(server, connector, local(date(2026, 12, 1), 8, 1)) == []  # honours Retry-After: 90 s
    [delivered] = await tick_at(server, connector, local(date(2026, 12, 1), 8, 2))
    assert delivered.startswith("Påminnelse: #")
    assert await tick_at(server, connector, local(date(2026, 12, 1), 8, 30)) == []


async def test_removed_from_the_chat_marks_the_reference_and_tells_an_admin(server, connector):
    await add_action(server, "Kvällspatrull", "anna")
    await server.post(teams.message("hjälp", connector.url, aad="aad-olle"))  # Olle's chat exists
    async with server.runtime.database.session() as session:
        anna = await session.get(models.Member, server.members["anna"])
        anna.is_admin = False
        olle = await session.get(models.Member, server.members["olle"])
        olle.is_admin = True
        await session.commit()
    connector.fail_next(403)
    notices = await tick_at(server, connector, local(date(2026, 12, 1), 8))
    async with server.runtime.database.session() as session:
        reference = await session.scalar(select(models.ConversationReference).where(
            models.ConversationReference.conversation_id == "a:personal-aad-anna"))
    assert reference.active is False
    assert notices == ["Jag kunde inte skicka till Anna Andersson i Teams. Kontrollera att appen Samverkansboten "
                       "finns kvar i teamet eller chatten, och koppla kanalen igen om det behövs."]
    assert connector.sent[0].conversation_id == "a:personal-aad-olle"
    assert await tick_at(server, connector, local(date(2026, 12, 2), 8)) == []  # the dead chat is not retried


async def test_two_schedulers_on_postgresql_send_each_reminder_exactly_once(server, connector, database):
    if database.dialect_name != "postgresql":
        pytest.skip("several processes share one database only on PostgreSQL")
    for n in range(12):
        await add_action(server, f"Åtgärd {n}", "anna" if n % 2 else "olle")
    others = [Database(database.url) for _ in range(2)]
    try:
        delivery = TeamsDelivery(create_adapter(BotFrameworkConfiguration("", "", "", "MultiTenant")), "")
        schedulers = [Scheduler(database=db, collaboration=server.runtime.collaboration,
                                clock=server.runtime.clock, delivery=delivery, worker=f"w{n}")
                      for n, db in enumerate(others)]
        server.runtime.clock.current = local(date(2026, 12, 1), 8)
        connector.clear()
        for _ in range(3):
            await asyncio.gather(*(s.tick() for s in schedulers))
    finally:
        for db in others:
            await db.dispose()
    reminders = [s for s in connector.sent if s.text.startswith("Påminnelse: #")]
    assert len(reminders) == 12
    async with server.runtime.database.session() as session:
        sent = await session.scalar(select(func.count()).select_from(models.OutboxMessage).where(
            models.OutboxMessage.state == "sent"))
    assert sent == 12


async def test_reminders_keep_08_00_local_across_the_autumn_dst_change(server, connector):
    await add_action(server, "Höststädning", "anna", due=date(2026, 10, 28))  # winter time from Sunday 25 October
    # "before": Friday 23 October 08:00 CEST = 06:00 UTC; "due": Wednesday 28 October 08:00 CET = 07:00 UTC.
    assert await tick_at(server, connector, datetime(2026, 10, 23, 5, 59, tzinfo=UTC)) == []
    [before] = await tick_at(server, connector, datetime(2026, 10, 23, 6, 0, tzinfo=UTC))
    assert before.startswith("Påminnelse: #4 Höststädning ska vara klar 28 oktober 2026 (om 5 dagar).")
    assert await tick_at(server, connector, datetime(2026, 10, 28, 6, 59, tzinfo=UTC)) == []
    [due] = await tick_at(server, connector, datetime(2026, 10, 28, 7, 0, tzinfo=UTC))
    assert "ska vara klar i dag" in due


async def test_weekly_digest_on_monday_morning_for_those_who_want_it(server, connector):
    await add_action(server, "Trygghetsvandring i centrum", "anna")
    await server.post(teams.message("veckosammanfattning på", connector.url))
    assert connector.sent[-1].text.startswith("Du får en sammanfattning av veckans åtgärder måndagar kl 8.")
    sent = await tick_at(server, connector, local(date(2026, 11, 30), 8))  # Monday
    assert [t for t in sent if t.startswith("God morgon Anna! Det här är ditt för veckan:")]
    assert "Trygghetsvandring i centrum" in sent[0]
    assert await tick_at(server, connector, local(date(2026, 11, 30), 9)) == []


async def test_a_claim_left_by_a_crashed_process_is_taken_over_after_its_lease(server, connector):
    from storage.outbox import Outbox

    await add_action(server, "Trygghetsvandring i centrum", "anna")
    moment = local(date(2026, 12, 1), 8)
    scheduler = scheduler_of(server)
    await scheduler.plan(moment)
    async with server.runtime.database.session() as session:  # a process claims, then dies before sending
        [claimed] = await Outbox(session).claim(now=moment, worker="crashed")
        await session.commit()
    assert await tick_at(server, connector, moment + timedelta(seconds=59)) == []  # still leased to it
    [taken_over] = await tick_at(server, connector, moment + timedelta(seconds=61))  # within a minute
    assert taken_over.startswith("Påminnelse: #")


class SlowDelivery:
    """A delivery whose every send takes 50 s of the injected clock, during which another worker ticks."""

    def __init__(self, delivery, clock: FixedClock, other: Scheduler):
        self.delivery, self.clock, self.other = delivery, clock, other
        self.channels = delivery.channels if hasattr(delivery, "channels") else frozenset({"msteams"})

    async def send(self, target, activity):
        self.clock.advance(timedelta(seconds=50))
        await self.other.tick()  # another process, ticking while this send is under way
        return await self.delivery.send(target, activity)


async def test_a_live_workers_long_batch_is_not_taken_from_it(server, connector, database):
    for n in range(3):
        await add_action(server, f"Åtgärd {n}", "anna")
    clock = server.runtime.clock
    clock.current = local(date(2026, 12, 1), 8)
    mine = scheduler_of(server)
    other = Scheduler(database=server.runtime.database, collaboration=server.runtime.collaboration, clock=clock,
                      delivery=mine.delivery, worker="other")
    slow = Scheduler(database=server.runtime.database, collaboration=server.runtime.collaboration, clock=clock,
                     delivery=SlowDelivery(mine.delivery, clock, other), worker="slow")
    await slow.plan(clock.now())
    connector.clear()
    await slow.deliver(clock.now())  # 3 sends of 50 s each: 150 s, far past one lease
    reminders = [s.text for s in connector.sent if s.text.startswith("Påminnelse: #")]
    assert len(reminders) == 3 and len(set(reminders)) == 3
    async with server.runtime.database.session() as session:
        rows = (await session.scalars(select(models.OutboxMessage))).all()
    assert {(row.state, row.claimed_by, row.attempts) for row in rows} == {("sent", "slow", 1)}


async def test_the_agenda_is_posted_in_the_bound_channel_two_working_days_before_once(server, connector):
    channel = teams.channel_conversation()
    await server.post(teams.message("koppla den här kanalen till Operativa BRÅ", connector.url, mention=True,
                                    conversation=channel))
    assert "kopplad till Operativa BRÅ" in connector.sent[-1].text
    await server.post(teams.message("nästa operativa BRÅ är tisdag 8/12 kl 13", connector.url))
    late = await add_action(server, "Trygghetsvandring i centrum", "anna", due=date(2026, 11, 20))
    coming = await add_action(server, "Föräldramöte", "olle", due=date(2026, 12, 7))
    await server.post(teams.message("logga klotter på Haganässkolan igår kväll", connector.url))
    await server.post(teams.card_submit(teams.submit_values(teams.card_of(connector.sent[-1].body)), connector.url))
    # Friday 4 December 08:00 is two working days before Tuesday 8 December.
    def posts():  # new channel posts (reminders to owners open 1:1 chats the same way)
        return [s for s in connector.sent if s.path == "/v3/conversations" and "channel" in s.body["channelData"]]

    await tick_at(server, connector, local(date(2026, 12, 4), 7, 59))
    assert posts() == []
    await tick_at(server, connector, local(date(2026, 12, 4), 8))
    [post] = posts()
    assert post.body["channelData"]["channel"]["id"] == teams.CHANNEL  # a new top-level post in the channel
    # The agenda is the new thread's first message, and nothing is added to the thread after it.
    [message] = connector.messages(post.conversation_id)
    # All of it in the card, no text beside it (Teams would show that as a message of its own above the card).
    assert "text" not in message and message["summary"] == "Inför Operativa BRÅ tisdag 8 december 2026 kl 13:00"
    [card] = [a["content"] for a in message["attachments"]]
    text = "\n".join(teams.card_texts(card))
    assert text.startswith("Inför Operativa BRÅ tisdag 8 december 2026 kl 13:00")
    assert f"Försenade åtgärder (2):\n- #{late} Trygghetsvandring i centrum" in text
    assert "Förlängning eller ny samverkansöverenskommelse – gemensamt enligt överenskommelsen, senast 30 nov" \
        in text  # due 30 November
    assert "Lägesbild, senaste 30 dagarna (4 nov–3 dec), jämfört med 5 okt–3 nov." in text  # whole days
    assert f"Ska vara klara före mötet (1):\n- #{coming} Föräldramöte" in text
    assert "Skadegörelser i skolmiljö: 1" in text
    assert card["body"][0]["text"] == "Inför Operativa BRÅ tisdag 8 december 2026 kl 13:00"
    assert [b["text"] for b in card["body"] if b.get("weight") == "Bolder"][1] == "Försenade åtgärder (2):"
    assert card["body"][-1]["type"] == "Image" and card["body"][-1]["url"].startswith("data:image/png;base64,")
    for moment in (local(date(2026, 12, 4), 9), local(date(2026, 12, 7), 8)):
        await tick_at(server, connector, moment)
        assert posts() == []  # one post per meeting, ever


async def test_a_moved_meeting_gets_its_agenda_two_working_days_before_the_new_date(server, connector):
    channel = teams.channel_conversation()
    await server.post(teams.message("koppla den här kanalen till Operativa BRÅ", connector.url, mention=True,
                                    conversation=channel))
    await server.post(teams.message("operativa BRÅ varannan tisdag kl 13", connector.url))  # 1, 15, 29 December

    def posts():
        return [s for s in connector.sent if s.path == "/v3/conversations" and "channel" in s.body["channelData"]]

    def agenda(post):
        [message] = connector.messages(post.conversation_id)  # the thread's first message, the card's summary
        return message["summary"]

    await tick_at(server, connector, local(date(2026, 11, 27), 8))  # Friday: two working days before 1 December
    assert [agenda(post) for post in posts()] == ["Inför Operativa BRÅ tisdag 1 december 2026 kl 13:00"]
    server.runtime.clock.set(local(date(2026, 12, 2), 10))
    connector.clear()
    await server.post(teams.message("flytta operativa BRÅ 15/12 till 17/12 kl 9", connector.url))
    assert connector.sent[-1].text == (
        "Flyttat: Operativa BRÅ tisdag 15 december kl 13:00 → torsdag 17 december kl 09:00.\n"
        "Dagordningen läggs i forumets kanal tisdag 15 december kl 08:00.")
    await tick_at(server, connector, local(date(2026, 12, 11), 8))  # when 15 December's would have gone out
    assert posts() == []
    await tick_at(server, connector, local(date(2026, 12, 15), 8))
    assert [agenda(post) for post in posts()] == ["Inför Operativa BRÅ torsdag 17 december 2026 kl 09:00"]
    [post] = posts()
    [message] = connector.messages(post.conversation_id)
    text = "\n".join(teams.card_texts(message["attachments"][0]["content"]))
    assert "Lägesbild, 1–14 dec, jämfört med 17–30 nov." in text  # since the previous meeting, in whole days


async def test_a_digest_turned_on_mid_week_starts_on_the_next_monday(server, connector):
    await add_action(server, "Trygghetsvandring i centrum", "anna")
    await server.post(teams.message("veckosammanfattning på", connector.url))  # Thursday 26 November, 10:00
    assert await tick_at(server, connector, local(date(2026, 11, 26), 10, 1)) == []  # no "denna vecka" on a Thursday
    assert await tick_at(server, connector, local(date(2026, 11, 29), 20)) == []
    [digest] = await tick_at(server, connector, local(date(2026, 11, 30), 8))
    assert digest.startswith("God morgon Anna! Det här är ditt för veckan:")


async def test_a_member_only_on_the_console_is_named_to_the_admins_once_not_reported_as_failing(server, connector):
    async with server.runtime.database.session() as session:
        kim = models.Member(name="Kim Konsol", party="kommun")
        session.add(kim)
        await session.commit()
        server.members["kim"] = kim.id
    await add_action(server, "Inventera belysningen", "kim")  # reminders from Tuesday 1 December
    notices = await tick_at(server, connector, local(date(2026, 12, 1), 8))
    assert notices == ["Når inte i Teams/Matrix: Kim Konsol. Hen har inget konto där som är kopplat till boten, så "
                       "påminnelser och veckosammanfattningar når inte fram."]
    assert connector.sent[0].conversation_id == "a:personal-aad-anna"  # to the admin
    assert await tick_at(server, connector, local(date(2026, 12, 4), 8)) == []  # the due reminder: said once
    async with server.runtime.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(models.OutboxMessage).where(
            models.OutboxMessage.member_id == server.members["kim"], models.OutboxMessage.state == "dead")) == 2


async def test_reminders_and_the_agenda_follow_the_configured_time_zone(database, connector, tmp_path):
    """A collaboration configured in another zone gets its 08:00 at its own 08:00, not Stockholm's."""
    from domain.collaboration import DEFAULT_CONFIG_PATH

    zone = ZoneInfo("America/New_York")
    config = tmp_path / "samverkan.toml"
    text = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")
    assert 'timezone = "Europe/Stockholm"' in text
    config.write_text(text.replace('timezone = "Europe/Stockholm"', 'timezone = "America/New_York"'),
                      encoding="utf-8")
    bot = await start_bot(database.url, FixedClock(), SAMVERKAN_CONFIG=str(config))
    try:
        assert scheduler_of(bot).zone == zone
        bot.members = {"anna": await add_teams_member(bot.runtime, "Anna Andersson", "kommun", "aad-anna",
                                                      teams.TENANT, admin=True)}
        await bot.post(teams.message("hjälp", connector.url))
        channel = teams.channel_conversation()
        await bot.post(teams.message("koppla den här kanalen till Operativa BRÅ", connector.url, mention=True,
                                     conversation=channel))
        await bot.post(teams.message("nästa operativa BRÅ är tisdag 8/12 kl 13", connector.url))
        number = await add_action(bot, "Trygghetsvandring i centrum", "anna")

        def new_york(day: date, hour: int, minute: int = 0) -> datetime:
            return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).astimezone(UTC)

        def posts():
            return [s for s in connector.sent if s.path == "/v3/conversations" and "channel" in s.body["channelData"]]

        # "before" on Tuesday 1 December at 08:00 in New York (13:00 UTC), not at 08:00 in Stockholm (07:00 UTC).
        assert await tick_at(bot, connector, local(date(2026, 12, 1), 8)) == []
        assert await tick_at(bot, connector, new_york(date(2026, 12, 1), 7, 59)) == []
        [before] = await tick_at(bot, connector, new_york(date(2026, 12, 1), 8))
        assert before.startswith(f"Påminnelse: #{number} Trygghetsvandring i centrum ska vara klar 4 december 2026 ")
        # The agenda for Tuesday 8 December 13:00 New York time: Friday 4 December 08:00 there.
        await tick_at(bot, connector, new_york(date(2026, 12, 4), 7, 59))
        assert posts() == []
        await tick_at(bot, connector, new_york(date(2026, 12, 4), 8))
        [post] = posts()
        [message] = connector.messages(post.conversation_id)
        assert message["summary"] == "Inför Operativa BRÅ tisdag 8 december 2026 kl 13:00"
    finally:
        await bot.stop()
