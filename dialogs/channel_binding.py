"""Binding a channel, group chat or room to a forum by chat: "koppla den här kanalen till Operativa BRÅ".

Where the bot posts the forum's agenda two working days before each meeting. Admins only, audited.
"""

from __future__ import annotations

from botbuilder.dialogs import DialogContext

from dialogs.context import unit_of_work
from dialogs.meeting_words import admin_only, forum_list
from dialogs.nlu import Understanding
from dialogs.place import place_of
from dialogs.registry import handles
from dialogs.replies import send
from domain.situation import Situation
from services.channels import WrongForum, bind_channel, unbind_channel

# Conversations many people read, where an agenda can be posted (a personal chat is one person's): how a
# reply names each, and the participle that agrees with it.
SHARED_CONVERSATIONS = {"channel": ("Den här kanalen", "kopplad"),
                        "groupChat": ("Den här gruppchatten", "kopplad"),
                        "room": ("Det här rummet", "kopplat")}


def _not_shared_text(situation: Situation) -> str:
    example = situation.collaboration.forums[0].name if situation.collaboration.forums else "Operativa BRÅ"
    return ("Det här är en personlig chatt, och dagordningen ska läsas av hela forumet. Skriv ”koppla den här "
            f"kanalen till {example}” i forumets Teams-kanal (nämn mig med @), i en gruppchatt eller i ett "
            "Matrix-rum.")


@handles("bind_channel")
async def bind(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    if await admin_only(context, situation, "koppla en kanal till ett forum"):
        return
    turn_place = place_of(context)
    shared = SHARED_CONVERSATIONS.get(turn_place.place.kind)
    if shared is None:
        await send(context, _not_shared_text(situation))
        return
    this, bound_word = shared
    code = understanding.slots.get("forum")
    if not code:
        await send(context, f"Vilket forum ska {this.lower()} kopplas till? Skriv till exempel ”koppla den här "
                            f"kanalen till Operativa BRÅ”.\n{forum_list(situation)}")
        return
    async with unit_of_work(context, situation) as uow:
        binding = await bind_channel(uow, situation, turn_place.place, code, turn_place.reference_fields())
    forum, previous = binding.forum, binding.previous
    text = (f"{this} är nu {bound_word} till {forum.name}. Jag lägger dagordningen här två arbetsdagar före "
            "varje möte.")
    if previous is not None and previous.code != forum.code:
        text += f" (Tidigare {bound_word} till {previous.name}.)"
    await send(context, text)


@handles("unbind_channel")
async def unbind(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    if await admin_only(context, situation, "koppla bort en kanal från ett forum"):
        return
    place = place_of(context).place
    shared = SHARED_CONVERSATIONS.get(place.kind)
    if shared is None:
        await send(context, "En personlig chatt är aldrig kopplad till något forum.")
        return
    this, bound_word = shared
    code = understanding.slots.get("forum")
    try:
        async with unit_of_work(context, situation) as uow:
            binding = await unbind_channel(uow, situation, place, code)
    except WrongForum as wrong:
        await send(context, f"{this} är {bound_word} till {wrong.bound.name}, inte till "
                            f"{situation.collaboration.forum(code).name}. Inget har ändrats.")
        return
    if binding is None:
        await send(context, f"{this} är inte {bound_word} till något forum.")
        return
    await send(context, f"{this} är inte längre {bound_word} till {binding.forum.name}. Jag lägger inte "
                        "dagordningen här längre.")
