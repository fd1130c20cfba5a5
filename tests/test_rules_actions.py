"""Rules of the action plan, with the day passed in."""

from datetime import date

from domain.dates import add_months
from domain.rules.actions import days_overdue, is_overdue, may_change, shift, who_may_change

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
    def may(member, party, asker, asker_party, admin, creator=None):
        return may_change(responsible_member_id=member, responsible_party=party, created_by_member_id=creator,
                          asker_id=asker, asker_party=asker_party, asker_is_admin=admin)

    assert may(1, "kommun", 1, "kommun", False)  # the responsible person
    assert may(1, "kommun", 2, "kommun", False)  # a colleague in the owning party
    assert may(None, "polis", 2, "polis", False)  # the police's own action, no police admin needed
    assert not may(1, "kommun", 3, "polis", False)  # the other party
    assert may(1, "kommun", 3, "polis", False, creator=3)  # ... unless they created it
    assert may(1, "kommun", 3, "polis", True)  # an admin, of either party
    assert may(None, "gemensam", 3, "polis", False)  # a joint action: members of either party
    assert may(None, "gemensam", 2, "kommun", False)
    assert may(7, "kommun", 7, "polis", False)  # responsible, though their party is not the owner


def test_who_may_change_is_said_as_the_rule_decides():
    said = who_may_change(responsible_party="polis", responsible_name="Olle Polis", creator_name="Anna Andersson")
    assert said == ("ansvarig (Olle Polis), den som skapade den (Anna Andersson), polisens medlemmar eller en "
                    "administratör")
    assert who_may_change(responsible_party="kommun", responsible_name=None, creator_name=None) == \
        "kommunens medlemmar eller en administratör"
    assert who_may_change(responsible_party="kommun", responsible_name="Karin Lund", creator_name="Karin Lund") == \
        "ansvarig (Karin Lund), kommunens medlemmar eller en administratör"  # the creator is not named twice
    assert who_may_change(responsible_party="gemensam", responsible_name=None, creator_name="Anna Andersson") == \
        "den som skapade den (Anna Andersson), kommunens och polisens medlemmar eller en administratör"


def test_shift_by_days_weeks_and_months():
    assert shift(date(2026, 12, 4), days=7) == date(2026, 12, 11)
    assert shift(date(2026, 1, 31), months=1) == date(2026, 2, 28)
    assert shift(date(2026, 12, 15), months=2) == date(2027, 2, 15)


def test_one_month_shift_for_deadlines_and_postponements():
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2027, 1, 15), -2) == date(2026, 11, 15)
    assert shift(date(2026, 1, 31), months=1, days=1) == date(2026, 3, 1)
