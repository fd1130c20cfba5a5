"""The help menu, the answer to what the bot did not understand, and the first greeting.

The menu lists only what the bot can do today; each conversation module adds its own topic when
it lands. After the menu, a number (or a topic's name) opens that topic, and anything else is
read as a fresh question, so the menu never traps anyone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from botbuilder.dialogs import Dialog, DialogContext, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs import agreement, meetings
from dialogs.context import SITUATION_KEY
from dialogs.nlu import Understanding, fold
from dialogs.registry import handles
from dialogs.replies import send
from dialogs.safety import concern_routine
from domain.collaboration import Collaboration
from domain.rules.access import ACCESS_SCOPES, level
from domain.situation import Situation

HELP_DIALOG = "help"
NO_TEXT_TEXT = "Jag kan bara läsa textmeddelanden än så länge. Skriv din fråga, eller skriv hjälp."


@dataclass(frozen=True)
class HelpTopic:
    title: str
    keywords: tuple[str, ...]
    render: Callable[[Situation], str]
    key: str = ""  # the understanding's help topic ("hjälp integritet" → "privacy")


def _privacy_text(situation: Situation) -> str:
    return (
        "Loggen beskriver platser och situationer, aldrig enskilda personer. Skriv därför inte:\n"
        "- personnummer eller samordningsnummer\n"
        "- namn på barn eller andra enskilda personer\n"
        "- uppgifter om någons hälsa: diagnos, medicin, missbruk, psykiatrisk vård, graviditet, "
        "funktionsnedsättning eller skador\n"
        "- telefonnummer, e-postadresser, registreringsnummer eller polisens diarienummer\n\n"
        "Oro för ett enskilt barn eller en enskild person tas inte upp här: gör en orosanmälan "
        "till socialtjänsten eller följ skolans rutin. Vid akut fara: ring 112."
    )


def _about_text(situation: Situation) -> str:
    c = situation.collaboration
    return (
        f"Jag är en automatisk assistent, ingen person, för samverkan mellan {c.municipality} och "
        f"{c.police_area}. Det du skriver till mig sparas i samverkans egen databas och kan läsas av "
        "medlemmarna i samverkan; allt som läses och skrivs i loggen registreras. "
        f"Frågor om boten eller om vem som är medlem: kontakta {c.contact}."
    )


def _logging_text(situation: Situation) -> str:
    areas = ", ".join(f.name for f in situation.collaboration.focus_areas)
    return (
        "Logga en händelse eller iakttagelse i en mening, till exempel:\n"
        "- ”logga skadegörelse på Haganässkolan igår kväll”\n"
        "- ”iakttagelse ANDTS: ungdomar samlas vid Diö torg fredagar kl 22”\n"
        "Jag visar hur jag läste det och sparar när du svarar ja (i Teams: knappen Spara). Skriv bara ”logga” "
        "så frågar jag steg för steg. ”avbryt” avbryter utan att något sparas.\n\n"
        f"Fokusområden: {areas}. Typer: händelse, iakttagelse, medborgardialog, medarbetardialog, statistik.\n\n"
        "Efteråt: ”ångra” (din senaste ändring, inom 24 timmar; jag frågar först), ”visa #O12”, ”ändra #O12 plats "
        "till …” (rättelser sparas som historik) och ”återställ #O12” för en borttagen. Skriv aldrig namn, "
        "personnummer eller andra personuppgifter."
    )


def _situation_help_text(situation: Situation) -> str:
    return (
        "Lägesbilden räknar loggen per fokusområde och typ, jämfört med perioden innan, med de vanligaste "
        "platserna och de senaste observationerna. Till exempel:\n"
        "- ”lägesbild” (senaste 30 dagarna)\n- ”lägesbild ANDTS”\n- ”läget för skadegörelse i oktober”\n"
        "- ”lägesbild Diö”"
    )


def _actions_help_text(situation: Situation) -> str:
    return (
        "Åtgärdsplanen, till exempel:\n"
        "- ”vilka åtgärder är försenade”, ”mina åtgärder”, ”polisens åtgärder”, ”åtgärder för ANDTS”\n"
        "- ”vad ska vara klart denna vecka”, ”åtgärder före jul”, ”vad blev klart i oktober”\n"
        "- ”ny åtgärd: trygghetsvandring i centrum, kommunen, senast 15/1”\n"
        "- ”#12 klar”, ”skjut upp #12 till nästa fredag”, ”ge #12 till polisen”, ”kommentar #12: …”, "
        "”ställ in #12”, ”visa #12”\n"
        "- ”hur går det med medborgarlöftena”, ”medborgarlöfte 1”, ”koppla #12 till medborgarlöfte 1”, "
        "”koppla bort #12 från medborgarlöfte 1”, och för administratörer ”nytt medborgarlöfte: …”\n"
        "Långa listor visas en sida i taget: skriv ”mer”. En åtgärd kan ändras av den ansvariga, den som "
        "skapade den, den ägande partens medlemmar (vid gemensamma åtgärder båda parternas) och "
        "administratörer; alla kan kommentera. Allt sparas som historik."
    )


def _concern_help_text(situation: Situation) -> str:
    routine = concern_routine(situation)
    return ("En orosanmälan är en anmälan till socialtjänsten när du får veta något om eller misstänker att ett barn "
            "far illa. Den görs av dig, inte här: samverkansloggen beskriver platser och situationer, aldrig "
            f"enskilda personer.\n\n{routine}")


def _reminders_help_text(situation: Situation) -> str:
    return (
        "Påminnelser, till exempel:\n"
        "- ”påminn mig imorgon kl 9 om att ringa skolan”, ”påminn mig på fredag eftermiddag att skicka lägesbilden”\n"
        "- ”mina påminnelser”, ”ta bort påminnelse 2”, ”ta bort påminnelsen om rektorn”\n"
        "- ”snooza #12 till måndag” (inga påminnelser om en åtgärd före dess)\n"
        "- ”inga påminnelser före kl 9”, ”veckosammanfattning på” (måndagar kl 8)\n"
        "Den som ansvarar för en åtgärd får en påminnelse tre arbetsdagar före, samma dag och varje vecka när den "
        "är försenad."
    )


TOPICS: list[HelpTopic] = [
    HelpTopic("Logga en händelse eller iakttagelse", ("logga", "logg", "observation", "rapportera"),
              _logging_text, key="logging"),
    HelpTopic("Lägesbild – vad loggen visar", ("lagesbild", "laget"), _situation_help_text, key="situation"),
    HelpTopic("Åtgärdsplanen – försenat, mitt, nytt, klart", ("atgard", "atgarder", "atgardsplan"),
              _actions_help_text, key="actions"),
    HelpTopic("Om överenskommelsen – period, parter och tidsgränser",
              ("overenskommelse", "avtal", "tidsgrans", "period"), agreement.agreement_text, key="agreement"),
    HelpTopic("Fokusområden", ("fokus",), agreement.focus_areas_text),
    HelpTopic("Samverkansforum", ("forum", "bra", "sspf", "styrgrupp"), agreement.forums_text),
    HelpTopic("Vad som inte får skrivas här (integritet)", ("integritet", "skriv", "gdpr", "sekretess"),
              _privacy_text, key="privacy"),
    HelpTopic("Om boten", ("boten", "bot", "vem ar du", "assistent"), _about_text, key="about"),
    HelpTopic("Forumens möten – nästa möte, kalender", ("mote", "moten", "motet", "kalender"), meetings.help_text,
              key="meetings"),
    HelpTopic("Påminnelser", ("paminnelse", "paminnelser", "paminn"), _reminders_help_text, key="reminders"),
    HelpTopic("Oro för ett barn – orosanmälan", ("orosanmalan", "anmalningsplikt", "oro"), _concern_help_text,
              key="concern"),
]
# "hjälp integritet", "om boten": a help topic asked for by name opens it at once.
TOPIC_BY_NAME = {topic.key: topic for topic in TOPICS if topic.key}


def greeting(collaboration: Collaboration) -> str:
    return (
        f"Hej! Jag är Samverkansboten, en automatisk assistent för samverkan mellan "
        f"{collaboration.municipality} och {collaboration.police_area}. Jag är ingen person. "
        "Skriv hjälp för att se vad jag kan."
    )


def menu_text(situation: Situation) -> str:
    items = "\n".join(f"{number}. {topic.title}" for number, topic in enumerate(TOPICS, start=1))
    scope = ACCESS_SCOPES.get(level(situation.asker))  # a reader or a reporter: what of the menu is theirs
    return (
        f"Hej {situation.asker.first_name}! Jag är Samverkansboten, en automatisk assistent för samverkan "
        f"mellan {situation.collaboration.municipality} och {situation.collaboration.police_area}.\n\n"
        + (f"{scope}\n\n" if scope else "") +
        f"Det här kan jag hjälpa till med:\n{items}\n\n"
        "Skriv en siffra för att läsa mer, eller ställ din fråga direkt, till exempel "
        "”vilka är fokusområdena?” eller ”när ska överenskommelsen förlängas?”."
    )


def _topic_list() -> str:
    return "\n".join(f"- {topic.title}" for topic in TOPICS)


def not_understood_text() -> str:
    return (
        "Det där förstod jag inte. Det här kan jag hjälpa till med:\n"
        f"{_topic_list()}\n\nSkriv hjälp för menyn, eller ställ frågan på ett annat sätt."
    )


def topic_for(answer: str) -> HelpTopic | None:
    folded = fold(answer).strip()
    match = re.fullmatch(r"(\d{1,2})\W*", folded)
    if match:
        number = int(match.group(1))
        return TOPICS[number - 1] if 1 <= number <= len(TOPICS) else None
    for topic in TOPICS:
        if folded == fold(topic.title) or any(folded == keyword for keyword in topic.keywords):
            return topic
    return None


@dataclass(frozen=True)
class Reroute:
    """The help dialog's result when the answer was not a menu choice but a new question."""

    text: str


