"""The answer to "Vilket datum menar du?": a time that could not be read is asked for, and the answer finishes
the request it belongs to.

"påminn mig 30 februari om budgeten" is named as unread and asked about; "28 februari då" then sets the
reminder about the budget, as if the whole request had been written right. An answer that is not a time
(a new request, "visa mina åtgärder") is read as a new message, so the question never traps anyone; an
answer with another impossible date is named and asked about once more.
"""

from __future__ import annotations

from dataclasses import dataclass

from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.context import SITUATION_KEY
from dialogs.nlu import Understanding, time_in_answer
from dialogs.replies import send
from dialogs.unread import unread_text
from domain.situation import Situation

TIME_QUESTION_DIALOG = "time_question"
MAX_OTHER_WORDS = 3  # "30/12 menade jag", "kl 9 tack": more than this and the answer is a new request
MAX_ASKS = 2

# The requests that cannot go on without their time, the slot it fills, and the question when none was given.
# (Meetings are not here: who may schedule them and which forum come first, and their handlers ask.)
ASKED = {
    "remind_me": ("when", "När vill du bli påmind? Skriv till exempel ”imorgon kl 9” eller ”fredag 14”."),
    "snooze_action": ("until", "Till när? Skriv till exempel ”måndag” eller ”15/1”."),
}


@dataclass(frozen=True)
class Answered:
    """The request with the asked time filled in, for the router to carry on with."""

    understanding: Understanding


def needs_time(understanding: Understanding) -> str | None:
    """The question to ask before ``understanding`` can go on, or None: its time slot is there, or the
    request lacks more than a time (a reminder with no text gets its own example instead)."""
    asked = ASKED.get(understanding.intent)
    if asked is None or asked[0] in understanding.slots:
        return None
    if understanding.intent == "remind_me" and not understanding.slots.get("text"):
        return None
    if understanding.intent == "snooze_action" and "ref" not in understanding.slots:
        return None
    unread = [part for part in understanding.unread if part.slot == asked[0]]
    return "" if unread else asked[1]  # what was unread has been named, with its own question


class TimeQuestionDialog(WaterfallDialog):
    """Options: ``intent``, ``slots``, ``question`` (empty when the unread part was named already)."""

    def __init__(self) -> None:
        super().__init__(TIME_QUESTION_DIALOG, [self._ask, self._read])

    async def _ask(self, step: WaterfallStepContext) -> DialogTurnResult:
        if step.options.get("question"):
            await send(step.context, step.options["question"])
        return Dialog.end_of_turn

    async def _read(self, step: WaterfallStepContext) -> DialogTurnResult:
        text = step.context.activity.text or ""
        situation: Situation = step.context.turn_state[SITUATION_KEY]
        intent, slots = step.options["intent"], dict(step.options["slots"])
        slot = ASKED[intent][0]
        answer = time_in_answer(text, slot, situation.local_now.replace(tzinfo=None), "future",
                                situation.collaboration)
        if answer.other_words > MAX_OTHER_WORDS or answer.when is None and not answer.unread:
            return await step.end_dialog(text)  # not an answer: a new message
        if answer.when is None:  # another impossible or vague date: named, and asked about once more at most
            await send(step.context, unread_text(answer.unread))
            asked = step.options.get("asked", 1)
            if asked < MAX_ASKS:
                return await step.replace_dialog(TIME_QUESTION_DIALOG, {**step.options, "question": "",
                                                                        "asked": asked + 1})
            await send(step.context,
                "Inget är sparat. Skriv gärna hela begäran igen, med ett datum som finns.")
            return await step.end_dialog()
        slots[slot] = answer.when
        return await step.end_dialog(Answered(Understanding(intent, slots)))
