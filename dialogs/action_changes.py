"""Changing the action plan by chat: close, cancel, comment and reassign (creating is ``dialogs.action_create``,
postponing ``dialogs.action_postpone``).

The use cases in ``services.actions`` check who may change an action and save it with its history and
audit entry; a refusal comes back as ``ActionRefused`` and is said as it is. Free text is screened for
personal data here, before anything is saved.
"""

from __future__ import annotations

from botbuilder.dialogs import DialogContext

from dialogs.action_answers import screened
from dialogs.action_create import CREATE_DIALOG, CreateActionDialog
from dialogs.action_postpone import POSTPONE_DIALOG, PostponeDialog
from dialogs.context import unit_of_work
from dialogs.format import long_date
from dialogs.nlu import Understanding
from dialogs.registry import handles
from dialogs.render.actions import owner_text
from dialogs.replies import send
from domain.situation import Situation
from services import actions
from services.actions import ActionRefused

__all__ = ["CREATE_DIALOG", "POSTPONE_DIALOG", "CreateActionDialog", "PostponeDialog",
           "close_action"]


async def close_action(context, situation: Situation, number: int | str, note: str | None = None) -> tuple[bool, str]:
    """Mark an action done, if the asker may, with what was said about it ('#4 klar, vi har haft mötet'); the
    reply either way (typed '#12 klar' and the card's 'Klar')."""
    if note and (refusal := screened(note, situation)):
        return False, refusal
    try:
        async with unit_of_work(context, situation) as uow:
            closed = await actions.close_action(uow, situation, number, note)
    except ActionRefused as refused:
        return False, str(refused)
    action = closed.action
    text = f"Klart: #{action.number} {action.title}. Bra jobbat!" + (" Kommentaren är sparad." if note else "")
    for new in closed.next_deadlines:
        text += f"\nNästa gång: #{new.number} {new.title}, senast {long_date(new.due_date)}."
    return True, text


@handles("complete_action")
async def complete_action(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    _, text = await close_action(dc.context, situation, understanding.slots["ref"], understanding.slots.get("text"))
    await send(dc.context, text)


@handles("cancel_action")
async def cancel_action(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    reason = understanding.slots.get("reason")
    if reason and (refusal := screened(reason, situation)):
        await send(context, refusal)
        return
    try:
        async with unit_of_work(context, situation) as uow:
            action = await actions.cancel_action(uow, situation, understanding.slots["ref"], reason)
    except ActionRefused as refused:
        await send(context, str(refused))
        return
    await send(context, f"Inställd: #{action.number} {action.title}." + (
        "" if reason else " Skriv gärna varför som en kommentar."))


@handles("comment_action")
async def comment_action(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    number = understanding.slots["ref"]
    text = understanding.slots.get("text")
    if not text:
        await send(context,
            f"Skriv kommentaren efter numret, till exempel ”kommentar #{number}: väntar på belysningen”.")
        return
    if len(text) > 1000:
        await send(context, "En kommentar får vara högst 1 000 tecken.")
        return
    if refusal := screened(text, situation):
        await send(context, refusal)
        return
    try:
        async with unit_of_work(context, situation) as uow:
            action = await actions.comment_action(uow, number, text)
    except ActionRefused as refused:
        await send(context, str(refused))
        return
    await send(context, f"Kommentaren är sparad på #{action.number} {action.title}.")


@handles("reassign_action")
async def reassign_action(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    try:
        async with unit_of_work(context, situation) as uow:
            action = await actions.reassign_action(uow, situation, understanding.slots["ref"],
                                                   understanding.slots["owner"])
    except ActionRefused as refused:
        await send(context, str(refused))
        return
    await send(context, f"#{action.number} {action.title}: ansvarig är nu {owner_text(action)}.")
