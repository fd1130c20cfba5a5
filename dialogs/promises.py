"""Citizen promises (medborgarlöften) in chat: add one, link actions to it, and follow it up.

A promise is the municipality's and the police's joint commitment to residents, so only an admin of either
party adds one. Linking an action to a promise changes the action, so the action plan's rule applies: the
responsible person or an admin of the responsible party (a done action may still be linked: it is part of
what was kept). Every write is history on the action and in the audit log. The follow-up lists each
promise's actions as done, on track or late, so a coordinator can report back to residents.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from botbuilder.dialogs import DialogContext

from dialogs.action_changes import asker_member, audit_action, may_change_action, refusal_for, screened
from dialogs.action_plan import not_found_text
from dialogs.context import database_of
from dialogs.format import bullet_list, short_date
from dialogs.nlu import Understanding
from dialogs.registry import handles
from dialogs.render.actions import action_line, due_text, owner_text
from dialogs.replies import send
from domain.rules.actions import MAX_TITLE_CHARS, OPEN, STATUS_NAMES, is_overdue
from domain.situation import Situation
from storage import AuditLog
from storage.actions import ActionRepository, PromiseRepository, PromiseState
from storage.models import Action, CitizenPromise

EXAMPLE = "”nytt medborgarlöfte: Vi ska öka den vuxna närvaron i centrum under helgkvällar”"
_NONE_YET = ("Det finns inga medborgarlöften ännu. En administratör lägger till ett med " + EXAMPLE + ", eller "
             "läser in dem med åtgärdsplanen (kolumnen Medborgarlöfte).")


def _name(promise: CitizenPromise, *, capital: bool = True) -> str:
    return f"{'M' if capital else 'm'}edborgarlöfte {promise.number}: {promise.title}"


async def _list_of_promises(repository: PromiseRepository) -> str:
    promises = await repository.all()
    if not promises:
        return _NONE_YET
    return "Medborgarlöftena är:\n" + bullet_list([_name(p) for p in promises])


# --- add ------------------------------------------------------------------------------------------------

@handles("create_promise")
async def create_promise(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    title = understanding.slots.get("title")
    if not situation.asker.is_admin:
        await send(context,
            "Bara en administratör kan lägga till ett medborgarlöfte: löftet är kommunens och polisens gemensamma "
            "åtagande mot invånarna. Be en administratör hos kommunen eller polisen att lägga in det. Du kan "
            "följa upp löftena med ”hur går det med medborgarlöftena”.")
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
    async with database_of(context).session() as session:
        promises = PromiseRepository(session)
        existing = await promises.by_title(title)
        if existing is not None:
            await send(context,
                f"Det löftet finns redan – {_name(existing)}. Inget nytt har sparats.")
            return
        promise = await promises.add(title, period_start=situation.today, at=situation.now)
        await AuditLog(session).record("promise.created", actor_member_id=situation.asker.member_id,
                                       channel=context.activity.channel_id, subject_type="promise",
                                       subject_id=promise.number)
        await session.commit()
        text = (f"Sparat som medborgarlöfte {promise.number}: {promise.title}\n"
                f"Koppla åtgärderna som ska genomföra det med ”koppla #12 till medborgarlöfte {promise.number}”; "
                f"”medborgarlöfte {promise.number}” visar hur det går.")
    await send(context, text)


# --- link and unlink --------------------------------------------------------------------------------------

@handles("link_promise", "unlink_promise")
async def link_promise(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    unlink = understanding.intent == "unlink_promise"
    number = int(understanding.slots["ref"])
    wanted = understanding.slots.get("promise")
    async with database_of(context).session() as session:
        action = await ActionRepository(session).get(number)
        if action is None:
            text = await not_found_text(session, number)
        elif not may_change_action(action, situation):
            text = await refusal_for(session, action)
        else:
            text = await _relink(context, session, situation, action, wanted, unlink=unlink)
    await send(context, text)


async def _relink(context, session, situation: Situation, action: Action, wanted: str | None, *,
                  unlink: bool) -> str:
    """Link or unlink the action and commit; the reply either way, with what was not done said plainly."""
    promises = PromiseRepository(session)
    verb = "koppla bort" if unlink else "koppla"
    example = (f"”koppla bort #{action.number} från medborgarlöfte 1”" if unlink
               else f"”koppla #{action.number} till medborgarlöfte 1”")
    if wanted is None and unlink and action.promise is not None:
        promise = action.promise  # "koppla bort #12 från medborgarlöftet": the one it has
    elif wanted is None and unlink:
        return f"#{action.number} {action.title} är inte kopplad till något medborgarlöfte."
    elif wanted is None:
        return f"Vilket medborgarlöfte? Skriv numret, till exempel {example}.\n{await _list_of_promises(promises)}"
    else:
        promise = await promises.get(int(wanted))
        if promise is None:
            return (f"Det finns inget medborgarlöfte {wanted}, så jag kan inte {verb} #{action.number}.\n"
                    f"{await _list_of_promises(promises)}")
    line = action_line(action, situation.today)
    if unlink and action.promise_id != promise.id:
        now = f", den hör till {_name(action.promise, capital=False)}" if action.promise else ""
        return f"#{action.number} är inte kopplad till medborgarlöfte {promise.number}{now}. Inget har ändrats."
    if not unlink and action.promise_id == promise.id:
        return f"#{action.number} är redan kopplad till {_name(promise, capital=False)}."
    previous = action.promise
    await ActionRepository(session).set_promise(action, None if unlink else promise,
                                                await asker_member(session, situation), at=situation.now)
    what = "action.promise_unlinked" if unlink else "action.promise_linked"
    await audit_action(context, session, situation, what, action.number, promise=promise.number,
                       **({"previous_promise": previous.number} if previous and not unlink else {}))
    await session.commit()
    if unlink:
        return f"Bortkopplad från {_name(promise, capital=False)}:\n{line}"
    text = f"Kopplad till {_name(promise, capital=False)}:\n{line}"
    if previous is not None:
        text += (f"\nDen var tidigare kopplad till {_name(previous, capital=False)}; en åtgärd hör till ett "
                 "medborgarlöfte i taget.")
    return text


# --- follow up --------------------------------------------------------------------------------------------

@handles("show_promises")
async def show_promises(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    """Every promise ("hur går det med medborgarlöftena"), or one by number ("medborgarlöfte 1")."""
    wanted = understanding.slots.get("promise")
    async with database_of(dc.context).session() as session:
        repository = PromiseRepository(session)
        if wanted is not None:
            promise = await repository.get(int(wanted))
            if promise is None:
                text = f"Det finns inget medborgarlöfte {wanted}.\n{await _list_of_promises(repository)}"
                await send(dc.context, text)
                return
            states = [await repository.state(promise)]
        else:
            states = await repository.states()
        if not states:
            await send(dc.context, _NONE_YET)
            return
        text = "\n\n".join(_section(state, situation) for state in states)
    await send(dc.context, text)


def _section(state: PromiseState, situation: Situation) -> str:
    promise, actions, today = state.promise, state.actions, situation.today
    if not actions:
        return (f"{_name(promise)}\nInga åtgärder är kopplade till löftet ännu. Koppla en med ”koppla #12 till "
                f"medborgarlöfte {promise.number}”.")
    done = sum(a.status == "klar" for a in actions)
    late = sum(is_overdue(a.status, a.due_date, today) for a in actions)
    on_track = sum(a.status in OPEN for a in actions) - late
    cancelled = sum(a.status == "installd" for a in actions)
    counts = [f"{done} {'klar' if done == 1 else 'klara'}", f"{on_track} pågår enligt plan",
              f"{late} {'försenad' if late == 1 else 'försenade'}"]
    if cancelled:
        counts.append(f"{cancelled} {'inställd' if cancelled == 1 else 'inställda'}")
    many = "åtgärd" if len(actions) == 1 else "åtgärder"
    lines = [_name(promise), f"{len(actions)} {many}: {', '.join(counts)}.",
             bullet_list([_promise_line(a, situation) for a in actions])]
    return "\n".join(lines)


def _promise_line(action: Action, situation: Situation) -> str:
    """'#12 Belysning i parken – försenad, senast 21 nov, 5 dagar sen – kommunen': the state first."""
    today = situation.today
    if action.status == "klar":
        when = action.completed_at.astimezone(ZoneInfo(situation.collaboration.timezone)).date() \
            if action.completed_at else None
        state = f"klar {short_date(when, today)}" if when else "klar"
    elif action.status == "installd":
        state = "inställd"
    elif is_overdue(action.status, action.due_date, today):
        state = f"försenad, {due_text(action, today)}"
    else:
        state = f"{STATUS_NAMES[action.status]}, {due_text(action, today)}"
    return f"#{action.number} {action.title} – {state} – {owner_text(action)}"
