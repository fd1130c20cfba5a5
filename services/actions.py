"""Use cases of the action plan: list and show actions, create one, and close, cancel, comment, reassign, postpone.

Each change is one unit of work: it finds the action, checks that it is open and that the asker may change it
(``domain.rules.actions.may_change``: the responsible person, the creator, the owning party's members,
admins; any member may comment), writes it with its history, records the audit entry and commits. What is
not done raises ``ActionRefused`` carrying the Swedish reason the conversation shows as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.rules.actions import OPEN, PARTY_NAMES, STATUS_NAMES, may_change, who_may_change
from domain.situation import Situation
from domain.text import fold
from domain.vocabulary import ActionStatus
from services.unit_of_work import UnitOfWork
from storage import MemberRepository
from storage.actions import ActionPage, ActionQuery, ActionRepository, NewAction, sync_deadline_actions
from storage.models import Action, ActionUpdate, Member

_PARTY_WORDS = {"kommun": "kommun", "kommunen": "kommun", "polis": "polis", "polisen": "polis",
                "gemensam": "gemensam", "gemensamt": "gemensam", "bada": "gemensam", "kommun och polis": "gemensam",
                "kommunen och polisen": "gemensam", "bada parter": "gemensam"}
_ME = ("me", "jag", "mig", "jag sjalv")


class ActionRefused(Exception):
    """Nothing was done (or shown); the message is the Swedish reason, said to the user as it is."""


class ActionNotFound(ActionRefused):
    """No action has the number; the message names the closest numbers that exist."""


@dataclass(frozen=True)
class ActionView:
    """One action as "visa #12" shows it: the row with its relations, and its history oldest first."""

    action: Action
    history: list[ActionUpdate]


@dataclass(frozen=True)
class Closed:
    """A closed action, and the actions its closing started (an agreement deadline's next occurrence)."""

    action: Action
    next_deadlines: list[Action]


@dataclass(frozen=True)
class Owner:
    """Who answers for an action, as read from what someone wrote: a party, a member or a person outside."""

    party: str
    member_id: int | None = None
    member_name: str | None = None
    outside: str | None = None


# --- reads ---------------------------------------------------------------------------------------------

async def page_actions(uow: UnitOfWork, query: ActionQuery) -> ActionPage:
    """One page of a question about the plan ("vilka åtgärder är försenade", "mina åtgärder", "mer")."""
    return await uow.actions.page(query)


async def members_named(uow: UnitOfWork, name: str) -> list[Member]:
    """Active members with exactly this name (the "åtgärder för Anna Andersson" of a question)."""
    return await uow.members.find_by_name(name)


async def existing_action(uow: UnitOfWork, number: int | str) -> Action:
    """The action by number with its relations, for a use case that goes on to change it; ``ActionNotFound``
    names the closest numbers."""
    return await _get(uow.actions, number)


async def show_action(uow: UnitOfWork, number: int | str) -> ActionView:
    """The action with its history; the viewing is audited (who looked at what, not what they saw)."""
    action = await _get(uow.actions, number)
    history = await uow.actions.history(action)
    await uow.record("action.viewed", "action", action.number)
    await uow.commit()
    return ActionView(action, history)


async def changeable(uow: UnitOfWork, situation: Situation, number: int | str) -> Action:
    """The action, if it exists, is open and the asker may change it (read before asking what to change)."""
    return await _changeable(uow.actions, uow.members, situation, number)


def may_change_action(action: Action, situation: Situation) -> bool:
    asker = situation.asker
    return may_change(responsible_member_id=action.responsible_member_id,
                      responsible_party=action.responsible_party, created_by_member_id=action.created_by_member_id,
                      asker_id=asker.member_id, asker_party=asker.party, asker_is_admin=asker.is_admin)


async def check_may_change(uow: UnitOfWork, action: Action, situation: Situation) -> None:
    """Refuses, naming who may, when the asker may not change the action (whatever its status)."""
    if not may_change_action(action, situation):
        raise ActionRefused(await _refusal(uow.members, action))


async def find_owner(uow: UnitOfWork, situation: Situation, written: str, *, free_text: bool = False) -> Owner:
    """Who is meant by "jag", "kommunen", "polisen", "gemensamt", a member's name or, when ``free_text``,
    someone outside the bot; refused with what to write instead."""
    folded = fold(written).strip(" .!")
    if folded in _ME:
        member = await uow.author()
        return Owner(member.party, member.id, member.name)
    if folded in _PARTY_WORDS:
        return Owner(_PARTY_WORDS[folded])
    found = await uow.members.named(written)
    if found:
        return Owner(found[0].party, found[0].id, found[0].name)
    if free_text and len(written) <= 200:
        return Owner(situation.asker.party, outside=written.strip())
    raise ActionRefused(f"Jag hittar ingen medlem som heter {written}. Skriv kommunen, polisen, gemensamt eller "
                        "en medlems namn.")


# --- changes -------------------------------------------------------------------------------------------

async def create_action(uow: UnitOfWork, new: NewAction) -> Action:
    """A new action in the plan, by the acting member (any member may add one)."""
    action = await uow.actions.add(new, await uow.author(), at=uow.actor.now)
    await uow.record("action.created", "action", action.number)
    await uow.commit()
    return action


async def close_action(uow: UnitOfWork, situation: Situation, number: int | str, note: str | None = None) -> Closed:
    """Marks the action done, with what was said about it; closing an agreement deadline opens its next one."""
    action = await _changeable(uow.actions, uow.members, situation, number)
    update = await uow.actions.set_status(action, ActionStatus.KLAR, await uow.author(), at=uow.actor.now,
                                          text=note)
    await uow.record("action.completed", "action", action.number, update=update.id)
    created = []
    if action.deadline_code:
        created = await sync_deadline_actions(uow.session, situation.collaboration.deadlines, situation.today,
                                              at=uow.actor.now)
    await uow.commit()
    return Closed(action, list(created))


async def cancel_action(uow: UnitOfWork, situation: Situation, number: int | str, reason: str | None = None
                        ) -> Action:
    action = await _changeable(uow.actions, uow.members, situation, number)
    update = await uow.actions.set_status(action, ActionStatus.INSTALLD, await uow.author(), at=uow.actor.now,
                                          text=reason)
    await uow.record("action.cancelled", "action", action.number, update=update.id)
    await uow.commit()
    return action


async def comment_action(uow: UnitOfWork, number: int | str, text: str) -> Action:
    """A comment in the action's history; any member may comment, on an open or a closed action."""
    action = await _get(uow.actions, number)
    await uow.actions.comment(action, text, await uow.author(), at=uow.actor.now)
    await uow.record("action.commented", "action", action.number)
    await uow.commit()
    return action


async def reassign_action(uow: UnitOfWork, situation: Situation, number: int | str, written_owner: str) -> Action:
    """Gives the action to a party or a member, as written ("ge #12 till polisen", "… till Olle")."""
    action = await _changeable(uow.actions, uow.members, situation, number)
    owner = await find_owner(uow, situation, written_owner)
    member = await uow.members.get(owner.member_id) if owner.member_id is not None else None
    before = {"from_party": action.responsible_party, "from_member": action.responsible_member_id}
    update = await uow.actions.reassign(action, party=owner.party, member=member, text=None,
                                        author=await uow.author(), at=uow.actor.now)
    await uow.record("action.reassigned", "action", action.number, party=owner.party, update=update.id, **before)
    await uow.commit()
    return action


async def postpone_action(uow: UnitOfWork, situation: Situation, number: int | str, due, reason: str | None
                          ) -> Action:
    """A new due date, with the reason (or none) in the history."""
    action = await _changeable(uow.actions, uow.members, situation, number)
    update = await uow.actions.postpone(action, due, reason or None, await uow.author(), at=uow.actor.now)
    await uow.record("action.postponed", "action", action.number, due=due.isoformat(), update=update.id)
    await uow.commit()
    return action


# --- shared --------------------------------------------------------------------------------------------

async def _get(actions: ActionRepository, number: int | str) -> Action:
    action = await actions.get(int(number))
    if action is None:
        raise ActionNotFound(await _not_found_text(actions, int(number)))
    return action


async def _not_found_text(actions: ActionRepository, number: int) -> str:
    """'Det finns ingen åtgärd #99', with the closest numbers that do exist."""
    nearest = await actions.nearest(number)
    if not nearest:
        return f"Det finns ingen åtgärd #{number}. Åtgärdsplanen är tom – skapa en med ”ny åtgärd: …”."
    return f"Det finns ingen åtgärd #{number}. Menade du någon av dessa?\n" + "\n".join(
        f"- #{a.number} {a.title}" for a in nearest)


async def _changeable(actions: ActionRepository, members: MemberRepository, situation: Situation,
                      number: int | str) -> Action:
    action = await _get(actions, number)
    if action.status not in OPEN:
        raise ActionRefused(f"#{action.number} är redan {STATUS_NAMES[action.status]}.")
    if not may_change_action(action, situation):
        raise ActionRefused(await _refusal(members, action))
    return action


async def _refusal(members: MemberRepository, action: Action) -> str:
    """Names who may change it, so the asker knows whom to turn to."""
    creator = await members.get(action.created_by_member_id) if action.created_by_member_id else None
    who = who_may_change(responsible_party=action.responsible_party,
                         responsible_name=action.responsible_member.name if action.responsible_member else None,
                         creator_name=creator.name if creator else None)
    party = PARTY_NAMES.get(action.responsible_party, action.responsible_party)
    return (f"Åtgärd #{action.number} ägs av {party}. Den kan ändras av {who}. Du kan lägga till en kommentar: "
            f"”kommentar #{action.number}: …”.")
