"""Reminders: what the bot says when it speaks first, and the chat that sets reminders up.

"påminn mig imorgon kl 9 om …", "mina påminnelser", "ta bort påminnelsen om rektorn", "snooza #12 till
måndag", "inga påminnelser före kl 9" and "veckosammanfattning på/av". The texts the scheduler sends are
built here, so all Swedish wording lives in ``dialogs``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from botbuilder.dialogs import DialogContext

from dialogs.context import unit_of_work
from dialogs.format import days_from_today, long_date
from dialogs.nlu import Understanding
from dialogs.observation_draft import screen_text
from dialogs.registry import handles
from dialogs.render.actions import action_line
from dialogs.replies import send
from dialogs.time_question import TIME_QUESTION_DIALOG
from domain.rules.calendar import at_local
from domain.situation import Situation
from services import reminders
from services.reminders import NotChangeable, Reminder
from storage.models import Action

LATE_NOTE = "(Försenad: jag var inte igång när den skulle ha skickats.) "


def action_reminder_text(action: Action, kind: str, today: date, *, late: bool) -> str:
    """One owner reminder: before, on or after the due date, with what to answer."""
    number = action.number
    due = action.due_date
    if kind == "before":
        left = days_from_today((due - today).days)
        head = f"Påminnelse: #{number} {action.title} ska vara klar {long_date(due)} ({left})."
    elif kind == "due":
        head = f"Påminnelse: #{number} {action.title} ska vara klar i dag." if due == today else \
            f"Påminnelse: #{number} {action.title} ska vara klar {long_date(due)}."
    elif kind == "snoozed":
        head = f"Påminnelse (efter snooze): {action_line(action, today)}."
    else:
        head = f"#{number} {action.title} är försenad sedan {long_date(due)} ({(today - due).days} dagar)."
    hint = f"Svara ”#{number} klar”, ”skjut upp #{number} till …” eller ”snooza #{number} till måndag”."
    return (LATE_NOTE if late else "") + f"{head} {hint}"


def personal_reminder_text(text: str, *, late: bool) -> str:
    return (LATE_NOTE if late else "") + f"Påminnelse: {text}"


def digest_text(member_name: str, actions: list[Action], today: date) -> str:
    first = member_name.split()[0] if member_name else ""
    if not actions:
        return f"God morgon {first}! Du har inga öppna åtgärder som förfaller den här veckan."
    lines = "\n".join(f"- {action_line(a, today)}" for a in actions)
    return f"God morgon {first}! Det här är ditt för veckan:\n{lines}"


def unreachable_text(member_name: str) -> str:
    """Told to admins once about a member the bot cannot write to first (one who only uses the console)."""
    return (f"Når inte i Teams/Matrix: {member_name}. Hen har inget konto där som är kopplat till boten, så "
            "påminnelser och veckosammanfattningar når inte fram.")


@handles("remind_me")
async def remind_me(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    when, text = understanding.slots.get("when"), understanding.slots.get("text")
    if not when or not text:
        await send(context,
            "Skriv när och om vad, till exempel ”påminn mig imorgon kl 9 om att ringa skolan”.")
        return
    if refusal := screen_text(text, situation):
        await send(context, refusal.text)
        return
    zone = ZoneInfo(situation.collaboration.timezone)
    at = reminder_moment(datetime.fromisoformat(when["start"]), datetime.fromisoformat(when["end"]), zone)
    if at <= situation.now:  # the answer, "måndag kl 15 då", finishes this reminder
        slots = {key: value for key, value in understanding.slots.items() if key != "when"}
        await dc.begin_dialog(TIME_QUESTION_DIALOG, {
            "intent": "remind_me", "slots": slots,
            "question": "Den tiden har redan varit. När vill du bli påmind? Skriv till exempel ”måndag kl 15”."})
        return
    async with unit_of_work(context, situation) as uow:
        await reminders.create_reminder(uow, situation, at, text)
    local = at.astimezone(zone)
    await send(context,
        f"Jag påminner dig {long_date(local.date())} kl {local:%H:%M} om: {text}")


def reminder_moment(start: datetime, end: datetime, zone: ZoneInfo) -> datetime:
    """When a reminder for an interval goes out: the instant itself; for a day or a morning, 08:00; for an
    afternoon, 13:00 (after lunch); for another part of a day, its start."""
    if start == end:
        return start.replace(tzinfo=zone)
    if start.time() == time() and end - start >= timedelta(days=1):
        return at_local(start.date(), time(8, 0), zone)
    if start.hour < 8 and end.hour <= 10:  # "i morgon bitti", "på morgonen"
        return at_local(start.date(), time(8, 0), zone)
    if start.hour == 12 and end.hour == 18:  # "i morgon eftermiddag"
        return at_local(start.date(), time(13, 0), zone)
    return start.replace(tzinfo=zone)


def _reminder_line(reminder: Reminder, situation: Situation) -> str:
    local = reminder.at.astimezone(ZoneInfo(situation.collaboration.timezone))
    return f"{long_date(local.date())} kl {local:%H:%M} – {reminder.text}"


@handles("list_reminders")
async def list_reminders(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    async with unit_of_work(dc.context, situation) as uow:
        upcoming = await reminders.upcoming_reminders(uow, situation)
    if not upcoming:
        text = "Du har inga kommande påminnelser. Skriv till exempel ”påminn mig imorgon kl 9 om att ringa skolan”."
    else:
        lines = "\n".join(f"{n}. {_reminder_line(r, situation)}" for n, r in enumerate(upcoming[:20], start=1))
        more = f"\n… och {len(upcoming) - 20} till." if len(upcoming) > 20 else ""
        text = (f"Dina kommande påminnelser:\n{lines}{more}\n\nTa bort en med till exempel ”ta bort påminnelse 1” "
                "eller ”ta bort påminnelsen om …”.")
    await send(dc.context, text)


@handles("cancel_reminder")
async def cancel_reminder(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    """By its number in "mina påminnelser", by words from its text, or by its day; asks when several match."""
    slots = understanding.slots
    start = end = None
    if when := slots.get("when"):
        zone = ZoneInfo(situation.collaboration.timezone)
        start = datetime.fromisoformat(when["start"]).replace(tzinfo=zone)
        end = datetime.fromisoformat(when["end"]).replace(tzinfo=zone)
    async with unit_of_work(dc.context, situation) as uow:
        removal = await reminders.cancel_reminder(uow, situation, ref=slots.get("ref"), text=slots.get("text"),
                                                  start=start, end=end)
    upcoming, chosen = removal.upcoming, removal.chosen
    if not upcoming:
        reply = "Du har inga kommande påminnelser att ta bort."
    elif removal.removed is not None:
        reply = f"Borttagen: {_reminder_line(removal.removed, situation)}."
    else:
        shown = chosen or upcoming
        lines = "\n".join(f"{upcoming.index(r) + 1}. {_reminder_line(r, situation)}" for r in shown[:20])
        what = "Flera påminnelser passar" if chosen else "Jag hittar ingen påminnelse som passar"
        reply = f"{what}. Vilken ska bort? Skriv till exempel ”ta bort påminnelse 1”.\n{lines}"
    await send(dc.context, reply)


@handles("snooze_action")
async def snooze_action(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    until = understanding.slots.get("until")
    if not until:
        await send(context,
            f"Till när? Skriv till exempel ”snooza #{understanding.slots['ref']} till måndag”.")
        return
    zone = ZoneInfo(situation.collaboration.timezone)
    start = datetime.fromisoformat(until["start"])
    at = start.replace(tzinfo=zone) if start.time() != time() else at_local(start.date(), time(8, 0), zone)
    if at <= situation.now:
        await send(context, "Den tiden har redan varit. Skriv en tid framåt.")
        return
    try:
        async with unit_of_work(context, situation) as uow:
            number = await reminders.snooze_action(uow, situation, understanding.slots["ref"], at)
    except NotChangeable as refused:
        await send(context, str(refused))
        return
    local = at.astimezone(zone)
    await send(context, f"Inga påminnelser om #{number} före {long_date(local.date())} kl {local:%H:%M}. "
                        "Slutdatumet är oförändrat.")


@handles("reminder_settings")
async def reminder_settings(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    slots = understanding.slots
    async with unit_of_work(context, situation) as uow:
        settings = await reminders.change_reminder_settings(
            uow, situation, not_before=slots["not_before"] if "not_before" in slots else None,
            digest=bool(slots["digest"]) if "digest" in slots else None)
    if "not_before" in slots:
        reply = (f"Okej, inga påminnelser om dina åtgärder före kl {slots['not_before']}; de kommer bara på "
                 "arbetsdagar. En påminnelse du själv har bett om kommer när du sa. "
                 "Skriv ”påminnelser tidigast kl 8” för att ändra.")
    elif "digest" in slots:
        reply = ("Du får en sammanfattning av veckans åtgärder måndagar kl 8." if settings.weekly_digest
                 else "Okej, ingen veckosammanfattning.")
    else:
        reply = "Skriv till exempel ”inga påminnelser före kl 9” eller ”veckosammanfattning på”."
    await send(context, reply)
