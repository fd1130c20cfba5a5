"""Moving one meeting: "flytta operativa brå 5/1 till 7/1 kl 10".

The meeting on the first day is cancelled (a series' date is overridden, so the series stays) and a single
meeting is added at the new time, keeping the old length and place; without a clock time in the new date the
old time is kept. Only admins move meetings, as only they schedule them, and both halves are audited as one
move in one transaction.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from babel.dates import format_date
from botbuilder.dialogs import DialogContext

from dialogs.context import Situation, database_of
from dialogs.meetings import (
    _admin_only,
    _audit,
    _forum,
    _forum_list,
    _repository,
    _say,
    _zone,
    meeting_when,
)
from dialogs.nlu import Understanding
from dialogs.registry import handles

EXAMPLE = "”flytta Operativa BRÅ 5/1 till 7/1 kl 10”"


@handles("move_meeting")
async def move_meeting(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    if await _admin_only(context, situation, "flytta möten"):
        return
    slots = understanding.slots
    moved_from, moved_to = slots.get("from"), slots.get("to")
    zone = _zone(situation)
    async with database_of(context).session() as session:
        forum = await _forum(session, understanding, context)
        if forum is None:
            await _say(context, f"Vilket forums möte ska flyttas? Skriv till exempel {EXAMPLE}.\n"
                                f"{_forum_list(situation)}")
            return
        if moved_from is None or moved_to is None:
            await _say(context, f"Skriv vilken dag mötet är och vart det ska flyttas, till exempel {EXAMPLE}.")
            return
        day = datetime.fromisoformat(moved_from["start"]).date()
        start = datetime.combine(day, time(), tzinfo=zone)
        repository = _repository(session, situation)
        [meeting, *others] = await repository.occurrences(start, start + timedelta(days=1), forum.code,
                                                          include_cancelled=False) or [None]
        if meeting is None:
            await _say(context, f"{forum.name} har inget möte {format_date(day, 'EEEE d MMMM', locale='sv')} att "
                                f"flytta. Skriv ”när är nästa {forum.name}” för att se när forumet träffas.")
            return
        if others:
            await _say(context, f"{forum.name} har flera möten den dagen. Ställ in det ena och lägg in det nya, "
                                "till exempel ”ställ in …” och ”… är 7/1 kl 10”.")
            return
        new_start = _new_start(meeting.starts_at.astimezone(zone), moved_to, zone)
        if new_start <= situation.now:
            shown = meeting_when(new_start, zone, situation.today)
            await _say(context, f"{shown[:1].upper()}{shown[1:]} har redan varit. Skriv en tid framåt.")
            return
        length = meeting.ends_at - meeting.starts_at
        await repository.cancel_between(forum.code, meeting.starts_at, meeting.starts_at + timedelta(seconds=1))
        added = await repository.add_meeting(forum.code, new_start, ends_at=new_start + length,
                                             location=meeting.location)
        await _audit(context, session, situation, "meeting.moved", "meeting", added.id, forum=forum.code,
                     starts_at=meeting.starts_at.isoformat(), moved_to=new_start.isoformat())
        await session.commit()
    await _say(context, f"Flyttat: {forum.name} {meeting_when(meeting.starts_at, zone, situation.today)} → "
                        f"{meeting_when(new_start, zone, situation.today)}.")


def _new_start(old: datetime, moved_to: dict, zone) -> datetime:
    """The new start: the time given, or the old time of day on the new date."""
    start = datetime.fromisoformat(moved_to["start"])
    end = datetime.fromisoformat(moved_to["end"])
    if start.time() == time() and end - start >= timedelta(days=1):
        start = datetime.combine(start.date(), old.time())
    return start.replace(tzinfo=zone)
