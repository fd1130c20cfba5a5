"""Logging an observation: one sentence and a confirmation, or a guided minute; a card form in Teams.

The guided conversation is a two-step waterfall that restarts itself with the updated draft after every
answer: step one asks for the next missing field (or shows the reading for confirmation), step two reads
the answer. Dialog state lives in the database, so a restart mid-conversation loses nothing. In Teams the
same draft becomes one Adaptive Card form; its submit is checked by the same readers.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from botbuilder.dialogs import (
    Dialog,
    DialogContext,
    DialogReason,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)

from dialogs.answers import is_no, is_yes
from dialogs.context import SITUATION_KEY, unit_of_work
from dialogs.format import bullet_list
from dialogs.help import Reroute
from dialogs.interruptions import new_request
from dialogs.misplaced_answers import place_instead_of_time
from dialogs.nlu import Understanding
from dialogs.nlu.rules.observations import sensitivity
from dialogs.observation_draft import (
    FIELD_NAMES,
    QUESTIONS,
    UNDO_HINT,
    Draft,
    Refusal,
    answer_with_more,
    apply_answer,
    from_sentence,
    is_future,
    parse_edit,
    reading_lines,
    screen_text,
    to_storage,
    when_text,
)
from dialogs.privacy import normalise_input
from dialogs.registry import handles
from dialogs.render.cards import observation_form
from dialogs.replies import Reply, send, shows_cards
from domain.situation import Situation
from services.observations import log_observation as save_observation

if TYPE_CHECKING:
    from botbuilder.core import TurnContext

LOG_DIALOG = "log_observation"
SUBMIT_DISCARD = "observation.discard"
FORM_SUMMARY = "Logga observation: kontrollera och tryck Spara, eller svara ”ja”"


@handles("log_observation")
async def log_observation(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    text = dc.context.activity.text or ""
    # The whole sentence is screened before any of it reaches dialog state or the database.
    refusal = screen_text(text, situation)
    if refusal is not None:
        await send(dc.context, refusal.text)
        return
    draft = from_sentence(text, understanding.slots, situation)
    if shows_cards(dc.context):
        await show_form(dc, draft, situation)
        return
    await dc.begin_dialog(LOG_DIALOG, {"draft": draft.as_state()})


async def show_form(dc: DialogContext, draft: Draft, situation: Situation, problems: list[str] | None = None) -> None:
    """The Teams form, and the same draft waiting quietly in the guided dialog: a typed "ja", "spara", a
    correction or "avbryt" is answered as in the console, and the card's own buttons keep working."""
    await send(dc.context, Reply(card=observation_form(draft, situation, problems=problems), summary=FORM_SUMMARY,
                                 text=FORM_SUMMARY))
    await dc.begin_dialog(LOG_DIALOG, {"draft": draft.as_state(), "quiet": True, "card": True})


