"""Forum meetings: Swedish recurrence phrases, series across DST, cancellations, the chat, the .ics feed and import."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy import func, select

from domain.clock import FixedClock
from domain.collaboration import load_collaboration
from domain.rules.recurrence import parse_recurrence
from storage import sync_catalog
from storage.meetings import MeetingRepository, expand
from storage.models import AuditEntry, ConversationReference, Meeting, MeetingSeries
from tests.support import activities as teams
from tests.support.bot_server import BotServer, add_teams_member, start_bot
from tests.test_cli import samverkan

TOKEN = "kalender-nyckel-for-test"
ZONE = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 26, 10, 0)  # FixedClock: Thursday 26 November 2026, 10:00 in Älmhult


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


# --- recurrence phrases ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "rrule", "description", "first"), [
    ("varannan tisdag kl 13", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "varannan tisdag kl 13:00", date(2026, 12, 1)),
    ("varje torsdag kl 9", "FREQ=WEEKLY;BYDAY=TH", "varje torsdag kl 09:00", date(2026, 12, 3)),
    ("varje torsdag kl 13", "FREQ=WEEKLY;BYDAY=TH", "varje torsdag kl 13:00", date(2026, 11, 26)),
    ("första måndagen i mars och oktober kl 9", "FREQ=YEARLY;BYMONTH=3,10;BYDAY=+1MO",
     "första måndagen i mars och oktober kl 09:00", date(2027, 3, 1)),
    ("sista fredagen i månaden kl 10", "FREQ=MONTHLY;BYDAY=-1FR", "sista fredagen i månaden kl 10:00",
     date(2026, 11, 27)),
    ("var tredje onsdag kl 8.30", "FREQ=WEEKLY;INTERVAL=3;BYDAY=WE", "var tredje onsdag kl 08:30", date(2026, 12, 2)),
    ("forsta mandagen varje manad kl 9", "FREQ=MONTHLY;BYDAY=+1MO", "första måndagen i månaden kl 09:00",
     date(2026, 12, 7)),
    ("andra tisdagen varannan månad kl 10", "FREQ=MONTHLY;INTERVAL=2;BYDAY=+2TU",
     "andra tisdagen varannan månad kl 10:00", date(2026, 12, 8)),
    ("varannan vecka på tisdagar kl 13", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "varannan tisdag kl 13:00",
     date(2026, 12, 1)),
    ("varje tisdag och torsdag kl 13", "FREQ=WEEKLY;BYDAY=TU,TH", "varje tisdag och torsdag kl 13:00",
     date(2026, 11, 26)),
    ("den 15:e varje månad kl 8", "FREQ=MONTHLY;BYMONTHDAY=15", "den 15 varje månad kl 08:00", date(2026, 12, 15)),
])
def test_recurrence_phrases_become_rrules_starting_on_the_next_such_day(text, rrule, description, first):
    recurrence = parse_recurrence(text, NOW)
    assert (recurrence.rrule, recurrence.text(), recurrence.first) == (rrule, description, first)


def test_recurrence_days_count_the_interval_from_the_first_day_and_read_a_duration():
    recurrence = parse_recurrence("varannan tisdag kl 13-15.30", NOW)
    assert recurrence.days(3) == [date(2026, 12, 1), date(2026, 12, 15), date(2026, 12, 29)]
    assert (recurrence.start_time, recurrence.duration_minutes) == (time(13), 150)
    assert parse_recurrence("var tredje onsdag", NOW).start_time is None  # the chat asks for the time


@pytest.mark.parametrize("text", ["varannan tisdag utom på sommaren", "när det passar", "varje torsdag kl 25",
                                  "nästa tisdag kl 13", "sista i månaden", "", "varje kl 13-12"])
def test_unclear_recurrence_is_none_not_a_guess(text):
    assert parse_recurrence(text, NOW) is None


def test_expansion_keeps_the_local_wall_time_across_both_dst_changes():
    start, end = local(date(2026, 10, 1), 0), local(date(2027, 4, 30), 0)
    starts = expand("FREQ=WEEKLY;BYDAY=TH", date(2026, 10, 1), time(13), start.astimezone(UTC),
                    end.astimezone(UTC), ZONE)
    assert {s.astimezone(ZONE).time() for s in starts} == {time(13)}
    assert {s.hour for s in starts if s < datetime(2026, 10, 25, tzinfo=UTC)} == {11}  # CEST, UTC+2
    assert {s.hour for s in starts if datetime(2026, 10, 26, tzinfo=UTC) < s < datetime(2027, 3, 28, tzinfo=UTC)} \
        == {12}  # CET, UTC+1
    assert {s.hour for s in starts if s > datetime(2027, 3, 29, tzinfo=UTC)} == {11}


# --- storage -----------------------------------------------------------------------------------------------

@pytest.fixture
async def forums(database):
    collaboration = load_collaboration()
    async with database.session() as session:
        await sync_catalog(session, collaboration.focus_areas, collaboration.forums, datetime.now(UTC))
        await session.commit()
    return database


async def test_a_weekly_series_stays_at_13_local_on_both_sides_of_the_dst_changes(forums):
    async with forums.session() as session:
        repository = MeetingRepository(session, ZONE)
        await repository.add_series("operativa-bra", "FREQ=WEEKLY;BYDAY=TH", start_time=time(13),
                                    dtstart=date(2026, 10, 1))
        await session.commit()
        autumn = await repository.occurrences(local(date(2026, 10, 15), 0), local(date(2026, 11, 6), 0))
        spring = await repository.occurrences(local(date(2027, 3, 18), 0), local(date(2027, 4, 9), 0),
                                              "operativa-bra")
    assert [o.starts_at.astimezone(ZONE).date() for o in autumn] == [date(2026, 10, 15), date(2026, 10, 22),
                                                                     date(2026, 10, 29), date(2026, 11, 5)]
    for occurrence in autumn + spring:
        assert occurrence.starts_at.tzinfo == UTC
        assert occurrence.starts_at.astimezone(ZONE).time() == time(13)
        assert occurrence.ends_at - occurrence.starts_at == timedelta(minutes=120)
        assert occurrence.key == f"operativa-bra:{occurrence.starts_at.isoformat()}"
        assert (occurrence.forum_code, occurrence.forum_name, occurrence.cancelled) == \
            ("operativa-bra", "Operativa BRÅ", False)
    assert [o.starts_at.hour for o in autumn] == [11, 11, 12, 12]
    assert [o.starts_at.hour for o in spring] == [12, 12, 11, 11]  # 18 and 25 Mar, then summer time from 28 Mar


async def test_cancel_one_occurrence_of_a_series_and_a_single_meeting(forums):
    async with forums.session() as session:
        repository = MeetingRepository(session, ZONE)
        await repository.add_series("operativa-bra", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", start_time=time(13),
                                    dtstart=date(2026, 12, 1), location="Kommunhuset")
        single = await repository.add_meeting("sspf", local(date(2026, 12, 1), 9))
        await session.commit()
        cancelled = await repository.cancel("operativa-bra", date(2026, 12, 1))
        await session.commit()
        assert [(o.forum_code, o.starts_at, o.cancelled, o.location) for o in cancelled] == \
            [("operativa-bra", local(date(2026, 12, 1), 13), True, "Kommunhuset")]
        assert await repository.cancel("operativa-bra", date(2026, 12, 1)) == []  # already off
        [sspf] = await repository.cancel("sspf", date(2026, 12, 1))
        assert sspf.meeting_id == single.id
        await session.commit()
        window = await repository.occurrences(local(date(2026, 11, 30), 0), local(date(2026, 12, 16), 0))
        assert [(o.forum_code, o.starts_at.astimezone(ZONE).day, o.cancelled) for o in window] == [
            ("sspf", 1, True), ("operativa-bra", 1, True), ("operativa-bra", 15, False)]
        assert window[1].key == cancelled[0].key  # the same occurrence, now marked
        live = await repository.occurrences(local(date(2026, 11, 30), 0), local(date(2026, 12, 16), 0),
                                            include_cancelled=False)
        assert [o.starts_at.astimezone(ZONE).day for o in live] == [15]
        following = await repository.next("operativa-bra", local(date(2026, 11, 26), 10))
        assert following.starts_at == local(date(2026, 12, 15), 13) and following.series_id is not None
        # Scheduling the cancelled date again reinstates it.
        await repository.add_meeting("operativa-bra", local(date(2026, 12, 1), 13))
        assert (await repository.next("operativa-bra", local(date(2026, 11, 26), 10))).starts_at == \
            local(date(2026, 12, 1), 13)
        assert await session.scalar(select(func.count()).select_from(Meeting)) == 2


async def test_a_new_chat_series_replaces_the_earlier_one_and_a_single_meeting_on_a_series_date_shows_once(forums):
    async with forums.session() as session:
        repository = MeetingRepository(session, ZONE)
        await repository.add_series("operativa-bra", "FREQ=WEEKLY;BYDAY=TU", start_time=time(13),
                                    dtstart=date(2026, 11, 3))
        await repository.add_series("operativa-bra", "FREQ=WEEKLY;BYDAY=TH", start_time=time(9),
                                    dtstart=date(2026, 12, 3))
        await repository.add_meeting("operativa-bra", local(date(2026, 12, 10), 9), location="Polisstationen")
        await session.commit()
        [old, new] = await repository.series("operativa-bra")
        assert (old.until, new.until) == (date(2026, 12, 2), None)
        found = await repository.occurrences(local(date(2026, 11, 24), 0), local(date(2026, 12, 11), 0))
    assert [(o.starts_at.astimezone(ZONE).strftime("%a %d %H"), o.location) for o in found] == [
        ("Tue 24 13", None), ("Tue 01 13", None), ("Thu 03 09", None), ("Thu 10 09", "Polisstationen")]


async def test_occurrences_refuse_naive_times_and_rules_are_checked_before_they_are_stored(forums):
    async with forums.session() as session:
        repository = MeetingRepository(session, ZONE)
        with pytest.raises(ValueError):
            await repository.occurrences(datetime(2026, 12, 1), datetime(2026, 12, 2))
        with pytest.raises(ValueError):
            await repository.add_series("sspf", "FREQ=SOMETIMES", start_time=time(9), dtstart=date(2026, 12, 1))
        with pytest.raises(LookupError):
            await repository.add_meeting("okant-forum", local(date(2026, 12, 1), 9))


# --- the chat, end to end in Teams -------------------------------------------------------------------------

@pytest.fixture
async def server(database):
    bot = await start_bot(database.url, FixedClock(), SAMVERKAN_CALENDAR_TOKEN=TOKEN)
    await add_teams_member(bot.runtime, "Anna Andersson", "kommun", "aad-anna", teams.TENANT, admin=True)
    await add_teams_member(bot.runtime, "Karin Lund", "kommun", "aad-karin", teams.TENANT)
    yield bot
    await bot.stop()


async def say(server: BotServer, connector, text: str, *, aad: str = "aad-anna", channel: str | None = None) -> str:
    connector.clear()
    conversation = teams.channel_conversation(channel) if channel else None
    activity = teams.message(text, connector.url, aad=aad, conversation=conversation, mention=channel is not None)
    assert (await server.post(activity)).status == 200
    [sent] = connector.sent
    return sent.text


async def audited(server: BotServer) -> list[str]:
    async with server.runtime.database.session() as session:
        return list(await session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.like("meeting%") | AuditEntry.action.like("channel.%")).order_by(AuditEntry.id)))


async def test_schedule_a_meeting_and_ask_for_the_next_one(server, connector):
    assert (await say(server, connector, "när är nästa SSPF")).startswith(
        "Inga inplanerade möten för SSPF. En administratör kan lägga in dem")
    assert await say(server, connector, "Operativa BRÅ är 8 december kl 13") == \
        "Inlagt: Operativa BRÅ tisdag 8 december kl 13:00–15:00."
    assert await say(server, connector, "när är nästa operativa BRÅ") == \
        "Nästa Operativa BRÅ: tisdag 8 december kl 13:00 (om 12 dagar)"
    assert await say(server, connector, "operativa BRÅ är 8 december kl 13") == \
        "Operativa BRÅ har redan ett möte tisdag 8 december kl 13:00."
    assert (await say(server, connector, "operativa BRÅ är 8 december")).startswith("Vilken tid börjar mötet?")
    assert await audited(server) == ["meeting.scheduled"]


async def test_schedule_a_series_cancel_one_date_and_the_next_meeting_skips_it(server, connector):
    assert await say(server, connector, "operativa BRÅ varannan tisdag kl 13") == (
        "Sparat: Operativa BRÅ varannan tisdag kl 13:00.\nDe tre närmaste mötena:\n"
        "- tisdag 1 december kl 13:00\n- tisdag 15 december kl 13:00\n- tisdag 29 december kl 13:00")
    assert await say(server, connector, "när är nästa operativa brå") == \
        "Nästa Operativa BRÅ: tisdag 1 december kl 13:00 (om 5 dagar)"
    assert await say(server, connector, "ställ in operativa BRÅ på tisdag") == (
        "Inställt: Operativa BRÅ tisdag 1 december kl 13:00.\n"
        "Nästa möte: tisdag 15 december kl 13:00 (om 19 dagar).")
    assert await say(server, connector, "när är nästa operativa BRÅ") == (
        "Nästa Operativa BRÅ: tisdag 15 december kl 13:00 (om 19 dagar)\n"
        "Mötet tisdag 1 december kl 13:00 är inställt.")
    assert (await say(server, connector, "ställ in operativa BRÅ på onsdag")).startswith(
        "Operativa BRÅ har inget möte onsdag 2 december att ställa in.")
    assert (await say(server, connector, "ställ in operativa BRÅ i december")).startswith(
        "Jag ställer in möten en dag eller en vecka i taget.")
    # A later series replaces it.
    text = await say(server, connector, "operativa BRÅ varje torsdag kl 9-11")
    assert text.startswith("Sparat: Operativa BRÅ varje torsdag kl 09:00. Det ersätter den tidigare")
    assert "- torsdag 3 december kl 09:00" in text
    assert await audited(server) == ["meeting_series.scheduled", "meeting.cancelled", "meeting_series.scheduled"]


async def say_all(server: BotServer, connector, text: str) -> list[str]:
    connector.clear()
    assert (await server.post(teams.message(text, connector.url, aad="aad-anna"))).status == 200
    return [sent.text for sent in connector.sent]


async def test_a_series_that_lands_on_holidays_offers_to_move_just_those_dates(server, connector):
    text = await say(server, connector, "SSPF sista fredagen i månaden kl 10")
    assert text.startswith("Sparat: SSPF sista fredagen i månaden kl 10:00.\nDe tre närmaste mötena:\n"
                           "- fredag 27 november kl 10:00\n- fredag 25 december kl 10:00\n")
    assert text.endswith(
        "\n\nObservera: 3 av mötena det närmaste året hamnar på helgdagar:\n"
        "- fredag 25 december är juldagen → onsdag 23 december kl 10:00\n"  # julafton is no working day either
        "- fredag 26 mars 2027 är långfredagen → torsdag 25 mars 2027 kl 10:00\n"
        "- fredag 25 juni 2027 är midsommarafton → torsdag 24 juni 2027 kl 10:00\n"
        "Vill du flytta just de mötena till arbetsdagen före, som ovan? Svara ”ja” för att flytta eller ”nej” för "
        "att låta det vara.")
    assert await say(server, connector, "ja") == (
        "Flyttat:\n- SSPF fredag 25 december kl 10:00 → onsdag 23 december kl 10:00\n"
        "- SSPF fredag 26 mars 2027 kl 10:00 → torsdag 25 mars 2027 kl 10:00\n"
        "- SSPF fredag 25 juni 2027 kl 10:00 → torsdag 24 juni 2027 kl 10:00")
    assert await say(server, connector, "visa kalendern för december") == (
        "Möten för december:\n- SSPF: onsdag 23 december kl 10:00\n- SSPF: fredag 25 december kl 10:00 – inställt")
    assert await say(server, connector, "sspf i januari") == "Möten för januari 2027:\n- SSPF: fredag 29 januari " \
        "2027 kl 10:00"  # the series itself goes on
    assert await audited(server) == ["meeting_series.scheduled", "meeting.moved", "meeting.moved", "meeting.moved"]


async def test_a_holiday_offer_answered_no_or_with_a_new_question_moves_nothing(server, connector):
    text = await say(server, connector, "strategiska BRÅ sista måndagen i mars kl 9")
    assert text.endswith(
        "\n\nObservera: måndag 29 mars 2027 är annandag påsk. Vill du flytta just det mötet till torsdag 25 mars "
        "2027 kl 09:00? Svara ”ja” för att flytta eller ”nej” för att låta det vara.")  # långfredagen before it
    assert await say(server, connector, "nej") == "Okej, mötet ligger kvar på annandag påsk."
    await say(server, connector, "strategiska BRÅ sista måndagen i mars kl 10")
    assert await say_all(server, connector, "när är nästa strategiska BRÅ") == [
        "(Jag flyttar inget: mötet ligger kvar på annandag påsk.)",
        "Nästa Strategiska BRÅ: måndag 29 mars 2027 kl 10:00 (om 123 dagar)"]
    assert not (await say(server, connector, "ja")).startswith("Flyttat")  # the offer is gone
    assert await audited(server) == ["meeting_series.scheduled", "meeting_series.scheduled"]


async def test_after_cancelling_a_later_date_the_next_meeting_is_still_the_one_before_it(server, connector):
    server.runtime.clock.set(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))  # Thursday 3 December
    await say(server, connector, "operativa BRÅ varannan tisdag kl 13")  # 8 and 22 December, 5 January
    assert await say(server, connector, "ställ in operativa BRÅ 22/12") == (
        "Inställt: Operativa BRÅ tisdag 22 december kl 13:00.\n"
        "Nästa möte: tisdag 8 december kl 13:00 (om 5 dagar).")


async def test_move_one_meeting_says_both_times_and_keeps_the_series(server, connector):
    server.runtime.clock.set(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))  # Thursday 3 December
    await say(server, connector, "operativa BRÅ varannan tisdag kl 13")  # 8 and 22 December, 5 January
    assert await say(server, connector, "flytta operativa BRÅ 8/12 till 10/12") == \
        "Flyttat: Operativa BRÅ tisdag 8 december kl 13:00 → torsdag 10 december kl 13:00."
    assert (await say(server, connector, "när är nästa operativa BRÅ")).startswith(
        "Nästa Operativa BRÅ: torsdag 10 december kl 13:00 (om 7 dagar)")
    await say(server, connector, "SSPF sista fredagen i månaden kl 10")
    await say(server, connector, "nej")  # the holidays stay, to be moved one by one
    assert await say(server, connector, "flytta SSPF den 25 december till 23 december kl 13") == \
        "Flyttat: SSPF fredag 25 december kl 10:00 → onsdag 23 december kl 13:00."
    assert await say(server, connector, "flytta operativa BRÅ 22/12 till 24/12") == (
        "Flyttat: Operativa BRÅ tisdag 22 december kl 13:00 → torsdag 24 december kl 13:00. Observera: torsdag 24 "
        "december är julafton.")
    assert await say(server, connector, "flytta operativa brå till fredag") == \
        "Flyttat: Operativa BRÅ torsdag 10 december kl 13:00 → fredag 4 december kl 13:00."  # the next one
    assert await say(server, connector, "flytta SSPF 29/1 till 23/12 kl 13") == \
        "SSPF har redan ett möte onsdag 23 december kl 13:00. Inget har flyttats."
    assert await say(server, connector, "visa kalendern för december") == (
        "Möten för december:\n- Operativa BRÅ: fredag 4 december kl 13:00\n"
        "- Operativa BRÅ: tisdag 8 december kl 13:00 – inställt\n"
        "- Operativa BRÅ: torsdag 10 december kl 13:00 – inställt\n"
        "- Operativa BRÅ: tisdag 22 december kl 13:00 – inställt\n- SSPF: onsdag 23 december kl 13:00\n"
        "- Operativa BRÅ: torsdag 24 december kl 13:00\n- SSPF: fredag 25 december kl 10:00 – inställt")
    assert (await say(server, connector, "sspf i januari")).endswith("fredag 29 januari 2027 kl 10:00")
    assert await audited(server) == ["meeting_series.scheduled", "meeting.moved", "meeting_series.scheduled",
                                     "meeting.moved", "meeting.moved", "meeting.moved"]


async def test_the_calendar_lists_every_forums_meetings_in_a_period_cancelled_ones_marked(server, connector):
    await say(server, connector, "operativa BRÅ varannan tisdag kl 13")
    await say(server, connector, "SSPF är 10 december kl 9")
    await say(server, connector, "ställ in operativa BRÅ på tisdag")
    assert await say(server, connector, "visa kalendern för december") == (
        "Möten för december:\n- Operativa BRÅ: tisdag 1 december kl 13:00 – inställt\n"
        "- SSPF: torsdag 10 december kl 09:00\n- Operativa BRÅ: tisdag 15 december kl 13:00\n"
        "- Operativa BRÅ: tisdag 29 december kl 13:00")
    assert await say(server, connector, "vilka möten har vi nästa vecka") == (
        "Möten för v. 49 (30 nov–6 dec):\n- Operativa BRÅ: tisdag 1 december kl 13:00 – inställt")
    assert await say(server, connector, "sspf i januari") == "Inga möten är inplanerade för januari 2027."
    assert (await say(server, connector, "kalender")).startswith("Möten för 26 nov–23 dec:\n- Operativa BRÅ: tisdag")
    assert (await say(server, connector, "när är nästa möte")).startswith(  # soonest first
        "Nästa möten:\n- SSPF: torsdag 10 december kl 09:00 (om 14 dagar)\n- Operativa BRÅ: tisdag 15 december")


async def test_unclear_recurrence_and_missing_forum_are_answered_with_examples(server, connector):
    text = await say(server, connector, "operativa BRÅ varannan tisdag utom på sommaren")
    assert text.startswith("Jag förstår inte ”varannan tisdag utom på sommaren” som en återkommande tid.")
    assert "”SSPF varje torsdag kl 9”" in text
    assert (await say(server, connector, "operativa BRÅ var tredje onsdag")).startswith("Vilken tid?")
    text = await say(server, connector, "ställ in mötet på tisdag")
    assert text.startswith("Vilket forums möte ska ställas in?") and "- Operativa BRÅ" in text
    async with server.runtime.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(MeetingSeries)) == 0


async def test_members_who_are_not_admins_may_ask_but_not_change(server, connector):
    refusal = await say(server, connector, "operativa BRÅ varannan tisdag kl 13", aad="aad-karin")
    assert refusal.startswith("Bara en administratör kan lägga in möten.")
    assert (await say(server, connector, "ställ in operativa BRÅ på tisdag", aad="aad-karin")).startswith(
        "Bara en administratör kan ställa in möten.")
    assert (await say(server, connector, "koppla den här kanalen till operativa BRÅ", aad="aad-karin",
                      channel="1")).startswith("Bara en administratör kan koppla en kanal till ett forum.")
    assert (await say(server, connector, "när är nästa operativa BRÅ", aad="aad-karin")).startswith(
        "Inga inplanerade möten för Operativa BRÅ.")
    assert await audited(server) == []


async def test_bind_a_teams_channel_to_a_forum_but_not_a_personal_chat(server, connector):
    personal = await say(server, connector, "koppla den här kanalen till operativa BRÅ")
    assert personal.startswith("Det här är en personlig chatt")
    assert await say(server, connector, "koppla den här kanalen till operativa BRÅ", channel="1") == (
        "Den här kanalen är nu kopplad till Operativa BRÅ. Jag lägger dagordningen här två arbetsdagar före "
        "varje möte.")
    async with server.runtime.database.session() as session:
        rows = list(await session.scalars(select(ConversationReference).where(
            ConversationReference.forum_id.is_not(None))))
    assert [(row.key, row.conversation_type, row.teams_channel_id) for row in rows] == \
        [(f"msteams:{teams.CHANNEL};messageid=1", "channel", teams.CHANNEL)]
    # In another thread of the bound channel the forum need not be named.
    await say(server, connector, "operativa BRÅ varannan tisdag kl 13")
    assert (await say(server, connector, "ställ in mötet på tisdag", channel="2")).startswith(
        "Inställt: Operativa BRÅ tisdag 1 december kl 13:00.")
    assert await say(server, connector, "koppla bort kanalen", channel="2") == \
        "Den här kanalen är inte längre kopplad till Operativa BRÅ. Jag lägger inte dagordningen här längre."
    assert await say(server, connector, "koppla bort kanalen", channel="1") == \
        "Den här kanalen är inte kopplad till något forum."
    assert await audited(server) == ["channel.bound", "meeting_series.scheduled", "meeting.cancelled",
                                     "channel.unbound"]


# --- iCalendar ---------------------------------------------------------------------------------------------

async def test_the_ics_feed_serves_occurrences_with_stable_uids_and_cancellations(server, connector):
    await say(server, connector, "operativa BRÅ varannan tisdag kl 13")
    await say(server, connector, "ställ in operativa BRÅ på tisdag")
    await say(server, connector, "SSPF är 3 december kl 9")

    async def feed() -> icalendar.Calendar:
        async with server.http.get(f"{server.url}/calendar/operativa-bra.ics?token={TOKEN}") as response:
            assert response.status == 200
            assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
            return icalendar.Calendar.from_ical(await response.read())

    calendar = await feed()
    assert str(calendar["X-WR-CALNAME"]) == "Operativa BRÅ"
    events = calendar.walk("VEVENT")
    # 400 days ahead of 26 Nov 2026, every other Tuesday from 1 Dec: 29 dates, no SSPF meeting among them.
    assert len(events) == 29
    assert {str(e["SUMMARY"]) for e in events} == {"Operativa BRÅ"}
    first, second = events[0], events[1]
    assert first["DTSTART"].dt == datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert first["DTEND"].dt == datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    assert first.to_ical().decode().count("DTSTART:20261201T120000Z") == 1
    assert (str(first["STATUS"]), str(second["STATUS"])) == ("CANCELLED", "CONFIRMED")
    summer = next(e for e in events if e["DTSTART"].dt.month == 6)
    assert summer["DTSTART"].dt.astimezone(ZONE).time() == time(13)
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert uids == [str(e["UID"]) for e in (await feed()).walk("VEVENT")]

    async with server.http.get(f"{server.url}/calendar/finns-inte.ics?token={TOKEN}") as response:
        assert response.status == 404
        assert (await response.text()).startswith("Det finns inget forum ”finns-inte”.")


async def test_the_feed_needs_its_token(server):
    for query in ("", "?token=fel"):
        async with server.http.get(f"{server.url}/calendar/operativa-bra.ics{query}") as response:
            assert response.status == 403
            assert "nyckel" in await response.text()


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//Outlook export//SV
BEGIN:VEVENT
UID:single-1@almhult.se
SUMMARY:Operativa BRÅ extra
DTSTART;TZID=Europe/Stockholm:20261210T090000
DTEND;TZID=Europe/Stockholm:20261210T103000
LOCATION:Kommunhuset\\, sal 2
END:VEVENT
BEGIN:VEVENT
UID:series-1@almhult.se
SUMMARY:SSPF
DTSTART;TZID=Europe/Stockholm:20261203T140000
DTEND;TZID=Europe/Stockholm:20261203T160000
RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20270630T215959Z
EXDATE;TZID=Europe/Stockholm:20261231T140000
END:VEVENT
BEGIN:VEVENT
UID:lunch-1@almhult.se
SUMMARY:Lunch
DTSTART:20261204T110000Z
END:VEVENT
END:VCALENDAR
"""


