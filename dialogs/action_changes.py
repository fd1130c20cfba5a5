"""Changing the action plan by chat: create, close, postpone, reassign, comment, cancel.

Who may change an action is ``domain.rules.actions.may_change`` (the responsible person, the creator, the
owning party's members, admins; any member may comment); every change is history in the same transaction,
and audited. What is missing is asked for: a new action's title, owner and due date, a postponement's new
date and its reason.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog, DialogContext, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.action_plan import not_found_text
from dialogs.answers import is_yes
from dialogs.context import SITUATION_KEY, database_of, mention_action
from dialogs.format import long_date, short_date
from dialogs.help import Reroute
from dialogs.interruptions import new_request
from dialogs.membership import find_members
from dialogs.nlu import Understanding, catalog, fold
from dialogs.nlu.slots import Words
from dialogs.nlu.time import read_time
from dialogs.observation_draft import screen_text
from dialogs.privacy import refusal_text, screen
from dialogs.registry import handles
from dialogs.render.actions import owner_text
from dialogs.replies import send
from domain.rules.actions import MAX_TITLE_CHARS, OPEN, PARTY_NAMES, STATUS_NAMES, may_change, shift, who_may_change
from domain.situation import Situation
from storage import AuditLog
from storage.actions import ActionRepository, NewAction, sync_deadline_actions
from storage.models import Action, Member

CREATE_DIALOG = "action.create"
POSTPONE_DIALOG = "action.postpone"
SKIP = frozenset({"-", "inget", "ingen", "vet ej", "vet inte", "hoppa over", "nej"})
_RELATIVE = re.compile(r"^(?:med )?(?P<n>\d{1,3}|en|ett|tva|tre|fyra|fem|sex|sju|atta|nio|tio)\s+"
                       r"(?P<unit>dag|dagar|vecka|veckor|manad|manader)(?: till)?$")
_NUMBERS = {"en": 1, "ett": 1, "tva": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "atta": 8, "nio": 9,
            "tio": 10}
_PARTY_WORDS = {"kommun": "kommun", "kommunen": "kommun", "polis": "polis", "polisen": "polis",
                "gemensam": "gemensam", "gemensamt": "gemensam", "bada": "gemensam", "kommun och polis": "gemensam",
                "kommunen och polisen": "gemensam", "bada parter": "gemensam"}


# --- shared --------------------------------------------------------------------------------------------

async def _rerouted(step: WaterfallStepContext, answer: str, what: str, *, free_text: bool = True,
                    finish=None) -> DialogTurnResult | None:
    """An answer that is clearly a new request leaves the question instead of being read as the answer.
    ``finish``: when only an optional answer was missing, what to do instead of dropping the request (it
    returns the reply that says what was done)."""
    situation: Situation = step.context.turn_state[SITUATION_KEY]
    if not new_request(answer, situation, free_text=free_text):
        return None  # an answer that only might be a request is read as the answer
    said = f"({await finish()})" if finish is not None else f"(Jag lämnar {what}; inget av den har sparats.)"
    await send(step.context, said)
    return await step.end_dialog(Reroute(answer))


async def _load(context: TurnContext, session, number: int | str) -> Action | None:
    action = await ActionRepository(session).get(int(number))
    if action is None:
        await send(context, await not_found_text(session, number))
    return action


async def changeable(context: TurnContext, session, number: int | str, situation: Situation) -> Action | None:
    """The action, if it exists, is open and the asker may change it; otherwise None, with the reason said."""
    action = await _load(context, session, number)
    if action is None:
        return None
    problem = await _problem(session, action, situation)
    if problem:
        await send(context, problem)
        return None
    return action


async def _problem(session, action: Action, situation: Situation) -> str | None:
    """Why the asker cannot change the action now (closed already, or not theirs to change), or None."""
    if problem := _closed(action):
        return problem
    return None if may_change_action(action, situation) else await refusal_for(session, action)


def may_change_action(action: Action, situation: Situation) -> bool:
    asker = situation.asker
    return may_change(responsible_member_id=action.responsible_member_id,
                      responsible_party=action.responsible_party, created_by_member_id=action.created_by_member_id,
                      asker_id=asker.member_id, asker_party=asker.party, asker_is_admin=asker.is_admin)


async def refusal_for(session, action: Action) -> str:
    """Names who may change it, so the asker knows whom to turn to."""
    creator = await session.get(Member, action.created_by_member_id) if action.created_by_member_id else None
    who = who_may_change(responsible_party=action.responsible_party,
                         responsible_name=action.responsible_member.name if action.responsible_member else None,
                         creator_name=creator.name if creator else None)
    party = PARTY_NAMES.get(action.responsible_party, action.responsible_party)
    return (f"Åtgärd #{action.number} ägs av {party}. Den kan ändras av {who}. Du kan lägga till en kommentar: "
            f"”kommentar #{action.number}: …”.")


def _closed(action: Action) -> str | None:
    if action.status in OPEN:
        return None
    return f"#{action.number} är redan {STATUS_NAMES[action.status]}."


async def audit_action(context: TurnContext, session, situation: Situation, what: str, number: int, **detail) -> None:
    await AuditLog(session).record(what, actor_member_id=situation.asker.member_id,
                                   channel=context.activity.channel_id, subject_type="action", subject_id=number,
                                   detail=detail or None, at=situation.now)


async def asker_member(session, situation: Situation) -> Member:
    return await session.get(Member, situation.asker.member_id)


def screened(text: str, situation: Situation, *, names_allowed: bool = False) -> str | None:
    """A refusal for free text that would put a person in the plan (names allowed for a responsible person)."""
    refusal = screen_text(text, situation)
    if refusal is None:
        return None
    if names_allowed:
        findings = [f for f in screen(text, [m.name for m in situation.collaboration.members]) if f.kind != "namn"]
        return refusal_text(findings) if findings else None
    return refusal.text


# --- close, reassign, comment, cancel -------------------------------------------------------------------

async def close_action(context: TurnContext, situation: Situation, number: int | str,
                       note: str | None = None) -> tuple[bool, str]:
    """Mark an action done, if the asker may, with what was said about it ('#4 klar, vi har haft mötet'); the
    reply either way (typed '#12 klar' and the card's 'Klar')."""
    if note and (refusal := screened(note, situation)):
        return False, refusal
    async with database_of(context).session() as session:
        action = await ActionRepository(session).get(int(number))
        if action is None:
            return False, await not_found_text(session, number)
        if problem := await _problem(session, action, situation):
            return False, problem
        update = await ActionRepository(session).set_status(action, "klar", await asker_member(session, situation),
                                                            at=situation.now, text=note)
        await audit_action(context, session, situation, "action.completed", action.number, update=update.id)
        text = f"Klart: #{action.number} {action.title}. Bra jobbat!" + (" Kommentaren är sparad." if note else "")
        if action.deadline_code:
            [*created] = await sync_deadline_actions(session, situation.collaboration.deadlines, situation.today,
                                                     at=situation.now)
            for new in created:
                text += f"\nNästa gång: #{new.number} {new.title}, senast {long_date(new.due_date)}."
        await session.commit()
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
    async with database_of(context).session() as session:
        action = await changeable(context, session, understanding.slots["ref"], situation)
        if action is None:
            return
        update = await ActionRepository(session).set_status(
            action, "installd", await asker_member(session, situation), at=situation.now, text=reason)
        await audit_action(context, session, situation, "action.cancelled", action.number, update=update.id)
        await session.commit()
        text = f"Inställd: #{action.number} {action.title}." + ("" if reason else
                                                               " Skriv gärna varför som en kommentar.")
    await send(context, text)


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
    async with database_of(context).session() as session:
        action = await _load(context, session, number)
        if action is None:
            return
        await ActionRepository(session).comment(action, text, await asker_member(session, situation), at=situation.now)
        await audit_action(context, session, situation, "action.commented", action.number)
        await session.commit()
        reply = f"Kommentaren är sparad på #{action.number} {action.title}."
    await send(context, reply)


@handles("reassign_action")
async def reassign_action(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    async with database_of(context).session() as session:
        action = await changeable(context, session, understanding.slots["ref"], situation)
        if action is None:
            return
        owner = await read_owner(session, understanding.slots["owner"], situation)
        if isinstance(owner, str):
            await send(context, owner)
            return
        party, member, _ = owner
        before = {"from_party": action.responsible_party, "from_member": action.responsible_member_id}
        update = await ActionRepository(session).reassign(action, party=party, member=member, text=None,
                                                          author=await asker_member(session, situation),
                                                          at=situation.now)
        await audit_action(context, session, situation, "action.reassigned", action.number, party=party,
                     update=update.id, **before)
        await session.commit()
        reply = f"#{action.number} {action.title}: ansvarig är nu {owner_text(action)}."
    await send(context, reply)


async def read_owner(session, answer: str, situation: Situation, *, free_text: bool = False):
    """(party, member, outside person) from 'me', 'kommunen', 'polisen', 'gemensamt', a member's name or, when
    ``free_text``, someone outside the bot; otherwise a Swedish reply saying what was not found."""
    folded = fold(answer).strip(" .!")
    if folded in ("me", "jag", "mig", "jag sjalv"):
        member = await asker_member(session, situation)
        return member.party, member, None
    if folded in _PARTY_WORDS:
        return _PARTY_WORDS[folded], None, None
    found = await find_members(session, answer)
    if found:
        return found[0].party, found[0], None
    if free_text and len(answer) <= 200:
        return situation.asker.party, None, answer.strip()
    return (f"Jag hittar ingen medlem som heter {answer}. Skriv kommunen, polisen, gemensamt eller en medlems "
            "namn.")


# --- postpone -----------------------------------------------------------------------------------------

def read_due(answer: str, situation: Situation, current: date | None) -> date | None:
    """A new due date: a Swedish date ('nästa fredag', '15/1', 'vecka 3' – its last weekday) or a shift
    from the current one ('en vecka', '2 månader')."""
    folded = fold(answer).strip(" .!")
    relative = _RELATIVE.match(folded)
    if relative is not None:
        count = int(relative["n"]) if relative["n"].isdigit() else _NUMBERS[relative["n"]]
        base = current or situation.today
        if relative["unit"].startswith("man"):
            return shift(base, months=count)
        return shift(base, days=count * (7 if relative["unit"].startswith("veck") else 1))
    now = situation.local_now.replace(tzinfo=None)
    interval = read_time(answer, now, "future", situation.collaboration.school_break_weeks())
    return last_day(interval.start, interval.end) if interval else None


def last_day(start: datetime, end: datetime) -> date:
    """The day a read interval ends on: 'vecka 3' is its Sunday, 'före jul' 23 December, 'kl 9 fredag' Friday."""
    return start.date() if end <= start else (end - timedelta(microseconds=1)).date()


@handles("postpone_action")
async def postpone_action(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    slots = understanding.slots
    reason = slots.get("reason")
    if reason and (refusal := screened(reason, situation) or (
            "Skälet får vara högst 500 tecken." if len(reason) > 500 else None)):
        await send(context, refusal + " Inget har skjutits upp.")
        return
    async with database_of(context).session() as session:
        action = await changeable(context, session, slots["ref"], situation)
        if action is None:
            return
        current = action.due_date
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
        if not asking_due and (left := await _rerouted(
                step, answer, what, finish=lambda: _postpone(step.context, situation, {**state, "reason": ""}))
                ) is not None:
            return left
        if asking_due and (refusal := screened(answer, situation)):
            await send(step.context, refusal)
        elif asking_due:
            current = date.fromisoformat(state["current"]) if state.get("current") else None
            due = read_due(answer, situation, current)
            if due is None and (left := await _rerouted(step, answer, what, free_text=False)) is not None:
                return left
            if due is None:
                await send(step.context, "Det datumet förstår jag inte.")
            else:
                state["due"] = due.isoformat()
        elif fold(answer).strip(" .!") in SKIP or is_yes(answer):  # "-", or "ok": no reason given
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


async def _postpone(context: TurnContext, situation: Situation, state: dict) -> str:
    due = date.fromisoformat(state["due"])
    async with database_of(context).session() as session:
        action = await ActionRepository(session).get(state["number"])
        if action is None or _closed(action) or not may_change_action(action, situation):
            return "Åtgärden har ändrats under tiden; inget har skjutits upp. Försök igen."
        reason = state["reason"] or None  # "-": no reason given
        update = await ActionRepository(session).postpone(action, due, reason, await asker_member(session, situation),
                                                          at=situation.now)
        await audit_action(context, session, situation, "action.postponed", action.number, due=due.isoformat(),
                     update=update.id)
        await session.commit()
        said = "Skälet är sparat." if reason else "Inget skäl angavs."
        return f"#{action.number} {action.title} är uppskjuten till {long_date(due)}. {said}"


# --- create -------------------------------------------------------------------------------------------

@dataclass
class ActionDraft:
    title: str | None = None
    party: str | None = None
    member_id: int | None = None
    member_name: str | None = None
    outside: str | None = None
    due: str | None = None
    focus_area: str | None = None
    asked: list[str] = field(default_factory=list)
    past_ok: bool = False

    def missing(self) -> str | None:
        if not self.title:
            return "title"
        if not self.party:
            return "owner"
        if not self.due:
            return "due"
        if self.focus_area is None and "focus_area" not in self.asked:
            return "focus_area"
        return None


_QUESTIONS = {
    "title": "Vad ska göras? Skriv en kort rubrik, till exempel ”trygghetsvandring i centrum”.",
    "owner": "Vem ansvarar? Skriv kommunen, polisen, gemensamt, en medlems namn eller en funktion utanför boten.",
    "due": "När ska den vara klar? Skriv till exempel ”15/1”, ”vecka 3” eller ”före jul”.",
}


@handles("create_action")
async def create_action(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    slots = understanding.slots
    draft = ActionDraft(title=slots.get("title"), focus_area=slots.get("focus_area"))
    # The whole sentence, not only the title read from it ("kontakta kalle@example.com" ends the title early);
    # a responsible person's name may stand in it.
    written = dc.context.activity.text or ""
    if (refusal := screened(written, situation, names_allowed=bool(slots.get("owner")))) or (
            draft.title and (refusal := screened(draft.title, situation))):
        await send(dc.context, refusal)
        return
    if slots.get("owner"):
        async with database_of(dc.context).session() as session:
            owner = await read_owner(session, slots["owner"], situation)
        if not isinstance(owner, str):
            draft.party, member, _ = owner
            draft.member_id, draft.member_name = (member.id, member.name) if member else (None, None)
            if slots.get("owner_unit") and member is None:  # "socialtjänsten": the party, with its unit shown
                draft.outside = slots["owner_unit"][:1].upper() + slots["owner_unit"][1:]
        elif slots.get("owner_role"):  # "rektor Maria Lind": a person outside the bot, as written
            draft.party, draft.outside = situation.asker.party, f"{slots['owner_role']} {slots['owner']}"
    if slots.get("due"):
        draft.due = last_day(datetime.fromisoformat(slots["due"]["start"]),
                             datetime.fromisoformat(slots["due"]["end"])).isoformat()
    await dc.begin_dialog(CREATE_DIALOG, asdict(draft))


class CreateActionDialog(WaterfallDialog):
    def __init__(self) -> None:
        super().__init__(CREATE_DIALOG, [self._ask, self._answer])

    async def _ask(self, step: WaterfallStepContext) -> DialogTurnResult:
        situation: Situation = step.context.turn_state[SITUATION_KEY]
        draft = ActionDraft(**step.options)
        name = draft.missing()
        if name in (None, "focus_area") and draft.due < situation.today.isoformat() and not draft.past_ok:
            name = "past"
        step.values["asking"] = name
        if name == "focus_area":
            areas = "\n".join(f"{n}. {a.name}" for n, a in enumerate(situation.collaboration.focus_areas, 1))
            text = f"Vilket fokusområde hör den till? Skriv ”-” om ingen.\n{areas}"
        elif name == "past":
            text = (f"Slutdatumet {long_date(date.fromisoformat(draft.due))} har redan passerat. Stämmer det? "
                    "Svara ”ja”, eller skriv ett nytt datum.")
        elif name is not None:
            text = _QUESTIONS[name]
        else:
            text = await _create(step.context, situation, draft)
            await send(step.context, text)
            return await step.end_dialog()
        await send(step.context, text)
        return Dialog.end_of_turn

    async def _answer(self, step: WaterfallStepContext) -> DialogTurnResult:
        situation: Situation = step.context.turn_state[SITUATION_KEY]
        draft = ActionDraft(**step.options)
        answer = (step.context.activity.text or "").strip()
        name = step.values.get("asking")
        if name in ("title", "owner") and (left := await _rerouted(step, answer, "den nya åtgärden")) is not None:
            return left
        # Answers read only for a date or an area are screened too ("15/1, ring 070-…"); refused, asked again.
        privacy = screened(answer, situation) if name in ("due", "past", "focus_area") else None
        problem = privacy
        if privacy:
            pass  # refused: nothing is read from it, and the same question is asked again below
        elif name == "title":
            if len(answer) > MAX_TITLE_CHARS:
                problem = f"Rubriken får vara högst {MAX_TITLE_CHARS} tecken."
            else:
                problem = screened(answer, situation)
            if problem is None:
                draft.title = answer[:1].upper() + answer[1:]
        elif name == "owner":
            problem = screened(answer, situation, names_allowed=True)
            if problem is None:
                async with database_of(step.context).session() as session:
                    owner = await read_owner(session, answer, situation, free_text=True)
                draft.party, member, draft.outside = owner
                draft.member_id, draft.member_name = (member.id, member.name) if member else (None, None)
        elif name in ("due", "past"):
            if name == "past" and is_yes(answer):
                draft.past_ok = True
            else:
                due = read_due(answer, situation, None)
                if due is None:
                    problem = "Det datumet förstår jag inte."
                else:
                    draft.due, draft.past_ok = due.isoformat(), False
        elif name == "focus_area":
            if fold(answer).strip(" .!") in SKIP:
                draft.asked.append("focus_area")
            else:
                code = _focus_area(answer, situation)
                if code is None:
                    problem = "Det fokusområdet känner jag inte igen."
                else:
                    draft.focus_area = code
        if problem and not privacy and name in ("due", "past", "focus_area"):
            # not a date or an area: the next thing the user wanted; an action lacking only its (optional)
            # focus area is created without one rather than lost
            finish = (lambda: _create(step.context, situation, draft)) if name == "focus_area" else None
            left = await _rerouted(step, answer, "den nya åtgärden", free_text=False, finish=finish)
            if left is not None:
                return left
        if problem:
            await send(step.context, problem)
        return await step.replace_dialog(CREATE_DIALOG, asdict(draft))


def _focus_area(answer: str, situation: Situation) -> str | None:
    areas = situation.collaboration.focus_areas
    if answer.strip().isdigit() and 1 <= int(answer) <= len(areas):
        return areas[int(answer) - 1].code
    match = catalog.best(Words.of(answer).folded, catalog.focus_area_terms(situation.collaboration))
    return match.code if match else None


async def _create(context: TurnContext, situation: Situation, draft: ActionDraft) -> str:
    async with database_of(context).session() as session:
        action = await ActionRepository(session).add(NewAction(
            title=draft.title, responsible_party=draft.party, due_date=date.fromisoformat(draft.due),
            focus_area=draft.focus_area, responsible_member_id=draft.member_id, responsible_text=draft.outside,
        ), await asker_member(session, situation), at=situation.now)
        await audit_action(context, session, situation, "action.created", action.number)
        await session.commit()
        await mention_action(context, action.number)
        return (f"Skapade #{action.number} {action.title} – {owner_text(action)}, senast "
                f"{long_date(action.due_date)}.")
