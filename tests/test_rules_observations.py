"""Rules of the observation log, with the time passed in."""

from datetime import UTC, date, datetime, timedelta

from domain.rules.observations import (
    clip_period,
    default_period,
    is_in_future,
    may_correct,
    may_undo,
    previous_period,
)

NOW = datetime(2026, 11, 26, 16, 0, tzinfo=UTC)


def test_undo_only_by_the_author_within_fifteen_minutes():
    assert may_undo(NOW - timedelta(minutes=15), 1, 1, NOW)
    assert not may_undo(NOW - timedelta(minutes=15, seconds=1), 1, 1, NOW)
    assert not may_undo(NOW, 1, 2, NOW)


def test_correct_by_author_or_admin():
    assert may_correct(1, 1, False) and may_correct(1, 2, True) and not may_correct(1, 2, False)


def test_future_is_questioned_with_a_little_slack():
    assert not is_in_future(NOW + timedelta(minutes=4), NOW)
    assert is_in_future(NOW + timedelta(minutes=6), NOW)


def test_default_period_is_thirty_days_including_today():
    start, end = default_period(date(2026, 11, 26))
    assert (start, end) == (datetime(2026, 10, 28), datetime(2026, 11, 27))


def test_previous_period_is_the_month_before_for_months_else_same_length():
    assert previous_period(datetime(2026, 10, 1), datetime(2026, 11, 1)) == datetime(2026, 9, 1)
    assert previous_period(datetime(2026, 1, 1), datetime(2026, 4, 1)) == datetime(2025, 10, 1)
    assert previous_period(datetime(2026, 3, 1), datetime(2026, 4, 1)) == datetime(2026, 2, 1)
    assert previous_period(datetime(2026, 11, 16), datetime(2026, 11, 23)) == datetime(2026, 11, 9)


def test_clip_period_ends_tonight_and_widens_instants():
    now = datetime(2026, 11, 26, 10, 0)
    assert clip_period(datetime(2026, 11, 1), datetime(2026, 12, 1), now) == (datetime(2026, 11, 1),
                                                                              datetime(2026, 11, 27))
    assert clip_period(datetime(2026, 11, 25, 19), datetime(2026, 11, 25, 19), now) == (
        datetime(2026, 11, 25), datetime(2026, 11, 26))
