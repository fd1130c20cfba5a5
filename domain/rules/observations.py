"""Rules of the observation log: who may undo or correct, which times are questioned, which periods compare.

Plain functions of their inputs (and the time passed in), so they test without chat or SQL.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

UNDO_WINDOW = timedelta(minutes=15)
# A clock a few minutes ahead on someone's phone is not an incident "in the future".
FUTURE_SLACK = timedelta(minutes=5)
DEFAULT_PERIOD_DAYS = 30
MAX_DESCRIPTION_CHARS = 2000
MAX_PLACE_CHARS = 200


def may_undo(created_at: datetime, author_id: int, asker_id: int, now: datetime) -> bool:
    """Only the author, and only within 15 minutes: later changes are corrections kept as history."""
    return author_id == asker_id and now - created_at <= UNDO_WINDOW


def may_correct(author_id: int, asker_id: int, asker_is_admin: bool) -> bool:
    return author_id == asker_id or asker_is_admin


def may_restore(author_id: int, asker_id: int, asker_is_admin: bool) -> bool:
    """Bringing back a removed observation: its author or an admin, as for a correction."""
    return may_correct(author_id, asker_id, asker_is_admin)


def is_in_future(start: datetime, now: datetime) -> bool:
    """An incident said to start after now is questioned before it is saved."""
    return start > now + FUTURE_SLACK


def default_period(today: date) -> tuple[datetime, datetime]:
    """The last 30 days including today, as local midnights ``[start, end)``."""
    end = datetime.combine(today + timedelta(days=1), time())
    return end - timedelta(days=DEFAULT_PERIOD_DAYS), end


def previous_period(start: datetime, end: datetime) -> datetime:
    """Where the comparison period starts: the calendar months before a run of whole months, otherwise
    a stretch of the same length just before."""
    whole_months = start.day == 1 and end.day == 1 and start.time() == end.time() == time()
    if whole_months:
        months = (end.year - start.year) * 12 + end.month - start.month
        index = start.year * 12 + start.month - 1 - months
        return datetime(index // 12, index % 12 + 1, 1)
    return start - (end - start)


def year_before(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """The same dates a year earlier ("jämfört med förra året"); 29 February becomes the 28th."""
    return _a_year_earlier(start), _a_year_earlier(end)


def _a_year_earlier(moment: datetime) -> datetime:
    try:
        return moment.replace(year=moment.year - 1)
    except ValueError:
        return moment.replace(year=moment.year - 1, day=28)


def clip_period(start: datetime, end: datetime, now: datetime) -> tuple[datetime, datetime]:
    """A lägesbild cannot count what has not happened: a period reaching past today ends tonight.
    An instant ("kl 19") widens to its day."""
    if start == end:
        start = datetime.combine(start.date(), time())
        end = start + timedelta(days=1)
    tonight = datetime.combine(now.date() + timedelta(days=1), time())
    return start, min(end, max(tonight, start + timedelta(days=1)))
