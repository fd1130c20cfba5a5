"""Messages that must not go into the log: acute danger now, and a concern about one person.

Both are answered at once with where to turn, and nothing of them is stored.
"""

from __future__ import annotations

from botbuilder.core import MessageFactory
from botbuilder.dialogs import DialogContext

from dialogs.context import Situation
from dialogs.nlu import Understanding
from dialogs.registry import handles

EMERGENCY_TEXT = (
    "Ring 112 nu om någon är i fara eller om det brinner. "
    "Jag är en automatisk assistent och kan inte larma. Inget av det du skrev har sparats."
)


def individual_case_text(situation: Situation) -> str:
    return (
        "Oro för ett enskilt barn eller en enskild person hör inte hemma här, och inget av det du skrev har "
        "sparats. Gör en orosanmälan till socialtjänsten (för barn: socialtjänsten i "
        f"{situation.collaboration.municipality}) eller följ skolans rutin. Är någon i akut fara: ring 112. "
        "Här loggar vi platser och situationer, aldrig enskilda personer."
    )


@handles("emergency")
async def emergency(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    await dc.context.send_activity(MessageFactory.text(EMERGENCY_TEXT))


@handles("individual_case")
async def individual_case(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    await dc.context.send_activity(MessageFactory.text(individual_case_text(situation)))
