"""How far away the agreement's own deadlines are, and whether the agreement is still in force."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.collaboration import Collaboration, Deadline


@dataclass(frozen=True)
class DeadlineStatus:
    due: date
    days_left: int  # negative when passed

    @property
    def passed(self) -> bool:
        return self.days_left < 0


def deadline_status(deadline: Deadline, today: date) -> DeadlineStatus:
    """The next due date on or after today; a passed one-off deadline keeps its date and counts back."""
    due = deadline.next_due(today) or deadline.due
    return DeadlineStatus(due=due, days_left=(due - today).days)


def agreement_state(collaboration: Collaboration, today: date) -> str:
    """'not_started', 'in_force', 'extended' (past its end but prolonged until replaced) or 'expired'."""
    if today < collaboration.period_start:
        return "not_started"
    if today <= collaboration.period_end:
        return "in_force"
    return "extended" if collaboration.in_force(today) else "expired"
