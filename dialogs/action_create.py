"""Creating an action by chat: "ny åtgärd: trygghetsvandring i centrum, polisen, före jul", asking for what is
missing (title, owner, due date, focus area) and once about a due date already past; saved by
``services.actions.create_action``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from botbuilder.dialogs import Dialog, DialogContext, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.action_answers import last_day, read_due, rerouted, screened
from dialogs.answers import SKIP_WORDS, is_yes
from dialogs.context import SITUATION_KEY, mention_action, unit_of_work
from dialogs.format import long_date
from dialogs.nlu import Understanding, catalog, fold
from dialogs.nlu.slots import Words
from dialogs.registry import handles
from dialogs.render.actions import owner_text
from dialogs.replies import send
from domain.rules.actions import MAX_TITLE_CHARS
from domain.situation import Situation
from services import actions
from services.actions import ActionRefused, Owner
from storage.actions import NewAction

CREATE_DIALOG = "action.create"


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

    def take(self, owner: Owner) -> None:
        self.party, self.member_id, self.member_name, self.outside = (
            owner.party, owner.member_id, owner.member_name, owner.outside)


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
        try:
            async with unit_of_work(dc.context, situation) as uow:
                owner = await actions.find_owner(uow, situation, slots["owner"])
        except ActionRefused:
            if slots.get("owner_role"):  # "rektor Maria Lind": a person outside the bot, as written
                draft.party, draft.outside = situation.asker.party, f"{slots['owner_role']} {slots['owner']}"
        else:
            draft.take(owner)
            if slots.get("owner_unit") and owner.member_id is None:  # "socialtjänsten": the party, with its unit
                draft.outside = slots["owner_unit"][:1].upper() + slots["owner_unit"][1:]
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
        if name in ("title", "owner") and (left := await rerouted(step, answer, "den nya åtgärden")) is not None:
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
                try:
                    async with unit_of_work(step.context, situation) as uow:
                        draft.take(await actions.find_owner(uow, situation, answer, free_text=True))
                except ActionRefused as refused:  # over 200 characters and no member's name: asked again
                    problem = str(refused)
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
            if fold(answer).strip(" .!") in SKIP_WORDS:
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
            left = await rerouted(step, answer, "den nya åtgärden", free_text=False, finish=finish)
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


async def _create(context, situation: Situation, draft: ActionDraft) -> str:
    async with unit_of_work(context, situation) as uow:
        action = await actions.create_action(uow, NewAction(
            title=draft.title, responsible_party=draft.party, due_date=date.fromisoformat(draft.due),
            focus_area=draft.focus_area, responsible_member_id=draft.member_id, responsible_text=draft.outside))
    await mention_action(context, action.number)
    return f"Skapade #{action.number} {action.title} – {owner_text(action)}, senast {long_date(action.due_date)}."