async def test_import_meetings_from_an_ics_file_by_uid_without_duplicates(database, tmp_path):
    file = tmp_path / "moten.ics"
    file.write_text(ICS.replace("\n", "\r\n"), encoding="utf-8")
    env = {"DATABASE_URL": database.url}
    first = samverkan("import", "meetings", str(file), cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert "1 händelse hör inte till något forum" in first.stdout  # the lunch
    assert "Importerade 1 möte och 1 mötesserie (3 nya, 0 uppdaterade, 0 oförändrade)." in first.stdout
    again = samverkan("import", "meetings", str(file), cwd=tmp_path, env=env)
    assert "Importerade 1 möte och 1 mötesserie (0 nya, 0 uppdaterade, 3 oförändrade)." in again.stdout
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Meeting)) == 2  # the single, the EXDATE
        assert await session.scalar(select(func.count()).select_from(MeetingSeries)) == 1
        repository = MeetingRepository(session, ZONE)
        found = await repository.occurrences(local(date(2026, 12, 1), 0), local(date(2027, 1, 15), 0))
        [series] = await repository.series("sspf")
    assert (series.rrule, series.until, series.duration_minutes) == \
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", date(2027, 6, 30), 120)
    assert [(o.forum_code, o.starts_at.astimezone(ZONE).strftime("%d/%m %H:%M"), o.cancelled) for o in found] == [
        ("sspf", "03/12 14:00", False), ("operativa-bra", "10/12 09:00", False), ("sspf", "17/12 14:00", False),
        ("sspf", "31/12 14:00", True), ("sspf", "14/01 14:00", False)]
    assert found[1].location == "Kommunhuset, sal 2"
    assert found[1].ends_at - found[1].starts_at == timedelta(minutes=90)

    # --forum puts every event on one forum; a moved time is an update, not a new meeting.
    file.write_text(ICS.replace("20261210T090000", "20261210T100000"), encoding="utf-8")
    forced = samverkan("import", "meetings", str(file), "--forum", "operativa-bra", cwd=tmp_path, env=env)
    assert forced.returncode == 0, forced.stderr
    assert "Importerade 2 möten och 1 mötesserie (1 ny, 3 uppdaterade, 0 oförändrade)." in forced.stdout


