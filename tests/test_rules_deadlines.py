from dataclasses import replace
from datetime import date

from domain.collaboration import Deadline, load_collaboration
from domain.rules.deadlines import agreement_state, deadline_status

RENEWAL = Deadline("renewal", "Förlängning", date(2026, 11, 30))
FOLLOW_UP = Deadline("follow_up", "Uppföljning", date(2025, 12, 31), every_months=12)


def test_one_off_deadline_counts_days_left():
    status = deadline_status(RENEWAL, date(2026, 11, 26))
    assert (status.due, status.days_left, status.passed) == (date(2026, 11, 30), 4, False)


def test_passed_one_off_deadline_keeps_its_date_and_counts_back():
    status = deadline_status(RENEWAL, date(2026, 12, 2))
    assert (status.due, status.days_left, status.passed) == (date(2026, 11, 30), -2, True)


def test_recurring_deadline_rolls_forward_by_its_period():
    assert deadline_status(FOLLOW_UP, date(2026, 11, 26)).due == date(2026, 12, 31)
    assert deadline_status(FOLLOW_UP, date(2025, 12, 31)).days_left == 0
    assert deadline_status(FOLLOW_UP, date(2027, 1, 1)).due == date(2027, 12, 31)


def test_agreement_prolonged_until_replaced():
    collaboration = load_collaboration()
    assert agreement_state(collaboration, date(2026, 11, 26)) == "in_force"
    assert agreement_state(collaboration, date(2027, 2, 1)) == "extended"
    strict = replace(collaboration, extends_until_replaced=False)
    assert agreement_state(strict, date(2027, 2, 1)) == "expired"
    assert agreement_state(collaboration, date(2024, 12, 31)) == "not_started"
