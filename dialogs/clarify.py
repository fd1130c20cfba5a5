"""When the best reading is unsure: offer the likely readings as choices instead of "förstod inte".

Teams gets buttons on a card; the console and Matrix get a numbered list and the user answers with the
number (or the words of a choice). The chosen reading continues the turn as if the message had been typed
with that meaning: the message is read again for that intent's details. Anything else the user writes is
read as a new message, so the question never traps anyone.
"""

from __future__ import annotations

import re

from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.nlu import fold
from dialogs.render.cards import choice_card
from dialogs.replies import Reply, send

CLARIFY_DIALOG = "clarify"
MAX_CHOICES = 3

# How each reading is offered, in the user's words.
LABELS = {
    "log_observation": "Logga det som en händelse eller iakttagelse",
    "show_situation": "Visa lägesbilden (vad loggen visar)",
    "list_observations": "Visa det jag har loggat",
    "list_actions": "Visa åtgärder i åtgärdsplanen",
    "create_action": "Lägga till en ny åtgärd i åtgärdsplanen",
    "complete_action": "Markera en åtgärd som klar",
    "postpone_action": "Skjuta upp en åtgärd",
    "reassign_action": "Ge en åtgärd till någon annan",
    "comment_action": "Kommentera en åtgärd",
    "cancel_action": "Ställa in en åtgärd",
    "show_action": "Visa en åtgärd och dess historik",
    "snooze_action": "Pausa påminnelserna om en åtgärd",
    "show_promises": "Visa medborgarlöftena",
    "create_promise": "Lägga till ett medborgarlöfte",
    "link_promise": "Koppla en åtgärd till ett medborgarlöfte",
    "unlink_promise": "Koppla bort en åtgärd från ett medborgarlöfte",
    "next_meeting": "Se när forumen träffas nästa gång",
    "meeting_brief": "Få underlaget inför ett möte",
    "schedule_meeting": "Lägga in ett möte",
    "move_meeting": "Flytta ett möte",
    "cancel_meeting": "Ställa in ett möte",
    "bind_channel": "Koppla den här kanalen till ett forum",
    "unbind_channel": "Koppla bort den här kanalen från ett forum",
    "remind_me": "Sätta en påminnelse till mig själv",
    "list_reminders": "Visa mina påminnelser",
    "cancel_reminder": "Ta bort en påminnelse",
    "reminder_settings": "Ändra när jag får påminnelser",
    "agreement_info": "Läsa om samverkansöverenskommelsen",
    "help": "Visa vad jag kan hjälpa till med",
    "whoami": "Se vem jag tror att du är",
    "who_is": "Se vilka medlemmar som har en viss roll",
    "show_observation": "Visa en loggad observation",
    "correct_observation": "Rätta en loggad observation",
    "delete_observation": "Ta bort en loggad observation",
    "undo_observation": "Ångra min senaste ändring",
    "thanks": "Inget – det var ett tack",
}
NONE_WORDS = frozenset({"0", "inget", "ingen", "inget av dem", "ingen av dem", "nej", "ingetdera", "none"})
_ORDINALS = {"ett": 1, "en": 1, "forsta": 1, "1:a": 1, "tva": 2, "andra": 2, "2:a": 2, "tre": 3, "tredje": 3,
             "3:e": 3}


class Chosen:
    """The reading the user chose, for the router to carry on with."""

    def __init__(self, intent: str, text: str) -> None:
        self.intent = intent
        self.text = text


def offered(intents: list[str]) -> list[str]:
    """The readings worth offering, best first, each once, that the bot can put in words."""
    seen: list[str] = []
    for intent in intents:
        if intent in LABELS and intent not in seen:
            seen.append(intent)
    return seen[:MAX_CHOICES]


def question_text(choices: list[str]) -> str:
    lines = "\n".join(f"{n}. {LABELS[intent]}" for n, intent in enumerate(choices, start=1))
    return (f"Jag är inte säker på vad du menar. Vill du:\n{lines}\n\n"
            "Svara med en siffra, eller skriv frågan på ett annat sätt.")


def pick(answer: str, choices: list[str]) -> int | None:
    """The 0-based choice in ``answer`` ("2", "andra", the words of a choice), -1 for none, None if not one."""
    folded = fold(answer).strip(" .!?)")
    if folded in NONE_WORDS:
        return -1
    match = re.fullmatch(r"(?:nr |nummer |alternativ )?(\d{1,2})", folded)
    number = int(match[1]) if match else _ORDINALS.get(folded)
    if number is not None:
        return number - 1 if 1 <= number <= len(choices) else None
    for index, intent in enumerate(choices):
        if len(folded) >= 4 and fold(LABELS[intent]).startswith(folded):
            return index
    return None


class ClarifyDialog(WaterfallDialog):
    """Options: ``text`` (the message) and ``choices`` (intents, best first). Ends with ``Chosen`` or, when the
    answer is something else, with the answer as a new message (``str``)."""

    def __init__(self) -> None:
        super().__init__(CLARIFY_DIALOG, [self._ask, self._read])

    async def _ask(self, step: WaterfallStepContext) -> DialogTurnResult:
        choices = step.options["choices"]
        labels = [LABELS[intent] for intent in choices]
        await send(step.context, Reply(text=question_text(choices),
                                       card=choice_card("Jag är inte säker på vad du menar. Vill du:", labels)))
        return Dialog.end_of_turn

    async def _read(self, step: WaterfallStepContext) -> DialogTurnResult:
        answer = step.context.activity.text or ""
        choices = step.options["choices"]
        index = pick(answer, choices)
        if index is None:
            return await step.end_dialog(answer)
        if index < 0:
            await send(step.context,
                "Okej. Skriv gärna frågan på ett annat sätt, eller skriv hjälp för att se vad jag kan.")
            return await step.end_dialog()
        return await step.end_dialog(Chosen(choices[index], step.options["text"]))
