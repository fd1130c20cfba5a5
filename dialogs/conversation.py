"""One user turn through the dialogs: continue what is under way, otherwise understand and dispatch.

Dialog state is kept per user within a conversation (botbuilder's PrivateConversationState), so in a
Teams channel or a Matrix room one person's half-answered question is not answered by another's
message.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from botbuilder.dialogs import DialogContext, DialogSet, DialogTurnStatus

# Conversation modules register their intent handlers on import.
from dialogs import (  # noqa: F401
    action_changes,
    action_plan,
    agreement,
    help,
    lagesbild,
    meeting_brief,
    meeting_moves,
    meetings,
    membership,
    observation_history,
    promises,
    reminders,
    safety,
    undo,
)
from dialogs.access import permitted, refusal_for
from dialogs.clarify import CLARIFY_DIALOG, Chosen, ClarifyDialog, offered
from dialogs.context import (
    DATABASE_KEY,
    LISTING_KEY,
    MENTIONED_KEY,
    PREVIOUS_KEY,
    SITUATION_KEY,
    previous_action,
)
from dialogs.help import HelpDialog, Reroute, not_understood
from dialogs.interruptions import command_on_saved_item, side_question
from dialogs.log_observation import LOG_DIALOG, LogObservationDialog, on_card_submit
from dialogs.meeting_holidays import HOLIDAY_DIALOG, HolidayMovesDialog
from dialogs.nlu import Understanding, fold, reading_for, safety_verdict, understand
from dialogs.privacy import screen
from dialogs.registry import handler_for
from dialogs.render.actions import SUBMIT_DONE, SUBMIT_POSTPONE, done_card
from dialogs.render.cards import CHOICE
from dialogs.replies import send
from dialogs.safety import UNCLEAR_DIALOG, ScreenedText, UnclearConcernDialog
from dialogs.time_question import TIME_QUESTION_DIALOG, Answered, TimeQuestionDialog, needs_time
from dialogs.unread import unread_text
from domain.situation import Situation

if TYPE_CHECKING:  # the process owns the state and the turn; the dialogs only use them
    from botbuilder.core import BotState, TurnContext

log = logging.getLogger(__name__)

_STOPS = ("emergency", "individual_case")
MAX_NUMBER = 9_999_999
# Intents about one numbered thing: without a number the bot asks for it rather than guessing.
_NEEDS_ACTION = {"complete_action": "”#12 klar”", "postpone_action": "”skjut upp #12 till fredag”",
                 "reassign_action": "”ge #12 till polisen”", "comment_action": "”kommentar #12: …”",
                 "cancel_action": "”ställ in #12”", "show_action": "”visa #12”",
                 "snooze_action": "”snooza #12 till måndag”",
                 "link_promise": "”koppla #12 till medborgarlöfte 1”",
                 "unlink_promise": "”koppla bort #12 från medborgarlöfte 1”"}
_NEEDS_OBSERVATION = {"show_observation": "”visa #O12”", "correct_observation": "”ändra #O12 plats till Diö torg”",
                      "delete_observation": "”ta bort #O12”", "restore_observation": "”återställ #O12”",
                      "mark_sensitive": "”markera #O12 som känslig”"}


def _texts(slots: dict) -> str:
    return " ".join(value for value in slots.values() if isinstance(value, str))


def _valid_ref(ref) -> bool:
    return isinstance(ref, str) and ref.isdigit() and 0 < int(ref) <= MAX_NUMBER


def _card_number(value) -> bool:
    """A card's action number as the bot put it there: a whole number in range (a client may send anything)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_NUMBER

# Buttons on action cards do what the typed command would ("#12 klar", "skjut upp #12").
_CARD_INTENTS = {SUBMIT_DONE: "complete_action", SUBMIT_POSTPONE: "postpone_action"}
CANCEL_WORDS = frozenset({"avbryt", "cancel", "stopp", "stop", "sluta", "glom det", "strunta i det"})


# The conversations that wait for an answer, as the reminder names them.
_WAITING = {LOG_DIALOG: "Loggningen", action_changes.CREATE_DIALOG: "Den nya åtgärden",
            action_changes.POSTPONE_DIALOG: "Uppskjutningen", TIME_QUESTION_DIALOG: "Din begäran",
            HOLIDAY_DIALOG: "Flytten av mötet"}


