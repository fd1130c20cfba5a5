"""Moving one meeting: "flytta operativa brå 8/12 till 10/12", "flytta SSPF den 25 december till 23 december kl 13".

The meeting on the first day is cancelled (a series' date is overridden, so the series stays) and a single
meeting is added at the new time, keeping the old length and place; without a clock time in the new date the
old time is kept, and without an old date ("flytta SSPF till torsdag") the forum's next meeting is moved. The
answer says both times as read, and when the forum's channel gets the agenda for the new date. Only admins
move meetings, as only they schedule them; the move is audited and done in one transaction.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from babel.dates import format_date
from botbuilder.dialogs import DialogContext
from sqlalchemy import func, select

from dialogs.context import database_of
from dialogs.format import meeting_when
from dialogs.meetings import _admin_only, _audit, _forum, _forum_list, _repository, _say, _zone
from dialogs.nlu import Understanding
from dialogs.registry import handles
from domain.rules.calendar import day_off_name
from domain.rules.reminders import meeting_post_time
from domain.situation import Situation
from storage.models import ConversationReference

EXAMPLE = "”flytta Operativa BRÅ 5/1 till 7/1 kl 10”"
UPCOMING = timedelta(days=800)


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
        if moved_to is None:
            await _say(context, f"Skriv vilken dag mötet är och vart det ska flyttas, till exempel {EXAMPLE}.")
            return
        repository = _repository(session, situation)
        if moved_from is None:  # "flytta SSPF till torsdag": the next meeting, named in the answer
            meeting, others = await repository.next(forum.code, situation.now, within=UPCOMING), []
            if meeting is None:
                await _say(context, f"{forum.name} har inga inplanerade möten att flytta.")
                return
        else:
            day = datetime.fromisoformat(moved_from["start"]).date()
            start = datetime.combine(day, time(), tzinfo=zone)
            [meeting, *others] = await repository.occurrences(start, start + timedelta(days=1), forum.code,
                                                              include_cancelled=False) or [None]
            if meeting is None:
                await _say(context, f"{forum.name} har inget möte {format_date(day, 'EEEE d MMMM', locale='sv')} "
                                    f"att flytta. Skriv ”när är nästa {forum.name}” för att se när forumet träffas.")
                return
        if others:
            await _say(context, f"{forum.name} har flera möten den dagen. Ställ in det ena och lägg in det nya, "
                                "till exempel ”ställ in …” och ”… är 7/1 kl 10”.")
            return
        old_shown = meeting_when(meeting.starts_at, zone, situation.today)
        new_start = _new_start(meeting.starts_at.astimezone(zone), moved_to, zone)
        shown = meeting_when(new_start, zone, situation.today)
        problem = None
        if new_start <= situation.now:
            problem = f"{shown[:1].upper()}{shown[1:]} har redan varit. Skriv en tid framåt."
        elif new_start == meeting.starts_at:
            problem = f"{forum.name} är redan {shown}. Inget har ändrats."
        elif await repository.occurrences(new_start, new_start + timedelta(seconds=1), forum.code,
                                          include_cancelled=False):
            problem = f"{forum.name} har redan ett möte {shown}. Inget har flyttats."
        if problem:
            await _say(context, problem)
            return
        added = await repository.move(meeting, new_start)
        await _audit(context, session, situation, "meeting.moved", "meeting", added.id, forum=forum.code,
                     starts_at=meeting.starts_at.isoformat(), moved_to=new_start.isoformat())
        await session.commit()
        bound = await session.scalar(select(func.count()).select_from(ConversationReference).where(
            ConversationReference.forum_id == forum.id, ConversationReference.active.is_(True)))
    text = f"Flyttat: {forum.name} {old_shown} → {shown}."
    new_day = new_start.astimezone(zone).date()
    if holiday := day_off_name(new_day):
        text += f" Observera: {format_date(new_day, 'EEEE d MMMM', locale='sv')} är {holiday}."
    elif new_day.weekday() >= 5:
        weekday = format_date(new_day, "EEEE", locale="sv")
        text += f" Observera: {format_date(new_day, 'd MMMM', locale='sv')} är en {weekday}."
    if bound:
        post = meeting_post_time(new_start)
        when = "inom någon minut" if post <= situation.now else meeting_when(post, zone, situation.today)
        text += f"\nDagordningen läggs i forumets kanal {when}."
    await _say(context, text)


def _new_start(old: datetime, moved_to: dict, zone) -> datetime:
    """The new start: the time given, or the old time of day on the new date."""
    start = datetime.fromisoformat(moved_to["start"])
    end = datetime.fromisoformat(moved_to["end"])
    if start.time() == time() and end - start >= timedelta(days=1):
        start = datetime.combine(start.date(), old.time())
    return start.replace(tzinfo=zone)