async def test_import_refuses_what_is_not_a_calendar_in_swedish(database, tmp_path):
    env = {"DATABASE_URL": database.url}
    spreadsheet = tmp_path / "atgarder.csv"
    spreadsheet.write_text("Nummer,Åtgärd\n1,Trygghetsvandring\n", encoding="utf-8")
    result = samverkan("import", "meetings", str(spreadsheet), cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "”atgarder.csv” är ingen kalenderfil (iCalendar, .ics)" in result.stderr
    assert "Inget importerades." in result.stderr
    missing = samverkan("import", "meetings", str(tmp_path / "saknas.ics"), cwd=tmp_path, env=env)
    assert missing.returncode == 1 and "finns inte" in missing.stderr
    wrong_forum = samverkan("import", "meetings", str(spreadsheet), "--forum", "okänt", cwd=tmp_path, env=env)
    assert wrong_forum.returncode == 1 and "Det finns inget forum ”okänt”" in wrong_forum.stderr


async def test_meetings_from_the_configuration_file(database, connector, tmp_path):
    from domain.collaboration import DEFAULT_CONFIG_PATH

    text = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8").replace(
        'code = "operativa-bra"', 'code = "operativa-bra"\nmeets = "varannan tisdag kl 13"', 1)
    config = tmp_path / "samverkan.toml"
    config.write_text(text, encoding="utf-8")
    bot = await start_bot(database.url, FixedClock(), SAMVERKAN_CONFIG=str(config))
    try:
        await add_teams_member(bot.runtime, "Karin Lund", "kommun", "aad-karin", teams.TENANT)
        answer = await say(bot, connector, "när är nästa operativa BRÅ", aad="aad-karin")
        assert answer.startswith("Nästa Operativa BRÅ: tisdag 1 december kl 13:00 (om 5 dagar)")
    finally:
        await bot.stop()
    # Started again with the same file: the series is kept as it was, not added twice.
    again = await start_bot(database.url, FixedClock(), SAMVERKAN_CONFIG=str(config))
    try:
        async with again.runtime.database.session() as session:
            assert await session.scalar(select(func.count()).select_from(MeetingSeries)) == 1
    finally:
        await again.stop()