class HelpDialog(WaterfallDialog):
    def __init__(self) -> None:
        super().__init__(HELP_DIALOG, [self._show_menu, self._open_topic])

    async def _show_menu(self, step: WaterfallStepContext) -> DialogTurnResult:
        # Sent directly and waited for, not through a prompt: a prompt keeps the whole menu Activity in
        # dialog state, which botbuilder then serializes and hashes on every turn.
        situation: Situation = step.context.turn_state[SITUATION_KEY]
        await send(step.context, menu_text(situation))
        return Dialog.end_of_turn

    async def _open_topic(self, step: WaterfallStepContext) -> DialogTurnResult:
        answer = step.context.activity.text or ""
        topic = topic_for(answer)
        if topic is None:
            return await step.end_dialog(Reroute(answer))
        situation: Situation = step.context.turn_state[SITUATION_KEY]
        await send(step.context, topic.render(situation))
        return await step.end_dialog()


@handles("help")
async def start_help(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    topic = understanding.slots.get("topic")
    if topic in TOPIC_BY_NAME:
        await send(dc.context, TOPIC_BY_NAME[topic].render(situation))
        return
    await dc.begin_dialog(HELP_DIALOG)


@handles("thanks")
async def thanks(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    if understanding.slots.get("ack"):
        await send(dc.context, "👍")
        return
    text = "Ha det bra!" if understanding.slots.get("goodbye") else "Varsågod!"
    await send(dc.context, f"{text} Skriv hjälp om du undrar vad jag kan.")


@handles("unknown")
async def not_understood(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    await send(dc.context, not_understood_text())
