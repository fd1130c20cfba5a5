"""Meetings that land on a day off: "SSPF sista fredagen i månaden" meets on juldagen in 2026.

A series is saved as asked, but its dates in the coming year that fall on a public holiday or on an eve
nobody works (julafton, nyårsafton, midsommarafton) are named, and the bot offers to move just those to the
working day before, at the same time. The offer waits in dialog state for one answer: "ja" moves them (each
as a move of its own, audited), "nej" leaves them, and anything else leaves them and is read as a new message.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date
from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.answers import is_no, is_yes
from dialogs.context import SITUATION_KEY, unit_of_work
from dialogs.format import bullet_list, meeting_when
from dialogs.replies import send
from domain.situation import Situation
from services.channels import Refused
from services.meetings import LOOKAHEAD, Clash, holiday_clashes, move_off_holidays

HOLIDAY_DIALOG = "meeting_holiday_moves"
__all__ = ["HOLIDAY_DIALOG", "LOOKAHEAD", "HolidayMovesDialog", "holiday_clashes", "offer_state", "offer_text"]


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
    moves = [(datetime.fromisoformat(old), datetime.fromisoformat(new)) for old, new, _holiday in state["moves"]]
    try:
        async with unit_of_work(step.context, situation) as uow:
            done = await move_off_holidays(uow, situation, state["forum"], moves)
    except Refused as refused:
        return str(refused)
    moved = [f"{occurrence.forum_name} {meeting_when(occurrence.starts_at, zone, today)} → "
             f"{meeting_when(new_start, zone, today)}" for occurrence, new_start in done.moved]
    left = [meeting_when(old_start, zone, today) for old_start in done.left]
    text = ("Flyttat: " + moved[0] + "." if len(moved) == 1 else "Flyttat:\n" + bullet_list(moved)) if moved else ""
    if left:
        text += ("\n" if text else "") + ("Inte flyttat (mötet har ändrats under tiden eller den nya tiden är "
                                          "upptagen): " + ", ".join(left) + ".")
    return text
