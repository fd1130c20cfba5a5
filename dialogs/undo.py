"""”ångra”: the member's own last change, of any kind, said back exactly and undone only after ”ja”.

The last change is read from the audit log (``storage.changes``), not guessed from one table: after a
correction or a postponement, "ångra" is about that, never about an older observation. The question names
the audit entry it asked about; on "ja" the entry must still be the member's last change and still
undoable, or nothing happens. The undo is audited as ``change.undone`` in the same transaction
(``services.undo``).
"""

from __future__ import annotations

from functools import partial

from botbuilder.dialogs import Dialog, DialogContext, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.answers import is_no, is_yes
from dialogs.context import SITUATION_KEY, unit_of_work
from dialogs.help import Reroute
from dialogs.interruptions import new_request
from dialogs.nlu import Understanding
from dialogs.place import place_of
from dialogs.registry import handles
from dialogs.replies import send
from dialogs.undo_plans import plan_for
from domain.situation import Situation
from services.detail import channel_detail
from services.undo import UndoRefused, last_change
from services.undo import undo_last_change as undo_change

UNDO_DIALOG = "undo.confirm"
NOTHING = ("Du har inte ändrat något som jag kan ångra. Det du har loggat visar ”visa mina loggningar”, och en "
           "observation rättar du med till exempel ”ändra #O12 plats till Diö torg”.")


@handles("undo_observation")
async def undo_last_change(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    """"ångra", "ångra det", "ångra senaste": say what the last change was and ask before undoing it."""
    async with unit_of_work(dc.context, situation) as uow:
        change = await last_change(uow, situation, await _plans(dc.context, uow, situation))
    if change is None:
        await send(dc.context, NOTHING)
        return
    if change.plan.problem:
        await send(dc.context, change.plan.problem)
        return
    await dc.begin_dialog(UNDO_DIALOG, {"entry": change.entry_id, "what": change.plan.what})


class UndoDialog(WaterfallDialog):
    """Asks ja/nej about one audit entry; "ja" undoes it if it is still the member's last change."""

    def __init__(self) -> None:
        super().__init__(UNDO_DIALOG, [self._ask, self._answer])

    async def _ask(self, step: WaterfallStepContext) -> DialogTurnResult:
        what = step.options["what"]
        await send(step.context,
            f"Svara ”ja” om du vill ångra {what}, annars ”nej”." if step.options.get("again") else
            f"Vill du ångra {what}? Svara ”ja” eller ”nej”.")
        return Dialog.end_of_turn

    async def _answer(self, step: WaterfallStepContext) -> DialogTurnResult:
        situation: Situation = step.context.turn_state[SITUATION_KEY]
        answer = (step.context.activity.text or "").strip()
        if is_yes(answer):
            await send(step.context, await _undo(step, situation))
            return await step.end_dialog()
        if is_no(answer):
            await send(step.context, "Okej, jag ångrar inget. Inget har ändrats.")
            return await step.end_dialog()
        if new_request(answer, situation, free_text=False):
            await send(step.context, "(Jag ångrar inget; inget har ändrats.)")
            return await step.end_dialog(Reroute(answer))
        return await step.replace_dialog(UNDO_DIALOG, {**step.options, "again": True})


async def _undo(step: WaterfallStepContext, situation: Situation) -> str:
    try:
        async with unit_of_work(step.context, situation) as uow:
            return await undo_change(uow, situation, step.options["entry"],
                                     await _plans(step.context, uow, situation))
    except UndoRefused as refused:
        return str(refused)


async def _plans(context, uow, situation: Situation):
    """``plan_for`` at this channel's detail level: in a summary channel no observation's text or place."""
    return partial(plan_for, detail=await channel_detail(uow.session, situation.collaboration,
                                                         place_of(context).place))