class Conversation:
    def __init__(self, dialog_state_owner: BotState, database):
        self._dialogs = DialogSet(dialog_state_owner.create_property("DialogState"))
        self._dialogs.add(HelpDialog())
        self._dialogs.add(LogObservationDialog())
        self._dialogs.add(action_changes.CreateActionDialog())
        self._dialogs.add(action_changes.PostponeDialog())
        self._dialogs.add(UnclearConcernDialog())
        self._dialogs.add(ClarifyDialog())
        self._dialogs.add(TimeQuestionDialog())
        self._dialogs.add(HolidayMovesDialog())
        self._dialogs.add(undo.UndoDialog())
        self._database = database
        self._listing = dialog_state_owner.create_property("Listing")
        self._mentioned = dialog_state_owner.create_property("MentionedAction")

    async def respond(self, turn_context: TurnContext, situation: Situation, text: str) -> None:
        self._enter(turn_context, situation)
        # only the previous reply's action may be called "den": read it, and forget it for the next turn
        turn_context.turn_state[PREVIOUS_KEY] = await self._mentioned.get(turn_context, None)
        await self._mentioned.set(turn_context, None)
        dc = await self._dialogs.create_context(turn_context)
        if fold(text).strip(" .!") in CANCEL_WORDS:
            await self._cancel(dc)
            return
        # Safety first, before the text reaches a dialog (and so dialog state) or anything stored.
        verdict = safety_verdict(text, situation.collaboration)
        if verdict in _STOPS:
            await handler_for(verdict)(dc, Understanding(verdict), situation)
            return
        answering = dc.active_dialog is not None and dc.active_dialog.id == UNCLEAR_DIALOG
        # The question keeps the text in dialog state for one answer: never text the privacy guard refuses,
        # which goes on to be refused where it was written, storing nothing.
        if verdict == "unclear_concern" and not answering and not screen(text, situation.member_names):
            await dc.begin_dialog(UNCLEAR_DIALOG, {"text": text})
            return
        if dc.active_dialog is not None and dc.active_dialog.id in _WAITING:
            side = side_question(text, situation)
            if side is not None:  # answered, and the question goes on waiting
                if await permitted(dc.context, situation, side.intent):
                    await handler_for(side.intent)(dc, side, situation)
                await send(dc.context,
                    f"({_WAITING[dc.active_dialog.id]} väntar fortfarande på ditt svar på frågan ovan. Skriv "
                    "”avbryt” om du vill låta bli.)")
                return
            if dc.active_dialog.id == LOG_DIALOG and command_on_saved_item(text, situation):
                # Run beside the draft, which keeps waiting with all it holds (see LogObservationDialog).
                await self._dispatch(dc, text, situation, screened=True)
                if dc.active_dialog is not None and dc.active_dialog.id == LOG_DIALOG:
                    await send(dc.context,
                        "(Loggningen väntar fortfarande på ditt svar på frågan ovan. Skriv ”avbryt” om du vill "
                        "låta bli.)")
                return
        result = await dc.continue_dialog()
        if result.status == DialogTurnStatus.Empty:
            await self._dispatch(dc, text, situation, screened=True)
        elif result.status == DialogTurnStatus.Complete:
            await self._carry_on(dc, result.result, situation)

    async def _carry_on(self, dc: DialogContext, result, situation: Situation) -> None:
        """What a finished dialog hands back: a new message, the reading the user chose, a screened text."""
        if isinstance(result, Reroute):
            await self._dispatch(dc, result.text, situation, screened=True)
        elif isinstance(result, Chosen):
            dc.context.activity.text = result.text
            reading = reading_for(result.intent, result.text, situation.local_now, situation.collaboration,
                                  situation.member_names)
            await self._run(dc, reading, situation)
        elif isinstance(result, Answered):
            await self._run(dc, result.understanding, situation)
        elif isinstance(result, ScreenedText):
            await self._dispatch(dc, result.text, situation, screened=not result.fresh)
        elif isinstance(result, str) and result:
            await self._dispatch(dc, result, situation, screened=True)

    async def submit(self, turn_context: TurnContext, situation: Situation, value: dict) -> None:
        """An Adaptive Card's Action.Submit (Teams sends its inputs and data as ``value``, no text)."""
        self._enter(turn_context, situation)
        action = str(value.get("samverkan", ""))
        number = value.get("number")
        intent = ("log_observation" if action.startswith("observation.") else _CARD_INTENTS.get(action))
        if intent is not None and not await permitted(turn_context, situation, intent):
            return
        if action.startswith("observation."):
            await on_card_submit(await self._dialogs.create_context(turn_context), situation, value)
        elif action == CHOICE and isinstance(value.get("choice"), int):
            turn_context.activity.text = str(value["choice"])  # as if the number had been typed
            await self.respond(turn_context, situation, turn_context.activity.text)
        elif action in _CARD_INTENTS and _card_number(number):
            dc = await self._dialogs.create_context(turn_context)
            await dc.cancel_all_dialogs()  # a button press starts afresh, as a typed command would
            await handler_for(_CARD_INTENTS[action])(dc, Understanding(_CARD_INTENTS[action], {"ref": str(number)}),
                                                     situation)
        else:
            await send(turn_context,
                "Den här knappen känner jag inte igen längre. Skriv till mig i stället, eller skriv hjälp.")

    async def execute(self, turn_context: TurnContext, situation: Situation, verb: str, data: dict) -> dict:
        """A card's Action.Execute (an invoke): the card that replaces it, or a message when it stays."""
        self._enter(turn_context, situation)
        number = data.get("number")
        if verb == SUBMIT_DONE and _card_number(number):
            if (text := await refusal_for(turn_context, situation, "complete_action")) is not None:
                return {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": text}
            done, text = await action_changes.close_action(turn_context, situation, number)
            if done:
                return {"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive",
                        "value": done_card(text, done=True)}
            return {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": text}
        return {"statusCode": 200, "type": "application/vnd.microsoft.activity.message",
                "value": "Den här knappen känner jag inte igen längre. Skriv till mig i stället, eller skriv hjälp."}

    def _enter(self, turn_context: TurnContext, situation: Situation) -> None:
        turn_context.turn_state[SITUATION_KEY] = situation
        turn_context.turn_state[DATABASE_KEY] = self._database
        turn_context.turn_state[LISTING_KEY] = self._listing
        turn_context.turn_state[MENTIONED_KEY] = self._mentioned

    async def _cancel(self, dc: DialogContext) -> None:
        if dc.active_dialog is not None:
            await dc.cancel_all_dialogs()
            await send(dc.context, "Okej, jag har avbrutit. Inget har sparats.")
        else:
            await send(dc.context, "Det finns inget pågående att avbryta.")

    async def _dispatch(self, dc: DialogContext, text: str, situation: Situation, *, screened: bool = False) -> None:
        understanding = understand(text, situation.local_now.replace(tzinfo=None), situation.collaboration,
                                   member_names=situation.member_names, screened=screened)
        choices = offered([understanding.intent, *understanding.alternatives]) if understanding.unsure else []
        if len(choices) > 1:
            await dc.begin_dialog(CLARIFY_DIALOG, {"text": text, "choices": choices})
            return
        await self._run(dc, understanding, situation)

    async def _run(self, dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
        """Answer a reading: first what could not be read in it, then the intent's own conversation."""
        if not await permitted(dc.context, situation, understanding.intent):
            return
        if understanding.unread:
            await send(dc.context, unread_text(understanding.unread))
        example = _NEEDS_ACTION.get(understanding.intent) or _NEEDS_OBSERVATION.get(understanding.intent)
        ref = understanding.slots.get("ref")
        what = "åtgärd" if understanding.intent in _NEEDS_ACTION else "observation"
        if example and isinstance(ref, str) and ref.isdigit() and int(ref) > MAX_NUMBER:
            # A number the bot never gives out (and the database could not hold): said plainly, not a crash.
            log.info("%s number out of range (%d digits)", "action" if what == "åtgärd" else "observation", len(ref))
            shown = f"#{'O' if what == 'observation' else ''}{ref}"
            await send(dc.context, f"Det finns ingen {what} {shown}.")
            return
        if example and ref is None and understanding.slots.get("pronoun") and previous_action(dc.context):
            # "skjut upp den en vecka" right after "Skapade #4 …": the action just created or shown
            slots = {key: value for key, value in understanding.slots.items() if key != "pronoun"}
            understanding = replace(understanding, slots={**slots, "ref": str(previous_action(dc.context))})
            ref = understanding.slots["ref"]
        if example and not _valid_ref(ref):
            await send(dc.context,
                f"Vilken {what} gäller det? Skriv numret, till exempel {example}.")
            return
        question = needs_time(understanding)
        # The request waits in dialog state for its time: never with text the privacy guard refuses, which
        # goes on to its handler and is refused there, storing nothing.
        if question is not None and not screen(_texts(understanding.slots), situation.member_names):
            await dc.begin_dialog(TIME_QUESTION_DIALOG, {"intent": understanding.intent,
                                                         "slots": understanding.slots, "question": question})
            return
        handler = handler_for(understanding.intent) or not_understood
        await handler(dc, understanding, situation)
