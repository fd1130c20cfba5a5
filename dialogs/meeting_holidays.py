"""Meetings that land on a day off: "SSPF sista fredagen i månaden" meets on juldagen in 2026.

A series is saved as asked, but its dates in the coming year that fall on a public holiday or on an eve
nobody works (julafton, nyårsafton, midsommarafton) are named, and the bot offers to move just those to the
working day before, at the same time. The offer waits in dialog state for one answer: "ja" moves them (each
as a move of its own, audited), "nej" leaves them, and anything else leaves them and is read as a new message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date
from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.answers import is_no, is_yes
from dialogs.context import SITUATION_KEY, database_of
from dialogs.format import bullet_list, meeting_when
from dialogs.replies import send
from domain.rules.calendar import day_off_name, previous_working_day
from domain.situation import Situation
from storage import AuditLog
from storage.meetings import MeetingRepository, Occurrence

HOLIDAY_DIALOG = "meeting_holiday_moves"
LOOKAHEAD = timedelta(days=365)  # a yearly series shows each of its dates once


@dataclass(frozen=True)
class Clash:
    """A meeting on a day off, and where the working day before would put it."""

    occurrence: Occurrence
    holiday: str  # 'juldagen'
    moved_to: datetime  # aware, the same wall time on the working day before


def holiday_clashes(occurrences: list[Occurrence], zone: ZoneInfo) -> list[Clash]:
    """The meetings (not cancelled) that fall on a holiday or an eve nobody works."""
    clashes = []
    for occurrence in occurrences:
        local = occurrence.starts_at.astimezone(zone)
        holiday = day_off_name(local.date())
        if holiday is None or occurrence.cancelled:
            continue
        day = previous_working_day(local.date() - timedelta(days=1))
        clashes.append(Clash(occurrence, holiday, datetime.combine(day, local.time(), tzinfo=zone)))
    return clashes


def _day(moment: datetime, zone: ZoneInfo, today: date) -> str:
    """'fredag 25 december', with the year when it is not this one."""
    local = moment.astimezone(zone).date()
    return format_date(local, "EEEE d MMMM", locale="sv") + (f" {local.year}" if local.year != today.year else "")


def offer_text(clashes: list[Clash], zone: ZoneInfo, today: date) -> str:
    """'Observera: fredag 25 december är juldagen. Vill du flytta just det mötet till onsdag 23 december …?'"""
    answer = "Svara ”ja” för att flytta eller ”nej” för att låta det vara."
    if len(clashes) == 1:
        [clash] = clashes
        return (f"Observera: {_day(clash.occurrence.starts_at, zone, today)} är {clash.holiday}. Vill du flytta just "
                f"det mötet till {meeting_when(clash.moved_to, zone, today)}? {answer}")
    lines = [f"{_day(c.occurrence.starts_at, zone, today)} är {c.holiday} → {meeting_when(c.moved_to, zone, today)}"
             for c in clashes]
    return (f"Observera: {len(clashes)} av mötena det närmaste året hamnar på helgdagar:\n{bullet_list(lines)}\n"
            f"Vill du flytta just de mötena till arbetsdagen före, som ovan? {answer}")


def offer_state(forum_code: str, clashes: list[Clash]) -> dict:
    """What the dialog keeps until the answer: plain strings, as dialog state is stored as JSON."""
    return {"forum": forum_code, "moves": [[c.occurrence.starts_at.isoformat(), c.moved_to.isoformat(), c.holiday]
                                          for c in clashes]}


class HolidayMovesDialog(WaterfallDialog):
    """Waits for the answer to the offer the scheduling reply ended with (sent there, in the same message)."""

    def __init__(self) -> None:
        super().__init__(HOLIDAY_DIALOG, [self._wait, self._answer])

    async def _wait(self, step: WaterfallStepContext) -> DialogTurnResult:
        return Dialog.end_of_turn

    async def _answer(self, step: WaterfallStepContext) -> DialogTurnResult:
        from dialogs.help import Reroute  # dialogs.help imports the meeting dialogs, which start this one

        answer = (step.context.activity.text or "").strip()
        moves = step.options["moves"]
        if is_yes(answer):
            await send(step.context, await _move(step, step.options))
            return await step.end_dialog()
        kept = (f"mötet ligger kvar på {moves[0][2]}" if len(moves) == 1 else "mötena ligger kvar på helgdagarna")
        if is_no(answer):
            await send(step.context, f"Okej, {kept}.")
            return await step.end_dialog()
        await send(step.context, f"(Jag flyttar inget: {kept}.)")
        return await step.end_dialog(Reroute(answer))


async def _move(step: WaterfallStepContext, state: dict) -> str:
    """Moves each offered meeting that is still where it was and whose new time is free; says what was done."""
    situation: Situation = step.context.turn_state[SITUATION_KEY]
    zone = ZoneInfo(situation.collaboration.timezone)
    today = situation.today
    moved, left = [], []
    async with database_of(step.context).session() as session:
        repository = MeetingRepository(session, zone)
        for old, new, _holiday in state["moves"]:
            old_start, new_start = datetime.fromisoformat(old), datetime.fromisoformat(new)
            [occurrence] = await repository.occurrences(old_start, old_start + timedelta(seconds=1), state["forum"],
                                                        include_cancelled=False) or [None]
            taken = await repository.occurrences(new_start, new_start + timedelta(seconds=1), state["forum"],
                                                 include_cancelled=False)
            if occurrence is None or taken or new_start <= situation.now:
                left.append(meeting_when(old_start, zone, today))
                continue
            added = await repository.move(occurrence, new_start)
            await AuditLog(session).record("meeting.moved", actor_member_id=situation.asker.member_id,
                                           channel=step.context.activity.channel_id, subject_type="meeting",
                                           subject_id=added.id, detail={"forum": state["forum"], "starts_at": old,
                                                                        "moved_to": new})
            moved.append(f"{occurrence.forum_name} {meeting_when(old_start, zone, today)} → "
                         f"{meeting_when(new_start, zone, today)}")
        await session.commit()
    text = ("Flyttat: " + moved[0] + "." if len(moved) == 1 else "Flyttat:\n" + bullet_list(moved)) if moved else ""
    if left:
        text += ("\n" if text else "") + ("Inte flyttat (mötet har ändrats under tiden eller den nya tiden är "
                                          "upptagen): " + ", ".join(left) + ".")
    return text
