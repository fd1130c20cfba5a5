"""Moving one meeting: "flytta operativa brå 8/12 till 10/12", "flytta SSPF den 25 december till 23 december kl 13".

The meeting on the first day is cancelled (a series' date is overridden, so the series stays) and a single
meeting is added at the new time, keeping the old length and place; without a clock time in the new date the
old time is kept, and without an old date ("flytta SSPF till torsdag") the forum's next meeting is moved. The
answer says both times as read, and when the forum's channel gets the agenda for the new date. Only admins
move meetings, as only they schedule them; the move is audited and done in one transaction
(``services.meetings.move_meeting``).
"""

from __future__ import annotations

from babel.dates import format_date
from botbuilder.dialogs import DialogContext

from dialogs.context import unit_of_work
from dialogs.format import meeting_when
from dialogs.meeting_words import admin_only, capitalized, forum_list, zone_of
from dialogs.nlu import Understanding
from dialogs.place import place_of
from dialogs.registry import handles
from dialogs.replies import send
from domain.rules.calendar import day_off_name
from domain.rules.reminders import meeting_post_time
from domain.situation import Situation
from services.meetings import NotDone, move_meeting

EXAMPLE = "”flytta Operativa BRÅ 5/1 till 7/1 kl 10”"


@handles("move_meeting")
async def move(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    if await admin_only(context, situation, "flytta möten"):
        return
    slots = understanding.slots
    zone = zone_of(situation)
    try:
        async with unit_of_work(context, situation) as uow:
            moved = await move_meeting(uow, situation, place_of(context).place, slots.get("forum"),
                                       moved_from=slots.get("from"), moved_to=slots.get("to"))
    except NotDone as not_done:
        await send(context, _not_moved_text(not_done, situation))
        return
    forum, new_start = moved.forum, moved.new_start
    text = (f"Flyttat: {forum.name} {meeting_when(moved.old_start, zone, situation.today)} → "
            f"{meeting_when(new_start, zone, situation.today)}.")
    new_day = new_start.astimezone(zone).date()
    if holiday := day_off_name(new_day):
        text += f" Observera: {format_date(new_day, 'EEEE d MMMM', locale='sv')} är {holiday}."
    elif new_day.weekday() >= 5:
        weekday = format_date(new_day, "EEEE", locale="sv")
        text += f" Observera: {format_date(new_day, 'd MMMM', locale='sv')} är en {weekday}."
    if moved.bound:
        post = meeting_post_time(new_start, zone=zone)
        when = "inom någon minut" if post <= situation.now else meeting_when(post, zone, situation.today)
        text += f"\nDagordningen läggs i forumets kanal {when}."
    await send(context, text)


def _not_moved_text(not_done: NotDone, situation: Situation) -> str:
    forum, facts = not_done.forum, not_done.facts
    shown = meeting_when(facts["starts_at"], zone_of(situation), situation.today) if "starts_at" in facts else ""
    match not_done.reason:
        case "no_forum":
            return f"Vilket forums möte ska flyttas? Skriv till exempel {EXAMPLE}.\n{forum_list(situation)}"
        case "ask_move":
            return f"Skriv vilken dag mötet är och vart det ska flyttas, till exempel {EXAMPLE}."
        case "none_planned":
            return f"{forum.name} har inga inplanerade möten att flytta."
        case "none_that_day":
            return (f"{forum.name} har inget möte {format_date(facts['day'], 'EEEE d MMMM', locale='sv')} att flytta. "
                    f"Skriv ”när är nästa {forum.name}” för att se när forumet träffas.")
        case "several":
            return (f"{forum.name} har flera möten den dagen. Ställ in det ena och lägg in det nya, till exempel "
                    "”ställ in …” och ”… är 7/1 kl 10”.")
        case "past":
            return f"{capitalized(shown)} har redan varit. Skriv en tid framåt."
        case "unchanged":
            return f"{forum.name} är redan {shown}. Inget har ändrats."
        case "taken":
            return f"{forum.name} har redan ett möte {shown}. Inget har flyttats."
    raise not_done
