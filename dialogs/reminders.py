"""Reminders: what the bot says when it speaks first, and the chat that sets reminders up.

"påminn mig imorgon kl 9 om …", "mina påminnelser", "ta bort påminnelsen om rektorn", "snooza #12 till
måndag", "inga påminnelser före kl 9" and "veckosammanfattning på/av". The texts the scheduler sends are
built here, so all Swedish wording lives in ``dialogs``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from botbuilder.dialogs import DialogContext
from rapidfuzz import fuzz
from sqlalchemy import select

from dialogs.action_changes import asker_member, changeable
from dialogs.context import database_of
from dialogs.format import days_from_today, long_date
from dialogs.nlu import Understanding, fold
from dialogs.observation_draft import screen_text
from dialogs.registry import handles
from dialogs.render.actions import action_line
from dialogs.replies import send
from dialogs.time_question import TIME_QUESTION_DIALOG
from domain.rules.calendar import at_local
from domain.situation import Situation
from storage import AuditLog
from storage.models import Action, Member, PersonalReminder

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
    async with database_of(context).session() as session:
        session.add(PersonalReminder(member_id=situation.asker.member_id, at=at, text=text[:500],
                                     created_at=situation.now))
        await AuditLog(session).record("reminder.created", actor_member_id=situation.asker.member_id,
                                       channel=context.activity.channel_id, subject_type="reminder")
        await session.commit()
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


async def _upcoming(session, situation: Situation) -> list[PersonalReminder]:
    return list(await session.scalars(
        select(PersonalReminder).where(PersonalReminder.member_id == situation.asker.member_id,
                                       PersonalReminder.at > situation.now)
        .order_by(PersonalReminder.at, PersonalReminder.id)))


def _reminder_line(reminder: PersonalReminder, situation: Situation) -> str:
    local = reminder.at.astimezone(ZoneInfo(situation.collaboration.timezone))
    return f"{long_date(local.date())} kl {local:%H:%M} – {reminder.text}"


@handles("list_reminders")
async def list_reminders(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    async with database_of(dc.context).session() as session:
        upcoming = await _upcoming(session, situation)
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
    async with database_of(dc.context).session() as session:
        upcoming = await _upcoming(session, situation)
        chosen = _matching(upcoming, slots, situation)
        if not upcoming:
            reply = "Du har inga kommande påminnelser att ta bort."
        elif len(chosen) == 1:
            [reminder] = chosen
            reply = f"Borttagen: {_reminder_line(reminder, situation)}."
            await session.delete(reminder)
            await AuditLog(session).record("reminder.cancelled", actor_member_id=situation.asker.member_id,
                                           channel=dc.context.activity.channel_id, subject_type="reminder",
                                           subject_id=reminder.id)
            await session.commit()
        else:
            shown = chosen or upcoming
            lines = "\n".join(f"{upcoming.index(r) + 1}. {_reminder_line(r, situation)}" for r in shown[:20])
            what = "Flera påminnelser passar" if chosen else "Jag hittar ingen påminnelse som passar"
            reply = f"{what}. Vilken ska bort? Skriv till exempel ”ta bort påminnelse 1”.\n{lines}"
    await send(dc.context, reply)


def _matching(upcoming: list[PersonalReminder], slots: dict, situation: Situation) -> list[PersonalReminder]:
    ref = slots.get("ref")
    if ref is not None:
        index = int(ref) - 1
        return [upcoming[index]] if 0 <= index < len(upcoming) else []
    text, when = slots.get("text"), slots.get("when")
    found = upcoming
    if text:
        found = [r for r in found if fuzz.partial_ratio(fold(text), fold(r.text)) >= 80]
    if when:
        zone = ZoneInfo(situation.collaboration.timezone)
        start = datetime.fromisoformat(when["start"]).replace(tzinfo=zone)
        end = datetime.fromisoformat(when["end"]).replace(tzinfo=zone)
        if start == end:
            end = start + timedelta(minutes=1)
        found = [r for r in found if start <= r.at < end]
    return found if (text or when) else []


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
    async with database_of(context).session() as session:
        action = await changeable(context, session, understanding.slots["ref"], situation)
        if action is None:
            return
        before = action.snoozed_until
        action.snoozed_until = at
        await AuditLog(session).record("action.snoozed", actor_member_id=situation.asker.member_id,
                                       channel=context.activity.channel_id, subject_type="action",
                                       subject_id=action.number, at=situation.now,
                                       detail={"before": before.isoformat() if before else None,
                                               "until": at.isoformat()})
        await session.commit()
        local = at.astimezone(zone)
        reply = (f"Inga påminnelser om #{action.number} före {long_date(local.date())} kl {local:%H:%M}. "
                 "Slutdatumet är oförändrat.")
    await send(context, reply)


@handles("reminder_settings")
async def reminder_settings(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    slots = understanding.slots
    async with database_of(context).session() as session:
        member: Member = await asker_member(session, situation)
        if "not_before" in slots:
            member.reminders_not_before = slots["not_before"]
            reply = (f"Okej, inga påminnelser om dina åtgärder före kl {slots['not_before']}; de kommer bara på "
                     "arbetsdagar. En påminnelse du själv har bett om kommer när du sa. "
                     "Skriv ”påminnelser tidigast kl 8” för att ändra.")
        elif "digest" in slots:
            if slots["digest"] and not member.weekly_digest:  # the first one is the next Monday's
                member.weekly_digest_since = situation.now
            member.weekly_digest = bool(slots["digest"])
            reply = ("Du får en sammanfattning av veckans åtgärder måndagar kl 8." if member.weekly_digest
                     else "Okej, ingen veckosammanfattning.")
        else:
            reply = "Skriv till exempel ”inga påminnelser före kl 9” eller ”veckosammanfattning på”."
        await AuditLog(session).record("member.settings", actor_member_id=situation.asker.member_id,
                                       channel=context.activity.channel_id, subject_type="member",
                                       subject_id=situation.asker.member_id)
        await session.commit()
    await send(context, reply)
