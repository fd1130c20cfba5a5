"""Swedish working days and local times, with the day passed in."""

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from domain.rules.calendar import (
    ZONE,
    at_local,
    is_working_day,
    local_day,
    next_working_day,
    previous_working_day,
    working_days_before,
)


@pytest.mark.parametrize("day", [
    date(2026, 1, 1),  # nyårsdagen
    date(2026, 1, 6),  # trettondedag jul
    date(2026, 4, 3),  # långfredag
    date(2026, 4, 6),  # annandag påsk
    date(2026, 5, 1),  # första maj
    date(2026, 5, 14),  # Kristi himmelsfärds dag
    date(2026, 6, 19),  # midsommarafton
    date(2026, 12, 24),  # julafton
    date(2026, 12, 25),  # juldagen
    date(2026, 12, 31),  # nyårsafton
    date(2027, 1, 1),
    date(2027, 1, 6),
    date(2027, 6, 25),  # midsommarafton 2027
])
def test_holidays_and_eves_on_weekdays_are_days_off(day):
    assert day.weekday() < 5
    assert not is_working_day(day)


@pytest.mark.parametrize("day", [
    date(2026, 4, 2),  # skärtorsdag
    date(2026, 4, 7),  # the Tuesday after Easter
    date(2026, 5, 15),  # klämdag after Ascension: a working day on paper
    date(2026, 6, 5),  # the day before the national day
    date(2026, 6, 18),
    date(2026, 6, 22),  # the Monday after midsommar
    date(2026, 12, 23),
    date(2026, 12, 28),
    date(2026, 12, 30),
    date(2027, 1, 4),
])
def test_ordinary_weekdays_are_working_days(day):
    assert is_working_day(day)


def test_weekends_are_days_off_whether_holidays_or_not():
    assert not is_working_day(date(2026, 6, 6))  # national day, a Saturday
    assert not is_working_day(date(2026, 6, 20))  # midsommardagen
    assert not is_working_day(date(2026, 4, 5))  # påskdagen
    assert not is_working_day(date(2026, 11, 21))
    assert not is_working_day(date(2026, 11, 22))


def test_working_days_in_june_2026_skip_ascension_national_day_and_midsommar():
    june = [date(2026, 6, d) for d in range(1, 31)]
    assert sum(map(is_working_day, june)) == 21  # 22 weekdays less midsommarafton


def test_next_and_previous_working_day_around_christmas_and_new_year():
    assert next_working_day(date(2026, 12, 23)) == date(2026, 12, 23)
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 28)
    assert next_working_day(date(2026, 12, 31)) == date(2027, 1, 4)
    assert previous_working_day(date(2026, 12, 27)) == date(2026, 12, 23)
    assert previous_working_day(date(2027, 1, 3)) == date(2026, 12, 30)
    assert previous_working_day(date(2026, 12, 30)) == date(2026, 12, 30)


def test_next_and_previous_working_day_around_easter_and_midsommar():
    assert next_working_day(date(2026, 4, 3)) == date(2026, 4, 7)
    assert previous_working_day(date(2026, 4, 6)) == date(2026, 4, 2)
    assert next_working_day(date(2026, 6, 19)) == date(2026, 6, 22)
    assert previous_working_day(date(2026, 6, 21)) == date(2026, 6, 18)


def test_working_days_before():
    tuesday = date(2026, 12, 8)
    assert working_days_before(tuesday, 0) == tuesday
    assert working_days_before(tuesday, 1) == date(2026, 12, 7)
    assert working_days_before(tuesday, 2) == date(2026, 12, 4)
    # Monday 28 Dec: back over the weekend and 24–27 Dec.
    assert working_days_before(date(2026, 12, 28), 1) == date(2026, 12, 23)
    assert working_days_before(date(2026, 12, 28), 3) == date(2026, 12, 21)
    # Monday 4 Jan 2027: over nyårsdagen and nyårsafton too.
    assert working_days_before(date(2027, 1, 4), 2) == date(2026, 12, 29)


def test_working_days_before_a_day_off_counts_from_the_working_day_before_it():
    saturday = date(2026, 6, 6)
    assert working_days_before(saturday, 0) == date(2026, 6, 5)
    assert working_days_before(saturday, 3) == date(2026, 6, 2)
    assert working_days_before(date(2026, 4, 6), 1) == date(2026, 4, 1)  # annandag påsk


def test_working_days_before_refuses_negative_counts():
    with pytest.raises(ValueError):
        working_days_before(date(2026, 12, 8), -1)


def test_at_local_follows_summer_time_in_spring():
    assert at_local(date(2026, 3, 28), time(8)) == datetime(2026, 3, 28, 7, tzinfo=UTC)
    assert at_local(date(2026, 3, 29), time(8)) == datetime(2026, 3, 29, 6, tzinfo=UTC)
    assert at_local(date(2026, 3, 29), time(8)).tzinfo is UTC


def test_at_local_follows_winter_time_in_autumn():
    assert at_local(date(2026, 10, 24), time(8)) == datetime(2026, 10, 24, 6, tzinfo=UTC)
    assert at_local(date(2026, 10, 25), time(8)) == datetime(2026, 10, 25, 7, tzinfo=UTC)


def test_at_local_in_the_spring_gap_lands_after_it():
    moment = at_local(date(2026, 3, 29), time(2, 30))
    assert moment == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert moment.astimezone(ZONE).time() == time(3, 30)


def test_at_local_for_the_repeated_autumn_hour_takes_the_first():
    assert at_local(date(2026, 10, 25), time(2, 30)) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert at_local(date(2026, 10, 25), time(2, 30, fold=1)) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_at_local_in_another_zone():
    helsinki = ZoneInfo("Europe/Helsinki")
    assert at_local(date(2026, 1, 15), time(8), helsinki) == datetime(2026, 1, 15, 6, tzinfo=UTC)


def test_local_day_crosses_midnight_in_stockholm_not_utc():
    assert local_day(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == date(2027, 1, 1)
    assert local_day(datetime(2026, 6, 18, 22, 30, tzinfo=UTC)) == date(2026, 6, 19)
    assert local_day(datetime(2026, 6, 18, 21, 30, tzinfo=UTC)) == date(2026, 6, 18)
    assert local_day(datetime(2026, 6, 19, 1, tzinfo=timezone(timedelta(hours=5)))) == date(2026, 6, 18)


def test_local_day_refuses_naive_datetimes():
    with pytest.raises(ValueError):
        local_day(datetime(2026, 6, 18, 22, 30))
