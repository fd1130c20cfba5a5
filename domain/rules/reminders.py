"""When the bot speaks first: action reminders, the pre-meeting post, the weekly digest, personal reminders.

Plain functions of the data and the `now` passed in (aware UTC), so they test in microseconds. Days and wall-clock
times are the collaboration's ``zone`` (its configured timezone; Europe/Stockholm only as the default). Each returns
what is due at `now`, with a key that is stable for the message: a scheduler tick hands the result to the outbox,
which sends each key once, so returning an already-sent message again is harmless and what was missed while the
bot was down goes out on the next tick (the caller says it is late, see is_late).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.rules.actions import OPEN
from domain.rules.calendar import (
    ZONE,
    at_local,
    local_day,
    next_working_day,
    previous_working_day,
    working_days_before,
)

DEFAULT_SEND_AT = time(8, 0)
DEFAULT_DAYS_BEFORE = 3  # owner reminder N working days before the due date
DEFAULT_MEETING_DAYS_BEFORE = 2  # pre-meeting post N working days before the meeting
LATE_MEETING_MARGIN = timedelta(hours=1)


@dataclass(frozen=True)
class Due:
    """One message that should go out."""

    key: str  # stable and unique per message ever sent: the outbox's dedupe key
    kind: str  # "before", "due", "overdue", "meeting_post", "digest", "snoozed", "reminder"
    at: datetime  # aware UTC: when it should be sent

    def __post_init__(self) -> None:
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise ValueError("Due.at must be aware")


def action_reminders(*, action_id: int, due: date, status: str, now: datetime, days_before: int = DEFAULT_DAYS_BEFORE,
                     send_at: time = DEFAULT_SEND_AT, not_before: time | None = None,
                     snoozed_until: datetime | None = None, zone: ZoneInfo = ZONE) -> list[Due]:
    """The owner's reminder that is due at `now`: at most one, the newest whose time has come.

    The reminders form one timeline: "before" (days_before working days ahead), "due" (on the due date, or the
    working day before it), then "overdue" weekly on the first working day from due + 7k days. A newer one
    supersedes the older ones, so a bot back from downtime never sends "in 3 days" after the due date, nor a
    burst of missed weekly reminders. A snooze silences everything until `snoozed_until`, where a "snoozed"
    reminder joins the timeline and replaces what fell inside the snooze. Keys carry the due date, so a
    postponed action starts afresh. Days and clock times are those of ``zone``, the collaboration's.
    """
    if status not in OPEN:
        return []
    if snoozed_until is not None and now < snoozed_until:
        return []
    clock = max(send_at, not_before) if not_before is not None else send_at
    timeline = _action_timeline(action_id, due, local_day(now, zone), days_before, clock, zone)
    if snoozed_until is not None:
        snoozed_until = snoozed_until.astimezone(UTC)
        timeline = [item for item in timeline if item.at > snoozed_until]
        timeline.append(Due(f"action:{action_id}:snoozed:{snoozed_until.isoformat()}", "snoozed", snoozed_until))
    passed = [item for item in timeline if item.at <= now]
    return [max(passed, key=lambda item: item.at)] if passed else []


def next_action_reminder_at(*, action_id: int, due: date, status: str, now: datetime,
                            days_before: int = DEFAULT_DAYS_BEFORE, send_at: time = DEFAULT_SEND_AT,
                            not_before: time | None = None, snoozed_until: datetime | None = None,
                            zone: ZoneInfo = ZONE) -> datetime | None:
    """When the owner's next reminder after ``now`` falls: until then a scheduler need not look again."""
    if status not in OPEN:
        return None
    if snoozed_until is not None and now < snoozed_until:
        return snoozed_until.astimezone(UTC)
    clock = max(send_at, not_before) if not_before is not None else send_at
    # Today's timeline holds a weekly reminder still to come today (before its hour); two weeks ahead holds
    # the next one whatever holidays fall in between.
    today = local_day(now, zone)
    timeline = (_action_timeline(action_id, due, today, days_before, clock, zone)
                + _action_timeline(action_id, due, today + timedelta(days=14), days_before, clock, zone))
    upcoming = [item.at for item in timeline if item.at > now]
    return min(upcoming) if upcoming else None


