"""Postponing an action by chat: "skjut upp #12 till fredag", asking for what is missing (the new date, the
reason); ``services.actions.postpone_action`` checks and saves it."""

from __future__ import annotations

from datetime import date, datetime

from botbuilder.dialogs import Dialog, DialogContext, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.action_answers import last_day, read_due, rerouted, screened
from dialogs.answers import SKIP_WORDS, is_yes
from dialogs.context import SITUATION_KEY, unit_of_work
from dialogs.format import long_date, short_date
from dialogs.nlu import Understanding, fold
from dialogs.registry import handles
from dialogs.replies import send
from domain.rules.actions import shift
from domain.situation import Situation
from services import actions
from services.actions import ActionRefused

POSTPONE_DIALOG = "action.postpone"


@handles("postpone_action")
async def postpone_action(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    slots = understanding.slots
    reason = slots.get("reason")
    if reason and (refusal := screened(reason, situation) or (
            "Skälet får vara högst 500 tecken." if len(reason) > 500 else None)):
        await send(context, refusal + " Inget har skjutits upp.")
        return
    try:
        async with unit_of_work(context, situation) as uow:
            current = (await actions.changeable(uow, situation, slots["ref"])).due_date
    except ActionRefused as refused:
        await send(context, str(refused))
        return
    due = None
    if slots.get("due"):
        due = last_day(datetime.fromisoformat(slots["due"]["start"]), datetime.fromisoformat(slots["due"]["end"]))
    elif slots.get("by"):
        due = shift(current or situation.today, **slots["by"])
    await dc.begin_dialog(POSTPONE_DIALOG, {"number": int(slots["ref"]), "due": due.isoformat() if due else None,
                                            "reason": slots.get("reason"), "current": current.isoformat()
                                            if current else None})


class PostponeDialog(WaterfallDialog):
    """Asks for what is missing (the new date, the reason), then postpones; restarts itself per answer."""

    def __init__(self) -> None:
        super().__init__(POSTPONE_DIALOG, [self._ask, self._answer])

    async def _ask(self, step: WaterfallStepContext) -> DialogTurnResult:
        situation: Situation = step.context.turn_state[SITUATION_KEY]
        state = step.options
        if state.get("due") and date.fromisoformat(state["due"]) <= situation.today:
            await send(step.context,
                f"{short_date(date.fromisoformat(state['due']), situation.today)} har redan varit. Skriv ett "
                "datum efter i dag.")
            state = {**state, "due": None}
        if not state.get("due"):
            step.values["asking"] = "due"
            await send(step.context,
                f"Till när ska #{state['number']} skjutas upp? Skriv till exempel ”nästa fredag”, ”15/1” eller "
                "”två veckor”.")
            return Dialog.end_of_turn
        if state.get("reason") is None:
            step.values["asking"] = "reason"
            when = short_date(date.fromisoformat(state["due"]), situation.today)
            await send(step.context,
                f"Varför skjuts #{state['number']} upp till {when}? Skälet sparas i historiken. Skriv ”-” om du "
                "inte vill ange något.")
            return Dialog.end_of_turn
        await send(step.context, await _postpone(step.context, situation, state))
        return await step.end_dialog()

    async def _answer(self, step: WaterfallStepContext) -> DialogTurnResult:
        situation: Situation = step.context.turn_state[SITUATION_KEY]
        answer = (step.context.activity.text or "").strip()
        state = dict(step.options)
        what = f"uppskjutningen av #{state['number']}"
        asking_due = step.values.get("asking") == "due"
        # the reason is optional: a new request postpones without one rather than dropping the postponement
        if not asking_due and (left := await rerouted(
                step, answer, what, finish=lambda: _postpone(step.context, situation, {**state, "reason": ""}))
                ) is not None:
            return left
        if asking_due and (refusal := screened(answer, situation)):
            await send(step.context, refusal)
        elif asking_due:
            current = date.fromisoformat(state["current"]) if state.get("current") else None
            due = read_due(answer, situation, current)
            if due is None and (left := await rerouted(step, answer, what, free_text=False)) is not None:
                return left
            if due is None:
                await send(step.context, "Det datumet förstår jag inte.")
            else:
                state["due"] = due.isoformat()
        elif fold(answer).strip(" .!") in SKIP_WORDS or is_yes(answer):  # "-", or "ok": no reason given
            state["reason"] = ""
        else:
            refusal = screened(answer, situation)
            if refusal:
                await send(step.context, refusal)
            elif len(answer) > 500:
                await send(step.context, "Skälet får vara högst 500 tecken.")
            else:
                state["reason"] = answer
        return await step.replace_dialog(POSTPONE_DIALOG, state)


async def _postpone(context, situation: Situation, state: dict) -> str:
    due = date.fromisoformat(state["due"])
    try:
        async with unit_of_work(context, situation) as uow:
            action = await actions.postpone_action(uow, situation, state["number"], due, state["reason"])
    except ActionRefused:  # closed, reassigned or removed since the question was asked
        return "Åtgärden har ändrats under tiden; inget har skjutits upp. Försök igen."
    said = "Skälet är sparat." if state["reason"] else "Inget skäl angavs."
    return f"#{action.number} {action.title} är uppskjuten till {long_date(due)}. {said}"
