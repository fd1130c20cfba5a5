"""Reminders a member sets up in chat: a personal reminder, listing and removing them, snoozing an action's
reminders, and when (and whether) the bot may remind them: not before a time, and the weekly summary.

Each is one transaction, audited without the reminder's text (the audit log never holds message text).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from rapidfuzz import fuzz
from sqlalchemy import select

from domain.situation import Situation
from domain.text import fold
from services.actions import ActionRefused, changeable
from storage.models import PersonalReminder

MAX_TEXT_CHARS = 500
TEXT_MATCH = 80  # "ta bort påminnelsen om rektorn" finds "ringa rektorn om mötet"


@dataclass(frozen=True)
class Reminder:
    id: int
    at: datetime  # aware
    text: str


def _reminder(row: PersonalReminder) -> Reminder:
    return Reminder(row.id, row.at, row.text)


async def create_reminder(uow, situation: Situation, at: datetime, text: str) -> Reminder:
    """A personal reminder at ``at`` (the text has passed the privacy guard)."""
    row = PersonalReminder(member_id=situation.asker.member_id, at=at, text=text[:MAX_TEXT_CHARS],
                           created_at=situation.now)
    uow.session.add(row)
    await uow.record("reminder.created", "reminder")
    await uow.commit()
    return _reminder(row)


async def _upcoming_rows(uow, situation: Situation) -> list[PersonalReminder]:
    return list(await uow.session.scalars(
        select(PersonalReminder).where(PersonalReminder.member_id == situation.asker.member_id,
                                       PersonalReminder.at > situation.now)
        .order_by(PersonalReminder.at, PersonalReminder.id)))


async def upcoming_reminders(uow, situation: Situation) -> list[Reminder]:
    """The asker's reminders still to come, soonest first (the numbers "ta bort påminnelse 1" uses)."""
    return [_reminder(row) for row in await _upcoming_rows(uow, situation)]


@dataclass(frozen=True)
class ReminderRemoval:
    upcoming: list[Reminder]  # before the removal, numbered from 1
    chosen: list[Reminder]  # those that matched; one is removed, several (or none) are asked about
    removed: Reminder | None


async def cancel_reminder(uow, situation: Situation, *, ref: str | int | None = None, text: str | None = None,
                          start: datetime | None = None, end: datetime | None = None) -> ReminderRemoval:
    """Removes the one reminder picked by its number in the list, by words of its text and/or its time
    (``[start, end)``); nothing is removed when several or none match."""
    rows = await _upcoming_rows(uow, situation)
    chosen = _matching(rows, ref, text, start, end)
    upcoming = [_reminder(row) for row in rows]
    if len(chosen) != 1:
        return ReminderRemoval(upcoming, [_reminder(row) for row in chosen], None)
    [row] = chosen
    removed = _reminder(row)
    await uow.session.delete(row)
    await uow.record("reminder.cancelled", "reminder", removed.id)
    await uow.commit()
    return ReminderRemoval(upcoming, [removed], removed)


def _matching(upcoming: list[PersonalReminder], ref, text: str | None, start: datetime | None,
              end: datetime | None) -> list[PersonalReminder]:
    if ref is not None:
        index = int(ref) - 1
        return [upcoming[index]] if 0 <= index < len(upcoming) else []
    found = upcoming
    if text:
        found = [r for r in found if fuzz.partial_ratio(fold(text), fold(r.text)) >= TEXT_MATCH]
    if start is not None and end is not None:
        if start == end:
            end = start + timedelta(minutes=1)
        found = [r for r in found if start <= r.at < end]
    return found if (text or start is not None) else []


# A refusal to snooze is the action plan's refusal: the action does not exist, is closed, or is not the
# asker's to change, said as the action plan says it.
NotChangeable = ActionRefused


async def snooze_action(uow, situation: Situation, number: int | str, until: datetime) -> int:
    """No reminders about action ``number`` before ``until`` (its due date is unchanged); returns its number."""
    action = await changeable(uow, situation, number)
    before = action.snoozed_until
    action.snoozed_until = until
    await uow.record("action.snoozed", "action", action.number, before=before.isoformat() if before else None,
                     until=until.isoformat())
    await uow.commit()
    return action.number


@dataclass(frozen=True)
class ReminderSettings:
    not_before: str | None  # "09:00": no reminders about actions before then
    weekly_digest: bool


async def change_reminder_settings(uow, situation: Situation, *, not_before: str | None = None,
                                   digest: bool | None = None) -> ReminderSettings:
    """Sets the earliest time for action reminders and/or turns the weekly summary on or off (the first
    summary after turning it on is the next Monday's). Audited even when nothing was given."""
    member = await uow.author()
    if not_before is not None:
        member.reminders_not_before = not_before
    elif digest is not None:
        if digest and not member.weekly_digest:
            member.weekly_digest_since = situation.now
        member.weekly_digest = bool(digest)
    settings = ReminderSettings(member.reminders_not_before, member.weekly_digest)
    await uow.record("member.settings", "member", situation.asker.member_id)
    await uow.commit()
    return settings
