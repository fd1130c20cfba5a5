"""Citizen promises (medborgarlöften) in chat: add one, link actions to it, and follow it up.

``services.promises`` decides and saves: only an admin adds a promise (the municipality's and the police's
joint commitment to residents), and linking follows the action plan's rule of who may change an action.
The follow-up lists each promise's actions as done, on track or late, so a coordinator can report back to
residents."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from botbuilder.dialogs import DialogContext

from dialogs.action_answers import screened
from dialogs.context import unit_of_work
from dialogs.format import bullet_list, short_date
from dialogs.nlu import Understanding
from dialogs.registry import handles
from dialogs.render.actions import action_line, due_text, owner_text
from dialogs.replies import send
from domain.rules.actions import MAX_TITLE_CHARS, OPEN, STATUS_NAMES, is_overdue
from domain.situation import Situation
from domain.vocabulary import ActionStatus
from services import promises
from services.actions import ActionRefused
from services.promises import PromiseRefused, promise_name
from storage.actions import PromiseState
from storage.models import Action

EXAMPLE = "”nytt medborgarlöfte: Vi ska öka den vuxna närvaron i centrum under helgkvällar”"
_NONE_YET = ("Det finns inga medborgarlöften ännu. En administratör lägger till ett med " + EXAMPLE + ", eller "
             "läser in dem med åtgärdsplanen (kolumnen Medborgarlöfte).")


def _list_of_promises(names: list[str]) -> str:
    if not names:
        return _NONE_YET
    return "Medborgarlöftena är:\n" + bullet_list(names)


def _refusal_text(refused: ActionRefused) -> str:
    """The reason, and the promises to choose from when the reply should list them."""
    listing = refused.promises if isinstance(refused, PromiseRefused) else None
    return str(refused) if listing is None else f"{refused}\n{_list_of_promises(listing)}"


# --- add ------------------------------------------------------------------------------------------------

@handles("create_promise")
async def create_promise(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    title = understanding.slots.get("title")
    try:
        promises.check_may_add(situation)
    except PromiseRefused as refused:
        await send(context, str(refused))
        return
    if not title:
        await send(context, f"Skriv löftet efter kolon, till exempel {EXAMPLE}.")
        return
    if len(title) > MAX_TITLE_CHARS:
        await send(context,
            f"Ett medborgarlöfte får vara högst {MAX_TITLE_CHARS} tecken (ditt har {len(title)}). Korta det och "
            "skriv igen; inget har sparats.")
        return
    if refusal := screened(context.activity.text or title, situation):
        await send(context, refusal)
        return
    try:
        async with unit_of_work(context, situation) as uow:
            promise = await promises.create_promise(uow, situation, title)
    except PromiseRefused as refused:
        await send(context, str(refused))
        return
    await send(context,
        f"Sparat som medborgarlöfte {promise.number}: {promise.title}\n"
        f"Koppla åtgärderna som ska genomföra det med ”koppla #12 till medborgarlöfte {promise.number}”; "
        f"”medborgarlöfte {promise.number}” visar hur det går.")


# --- link and unlink --------------------------------------------------------------------------------------

@handles("link_promise", "unlink_promise")
async def link_promise(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    """Link or unlink an action; the reply either way, with what was not done said plainly."""
    context = dc.context
    unlink = understanding.intent == "unlink_promise"
    try:
        async with unit_of_work(context, situation) as uow:
            linked = await promises.link_promise(uow, situation, understanding.slots["ref"],
                                                 understanding.slots.get("promise"), unlink=unlink)
    except ActionRefused as refused:
        await send(context, _refusal_text(refused))
        return
    line = action_line(linked.action, situation.today)
    if unlink:
        await send(context, f"Bortkopplad från {promise_name(linked.promise, capital=False)}:\n{line}")
        return
    text = f"Kopplad till {promise_name(linked.promise, capital=False)}:\n{line}"
    if linked.previous is not None:
        text += (f"\nDen var tidigare kopplad till {promise_name(linked.previous, capital=False)}; en åtgärd hör "
                 "till ett medborgarlöfte i taget.")
    await send(context, text)


# --- follow up --------------------------------------------------------------------------------------------

@handles("show_promises")
async def show_promises(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    """Every promise ("hur går det med medborgarlöftena"), or one by number ("medborgarlöfte 1")."""
    try:
        async with unit_of_work(dc.context, situation) as uow:
            states = await promises.follow_up(uow, understanding.slots.get("promise"))
    except PromiseRefused as refused:
        await send(dc.context, _refusal_text(refused))
        return
    if not states:
        await send(dc.context, _NONE_YET)
        return
    await send(dc.context, "\n\n".join(_section(state, situation) for state in states))


def _section(state: PromiseState, situation: Situation) -> str:
    promise, actions, today = state.promise, state.actions, situation.today
    if not actions:
        return (f"{promise_name(promise)}\nInga åtgärder är kopplade till löftet ännu. Koppla en med ”koppla #12 till "
                f"medborgarlöfte {promise.number}”.")
    done = sum(a.status == ActionStatus.KLAR for a in actions)
    late = sum(is_overdue(a.status, a.due_date, today) for a in actions)
    on_track = sum(a.status in OPEN for a in actions) - late
    cancelled = sum(a.status == ActionStatus.INSTALLD for a in actions)
    counts = [f"{done} {'klar' if done == 1 else 'klara'}", f"{on_track} pågår enligt plan",
              f"{late} {'försenad' if late == 1 else 'försenade'}"]
    if cancelled:
        counts.append(f"{cancelled} {'inställd' if cancelled == 1 else 'inställda'}")
    many = "åtgärd" if len(actions) == 1 else "åtgärder"
    lines = [promise_name(promise), f"{len(actions)} {many}: {', '.join(counts)}.",
             bullet_list([_promise_line(a, situation) for a in actions])]
    return "\n".join(lines)


def _promise_line(action: Action, situation: Situation) -> str:
    """'#12 Belysning i parken – försenad, senast 21 nov, 5 dagar sen – kommunen': the state first."""
    today = situation.today
    if action.status == ActionStatus.KLAR:
        when = action.completed_at.astimezone(ZoneInfo(situation.collaboration.timezone)).date() \
            if action.completed_at else None
        state = f"klar {short_date(when, today)}" if when else "klar"
    elif action.status == ActionStatus.INSTALLD:
        state = "inställd"
    elif is_overdue(action.status, action.due_date, today):
        state = f"försenad, {due_text(action, today)}"
    else:
        state = f"{STATUS_NAMES[action.status]}, {due_text(action, today)}"
    return f"#{action.number} {action.title} – {state} – {owner_text(action)}"
