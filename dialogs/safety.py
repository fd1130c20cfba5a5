"""Messages that must not go into the log: acute danger now, and a concern about one child or person.

The screen (``dialogs.nlu.safety_verdict``) runs first on every message, guided answer and card field. Danger
gets "Ring 112" first; a concern about one child gets the orosanmälan routine with this municipality's
social services; nothing of either is stored and any draft under way is dropped. When the screen cannot tell
whether one child is meant, one short question is asked, and the answer decides.
"""

from __future__ import annotations

from botbuilder.dialogs import Dialog, DialogContext, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs.context import SITUATION_KEY
from dialogs.nlu import Understanding, fold
from dialogs.registry import handles
from dialogs.replies import send
from domain.situation import Situation

UNCLEAR_DIALOG = "safety.unclear"
YES_ONE_CHILD = frozenset({"ja", "japp", "jo", "ja det gor det", "ja ett barn", "ja en elev", "yes", "j"})
NO_SITUATION = frozenset({"nej", "nope", "no", "n", "nej det ar en situation", "nej en plats", "nej inte ett barn",
                          "nej det gor det inte", "nej logga", "nej, logga"})

EMERGENCY_TEXT = (
    "Ring 112 nu om någon är i fara, om det brinner eller om ett brott pågår. "
    "Jag är en automatisk assistent och kan inte larma någon. Polisen när det inte är akut: 114 14. "
    "Inget av det du skrev har sparats."
)
UNCLEAR_QUESTION = (
    "Innan jag gör något med det: gäller det ett enskilt barn eller en enskild person som du är orolig för? "
    "Svara ja eller nej. (Inget har sparats.)"
)


def individual_case_text(situation: Situation) -> str:
    """Why nothing was saved, then the orosanmälan routine."""
    return (
        "Det här låter som oro för ett enskilt barn eller en enskild person. Det hör inte hemma i samverkansloggen, "
        f"och inget av det du skrev har sparats.\n\n{concern_routine(situation)}\n\n"
        f"{NOT_ABOUT_ONE_PERSON}"
    )


# A way on when the reading was wrong: what is about a place or many people belongs in the log, said so.
NOT_ABOUT_ONE_PERSON = ("Gällde det något allmänt, inte en viss person? Skriv det igen utan att nämna vem som "
                        "berättade eller gällde det, till exempel \"det säljs tabletter på bussen till skolan\", "
                        "så loggar jag det.")


def concern_routine(situation: Situation) -> str:
    """The orosanmälan routine: the duty to report and where to turn in this municipality."""
    collaboration = situation.collaboration
    services = collaboration.social_services
    if services is not None:
        where = f"Gör en orosanmälan till {services.name}. {services.contact}"
        if services.after_hours:
            where += f" {services.after_hours}"
        if services.web:
            where += f" Du kan också anmäla via {services.web}."
    else:
        where = f"Gör en orosanmälan till socialtjänsten i {collaboration.municipality}."
    return (
        "- Anmälningsplikt: arbetar du i skola, förskola, fritidsverksamhet, socialtjänst, hälso- och sjukvård "
        "eller polis ska du genast anmäla till socialtjänsten om du får kännedom om eller misstänker att ett barn "
        "far illa (socialtjänstlagen). Du behöver inte vara säker – det är socialtjänsten som utreder.\n"
        f"- {where}\n"
        "- Följ också din arbetsplats rutin, till exempel skolans rutin och rektor.\n"
        "- Gäller det en vuxen som utsätts för våld: socialtjänsten tar emot oro för vuxna också, och brott "
        "anmäls till polisen på 114 14.\n"
        "- Är någon i akut fara: ring 112."
    )


@handles("emergency")
async def emergency(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    await dc.cancel_all_dialogs()
    await send(dc.context, EMERGENCY_TEXT)


@handles("unclear_concern")
async def unclear_concern(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    await dc.begin_dialog(UNCLEAR_DIALOG, {"text": dc.context.activity.text or ""})


@handles("individual_case")
async def individual_case(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    await dc.cancel_all_dialogs()
    await send(dc.context, individual_case_text(situation))


class UnclearConcernDialog(WaterfallDialog):
    """'Gäller det ett enskilt barn?': yes gives the orosanmälan routine; no carries on with what was written.

    The message waits in dialog state for the one answer, like a draft, and is gone when the dialog ends.
    On "nej" it is handed back: to the question it answered when a dialog was under way (``nested``), else to
    the router as a new message (the caller reads ``ScreenedText``)."""

    def __init__(self) -> None:
        super().__init__(UNCLEAR_DIALOG, [self._ask, self._read])

    async def _ask(self, step: WaterfallStepContext) -> DialogTurnResult:
        await send(step.context, UNCLEAR_QUESTION)
        return Dialog.end_of_turn

    async def _read(self, step: WaterfallStepContext) -> DialogTurnResult:
        answer = fold(step.context.activity.text or "").strip(" .!?")
        situation: Situation = step.context.turn_state[SITUATION_KEY]
        if answer in YES_ONE_CHILD or answer.startswith(("ja ", "ja,")):
            await send(step.context, individual_case_text(situation))
            return await step.cancel_all_dialogs()
        if answer in NO_SITUATION or answer.startswith(("nej ", "nej,")):
            step.context.activity.text = step.options["text"]
            return await step.end_dialog(ScreenedText(step.options["text"]))
        # Neither: the question is dropped and the new message is read as one.
        return await step.end_dialog(ScreenedText(step.context.activity.text or "", fresh=True))


class ScreenedText:
    """A message to read again after the safety question: ``fresh`` when it is a new message, not the old one."""

    def __init__(self, text: str, fresh: bool = False) -> None:
        self.text = text
        self.fresh = fresh
