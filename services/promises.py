"""Use cases of the citizen promises (medborgarlöften): add one, link an action to one, follow them up.

A promise is the municipality's and the police's joint commitment to residents, so only an admin adds one.
Linking changes the action, so the action plan's rule applies (``services.actions.check_may_change``); a
done action may still be linked, as part of what was kept. Refusals are ``PromiseRefused`` (an
``ActionRefused``) with the Swedish reason, and the promises to choose from when the right one was not named.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.situation import Situation
from services.actions import ActionRefused, check_may_change, existing_action
from services.unit_of_work import UnitOfWork
from storage.actions import PromiseState
from storage.models import Action, CitizenPromise

ADMINS_ONLY = ("Bara en administratör kan lägga till ett medborgarlöfte: löftet är kommunens och polisens "
               "gemensamma åtagande mot invånarna. Be en administratör hos kommunen eller polisen att lägga in "
               "det. Du kan följa upp löftena med ”hur går det med medborgarlöftena”.")


class PromiseRefused(ActionRefused):
    """Nothing was done; ``promises`` (every promise's name) when the reply should list what to choose from."""

    def __init__(self, text: str, promises: list[str] | None = None):
        super().__init__(text)
        self.promises = promises


@dataclass(frozen=True)
class Linked:
    """An action linked to (or unlinked from) a promise, and the promise it left for this one, if any."""

    action: Action
    promise: CitizenPromise
    previous: CitizenPromise | None
    unlinked: bool


def promise_name(promise: CitizenPromise, *, capital: bool = True) -> str:
    """'Medborgarlöfte 2: Vi ska öka den vuxna närvaron …'."""
    return f"{'M' if capital else 'm'}edborgarlöfte {promise.number}: {promise.title}"


def check_may_add(situation: Situation) -> None:
    """Refuses anyone but an admin (asked before the promise's wording, so a member hears it first)."""
    if not situation.asker.is_admin:
        raise PromiseRefused(ADMINS_ONLY)


async def create_promise(uow: UnitOfWork, situation: Situation, title: str) -> CitizenPromise:
    """A new promise, numbered next; refused for a non-admin and for a title that is there already."""
    check_may_add(situation)
    existing = await uow.promises.by_title(title)
    if existing is not None:
        raise PromiseRefused(f"Det löftet finns redan – {promise_name(existing)}. Inget nytt har sparats.")
    promise = await uow.promises.add(title, period_start=situation.today, at=uow.actor.now)
    await uow.record("promise.created", "promise", promise.number)
    await uow.commit()
    return promise


async def link_promise(uow: UnitOfWork, situation: Situation, number: int | str, wanted: int | str | None, *,
                       unlink: bool = False) -> Linked:
    """Links the action to promise ``wanted`` (one promise at a time: a link replaces the previous one), or
    unlinks it (from ``wanted``, or from the one it has when none is named)."""
    action = await existing_action(uow, number)
    await check_may_change(uow, action, situation)
    verb = "koppla bort" if unlink else "koppla"
    example = (f"”koppla bort #{action.number} från medborgarlöfte 1”" if unlink
               else f"”koppla #{action.number} till medborgarlöfte 1”")
    if wanted is None and unlink and action.promise is not None:
        promise = action.promise  # "koppla bort #12 från medborgarlöftet": the one it has
    elif wanted is None and unlink:
        raise PromiseRefused(f"#{action.number} {action.title} är inte kopplad till något medborgarlöfte.")
    elif wanted is None:
        raise PromiseRefused(f"Vilket medborgarlöfte? Skriv numret, till exempel {example}.",
                             await _names(uow))
    else:
        promise = await uow.promises.get(int(wanted))
        if promise is None:
            raise PromiseRefused(f"Det finns inget medborgarlöfte {wanted}, så jag kan inte {verb} "
                                 f"#{action.number}.", await _names(uow))
    if unlink and action.promise_id != promise.id:
        now = f", den hör till {promise_name(action.promise, capital=False)}" if action.promise else ""
        raise PromiseRefused(
            f"#{action.number} är inte kopplad till medborgarlöfte {promise.number}{now}. Inget har ändrats.")
    if not unlink and action.promise_id == promise.id:
        raise PromiseRefused(f"#{action.number} är redan kopplad till {promise_name(promise, capital=False)}.")
    previous = action.promise
    await uow.actions.set_promise(action, None if unlink else promise, await uow.author(), at=uow.actor.now)
    what = "action.promise_unlinked" if unlink else "action.promise_linked"
    await uow.record(what, "action", action.number, promise=promise.number,
                     **({"previous_promise": previous.number} if previous and not unlink else {}))
    await uow.commit()
    return Linked(action, promise, None if unlink else previous, unlink)


async def follow_up(uow: UnitOfWork, wanted: int | str | None = None) -> list[PromiseState]:
    """Every promise with its actions ("hur går det med medborgarlöftena"), or one ("medborgarlöfte 1")."""
    if wanted is None:
        return await uow.promises.states()
    promise = await uow.promises.get(int(wanted))
    if promise is None:
        raise PromiseRefused(f"Det finns inget medborgarlöfte {wanted}.", await _names(uow))
    return [await uow.promises.state(promise)]


async def _names(uow: UnitOfWork) -> list[str]:
    return [promise_name(promise) for promise in await uow.promises.all()]
