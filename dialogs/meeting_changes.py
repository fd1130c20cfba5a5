"""Scheduling a meeting or a series, and cancelling meetings, by chat (admins only, each change audited).

"Operativa BRÅ är 8 december kl 13", "SSPF varannan tisdag kl 9", "ställ in Operativa BRÅ på tisdag". A new
series whose dates land on days off ends with an offer to move those (``dialogs.meeting_holidays``).
"""

from __future__ import annotations

from babel.dates import format_date
from botbuilder.dialogs import DialogContext

from dialogs.context import unit_of_work
from dialogs.format import bullet_list, meeting_when
from dialogs.meeting_holidays import HOLIDAY_DIALOG, offer_state, offer_text
from dialogs.meeting_words import admin_only, capitalized, forum_list, occurrence_line, zone_of
from dialogs.nlu import Understanding
from dialogs.place import place_of
from dialogs.registry import handles
from dialogs.replies import send
from domain.situation import Situation
from services.meetings import NotDone, Scheduled, SeriesScheduled, cancel_meeting, schedule_meeting

SERIES_EXAMPLES = ("”Operativa BRÅ varannan tisdag kl 13”, ”SSPF varje torsdag kl 9”, ”Strategiska BRÅ första "
                   "måndagen i mars och oktober kl 9” eller ”Operativa BRÅ sista fredagen i månaden kl 10”")


@handles("schedule_meeting")
async def schedule(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    if await admin_only(context, situation, "lägga in möten"):
        return
    slots = understanding.slots
    try:
        async with unit_of_work(context, situation) as uow:
            done = await schedule_meeting(uow, situation, place_of(context).place, slots.get("forum"),
                                          when=slots.get("when"), recurrence=slots.get("recurrence"))
    except NotDone as not_done:
        await send(context, _not_scheduled_text(not_done, situation))
        return
    zone = zone_of(situation)
    if isinstance(done, Scheduled):
        again = " (det var inställt och gäller nu igen)" if done.reinstated else ""
        await send(context, f"Inlagt: {done.forum.name} {meeting_when(done.starts_at, zone, situation.today)}–"
                            f"{done.ends_at.astimezone(zone):%H:%M}{again}.")
        return
    await send(context, _series_text(done, situation))
    if done.clashes:
        await dc.begin_dialog(HOLIDAY_DIALOG, offer_state(done.forum.code, done.clashes))


def _series_text(done: SeriesScheduled, situation: Situation) -> str:
    zone = zone_of(situation)
    text = f"Sparat: {done.forum.name} {done.recurrence.text()}."
    if done.replaced:
        text += " Det ersätter den tidigare återkommande tiden."
    text += "\nDe tre närmaste mötena:\n" + bullet_list(
        [meeting_when(o.starts_at, zone, situation.today) for o in done.upcoming])
    if done.clashes:
        text += "\n\n" + offer_text(done.clashes, zone, situation.today)
    return text


def _not_scheduled_text(not_done: NotDone, situation: Situation) -> str:
    forum, facts = not_done.forum, not_done.facts
    shown = meeting_when(facts["starts_at"], zone_of(situation), situation.today) if "starts_at" in facts else ""
    match not_done.reason:
        case "no_forum":
            return ("Vilket forum gäller det? Skriv forumet och tiden, till exempel ”Operativa BRÅ är 8 december kl "
                    f"13”.\n{forum_list(situation)}")
        case "ask_when":
            return (f"När träffas {forum.name}? Skriv till exempel ”{forum.name} är 8 december kl 13” eller "
                    f"”{forum.name} varannan tisdag kl 13”.")
        case "ask_time":
            return (f"Vilken tid börjar mötet? Skriv till exempel ”{forum.name} är "
                    f"{format_date(facts['day'], 'd MMMM', locale='sv')} kl 13”.")
        case "past":
            return f"{capitalized(shown)} har redan varit. Skriv en tid framåt i tiden."
        case "taken":
            return f"{forum.name} har redan ett möte {shown}."
        case "unreadable_series":
            return (f"Jag förstår inte ”{facts['said']}” som en återkommande tid. Skriv till exempel "
                    f"{SERIES_EXAMPLES}. Ett enstaka möte: ”{forum.name} är 8 december kl 13”.")
        case "series_time":
            return f"Vilken tid? Skriv till exempel ”{forum.name} {facts['description']} kl 13”."
    raise not_done


@handles("cancel_meeting")
async def cancel(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    if await admin_only(context, situation, "ställa in möten"):
        return
    slots = understanding.slots
    try:
        async with unit_of_work(context, situation) as uow:
            done = await cancel_meeting(uow, situation, place_of(context).place, slots.get("forum"),
                                        when=slots.get("when"), next_one=bool(slots.get("next")))
    except NotDone as not_done:
        await send(context, _not_cancelled_text(not_done, situation))
        return
    forum, zone = done.forum, zone_of(situation)
    shown = [f"{forum.name} {meeting_when(o.starts_at, zone, situation.today)}" for o in done.cancelled]
    if not done.cancelled:
        text = f"{forum.name} har inget möte {format_date(done.day, 'EEEE d MMMM', locale='sv')} att ställa in."
    elif len(shown) == 1:
        text = f"Inställt: {shown[0]}."
    else:
        text = "Inställt:\n" + bullet_list(shown)
    if done.following is not None:
        text += f"\nNästa möte: {occurrence_line(done.following, situation)}."
    await send(context, text)


def _not_cancelled_text(not_done: NotDone, situation: Situation) -> str:
    forum = not_done.forum
    match not_done.reason:
        case "no_forum":
            return ("Vilket forums möte ska ställas in? Skriv till exempel ”ställ in Operativa BRÅ på tisdag”.\n"
                    f"{forum_list(situation)}")
        case "none_planned":
            return f"{forum.name} har inga inplanerade möten att ställa in."
        case "ask_day":
            return (f"Vilken dag ska {forum.name} ställas in? Skriv till exempel ”ställ in {forum.name} på tisdag” "
                    "eller ”… den 8 december”.")
        case "too_long":
            return (f"Jag ställer in möten en dag eller en vecka i taget. Skriv vilken dag, till exempel ”ställ in "
                    f"{forum.name} den 8 december”.")
    raise not_done


__all__ = ["SERIES_EXAMPLES", "cancel", "schedule"]
