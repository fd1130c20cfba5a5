"""Calendar arithmetic the rules share: one month shift for agreement deadlines and postponements alike."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """Shift by whole months, clamping to the month's last day (Jan 31 + 1 month -> Feb 28, Feb 29 + 12 -> Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
