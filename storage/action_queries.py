"""Which actions a question asks for: the query, the page it returns, and its translation to SQL.

Kept apart from the repository that writes actions, so the reading side of the action plan can be read
(and grown: another filter is one more condition here) on its own.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from domain.vocabulary import OPEN_STATUSES, ActionStatus, ResponsibleParty
from storage.models import Action, FocusArea

# Rendered as literals: SQLite uses a partial index (WHERE status IN ('planerad', 'pagaende')) only when the
# query's condition is written out the same way, not with bound parameters.
IS_OPEN = Action.status.in_(bindparam("open_statuses", list(OPEN_STATUSES), expanding=True, literal_execute=True))


@dataclass(frozen=True)
class ActionQuery:
    """Which actions a question asks for. Date ranges are half-open ``[from, to)``."""

    status: str = "open"  # open, overdue, done, cancelled or all
    today: date | None = None  # needed for "overdue"
    due_from: date | None = None
    due_to: date | None = None
    done_from: datetime | None = None
    done_to: datetime | None = None
    member_id: int | None = None
    party: str | None = None  # kommun or polis also match joint (gemensam) actions
    focus_area: str | None = None  # code
    title_stems: tuple[str, ...] = ()  # each must occur in the title, without case or å/ä/ö ("trygghetsvandr")
    offset: int = 0
    limit: int = 10


@dataclass
class ActionPage:
    actions: list[Action]
    total: int
    offset: int
    limit: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.actions) < self.total


def plain_text(text: str) -> str:
    """Without case or diacritics: 'Föräldravandringar' → 'foraldravandringar'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def order(query: ActionQuery) -> tuple:
    """Done actions latest first; others by due date, those without one last."""
    if query.status == "done":
        return Action.completed_at.desc(), Action.number
    return Action.due_date.is_(None), Action.due_date, Action.number


def conditions(query: ActionQuery) -> list:
    """The WHERE clauses for everything but the title words (matched in Python, see ``ActionRepository``)."""
    found: list = []
    if query.status == "open":
        found.append(IS_OPEN)
    elif query.status == "overdue":
        if query.today is None:
            raise ValueError("an overdue query needs today")
        found += [IS_OPEN, Action.due_date < query.today]
    elif query.status == "done":
        found.append(Action.status == ActionStatus.KLAR.value)
    elif query.status == "cancelled":
        found.append(Action.status == ActionStatus.INSTALLD.value)
    elif query.status != "all":
        raise ValueError(f"unknown status filter {query.status!r}")
    if query.due_from is not None:
        found.append(Action.due_date >= query.due_from)
    if query.due_to is not None:
        found.append(Action.due_date < query.due_to)
    if query.done_from is not None:
        found.append(Action.completed_at >= query.done_from)
    if query.done_to is not None:
        found.append(Action.completed_at < query.done_to)
    if query.member_id is not None:
        found.append(Action.responsible_member_id == query.member_id)
    if query.party is not None:
        found.append(Action.responsible_party.in_((query.party, ResponsibleParty.GEMENSAM.value))
                     if query.party in (ResponsibleParty.KOMMUN, ResponsibleParty.POLIS)
                     else Action.responsible_party == query.party)
    if query.focus_area is not None:
        found.append(Action.focus_area_id == select(FocusArea.id).where(
            FocusArea.code == query.focus_area).scalar_subquery())
    return found


def with_relations(statement):
    """What every reply about an action shows: its focus area, responsible member, promise and forum."""
    return statement.options(selectinload(Action.focus_area), selectinload(Action.responsible_member),
                             selectinload(Action.promise), selectinload(Action.forum))
