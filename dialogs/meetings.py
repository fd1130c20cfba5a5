"""The forums' meetings by chat: when is the next one, schedule one or a series, cancel one, bind a channel.

Anyone may ask; only admins change the calendar or bind channels, since a wrong date reaches every member's
calendar and a bound channel is where the bot posts the agenda. Every change is audited. A channel bound to a
forum stands in for the forum name ("ställ in mötet på tisdag" in the Operativa BRÅ channel).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date
from botbuilder.core import TurnContext
from botbuilder.dialogs import DialogContext
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from bot.channels.references import reference_fields, reference_key, teams_ids
from dialogs.context import database_of
from dialogs.format import bullet_list, days_from_today, interval_text, meeting_when
from dialogs.meeting_holidays import HOLIDAY_DIALOG, LOOKAHEAD, holiday_clashes, offer_state, offer_text
from dialogs.nlu import Understanding
from dialogs.registry import handles
from dialogs.replies import send
from domain.rules.recurrence import parse_recurrence
from domain.situation import Situation
from storage import AuditLog, ConversationReferenceRepository
from storage.meetings import DEFAULT_DURATION_MINUTES, MeetingRepository, Occurrence
from storage.models import ConversationReference, ConversationType, Forum, Member

# Conversations many people read, where an agenda can be posted (a personal chat is one person's): how a
# reply names each, and the participle that agrees with it.
SHARED_CONVERSATIONS = {ConversationType.CHANNEL.value: ("Den här kanalen", "kopplad"),
                        ConversationType.GROUP_CHAT.value: ("Den här gruppchatten", "kopplad"),
                        ConversationType.ROOM.value: ("Det här rummet", "kopplat")}
UPCOMING = timedelta(days=800)
MAX_CANCEL_SPAN = timedelta(days=7)
SERIES_EXAMPLES = ("”Operativa BRÅ varannan tisdag kl 13”, ”SSPF varje torsdag kl 9”, ”Strategiska BRÅ första "
                   "måndagen i mars och oktober kl 9” eller ”Operativa BRÅ sista fredagen i månaden kl 10”")


def _zone(situation: Situation) -> ZoneInfo:
    return ZoneInfo(situation.collaboration.timezone)


def _repository(session, situation: Situation) -> MeetingRepository:
    return MeetingRepository(session, _zone(situation))


async def _say(context: TurnContext, text: str) -> None:
    await send(context, text)


def _forum_list(situation: Situation) -> str:
    return bullet_list([forum.name for forum in situation.collaboration.forums])


def _occurrence_line(occurrence: Occurrence, situation: Situation, *, location: bool = True) -> str:
    """'tisdag 8 december kl 13:00 (om 12 dagar), Stadshuset'."""
    local_day = occurrence.starts_at.astimezone(_zone(situation)).date()
    line = (f"{meeting_when(occurrence.starts_at, _zone(situation), situation.today)} "
            f"({days_from_today((local_day - situation.today).days)})")
    return line + (f", {occurrence.location}" if location and occurrence.location else "")


async def planned_meetings(context: TurnContext, situation: Situation, code: str, *, count: int) -> list[str]:
    """The forum's next ``count`` meetings that are not cancelled, as lines."""
    async with database_of(context).session() as session:
        upcoming = await _repository(session, situation).occurrences(
            situation.now, situation.now + UPCOMING, code, include_cancelled=False)
    return [_occurrence_line(occurrence, situation) for occurrence in upcoming[:count]]


def _kind(activity) -> str:
    conversation = activity.conversation
    return conversation.conversation_type or ("channel" if conversation.is_group else "personal")


async def _channel_references(session, activity) -> list[ConversationReference]:
    """This conversation's reference, and in Teams those of the channel's other threads (each thread is a
    conversation of its own there, but the channel is what gets bound)."""
    conditions = [ConversationReference.key == reference_key(activity)]
    _, teams_channel = teams_ids(activity)
    if activity.channel_id == "msteams" and teams_channel:
        conditions.append((ConversationReference.channel_id == "msteams")
                          & (ConversationReference.teams_channel_id == teams_channel))
    return list(await session.scalars(select(ConversationReference).options(
        selectinload(ConversationReference.forum)).where(or_(*conditions)).order_by(ConversationReference.id)))


