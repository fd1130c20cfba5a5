"""Rules of the action plan: what is overdue, who may change an action (and saying so), where a postponement lands.

Plain functions of their inputs and the day passed in, so they test without chat or SQL.
"""

from __future__ import annotations

from datetime import date, timedelta

from domain.dates import add_months

# The vocabulary lives in ``domain.vocabulary``; named here too, where the rules' callers look for it.
from domain.vocabulary import OPEN as OPEN
from domain.vocabulary import PARTY_NAMES as PARTY_NAMES
from domain.vocabulary import STATUS_NAMES as STATUS_NAMES
from domain.vocabulary import ResponsibleParty

PAGE_SIZE = 10
MAX_TITLE_CHARS = 300


def is_overdue(status: str, due: date | None, today: date) -> bool:
    return status in OPEN and due is not None and due < today


def days_overdue(due: date, today: date) -> int:
    return (today - due).days


def may_change(*, responsible_member_id: int | None, responsible_party: str, created_by_member_id: int | None,
               asker_id: int, asker_party: str, asker_is_admin: bool) -> bool:
    """The responsible person, the creator, any member of the owning party (of either party for a joint
    action), and admins: a party's action must stay manageable when its responsible person is away and the
    party has no admin of its own."""
    if asker_is_admin or asker_id in (responsible_member_id, created_by_member_id):
        return True
    return responsible_party in (asker_party, ResponsibleParty.GEMENSAM)


def who_may_change(*, responsible_party: str, responsible_name: str | None, creator_name: str | None) -> str:
    """The rule of ``may_change`` for one action, in Swedish: "ansvarig (Olle Polis), den som skapade den
    (Anna Andersson), polisens medlemmar eller en administratör"."""
    if responsible_party == ResponsibleParty.GEMENSAM:
        members = "kommunens och polisens medlemmar"
    else:
        members = f"{PARTY_NAMES.get(responsible_party, responsible_party)}s medlemmar"
    who = [f"ansvarig ({responsible_name})"] if responsible_name else []
    if creator_name and creator_name != responsible_name:
        who.append(f"den som skapade den ({creator_name})")
    who.append(members)
    return ", ".join(who) + " eller en administratör"


def shift(due: date, *, days: int = 0, months: int = 0) -> date:
    """'skjut upp #3 en vecka' from the current due date; months keep the day, or the month's last day."""
    return add_months(due, months) + timedelta(days=days)