class LogObservationDialog(WaterfallDialog):
    def __init__(self) -> None:
        super().__init__(LOG_DIALOG, [self._ask, self._read_answer])

    async def resume_dialog(self, dc: DialogContext, reason, result=None) -> DialogTurnResult:
        """A request run beside the draft started a conversation of its own and it has ended: the draft's
        question is asked again, rather than that conversation's last answer read as the draft's."""
        if reason != DialogReason.EndCalled:  # the waterfall's own way of reading the answer
            return await super().resume_dialog(dc, reason, result)
        return await dc.replace_dialog(LOG_DIALOG, dc.active_dialog.state.get("options"))

    async def _ask(self, step: WaterfallStepContext) -> DialogTurnResult:
        situation: Situation = step.context.turn_state[SITUATION_KEY]
        draft = Draft.from_state(step.options["draft"])
        name = draft.missing()
        step.values["field"] = name
        if not step.options.get("quiet"):
            if name is None:
                await send(step.context, confirmation_text(draft, situation))
            else:
                lead = step.options.get("lead")
                question = QUESTIONS[name](situation)
                await send(step.context, f"{lead} {question}" if lead else question)
        return Dialog.end_of_turn

    async def _read_answer(self, step: WaterfallStepContext) -> DialogTurnResult:
        situation: Situation = step.context.turn_state[SITUATION_KEY]
        draft = Draft.from_state(step.options["draft"])
        text = step.context.activity.text or ""
        name = step.values["field"]
        # Every answer is screened, also those that only a time or a choice is read from ("igår kväll,
        # 19811218-9876"): what was refused is said, and the same question is asked again.
        refusal = screen_text(text, situation)
        if refusal is not None:
            return await self._continue(step, draft, refusal)
        if step.options.get("card") and (
                (name is not None and is_yes(text))
                or (name is None and is_yes(text) and is_future(draft, situation) and not draft.future_ok)):
            # "ja" under a form with a field left empty, or a time in the future: ask here, as the console does.
            return await step.replace_dialog(LOG_DIALOG, {"draft": draft.as_state()})
        if name is None:
            return await self._confirm(step, draft, text, situation)
        if name not in ("when", "focus_area", "kind") and new_request(text, situation, free_text=True):
            return await self._leave(step, draft, text)
        result = apply_answer(draft, name, text, situation)
        if isinstance(result, Refusal) and not result.stop and name in ("when", "focus_area", "kind"):
            # Not a time, an area or a kind: an answer with more in it ("torget igår runt 22"), or the next
            # thing the user wanted, which the question must not swallow
            more = answer_with_more(draft, text, situation) if name == "when" else None
            if more is not None:
                return await self._continue(step, draft, more)
            placed = place_instead_of_time(draft, text, situation) if name == "when" else None
            if placed is not None:  # kept, and said, so the draft is not dropped for a place out of turn
                return await step.replace_dialog(LOG_DIALOG, {
                    "draft": placed.as_state(), "lead": f"Jag har noterat platsen {placed.place}."})
            if new_request(text, situation, free_text=False):
                return await self._leave(step, draft, text)
        return await self._continue(step, draft, result)

    async def _leave(self, step: WaterfallStepContext, draft: Draft, text: str) -> DialogTurnResult:
        if not step.options.get("card"):  # a form stays usable: nothing is lost by moving on
            what = f" av ”{_short(draft.description)}”" if draft.description else ""
            await send(step.context,
                f"(Jag lämnar loggningen{what}; inget har sparats.)")
        return await step.end_dialog(Reroute(text))

    async def _confirm(self, step: WaterfallStepContext, draft: Draft, text: str,
                       situation: Situation) -> DialogTurnResult:
        if is_yes(text):
            await send(step.context, await save(step.context, situation, draft))
            return await step.end_dialog()
        if is_no(text):
            await send(step.context, "Okej, jag har slängt utkastet. Inget har sparats.")
            return await step.end_dialog()
        edit = parse_edit(text)
        marked = sensitivity(text) if edit is None else None
        if marked is not None:  # "markera som känslig", "inte känslig"
            return await self._continue(step, draft, replace(draft, sensitive=marked))
        if edit is None and new_request(text, situation, free_text=False):
            if not step.options.get("card"):  # a form stays usable: nothing is lost by moving on
                await send(step.context,
                    f"(Utkastet ”{_short(draft.description)}” sparades inte.)")
            return await step.end_dialog(Reroute(text))
        if edit is None:
            await send(step.context,
                "Svara ”ja” för att spara, skriv till exempel ”ändra tid till kl 22” eller ”ändra plats till "
                "Diö torg” för att rätta, eller ”avbryt” för att slänga utkastet.")
            return await step.replace_dialog(LOG_DIALOG, {"draft": draft.as_state(), "quiet": True})
        name, value = edit
        return await self._continue(step, draft, apply_answer(draft, name, value, situation))

    async def _continue(self, step: WaterfallStepContext, draft: Draft, result: Draft | Refusal) -> DialogTurnResult:
        if isinstance(result, Refusal):
            await send(step.context, result.text)
            if result.stop:
                return await step.end_dialog()
            # The same question (or the reading) again, with the draft as it was before the refused answer.
            return await step.replace_dialog(LOG_DIALOG, {"draft": draft.as_state()})
        return await step.replace_dialog(LOG_DIALOG, {"draft": result.as_state()})