async def _bound_forum(session, activity) -> Forum | None:
    if _kind(activity) not in SHARED_CONVERSATIONS:
        return None
    rows = await _channel_references(session, activity)
    key = reference_key(activity)
    rows.sort(key=lambda row: row.key != key)
    return next((row.forum for row in rows if row.forum is not None), None)


async def _forum(session, understanding: Understanding, context: TurnContext) -> Forum | None:
    """The forum the message names, else the one this channel is bound to."""
    code = understanding.slots.get("forum")
    if code:
        return await _forum_by_code(session, code)
    return await _bound_forum(session, context.activity)


async def _forum_by_code(session, code: str) -> Forum | None:
    return await session.scalar(select(Forum).where(Forum.code == code))


async def _admin_only(context: TurnContext, situation: Situation, what: str) -> bool:
    """True (and a refusal said) when the asker is not an admin."""
    if situation.asker.is_admin:
        return False
    await _say(context, f"Bara en administratör kan {what}. Kontakta {situation.collaboration.contact} om något "
                        "behöver ändras.")
    return True


async def _audit(context: TurnContext, session, situation: Situation, action: str, subject_type: str,
                 subject_id, **detail) -> None:
    await AuditLog(session).record(action, actor_member_id=situation.asker.member_id,
                                   channel=context.activity.channel_id, subject_type=subject_type,
                                   subject_id=subject_id, detail=detail or None)


# --- asking ---------------------------------------------------------------------------------------------

