"""The forums' meetings by chat, asking: when is the next one, the calendar of a period, and the help topic.

Scheduling and cancelling are ``dialogs.meeting_changes``, moving ``dialogs.meeting_moves`` and binding a
channel ``dialogs.channel_binding``; only admins change the calendar or bind channels. A channel bound to a
forum stands in for the forum name ("när är nästa möte" in the Operativa BRÅ channel).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from botbuilder.dialogs import DialogContext

from dialogs import channel_binding, channel_detail, meeting_changes  # noqa: F401  (they register their handlers on import)
from dialogs.context import unit_of_work
from dialogs.format import bullet_list, interval_text, meeting_when
from dialogs.meeting_words import occurrence_line, zone_of
from dialogs.nlu import Understanding
from dialogs.place import place_of
from dialogs.registry import handles
from dialogs.replies import send
from domain.situation import Situation
from services import meetings

CALENDAR_DAYS = 28  # "kalender" without a period: the coming four weeks


async def planned_meetings(context, situation: Situation, code: str, *, count: int) -> list[str]:
    """The forum's next ``count`` meetings that are not cancelled, as lines."""
    async with unit_of_work(context, situation) as uow:
        upcoming = await meetings.planned_meetings(uow, code, situation.now, count=count)
    return [occurrence_line(occurrence, situation) for occurrence in upcoming]


@handles("next_meeting")
async def next_meeting(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    if understanding.slots.get("period") or understanding.slots.get("calendar"):
        await _calendar(dc, understanding, situation)
        return
    async with unit_of_work(context, situation) as uow:
        answer = await meetings.next_meeting(uow, situation, place_of(context).place, understanding.slots.get("forum"))
    forum, found = answer.forum, answer.found
    if forum is None:
        planned, unplanned = [], []
        for configured in situation.collaboration.forums:
            upcoming = answer.per_forum.get(configured.code)
            if upcoming:
                planned.append((upcoming.starts_at, f"{configured.name}: {occurrence_line(upcoming, situation)}"))
            else:
                unplanned.append(f"{configured.name}: inga inplanerade")
        lines = [line for _, line in sorted(planned, key=lambda pair: pair[0])] + unplanned  # soonest first
        await send(context, "Nästa möten:\n" + bullet_list(lines))
        return
    if found is None:
        await send(context, f"Inga inplanerade möten för {forum.name}. En administratör kan lägga in dem, till "
                            f"exempel ”{forum.name} är 8 december kl 13” eller ”{forum.name} varannan tisdag kl "
                            "13”, eller importera en kalenderfil (samverkan import meetings).")
        return
    text = f"Nästa {forum.name}: {occurrence_line(found, situation, location=False)}"
    if found.location:
        text += f"\nPlats: {found.location}"
    for cancelled in answer.skipped:
        text += f"\nMötet {meeting_when(cancelled.starts_at, zone_of(situation), situation.today)} är inställt."
    await send(context, text)


async def _calendar(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    """'kalendern i december', 'vilka möten har vi nästa vecka': every forum's meetings in the period (or the
    named forum's), cancelled ones marked, in order of time."""
    zone = zone_of(situation)
    period = understanding.slots.get("period")
    if period:
        start = datetime.fromisoformat(period["start"]).replace(tzinfo=zone)
        end = max(datetime.fromisoformat(period["end"]).replace(tzinfo=zone), start + timedelta(minutes=1))
    else:
        start = datetime.combine(situation.today, time(), zone)
        end = start + timedelta(days=CALENDAR_DAYS)
    code = understanding.slots.get("forum")
    async with unit_of_work(dc.context, situation) as uow:
        found = await meetings.meetings_between(uow, start, end, code)
    shown = interval_text(start.replace(tzinfo=None), end.replace(tzinfo=None), situation.local_now)
    if not found:
        await send(dc.context, f"Inga möten är inplanerade för {shown}." + (
            "" if code else " Fråga ”när är nästa operativa BRÅ” för det som ligger längre fram."))
        return
    lines = [f"{o.forum_name}: {meeting_when(o.starts_at, zone, situation.today)}"
             + (f", {o.location}" if o.location else "") + (" – inställt" if o.cancelled else "") for o in found]
    await send(dc.context, f"Möten för {shown}:\n" + bullet_list(lines))


def help_text(situation: Situation) -> str:
    """The help topic on meetings."""
    return (
        "Forumens möten, till exempel:\n"
        "- ”när är nästa Operativa BRÅ”\n"
        "- ”Operativa BRÅ är 8 december kl 13” (ett möte)\n"
        "- ”Operativa BRÅ varannan tisdag kl 13”, ”Strategiska BRÅ första måndagen i mars och oktober kl 9”, "
        "”SSPF sista fredagen i månaden kl 10” (återkommande)\n"
        "- ”ställ in Operativa BRÅ på tisdag”, ”flytta Operativa BRÅ 8/12 till 10/12 kl 9”\n"
        "- ”koppla den här kanalen till Operativa BRÅ” i forumets kanal: där lägger jag dagordningen två "
        "arbetsdagar före varje möte\n"
        "- ”vilken detaljnivå har den här kanalen”, ”sätt detaljnivå sammanfattning här”: i en kanal med "
        "sammanfattning visar jag antal, nummer, titlar och datum men aldrig observationernas text eller platser\n"
        "Bara administratörer kan lägga in, flytta och ställa in möten, koppla kanaler och ändra detaljnivån. "
        "Varje forum har en "
        "kalender att prenumerera på (adressen /calendar/FORUM.ics hos boten, till exempel "
        "/calendar/operativa-bra.ics)."
    )


__all__ = ["help_text", "meeting_when", "next_meeting", "planned_meetings"]