def _short(text: str | None, limit: int = 40) -> str:
    text = text or "utan beskrivning"
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def confirmation_text(draft: Draft, situation: Situation) -> str:
    question = "Spara? Svara ”ja”, rätta med till exempel ”ändra tid till kl 22”, eller skriv ”avbryt”."
    if is_future(draft, situation) and not draft.future_ok:
        question = (f"Obs! Tiden ({when_text(draft, situation)}) ligger i framtiden – stämmer det? Svara ”ja” "
                    "för att spara ändå, eller rätta med till exempel ”ändra tid till igår kl 22”.")
    return f"Så här läser jag det:\n{bullet_list(reading_lines(draft, situation))}\n\n{question}"


async def save(context: TurnContext, situation: Situation, draft: Draft) -> str:
    """Save the draft as one transaction with its audit entry; a second save of the same draft is a no-op."""
    async with unit_of_work(context, situation) as uow:
        logged = await save_observation(uow, to_storage(draft, situation), idempotency_key=draft.id)
    number, created = logged.number, logged.created
    if not created:
        return f"Det här är redan sparat som #O{number}. Inget nytt har sparats."
    party = situation.collaboration.party(situation.asker.party).name
    return (f"Sparat som #O{number}, loggat av {situation.asker.name} ({party}): "
            f"{situation.collaboration.focus_area(draft.focus_area).name}, {when_text(draft, situation)}"
            f"{', ' + draft.place if draft.place else ''}.{SENSITIVE_HINT if draft.sensitive else ''} {UNDO_HINT}")


SENSITIVE_HINT = " Markerad som känslig: bara din part och administratörer ser den."
_DRAFT_ID = re.compile(r"[0-9a-f]{32}")


def _card_interval(value: dict) -> tuple[str, str] | None:
    """The time the card was filled with, when the user left it as shown (the card's data is client input:
    anything that is not a local 'YYYY-MM-DDTHH:MM' is ignored and the visible text is read instead)."""
    try:
        start = datetime.strptime(str(value.get("when_start")), "%Y-%m-%dT%H:%M")
        end = datetime.strptime(str(value.get("when_end") or value.get("when_start")), "%Y-%m-%dT%H:%M")
    except ValueError:
        return None
    if end < start or not (2000 <= start.year <= 2100 and 2000 <= end.year <= 2100):
        return None
    return start.strftime("%Y-%m-%dT%H:%M"), end.strftime("%Y-%m-%dT%H:%M")


async def on_card_submit(dc: DialogContext, situation: Situation, value: dict) -> None:
    """The Teams form: check every field as the guided questions would, then save, or show the form again."""
    context = dc.context
    if dc.active_dialog is not None and dc.active_dialog.id == LOG_DIALOG:
        await dc.cancel_all_dialogs()  # the form answers the draft that waited for a typed answer
    action = value.get("samverkan")
    if action == SUBMIT_DISCARD:
        await send(context, "Okej, inget har sparats.")
        return
    draft_id = str(value.get("draft") or "")
    # The card's draft id is client input: only an id the bot could have made is kept (it is stored).
    draft = Draft(id=draft_id if _DRAFT_ID.fullmatch(draft_id) else Draft().id, source_party=situation.asker.party)
    problems: list[str] = []
    for name in ("focus_area", "when", "place", "description", "kind", "source_party"):
        raw = normalise_input(str(value.get(name) or ""))
        shown = _card_interval(value) if name == "when" and raw == value.get("when_shown") else None
        if shown is not None:
            draft = replace(draft, start=shown[0], end=shown[1])
            continue
        if not raw:
            if name in ("focus_area", "when", "description"):
                problems.append(f"Fyll i {FIELD_NAMES[name]}.")
            continue
        result = apply_answer(draft, name, raw, situation)
        if isinstance(result, Refusal):
            if result.stop:
                await send(context, result.text)
                return
            problems.append(result.text)
        else:
            draft = result
    draft.future_ok = str(value.get("future_ok", "")).lower() == "true"
    draft.sensitive = str(value.get("sensitive", "")).lower() == "true"
    if not problems and is_future(draft, situation) and not draft.future_ok:
        problems.append(f"Tiden ({when_text(draft, situation)}) ligger i framtiden. Rätta tiden, eller kryssa i "
                        "att den stämmer.")
    if problems:
        await show_form(dc, draft, situation, problems)
        return
    await send(context, await save(context, situation, draft))
