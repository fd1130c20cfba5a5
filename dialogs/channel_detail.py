"""A shared channel's detail level: "vilken detaljnivå har den här kanalen", "sätt detaljnivå sammanfattning här".

At ``summary`` the bot posts and answers in the channel with counts, action numbers, titles and due dates, and
never an observation's text or place (``domain.rules.detail``). Anyone may ask; only admins change it, audited.
"""

from __future__ import annotations

from botbuilder.dialogs import DialogContext

from dialogs.channel_binding import SHARED_CONVERSATIONS
from dialogs.context import unit_of_work
from dialogs.meeting_words import admin_only
from dialogs.nlu import Understanding
from dialogs.place import place_of
from dialogs.registry import handles
from dialogs.replies import send
from domain.rules.detail import LEVEL_NAMES, DetailLevel
from domain.situation import Situation
from services.channels import Refused
from services.detail import detail_setting, set_detail_level

MEANINGS = {
    DetailLevel.FULL: "jag visar allt här, också observationernas text och platser",
    DetailLevel.SUMMARY: "jag visar antal, åtgärdernas nummer, titlar och datum här, men aldrig observationernas "
                         "text eller platser",
}
KIND_NAMES = {"msteams": "Teams", "matrix": "Matrix"}
PERSONAL_TEXT = ("Den här personliga chatten har full detaljnivå: den läses bara av dig. Detaljnivån gäller "
                 "kanaler, gruppchattar och rum som flera läser.")


def _this(kind: str) -> str:
    shared = SHARED_CONVERSATIONS.get(kind)
    return shared[0] if shared else "Den här chatten"


@handles("show_detail_level")
async def show_detail_level(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    place = place_of(context).place
    if not place.shared:
        await send(context, PERSONAL_TEXT)
        return
    async with unit_of_work(context, situation) as uow:
        setting = await detail_setting(uow, situation, place)
    source = ("satt av en administratör" if setting.chosen else
              f"samverkansfilens standard för {KIND_NAMES.get(place.channel, place.channel)}")
    text = (f"{_this(place.kind)} har detaljnivå {LEVEL_NAMES[setting.level]} ({source}): "
            f"{MEANINGS[setting.level]}.")
    if situation.asker.is_admin:
        other = DetailLevel.FULL if setting.level is DetailLevel.SUMMARY else DetailLevel.SUMMARY
        text += f" Skriv ”sätt detaljnivå {LEVEL_NAMES[other]} här” för att ändra."
    await send(context, text)


@handles("set_detail_level")
async def set_level(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    if await admin_only(context, situation, "ändra detaljnivån för en kanal"):
        return
    turn_place = place_of(context)
    chosen = understanding.slots.get("level")
    if chosen is None:
        await send(context, "Vilken detaljnivå? Skriv ”detaljnivå sammanfattning” (antal, nummer, titlar och datum, "
                            "aldrig observationernas text eller platser) eller ”detaljnivå full” (allt).")
        return
    level = DetailLevel(chosen)
    try:
        async with unit_of_work(context, situation) as uow:
            previous = await set_detail_level(uow, situation, turn_place.place, level, turn_place.reference_fields())
    except Refused as refused:
        await send(context, str(refused))
        return
    this = _this(turn_place.place.kind)
    was = "" if previous is level else f" (var {LEVEL_NAMES[previous]})"
    await send(context, f"{this} har nu detaljnivå {LEVEL_NAMES[level]}{was}: {MEANINGS[level]}.")