async def test_the_agenda_for_the_next_meeting_is_the_forum_that_meets_first(server, connector):
    text = await say(server, connector, "vad står på agendan till nästa möte")
    assert text.startswith("Inför vilket forum?")  # nothing planned: the forum is asked for
    await say(server, connector, "operativa BRÅ är 15 december kl 13")
    await say(server, connector, "SSPF är 10 december kl 9")
    connector.clear()
    assert (await server.post(teams.message("vad står på agendan till nästa möte", connector.url))).status == 200
    [reply] = connector.sent
    texts = [block.get("text", "") for block in teams.card_of(reply.body)["body"]]
    assert texts[0] == "Inför SSPF torsdag 10 december 2026 kl 09:00"
    async with server.runtime.database.session() as session:
        viewed = (await session.scalars(select(AuditEntry.subject_id).where(
            AuditEntry.action == "meeting_brief.viewed"))).all()
    assert viewed == ["sspf"]


async def test_the_next_meeting_is_cancelled_or_moved_by_saying_nasta(server, connector):
    server.runtime.clock.set(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))  # Thursday 3 December
    assert await say(server, connector, "ställ in nästa sspf") == "SSPF har inga inplanerade möten att ställa in."
    await say(server, connector, "operativa BRÅ varannan tisdag kl 13")  # 8 and 22 December, 5 January
    assert await say(server, connector, "ställ in nästa operativa brå") == (
        "Inställt: Operativa BRÅ tisdag 8 december kl 13:00.\n"
        "Nästa möte: tisdag 22 december kl 13:00 (om 19 dagar).")
    assert await say(server, connector, "flytta nästa operativa brå till 23/12") == \
        "Flyttat: Operativa BRÅ tisdag 22 december kl 13:00 → onsdag 23 december kl 13:00."
    assert await audited(server) == ["meeting_series.scheduled", "meeting.cancelled", "meeting.moved"]
