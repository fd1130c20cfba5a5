"""When the bot speaks first, with `now` passed in: no clock, no sleeping."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.rules.calendar import ZONE, is_working_day, local_day
from domain.rules.reminders import (
    DEFAULT_DAYS_BEFORE,
    DEFAULT_MEETING_DAYS_BEFORE,
    DEFAULT_SEND_AT,
    Due,
    action_reminders,
    digest,
    is_late,
    meeting_post,
    meeting_post_time,
    next_action_reminder_at,
    personal_reminder,
)


def local(year, month, day, hour=8, minute=0):
    """A Stockholm wall-clock time as the aware UTC instant the rules take and give."""
    return datetime(year, month, day, hour, minute, tzinfo=ZONE).astimezone(UTC)


def keys(now, due, **options):
    options.setdefault("status", "pagaende")
    return [item.key for item in action_reminders(action_id=12, due=due, now=now, **options)]


def test_defaults():
    assert (DEFAULT_SEND_AT, DEFAULT_DAYS_BEFORE, DEFAULT_MEETING_DAYS_BEFORE) == (time(8), 3, 2)


# --- action reminders, stepping `now` through the days -------------------------------------------------------------

FRIDAY = date(2026, 12, 11)


@pytest.mark.parametrize(("now", "expected"), [
    (local(2026, 12, 7, 12), []),
    (local(2026, 12, 8, 7, 59), []),
    (local(2026, 12, 8), ["action:12:before:2026-12-11"]),  # Tuesday: three working days before
    (local(2026, 12, 10, 17), ["action:12:before:2026-12-11"]),
    (local(2026, 12, 11, 7, 59), ["action:12:before:2026-12-11"]),
    (local(2026, 12, 11), ["action:12:due:2026-12-11"]),
    (local(2026, 12, 14), ["action:12:due:2026-12-11"]),
    (local(2026, 12, 18), ["action:12:overdue:2026-12-11:1"]),
    (local(2026, 12, 25, 12), ["action:12:overdue:2026-12-11:1"]),  # juldagen: the weekly one waits
    (local(2026, 12, 28), ["action:12:overdue:2026-12-11:2"]),
    (local(2027, 1, 1, 12), ["action:12:overdue:2026-12-11:2"]),
    (local(2027, 1, 4), ["action:12:overdue:2026-12-11:3"]),
    (local(2027, 1, 8), ["action:12:overdue:2026-12-11:4"]),
])
def test_due_on_a_friday(now, expected):
    assert keys(now, FRIDAY) == expected


@pytest.mark.parametrize(("now", "expected"), [
    (local(2026, 12, 18, 12), []),
    (local(2026, 12, 21), ["action:12:before:2026-12-28"]),  # three working days before, past 24–27 Dec
    (local(2026, 12, 24, 12), ["action:12:before:2026-12-28"]),
    (local(2026, 12, 27, 20), ["action:12:before:2026-12-28"]),
    (local(2026, 12, 28), ["action:12:due:2026-12-28"]),
    (local(2027, 1, 3, 12), ["action:12:due:2026-12-28"]),
    (local(2027, 1, 4), ["action:12:overdue:2026-12-28:1"]),
    (local(2027, 1, 11), ["action:12:overdue:2026-12-28:2"]),
])
def test_due_on_a_monday_after_christmas(now, expected):
    assert keys(now, date(2026, 12, 28)) == expected


def test_due_on_the_monday_after_new_year():
    assert keys(local(2026, 12, 25, 12), date(2027, 1, 4)) == []
    assert keys(local(2026, 12, 28), date(2027, 1, 4)) == ["action:12:before:2027-01-04"]
    assert keys(local(2027, 1, 4), date(2027, 1, 4)) == ["action:12:due:2027-01-04"]


@pytest.mark.parametrize(("now", "expected"), [
    (local(2026, 6, 1, 12), []),
    (local(2026, 6, 2), ["action:12:before:2026-06-06"]),  # three working days before Friday 5 June
    (local(2026, 6, 5), ["action:12:due:2026-06-06"]),  # the working day before the Saturday
    (local(2026, 6, 6, 12), ["action:12:due:2026-06-06"]),
    (local(2026, 6, 13, 12), ["action:12:due:2026-06-06"]),
    (local(2026, 6, 15), ["action:12:overdue:2026-06-06:1"]),  # Saturday 13 June → Monday 15
    (local(2026, 6, 19, 12), ["action:12:overdue:2026-06-06:1"]),
    (local(2026, 6, 22), ["action:12:overdue:2026-06-06:2"]),  # midsommardagen → Monday 22
])
def test_due_on_a_saturday(now, expected):
    assert keys(now, date(2026, 6, 6)) == expected


@pytest.mark.parametrize("due", [FRIDAY, date(2026, 12, 28), date(2026, 6, 6), date(2026, 4, 6), date(2026, 6, 19)])
def test_action_reminders_never_go_out_on_a_day_off(due):
    """An hourly scheduler from two weeks before to six weeks after the due date."""
    start = local(due.year, due.month, due.day, 0) - timedelta(days=14)
    sent = set()
    for hour in range(24 * 7 * 8):
        sent.update(action_reminders(action_id=1, due=due, status="planerad", now=start + timedelta(hours=hour)))
    assert [item.kind for item in sorted(sent, key=lambda item: item.at)] == [
        "before", "due", "overdue", "overdue", "overdue", "overdue", "overdue"]
    assert all(is_working_day(local_day(item.at)) for item in sent)
    assert all(item.at.astimezone(ZONE).time() == time(8) for item in sent)


def test_nothing_for_closed_actions():
    for status in ("klar", "installd"):
        assert keys(local(2026, 12, 11), FRIDAY, status=status) == []
        assert keys(local(2026, 12, 28), FRIDAY, status=status) == []


def test_what_a_reminder_says_about_itself():
    (item,) = action_reminders(action_id=12, due=FRIDAY, status="planerad", now=local(2026, 12, 9))
    assert item == Due("action:12:before:2026-12-11", "before", datetime(2026, 12, 8, 7, tzinfo=UTC))


def test_times_follow_summer_time():
    due = date(2026, 3, 31)  # a Tuesday; "before" is Thursday 26 March, still winter time
    (before,) = action_reminders(action_id=1, due=due, status="planerad", now=local(2026, 3, 27))
    (on_due,) = action_reminders(action_id=1, due=due, status="planerad", now=local(2026, 3, 31, 12))
    assert before.at == datetime(2026, 3, 26, 7, tzinfo=UTC)
    assert on_due.at == datetime(2026, 3, 31, 6, tzinfo=UTC)


def test_days_before_zero_gives_only_the_due_reminder():
    assert keys(local(2026, 12, 11), FRIDAY, days_before=0) == ["action:12:due:2026-12-11"]
    assert keys(local(2026, 12, 10), FRIDAY, days_before=0) == []
    assert keys(local(2026, 12, 10), FRIDAY, days_before=1) == ["action:12:before:2026-12-11"]


# --- downtime ------------------------------------------------------------------------------------------------------

def test_bot_down_over_before_and_due_sends_only_due():
    assert keys(local(2026, 12, 11, 9, 30), FRIDAY) == ["action:12:due:2026-12-11"]


def test_bot_down_for_two_weeks_sends_only_the_latest_reminder():
    # Down from Monday 7 Dec (nothing due yet) until Monday 21 Dec: before, due and overdue 1 all passed.
    (item,) = action_reminders(action_id=12, due=FRIDAY, status="planerad", now=local(2026, 12, 21, 10))
    assert item.key == "action:12:overdue:2026-12-11:1"
    assert is_late(item, local(2026, 12, 21, 10))


def test_bot_down_for_weeks_sends_one_overdue_not_a_burst():
    assert keys(local(2027, 1, 5, 10), FRIDAY) == ["action:12:overdue:2026-12-11:3"]


def test_long_overdue_action_counts_its_weeks():
    assert keys(local(2027, 12, 10, 7, 59), FRIDAY) == ["action:12:overdue:2026-12-11:51"]
    assert keys(local(2027, 12, 10), FRIDAY) == ["action:12:overdue:2026-12-11:52"]


def test_on_time_tick_is_not_late():
    (item,) = action_reminders(action_id=12, due=FRIDAY, status="planerad", now=local(2026, 12, 11, 8, 5))
    assert not is_late(item, local(2026, 12, 11, 8, 5))


# --- postponing, snoozing, "inga påminnelser före kl 9" ------------------------------------------------------------

def test_postponed_due_date_gives_fresh_keys():
    old = keys(local(2026, 12, 14), FRIDAY)
    assert old == ["action:12:due:2026-12-11"]
    new_due = date(2026, 12, 18)  # "skjut upp #12 en vecka" on Monday 14 Dec
    assert keys(local(2026, 12, 14, 10), new_due) == []
    assert keys(local(2026, 12, 15), new_due) == ["action:12:before:2026-12-18"]
    assert keys(local(2026, 12, 18), new_due) == ["action:12:due:2026-12-18"]
    assert keys(local(2026, 12, 28), new_due) == ["action:12:overdue:2026-12-18:1"]  # Fri 25 Dec → Mon 28


SNOOZE = local(2026, 12, 14)  # "snooza #12 till måndag", said on Wednesday 9 Dec
SNOOZE_KEY = "action:12:snoozed:2026-12-14T07:00:00+00:00"


@pytest.mark.parametrize(("now", "expected"), [
    (local(2026, 12, 9, 10), []),
    (local(2026, 12, 11), []),  # the due reminder falls inside the snooze
    (local(2026, 12, 14, 7, 59), []),
    (local(2026, 12, 14), [SNOOZE_KEY]),
    (local(2026, 12, 17, 12), [SNOOZE_KEY]),
    (local(2026, 12, 18), ["action:12:overdue:2026-12-11:1"]),
])
def test_snooze(now, expected):
    assert keys(now, FRIDAY, snoozed_until=SNOOZE) == expected


def test_snoozed_reminder_is_at_the_snooze_end_in_utc():
    later = datetime(2026, 12, 14, 8, tzinfo=ZONE)  # given in local time
    (item,) = action_reminders(action_id=12, due=FRIDAY, status="planerad", now=local(2026, 12, 14, 9),
                               snoozed_until=later)
    assert item == Due(SNOOZE_KEY, "snoozed", datetime(2026, 12, 14, 7, tzinfo=UTC))


def test_snooze_ending_on_a_regular_reminder_replaces_it():
    until = local(2026, 12, 18)
    assert keys(local(2026, 12, 18), FRIDAY, snoozed_until=until) == [
        "action:12:snoozed:2026-12-18T07:00:00+00:00"]
    assert keys(local(2026, 12, 28), FRIDAY, snoozed_until=until) == ["action:12:overdue:2026-12-11:2"]


def test_snooze_before_the_before_reminder_changes_nothing_after_it():
    until = local(2026, 12, 7, 13)
    assert keys(local(2026, 12, 7, 14), FRIDAY, snoozed_until=until) == ["action:12:snoozed:2026-12-07T12:00:00+00:00"]
    assert keys(local(2026, 12, 8), FRIDAY, snoozed_until=until) == ["action:12:before:2026-12-11"]


def test_no_snoozed_reminder_for_a_closed_action():
    assert keys(local(2026, 12, 14, 9), FRIDAY, status="klar", snoozed_until=SNOOZE) == []


def test_not_before_moves_the_time_later():
    assert keys(local(2026, 12, 8, 8, 30), FRIDAY, not_before=time(9)) == []
    (item,) = action_reminders(action_id=12, due=FRIDAY, status="planerad", now=local(2026, 12, 8, 9),
                               not_before=time(9))
    assert item.at == local(2026, 12, 8, 9)


def test_not_before_earlier_than_send_at_changes_nothing():
    (item,) = action_reminders(action_id=12, due=FRIDAY, status="planerad", now=local(2026, 12, 8, 9),
                               not_before=time(7))
    assert item.at == local(2026, 12, 8, 8)


def test_send_at_is_local_time():
    (item,) = action_reminders(action_id=12, due=FRIDAY, status="planerad", now=local(2026, 12, 11, 13),
                               send_at=time(13))
    assert item.key == "action:12:due:2026-12-11"
    assert item.at == local(2026, 12, 11, 13)
    assert keys(local(2026, 12, 11, 12), FRIDAY, send_at=time(13)) == ["action:12:before:2026-12-11"]


# --- lateness ------------------------------------------------------------------------------------------------------

def test_is_late_after_the_grace():
    item = Due("x", "due", local(2026, 12, 11))
    assert not is_late(item, local(2026, 12, 11, 9))
    assert is_late(item, local(2026, 12, 11, 9) + timedelta(seconds=1))
    assert is_late(item, local(2026, 12, 11, 8, 20), grace=timedelta(minutes=15))


def test_due_refuses_a_naive_time():
    with pytest.raises(ValueError):
        Due("x", "due", datetime(2026, 12, 11, 8))


# --- the pre-meeting post ------------------------------------------------------------------------------------------

TUESDAY_MEETING = local(2026, 12, 8, 10)


def test_meeting_post_two_working_days_before_a_tuesday():
    assert meeting_post_time(TUESDAY_MEETING) == local(2026, 12, 4)  # Friday
    assert meeting_post(meeting_id=4, starts_at=TUESDAY_MEETING, now=local(2026, 12, 4, 7, 59)) is None
    assert meeting_post(meeting_id=4, starts_at=TUESDAY_MEETING, now=local(2026, 12, 4)) == Due(
        "meeting:4:post", "meeting_post", local(2026, 12, 4))
    assert meeting_post(meeting_id=4, starts_at=TUESDAY_MEETING, now=local(2026, 12, 8, 9, 59)) is not None


def test_meeting_post_never_once_the_meeting_has_started():
    assert meeting_post(meeting_id=4, starts_at=TUESDAY_MEETING, now=TUESDAY_MEETING) is None
    assert meeting_post(meeting_id=4, starts_at=TUESDAY_MEETING, now=local(2026, 12, 9)) is None


def test_meeting_post_before_a_monday_after_a_holiday_weekend():
    assert meeting_post_time(local(2027, 1, 4, 13)) == local(2026, 12, 29)  # past nyårsdagen and nyårsafton
    assert meeting_post_time(local(2026, 6, 22, 9)) == local(2026, 6, 17)  # past midsommar
    assert meeting_post_time(local(2026, 4, 7, 9)) == local(2026, 4, 1)  # Tuesday after Easter


def test_meeting_post_for_a_meeting_added_late():
    # Added on Monday afternoon for Tuesday morning: the post is overdue at once, and says it is late.
    item = meeting_post(meeting_id=4, starts_at=TUESDAY_MEETING, now=local(2026, 12, 7, 15))
    assert item is not None and item.at == local(2026, 12, 4)
    assert is_late(item, local(2026, 12, 7, 15))


def test_meeting_post_at_the_latest_an_hour_before_the_start():
    early = local(2026, 12, 8, 7, 30)
    assert meeting_post_time(early, days_before=0) == local(2026, 12, 8, 6, 30)
    assert meeting_post_time(local(2026, 12, 8, 13), days_before=0) == local(2026, 12, 8)
    assert meeting_post(meeting_id=4, starts_at=early, now=local(2026, 12, 8, 6, 29), days_before=0) is None
    assert meeting_post(meeting_id=4, starts_at=early, now=local(2026, 12, 8, 6, 30), days_before=0) is not None


def test_meeting_post_custom_send_at():
    assert meeting_post_time(TUESDAY_MEETING, send_at=time(14), days_before=1) == local(2026, 12, 7, 14)


# --- the weekly digest ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("now", "expected"), [
    (local(2026, 4, 6, 12), None),  # annandag påsk
    (local(2026, 4, 7, 7, 59), None),
    (local(2026, 4, 7), "digest:5:2026-W15"),
    (local(2026, 4, 12, 23, 30), "digest:5:2026-W15"),
    (local(2026, 4, 13, 7, 59), None),  # a new week, not yet its time; last week's is not sent again
    (local(2026, 4, 13), "digest:5:2026-W16"),
])
def test_digest_on_a_monday_holiday_moves_to_tuesday(now, expected):
    item = digest(member_id=5, now=now)
    assert (item.key if item else None) == expected


def test_digest_at_is_local_send_at():
    assert digest(member_id=5, now=local(2026, 4, 7, 9)) == Due("digest:5:2026-W15", "digest", local(2026, 4, 7))
    assert digest(member_id=5, now=local(2026, 4, 6, 9), send_at=time(9)) is None
    assert digest(member_id=5, now=local(2026, 4, 14, 9), send_at=time(9)).at == local(2026, 4, 13, 9)


def test_digest_uses_the_iso_year_of_the_week():
    assert digest(member_id=5, now=local(2027, 1, 1, 12)).key == "digest:5:2026-W53"
    assert digest(member_id=5, now=local(2027, 1, 1, 12)).at == local(2026, 12, 28)
    assert digest(member_id=5, now=local(2027, 1, 4, 9)).key == "digest:5:2027-W01"


def test_digest_week_follows_the_local_day():
    # Sunday 23:30 UTC is Monday 00:30 in Stockholm: a new week, whose digest is not due yet.
    assert digest(member_id=5, now=datetime(2026, 4, 12, 22, 30, tzinfo=UTC)) is None


# --- personal reminders --------------------------------------------------------------------------------------------

def test_personal_reminder_exactly_when_asked_even_on_a_saturday():
    at = datetime(2026, 12, 12, 9, tzinfo=ZONE)
    assert personal_reminder(reminder_id=3, at=at, now=local(2026, 12, 12, 8, 59)) is None
    item = personal_reminder(reminder_id=3, at=at, now=local(2026, 12, 12, 9))
    assert item == Due("reminder:3", "reminder", local(2026, 12, 12, 9))
    assert item.at.tzinfo is UTC
    assert personal_reminder(reminder_id=3, at=at, now=local(2026, 12, 14)).key == "reminder:3"


def test_next_reminder_time_lets_a_scheduler_skip_until_then():
    from domain.rules.reminders import next_action_reminder_at

    due = date(2026, 12, 4)  # Friday
    before = next_action_reminder_at(action_id=1, due=due, status="planerad",
                                      now=datetime(2026, 11, 26, 9, tzinfo=UTC))
    assert before == datetime(2026, 12, 1, 7, tzinfo=UTC)  # Tuesday 08:00 local
    after_due = next_action_reminder_at(action_id=1, due=due, status="planerad",
                                        now=datetime(2026, 12, 4, 8, tzinfo=UTC))
    assert after_due == datetime(2026, 12, 11, 7, tzinfo=UTC)  # the first weekly reminder
    assert next_action_reminder_at(action_id=1, due=due, status="klar", now=datetime(2026, 12, 4, tzinfo=UTC)) is None


def test_next_reminder_time_includes_a_weekly_reminder_later_the_same_day():
    from domain.rules.reminders import next_action_reminder_at

    due = date(2026, 11, 20)  # Friday; the first weekly overdue reminder is Friday 27 November 08:00
    early = next_action_reminder_at(action_id=1, due=due, status="planerad",
                                    now=datetime(2026, 11, 27, 6, 59, tzinfo=UTC))
    assert early == datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
    quiet_morning = next_action_reminder_at(action_id=1, due=due, status="planerad", not_before=time(9),
                                            now=datetime(2026, 11, 27, 7, 0, tzinfo=UTC))
    assert quiet_morning == datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


NEW_YORK = ZoneInfo("America/New_York")


def new_york(year, month, day, hour=8, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK).astimezone(UTC)


def test_action_reminders_fall_at_08_00_in_the_zone_given():
    due = date(2026, 12, 4)
    # 08:00 in Stockholm is 02:00 in New York: nothing yet there.
    assert action_reminders(action_id=12, due=due, status="pagaende", now=local(2026, 12, 1), zone=NEW_YORK) == []
    [before] = action_reminders(action_id=12, due=due, status="pagaende", now=new_york(2026, 12, 1), zone=NEW_YORK)
    assert before.kind == "before" and before.at == new_york(2026, 12, 1)
    assert next_action_reminder_at(action_id=12, due=due, status="pagaende", now=new_york(2026, 12, 1),
                                   zone=NEW_YORK) == new_york(2026, 12, 4)


def test_meeting_post_and_digest_follow_the_zone_given():
    starts_at = new_york(2026, 12, 8, 13)  # Tuesday 13:00 in New York
    assert meeting_post_time(starts_at, zone=NEW_YORK) == new_york(2026, 12, 4)
    assert meeting_post(meeting_id=1, starts_at=starts_at, now=local(2026, 12, 4), zone=NEW_YORK) is None
    assert meeting_post(meeting_id=1, starts_at=starts_at, now=new_york(2026, 12, 4), zone=NEW_YORK) is not None
    assert digest(member_id=3, now=local(2026, 11, 30), zone=NEW_YORK) is None  # Monday 02:00 in New York
    assert digest(member_id=3, now=new_york(2026, 11, 30), zone=NEW_YORK).at == new_york(2026, 11, 30)
    # Late on Sunday evening in New York is already Monday in Stockholm: still last week's digest there.
    assert digest(member_id=3, now=new_york(2026, 11, 29, 23), zone=NEW_YORK).key == "digest:3:2026-W48"
