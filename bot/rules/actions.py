"""Rules of the action plan: what is overdue, who may change an action, where a postponement lands.

Plain functions of their inputs and the day passed in, so they test without chat or SQL.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

OPEN = frozenset({"planerad", "pagaende"})
STATUS_NAMES = {"planerad": "planerad", "pagaende": "pågående", "klar": "klar", "installd": "inställd"}
PARTY_NAMES = {"kommun": "kommunen", "polis": "polisen", "gemensam": "gemensamt"}
PAGE_SIZE = 10
MAX_TITLE_CHARS = 300


def is_overdue(status: str, due: date | None, today: date) -> bool:
    return status in OPEN and due is not None and due < today


def days_overdue(due: date, today: date) -> int:
    return (today - due).days


def may_change(*, responsible_member_id: int | None, responsible_party: str, asker_id: int, asker_party: str,
               asker_is_admin: bool) -> bool:
    """The responsible person, an admin of the responsible party (either party's admins for a joint action)."""
    if responsible_member_id == asker_id:
        return True
    return asker_is_admin and responsible_party in (asker_party, "gemensam")


def shift(due: date, *, days: int = 0, months: int = 0) -> date:
    """'skjut upp #3 en vecka' from the current due date; months keep the day, or the month's last day."""
    if months:
        index = due.year * 12 + due.month - 1 + months
        year, month = divmod(index, 12)
        month += 1
        due = date(year, month, min(due.day, calendar.monthrange(year, month)[1]))
    return due + timedelta(days=days)


def is_past_due_on_create(due: date | None, today: date) -> bool:
    """A new action due before today is asked about once: it is usually a typo in the year."""
    return due is not None and due < today