def _action_timeline(action_id: int, due: date, today: date, days_before: int, clock: time,
                     zone: ZoneInfo) -> list[Due]:
    """The regular reminders that can have come by `today`, in time order (of the overdue ones only the last two)."""
    due_at = at_local(previous_working_day(due), clock, zone)
    timeline = [Due(f"action:{action_id}:due:{due.isoformat()}", "due", due_at)]
    before_at = at_local(working_days_before(due, days_before), clock, zone)
    if before_at < due_at:  # days_before=0 would say the same thing twice
        timeline.insert(0, Due(f"action:{action_id}:before:{due.isoformat()}", "before", before_at))
    # The k-th weekly reminder falls on or after due + 7k days, so none beyond `latest` can have come yet; and
    # no run of days off lasts a week, so the one before it has come and supersedes all earlier ones.
    latest = (today - due).days // 7
    for k in range(max(latest - 1, 1), latest + 1):
        timeline.append(Due(f"action:{action_id}:overdue:{due.isoformat()}:{k}", "overdue",
                            at_local(next_working_day(due + timedelta(days=7 * k)), clock, zone)))
    return timeline


def is_late(due_item: Due, now: datetime, grace: timedelta = timedelta(hours=1)) -> bool:
    """Sent more than `grace` after its time, so the message owns up to being late."""
    return now - due_item.at > grace


def meeting_post_time(meeting_start: datetime, *, days_before: int = DEFAULT_MEETING_DAYS_BEFORE,
                      send_at: time = DEFAULT_SEND_AT, zone: ZoneInfo = ZONE) -> datetime:
    """`send_at` in ``zone``, `days_before` working days before the meeting's day; never later than an hour
    before the meeting starts (a meeting early in the morning, or on the day itself with days_before=0)."""
    day = working_days_before(local_day(meeting_start, zone), days_before)
    return min(at_local(day, send_at, zone), (meeting_start - LATE_MEETING_MARGIN).astimezone(UTC))


def meeting_post(*, meeting_id: int, starts_at: datetime, now: datetime,
                 days_before: int = DEFAULT_MEETING_DAYS_BEFORE, zone: ZoneInfo = ZONE) -> Due | None:
    """The pre-meeting post, from its time until the meeting starts; a meeting added late gets it at once.

    Never once the meeting has started: an agenda for a meeting under way is noise.
    """
    at = meeting_post_time(starts_at, days_before=days_before, zone=zone)
    if at <= now < starts_at:
        return Due(f"meeting:{meeting_id}:post", "meeting_post", at)
    return None


def digest(*, member_id: int, now: datetime, send_at: time = DEFAULT_SEND_AT,
           since: datetime | None = None, zone: ZoneInfo = ZONE) -> Due | None:
    """This ISO week's digest, on its first working day (Monday, or Tuesday after annandag påsk) at `send_at`.

    Only the current week: a digest missed while the bot was down is not worth sending next week. Nor one
    whose time came before the member turned the digest on (``since``): turned on on a Thursday, the first
    "denna vecka" is next Monday's.
    """
    today = local_day(now, zone)
    monday = today - timedelta(days=today.weekday())
    day = next_working_day(monday)
    if day - monday >= timedelta(days=5):  # a week without working days has no digest
        return None
    at = at_local(day, send_at, zone)
    if at > now or (since is not None and at < since):
        return None
    year, week, _ = monday.isocalendar()
    return Due(f"digest:{member_id}:{year}-W{week:02d}", "digest", at)


def personal_reminder(*, reminder_id: int, at: datetime, now: datetime) -> Due | None:
    """A "påminn mig imorgon kl 9 om …": exactly when asked, weekends and holidays included (the member asked)."""
    if at > now:
        return None
    return Due(f"reminder:{reminder_id}", "reminder", at.astimezone(UTC))

