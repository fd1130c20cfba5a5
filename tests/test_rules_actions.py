"""Rules of the action plan, with the day passed in."""

from datetime import date

from bot.rules.actions import days_overdue, is_overdue, may_change, shift

TODAY = date(2026, 11, 26)


def test_overdue_only_when_open_and_past_due():
    assert is_overdue("planerad", date(2026, 11, 25), TODAY)
    assert is_overdue("pagaende", date(2026, 1, 1), TODAY)
    assert not is_overdue("planerad", TODAY, TODAY)
    assert not is_overdue("klar", date(2026, 1, 1), TODAY)
    assert not is_overdue("installd", date(2026, 1, 1), TODAY)
    assert not is_overdue("planerad", None, TODAY)
    assert days_overdue(date(2026, 11, 19), TODAY) == 7


def test_who_may_change():
    def may(member, party, asker, asker_party, admin):
        return may_change(responsible_member_id=member, responsible_party=party, asker_id=asker,
                          asker_party=asker_party, asker_is_admin=admin)

    assert may(1, "kommun", 1, "kommun", False)  # the responsible person
    assert not may(1, "kommun", 2, "kommun", False)  # a colleague
    assert may(1, "kommun", 2, "kommun", True)  # the party's admin
    assert not may(1, "kommun", 3, "polis", True)  # the other party's admin
    assert may(None, "gemensam", 3, "polis", True)  # a joint action: both parties' admins
    assert not may(None, "polis", 2, "polis", False)


def test_shift_by_days_weeks_and_months():
    assert shift(date(2026, 12, 4), days=7) == date(2026, 12, 11)
    assert shift(date(2026, 1, 31), months=1) == date(2026, 2, 28)
    assert shift(date(2026, 12, 15), months=2) == date(2027, 2, 15)