@handles("next_meeting")
async def next_meeting(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    if understanding.slots.get("period") or understanding.slots.get("calendar"):
        await _calendar(dc, understanding, situation)
        return
    async with database_of(context).session() as session:
        forum = await _forum(session, understanding, context)
        repository = _repository(session, situation)
        if forum is None:
            planned, unplanned = [], []
            for configured in situation.collaboration.forums:
                found = await repository.next(configured.code, situation.now, within=UPCOMING)
                if found:
                    planned.append((found.starts_at, f"{configured.name}: {_occurrence_line(found, situation)}"))
                else:
                    unplanned.append(f"{configured.name}: inga inplanerade")
            lines = [line for _, line in sorted(planned, key=lambda pair: pair[0])] + unplanned  # soonest first
            await _say(context, "Nästa möten:\n" + bullet_list(lines))
            return
        found = await repository.next(forum.code, situation.now, within=UPCOMING)
        skipped = [] if found is None else [o for o in await repository.occurrences(
            situation.now, found.starts_at, forum.code) if o.cancelled]
    if found is None:
        await _say(context, f"Inga inplanerade möten för {forum.name}. En administratör kan lägga in dem, till "
                            f"exempel ”{forum.name} är 8 december kl 13” eller ”{forum.name} varannan tisdag kl "
                            "13”, eller importera en kalenderfil (samverkan import meetings).")
        return
    text = f"Nästa {forum.name}: {_occurrence_line(found, situation, location=False)}"
    if found.location:
        text += f"\nPlats: {found.location}"
    for cancelled in skipped:
        text += f"\nMötet {meeting_when(cancelled.starts_at, _zone(situation), situation.today)} är inställt."
    await _say(context, text)


CALENDAR_DAYS = 28  # "kalender" without a period: the coming four weeks


async def _calendar(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    """'kalendern i december', 'vilka möten har vi nästa vecka': every forum's meetings in the period (or the
    named forum's), cancelled ones marked, in order of time."""
    zone = _zone(situation)
    period = understanding.slots.get("period")
    if period:
        start = datetime.fromisoformat(period["start"]).replace(tzinfo=zone)
        end = max(datetime.fromisoformat(period["end"]).replace(tzinfo=zone), start + timedelta(minutes=1))
    else:
        start = datetime.combine(situation.today, time(), zone)
        end = start + timedelta(days=CALENDAR_DAYS)
    async with database_of(dc.context).session() as session:
        code = understanding.slots.get("forum")
        found = await _repository(session, situation).occurrences(start, end, code)
    shown = interval_text(start.replace(tzinfo=None), end.replace(tzinfo=None), situation.local_now)
    if not found:
        await _say(dc.context, f"Inga möten är inplanerade för {shown}." + (
            "" if code else " Fråga ”när är nästa operativa BRÅ” för det som ligger längre fram."))
        return
    lines = [f"{o.forum_name}: {meeting_when(o.starts_at, zone, situation.today)}"
             + (f", {o.location}" if o.location else "") + (" – inställt" if o.cancelled else "") for o in found]
    await _say(dc.context, f"Möten för {shown}:\n" + bullet_list(lines))


# --- scheduling -----------------------------------------------------------------------------------------

@handles("schedule_meeting")
async def schedule_meeting(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    if await _admin_only(context, situation, "lägga in möten"):
        return
    slots = understanding.slots
    async with database_of(context).session() as session:
        forum = await _forum(session, understanding, context)
        if forum is None:
            await _say(context, "Vilket forum gäller det? Skriv forumet och tiden, till exempel ”Operativa BRÅ är "
                                f"8 december kl 13”.\n{_forum_list(situation)}")
            return
        offer = None
        if slots.get("recurrence"):
            text, offer = await _schedule_series(context, session, situation, forum, slots["recurrence"])
        elif slots.get("when"):
            text = await _schedule_single(context, session, situation, forum, slots["when"])
        else:
            text = (f"När träffas {forum.name}? Skriv till exempel ”{forum.name} är 8 december kl 13” eller "
                    f"”{forum.name} varannan tisdag kl 13”.")
    await _say(context, text)
    if offer is not None:
        await dc.begin_dialog(HOLIDAY_DIALOG, offer)


async def _schedule_single(context: TurnContext, session, situation: Situation, forum: Forum, when: dict) -> str:
    zone = _zone(situation)
    start, end = datetime.fromisoformat(when["start"]), datetime.fromisoformat(when["end"])
    if start.time() == time() and end - start >= timedelta(days=1):
        return (f"Vilken tid börjar mötet? Skriv till exempel ”{forum.name} är "
                f"{format_date(start.date(), 'd MMMM', locale='sv')} kl 13”.")
    starts_at = start.replace(tzinfo=zone)
    ends_at = end.replace(tzinfo=zone) if timedelta(0) < end - start < timedelta(hours=12) else \
        starts_at + timedelta(minutes=DEFAULT_DURATION_MINUTES)
    shown = meeting_when(starts_at, zone, situation.today)
    if starts_at <= situation.now:
        return f"{shown[:1].upper()}{shown[1:]} har redan varit. Skriv en tid framåt i tiden."
    repository = _repository(session, situation)
    [existing] = await repository.occurrences(starts_at, starts_at + timedelta(seconds=1), forum.code) or [None]
    if existing is not None and not existing.cancelled:
        return f"{forum.name} har redan ett möte {shown}."
    meeting = await repository.add_meeting(forum.code, starts_at, ends_at=ends_at)
    await _audit(context, session, situation, "meeting.scheduled", "meeting", meeting.id, forum=forum.code,
                 starts_at=starts_at.isoformat())
    await session.commit()
    again = " (det var inställt och gäller nu igen)" if existing is not None else ""
    return f"Inlagt: {forum.name} {shown}–{ends_at.astimezone(zone):%H:%M}{again}."


async def _schedule_series(context: TurnContext, session, situation: Situation, forum: Forum,
                           said: str) -> tuple[str, dict | None]:
    """The reply, and the offer to move the dates that land on holidays (None when none does)."""
    recurrence = parse_recurrence(said, situation.local_now)
    if recurrence is None:
        return (f"Jag förstår inte ”{said}” som en återkommande tid. Skriv till exempel {SERIES_EXAMPLES}. "
                f"Ett enstaka möte: ”{forum.name} är 8 december kl 13”."), None
    if recurrence.start_time is None:
        return f"Vilken tid? Skriv till exempel ”{forum.name} {recurrence.description} kl 13”.", None
    repository = _repository(session, situation)
    replaced = await repository.series(forum.code, source="chat", on_or_after=recurrence.first)
    series = await repository.add_series(
        forum.code, recurrence.rrule, start_time=recurrence.start_time, dtstart=recurrence.first,
        duration_minutes=recurrence.duration_minutes or DEFAULT_DURATION_MINUTES,
        created_by=await session.get(Member, situation.asker.member_id))
    await _audit(context, session, situation, "meeting_series.scheduled", "meeting_series", series.id,
                 forum=forum.code, rrule=recurrence.rrule, dtstart=recurrence.first.isoformat())
    ahead = await repository.occurrences(situation.now, situation.now + LOOKAHEAD, forum.code,
                                         include_cancelled=False)
    upcoming = ahead[:3]
    await session.commit()
    text = f"Sparat: {forum.name} {recurrence.text()}."
    if replaced:
        text += " Det ersätter den tidigare återkommande tiden."
    zone = _zone(situation)
    text += "\nDe tre närmaste mötena:\n" + bullet_list(
        [meeting_when(o.starts_at, zone, situation.today) for o in upcoming])
    clashes = holiday_clashes([o for o in ahead if o.series_id == series.id], zone)
    if not clashes:
        return text, None
    return text + "\n\n" + offer_text(clashes, zone, situation.today), offer_state(forum.code, clashes)


# --- cancelling -----------------------------------------------------------------------------------------

@handles("cancel_meeting")
async def cancel_meeting(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    if await _admin_only(context, situation, "ställa in möten"):
        return
    when = understanding.slots.get("when")
    zone = _zone(situation)
    async with database_of(context).session() as session:
        forum = await _forum(session, understanding, context)
        if forum is None:
            await _say(context, "Vilket forums möte ska ställas in? Skriv till exempel ”ställ in Operativa BRÅ på "
                                f"tisdag”.\n{_forum_list(situation)}")
            return
        repository = _repository(session, situation)
        if when is None and understanding.slots.get("next"):  # "ställ in nästa SSPF": exactly that meeting
            upcoming = await repository.next(forum.code, situation.now, within=UPCOMING)
            if upcoming is None:
                await _say(context, f"{forum.name} har inga inplanerade möten att ställa in.")
                return
            start = upcoming.starts_at.astimezone(zone).replace(tzinfo=None)
            end = start + timedelta(seconds=1)
        elif when is None:
            await _say(context, f"Vilken dag ska {forum.name} ställas in? Skriv till exempel ”ställ in "
                                f"{forum.name} på tisdag” eller ”… den 8 december”.")
            return
        else:
            start, end = datetime.fromisoformat(when["start"]), datetime.fromisoformat(when["end"])
        if end - start <= timedelta(seconds=1):
            pass  # the next meeting, already found
        elif end - start <= timedelta(days=1):  # "på tisdag", "tisdag kl 13": the whole day
            start = datetime.combine(start.date(), time())
            end = start + timedelta(days=1)
        elif end - start > MAX_CANCEL_SPAN:  # "i december" would take a month of meetings off in one go
            await _say(context, f"Jag ställer in möten en dag eller en vecka i taget. Skriv vilken dag, till "
                                f"exempel ”ställ in {forum.name} den 8 december”.")
            return
        cancelled = await repository.cancel_between(forum.code, start.replace(tzinfo=zone), end.replace(tzinfo=zone))
        for occurrence in cancelled:
            await _audit(context, session, situation, "meeting.cancelled", "meeting", occurrence.meeting_id,
                         forum=forum.code, starts_at=occurrence.starts_at.isoformat(), series_id=occurrence.series_id)
        await session.commit()
        following = await repository.next(forum.code, situation.now, within=UPCOMING)  # from now, not the day off
    shown = [f"{forum.name} {meeting_when(o.starts_at, zone, situation.today)}" for o in cancelled]
    if not cancelled:
        text = f"{forum.name} har inget möte {format_date(start.date(), 'EEEE d MMMM', locale='sv')} att ställa in."
    elif len(shown) == 1:
        text = f"Inställt: {shown[0]}."
    else:
        text = "Inställt:\n" + bullet_list(shown)
    if following is not None:
        text += f"\nNästa möte: {_occurrence_line(following, situation)}."
    await _say(context, text)


# --- binding a channel ----------------------------------------------------------------------------------

def _not_shared_text(situation: Situation) -> str:
    example = situation.collaboration.forums[0].name if situation.collaboration.forums else "Operativa BRÅ"
    return ("Det här är en personlig chatt, och dagordningen ska läsas av hela forumet. Skriv ”koppla den här "
            f"kanalen till {example}” i forumets Teams-kanal (nämn mig med @), i en gruppchatt eller i ett "
            "Matrix-rum.")


@handles("bind_channel")
async def bind_channel(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    activity = context.activity
    if await _admin_only(context, situation, "koppla en kanal till ett forum"):
        return
    shared = SHARED_CONVERSATIONS.get(_kind(activity))
    if shared is None:
        await _say(context, _not_shared_text(situation))
        return
    this, bound_word = shared
    code = understanding.slots.get("forum")
    if not code:
        await _say(context, f"Vilket forum ska {this.lower()} kopplas till? Skriv till exempel ”koppla den här "
                            f"kanalen till Operativa BRÅ”.\n{_forum_list(situation)}")
        return
    key = reference_key(activity)
    async with database_of(context).session() as session:
        forum = await _forum_by_code(session, code)
        rows = await _channel_references(session, activity)
        previous = next((row.forum for row in rows if row.forum is not None), None)
        current = next((row for row in rows if row.key == key), None)
        if current is None:  # normally kept by the handler before any dialog runs
            current, _ = await ConversationReferenceRepository(session).upsert(key, **reference_fields(activity))
        for row in rows:  # one row per channel carries the binding, so an agenda is posted once
            row.forum_id = None
        current.forum_id = forum.id
        await _audit(context, session, situation, "channel.bound", "conversation", key, forum=forum.code,
                     previous=previous.code if previous else None)
        await session.commit()
    text = (f"{this} är nu {bound_word} till {forum.name}. Jag lägger dagordningen här två arbetsdagar före "
            "varje möte.")
    if previous is not None and previous.code != forum.code:
        text += f" (Tidigare {bound_word} till {previous.name}.)"
    await _say(context, text)


@handles("unbind_channel")
async def unbind_channel(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    activity = context.activity
    if await _admin_only(context, situation, "koppla bort en kanal från ett forum"):
        return
    shared = SHARED_CONVERSATIONS.get(_kind(activity))
    if shared is None:
        await _say(context, "En personlig chatt är aldrig kopplad till något forum.")
        return
    this, bound_word = shared
    code = understanding.slots.get("forum")
    async with database_of(context).session() as session:
        rows = await _channel_references(session, activity)
        bound = next((row.forum for row in rows if row.forum is not None), None)
        if bound is None:
            await _say(context, f"{this} är inte {bound_word} till något forum.")
            return
        if code and code != bound.code:
            await _say(context, f"{this} är {bound_word} till {bound.name}, inte till "
                                f"{situation.collaboration.forum(code).name}. Inget har ändrats.")
            return
        for row in rows:
            row.forum_id = None
        await _audit(context, session, situation, "channel.unbound", "conversation", reference_key(activity),
                     forum=bound.code)
        await session.commit()
    await _say(context, f"{this} är inte längre {bound_word} till {bound.name}. Jag lägger inte dagordningen "
                        "här längre.")


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
        "Bara administratörer kan lägga in, flytta och ställa in möten och koppla kanaler. Varje forum har en "
        "kalender att prenumerera på (adressen /calendar/FORUM.ics hos boten, till exempel "
        "/calendar/operativa-bra.ics)."
    )


__all__ = ["bind_channel", "cancel_meeting", "help_text", "meeting_when", "next_meeting", "schedule_meeting",
           "unbind_channel"]
