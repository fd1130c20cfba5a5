"""”ångra”: the member's own last change, of any kind, said back exactly and undone only after ”ja”.

The last change is read from the audit log (``storage.changes``), not guessed from one table: after a
correction or a postponement, "ångra" is about that, never about an older observation. The question names
the audit entry it asked about; on "ja" the entry must still be the member's last change and still
undoable, or nothing happens. The undo is audited as ``change.undone`` in the same transaction.
"""

from __future__ import annotations

from botbuilder.dialogs import Dialog, DialogContext, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.answers import is_no, is_yes
from dialogs.context import SITUATION_KEY, database_of
from dialogs.help import Reroute
from dialogs.interruptions import new_request
from dialogs.nlu import Understanding
from dialogs.registry import handles
from dialogs.replies import send
from dialogs.undo_plans import plan_for
from domain.situation import Situation
from storage import AuditLog
from storage.changes import UNDONE, ChangeLog

UNDO_DIALOG = "undo.confirm"
NOTHING = ("Du har inte ändrat något som jag kan ångra. Det du har loggat visar ”visa mina loggningar”, och en "
           "observation rättar du med till exempel ”ändra #O12 plats till Diö torg”.")


@handles("undo_observation")
async def undo_last_change(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    """"ångra", "ångra det", "ångra senaste": say what the last change was and ask before undoing it."""
    async with database_of(dc.context).session() as session:
        entry = await ChangeLog(session).last_change(situation.asker.member_id)
        plan = await plan_for(session, entry, situation) if entry is not None else None
    if plan is None:
        await send(dc.context, NOTHING)
        return
    if plan.problem:
        await send(dc.context, plan.problem)
        return
    await dc.begin_dialog(UNDO_DIALOG, {"entry": entry.id, "what": plan.what})


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
    asked = step.options["entry"]
    async with database_of(step.context).session() as session:
        entry = await ChangeLog(session).last_change(situation.asker.member_id)
        if entry is None or entry.id != asked:
            return "Något har ändrats sedan jag frågade, så jag ångrar inget. Skriv ”ångra” igen om du vill."
        plan = await plan_for(session, entry, situation)
        if plan.problem or plan.undo is None:
            return plan.problem or "Det kan jag inte ångra."
        reply = await plan.undo()
        await AuditLog(session).record(
            UNDONE, actor_member_id=situation.asker.member_id, channel=step.context.activity.channel_id,
            subject_type=entry.subject_type, subject_id=entry.subject_id,
            detail={"undid": entry.id, "change": entry.action}, at=situation.now)
        await session.commit()
    return reply
