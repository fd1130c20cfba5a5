"""Reminders: what the bot says when it speaks first, and the chat that sets reminders up.

"påminn mig imorgon kl 9 om …", "snooza #12 till måndag", "inga påminnelser före kl 9" and
"veckosammanfattning på/av". The texts the scheduler sends are built here, so all Swedish wording lives
in ``dialogs``.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from botbuilder.core import MessageFactory
from botbuilder.dialogs import DialogContext

from bot.rules.calendar import at_local
from dialogs.action_changes import asker_member, changeable
from dialogs.context import Situation, database_of
from dialogs.format import days_from_today, long_date
from dialogs.nlu import Understanding
from dialogs.observation_draft import screen_text
from dialogs.registry import handles
from dialogs.render.actions import action_line
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


@handles("remind_me")
async def remind_me(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    when, text = understanding.slots.get("when"), understanding.slots.get("text")
    if not when or not text:
        await context.send_activity(MessageFactory.text(
            "Skriv när och om vad, till exempel ”påminn mig imorgon kl 9 om att ringa skolan”."))
        return
    if refusal := screen_text(text, situation):
        await context.send_activity(MessageFactory.text(refusal.text))
        return
    zone = ZoneInfo(situation.collaboration.timezone)
    start = datetime.fromisoformat(when["start"])
    if start == datetime.fromisoformat(when["end"]) or start.time() != time():
        at = start.replace(tzinfo=zone)
    else:  # a whole day: the morning of it
        at = at_local(start.date(), time(8, 0), zone)
    if at <= situation.now:
        await context.send_activity(MessageFactory.text("Den tiden har redan varit. Skriv en tid framåt."))
        return
    async with database_of(context).session() as session:
        session.add(PersonalReminder(member_id=situation.asker.member_id, at=at, text=text[:500],
                                     created_at=situation.now))
        await AuditLog(session).record("reminder.created", actor_member_id=situation.asker.member_id,
                                       channel=context.activity.channel_id, subject_type="reminder")
        await session.commit()
    local = at.astimezone(zone)
    await context.send_activity(MessageFactory.text(
        f"Jag påminner dig {long_date(local.date())} kl {local:%H:%M} om: {text}"))


@handles("snooze_action")
async def snooze_action(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    until = understanding.slots.get("until")
    if not until:
        await context.send_activity(MessageFactory.text(
            f"Till när? Skriv till exempel ”snooza #{understanding.slots['ref']} till måndag”."))
        return
    zone = ZoneInfo(situation.collaboration.timezone)
    start = datetime.fromisoformat(until["start"])
    at = start.replace(tzinfo=zone) if start.time() != time() else at_local(start.date(), time(8, 0), zone)
    if at <= situation.now:
        await context.send_activity(MessageFactory.text("Den tiden har redan varit. Skriv en tid framåt."))
        return
    async with database_of(context).session() as session:
        action = await changeable(context, session, understanding.slots["ref"], situation)
        if action is None:
            return
        action.snoozed_until = at
        await AuditLog(session).record("action.snoozed", actor_member_id=situation.asker.member_id,
                                       channel=context.activity.channel_id, subject_type="action",
                                       subject_id=action.number)
        await session.commit()
        local = at.astimezone(zone)
        reply = (f"Inga påminnelser om #{action.number} före {long_date(local.date())} kl {local:%H:%M}. "
                 "Slutdatumet är oförändrat.")
    await context.send_activity(MessageFactory.text(reply))


@handles("reminder_settings")
async def reminder_settings(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    slots = understanding.slots
    async with database_of(context).session() as session:
        member: Member = await asker_member(session, situation)
        if "not_before" in slots:
            member.reminders_not_before = slots["not_before"]
            reply = (f"Okej, inga påminnelser före kl {slots['not_before']}. De kommer bara på arbetsdagar. "
                     "Skriv ”påminnelser tidigast kl 8” för att ändra.")
        elif "digest" in slots:
            member.weekly_digest = bool(slots["digest"])
            reply = ("Du får en sammanfattning av veckans åtgärder måndagar kl 8." if member.weekly_digest
                     else "Okej, ingen veckosammanfattning.")
        else:
            reply = "Skriv till exempel ”inga påminnelser före kl 9” eller ”veckosammanfattning på”."
        await AuditLog(session).record("member.settings", actor_member_id=situation.asker.member_id,
                                       channel=context.activity.channel_id, subject_type="member",
                                       subject_id=situation.asker.member_id)
        await session.commit()
    await context.send_activity(MessageFactory.text(reply))
