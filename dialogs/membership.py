"""Who the bot thinks you are ("vem är jag"), who the members are, and an admin managing them in chat:
adding a colleague by @mention in Teams, making a member an admin or not, removing one.

A Teams member is known by Entra object id and tenant; the @mention gives the Teams user id, and the
roster lookup (the channel's, ``dialogs.place``) gives the object id, so nobody has to copy ids by hand.
The changes are use cases in ``services.members`` (never the last admin), and each is forgotten by the
member directory at once, so it holds from the member's very next message.
"""

from __future__ import annotations

from botbuilder.dialogs import DialogContext

from dialogs.context import members_of, unit_of_work
from dialogs.format import bullet_list
from dialogs.nlu import Understanding
from dialogs.place import place_of
from dialogs.registry import handles
from dialogs.replies import send
from domain.rules.access import ACCESS_SCOPES, level
from domain.rules.actions import PARTY_NAMES
from domain.situation import Situation
from services import members as membership
from services.members import MemberChanged, MemberChangeRefused, NotOne, member_text


@handles("whoami")
async def whoami(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    asker = situation.asker
    party = situation.collaboration.party(asker.party).name
    parts = [f"Du är {asker.name}, {party}"]
    if asker.role:
        parts.append(asker.role)
    text = ", ".join(parts) + (" och administratör för boten." if asker.is_admin else ".")
    scope = ACCESS_SCOPES.get(level(asker))
    if scope:
        text += f" {scope}"
    identity = place_of(dc.context).sender
    if identity is not None and identity.channel == "msteams":
        text += f" Jag känner igen dig i Teams på ditt Entra-objekt-id {identity.user_key}"
        text += f" i organisationen {identity.tenant_id}." if identity.tenant_id else "."
    elif identity is not None:
        text += f" Jag känner igen dig som {identity.user_key} ({identity.channel})."
    text += f" Stämmer något inte? Kontakta {situation.collaboration.contact}."
    await send(dc.context, text)


@handles("who_is")
async def who_is(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    """'vem är kommunpolis': the members whose role is that, with their party; the contact when nobody is."""
    wanted = understanding.slots.get("role") or ""
    async with unit_of_work(dc.context, situation) as uow:
        found = await membership.members_with_role(uow, wanted)
    if not found:
        text = (f"Ingen medlem har rollen ”{wanted}” här. Fråga {situation.collaboration.contact}, "
                "eller skriv ”vilka är parterna”.")
    else:
        lines = [f"{m.name} – {m.role}, {situation.collaboration.party(m.party).name}" for m in found]
        text = f"Med rollen ”{wanted}”:\n" + bullet_list(lines)
    await send(dc.context, text)


@handles("add_member")
async def add_member(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    if not situation.asker.is_admin:
        await send(context, "Bara en administratör kan lägga till medlemmar.")
        return
    mentioned = _mentioned(context)
    if context.activity.channel_id != "msteams" or len(mentioned) != 1:
        await send(context,
            "Nämn personen med @ i Teams, till exempel ”lägg till @Karin Lund som medlem, kommunen, "
            "fritidsledare”. Utanför Teams: samverkan members add.")
        return
    party = understanding.slots.get("party")
    if party is None:
        await send(context, "Skriv också vilken part: kommunen eller polisen.")
        return
    account = mentioned[0]
    name = account.get("name") or "Okänd"
    turn_place = place_of(context)
    object_id = account.get("aadObjectId") or await turn_place.object_id_of(account["id"])
    if not object_id:
        await send(context,
            f"Jag kunde inte hämta {name}s Entra-id från Teams. Försök igen, eller använd "
            "samverkan members add --teams-id.")
        return
    async with unit_of_work(context, situation) as uow:
        added = await membership.add_member_in_chat(
            uow, situation, name=name, party=party, role=understanding.slots.get("role") or "",
            admin=bool(understanding.slots.get("admin")), channel="msteams", user_key=object_id,
            tenant_id=turn_place.tenant)
    if added.already:
        await send(context, f"{name} är redan medlem.")
        return
    members_of(context).forget()  # "not a member" is remembered for a while too
    member = added.member
    await send(context, f"{member.name} är nu medlem ({situation.collaboration.party(party).name}"
                        f"{', ' + member.role if member.role else ''}{', administratör' if member.is_admin else ''}).")


@handles("list_members")
async def list_members(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    """Every member may see who is in the bot; admins also see how the bot knows each one."""
    async with unit_of_work(dc.context, situation) as uow:
        members = await membership.list_members(uow)
    admin = situation.asker.is_admin
    lines = [member_text(m, with_identities=admin) for m in members]
    text = f"Medlemmar ({len(members)}):\n" + bullet_list(lines)
    if admin and members:
        other = next((m.name for m in members if m.id != situation.asker.member_id), members[0].name)
        text += f"\nÄndra med till exempel ”gör {other} till administratör” eller ”ta bort {other} som medlem”."
    await send(dc.context, text)


@handles("set_admin")
async def set_admin(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    admin = bool(understanding.slots.get("admin"))
    await _change(dc.context, situation, understanding.slots.get("name") or "", admin=admin)


@handles("remove_member")
async def remove(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    await _change(dc.context, situation, understanding.slots.get("name") or "", admin=None)


async def _change(context, situation: Situation, name: str, *, admin: bool | None) -> None:
    """``admin`` True or False sets it; None removes the member. Takes effect from the next message."""
    try:
        async with unit_of_work(context, situation) as uow:
            done = await membership.change_member_in_chat(uow, situation, name, admin=admin)
    except MemberChangeRefused as refused:
        await send(context, str(refused))
        return
    except NotOne as not_one:
        await send(context, _not_one(name, not_one.found))
        return
    members_of(context).forget()  # the member's next message already sees the change
    if done.removed:
        reply = _removed_text(done)
    else:
        state = "administratör" if admin else "inte administratör"
        who = "Du" if done.yourself else done.member.name
        reply = f"{who} är nu {state}." if done.changed else f"{who} är redan {state}."
    await send(context, reply)


def _not_one(name: str, found) -> str:
    if found:
        return f"Flera medlemmar heter {name}: " + ", ".join(m.name for m in found) + ". Skriv hela namnet."
    return f"Jag hittar ingen medlem som heter {name}. Skriv ”vilka är medlemmar” för att se alla."


def _removed_text(done: MemberChanged) -> str:
    """Said when a member is removed, with the open actions now answered for by someone without access."""
    member, numbers = done.member, done.open_actions
    text = (f"{member.name} är inte längre medlem och kommer inte åt boten. Det hen har loggat och skapat finns "
            "kvar med hens namn.")
    if numbers:
        refs = ", ".join(f"#{n}" for n in numbers)
        count = "en öppen åtgärd" if len(numbers) == 1 else f"{len(numbers)} öppna åtgärder"
        them = "den" if len(numbers) == 1 else "dem"
        text += (f" Hen är ansvarig för {count} ({refs}); ge {them} till någon annan, till exempel "
                 f"”ge #{numbers[0]} till {PARTY_NAMES.get(member.party, member.party)}”.")
    return text


def _mentioned(context) -> list[dict]:
    """The people @mentioned in the message (``{"id", "name", "aadObjectId"?}``), the bot itself left out."""
    bot_id = context.activity.recipient.id if context.activity.recipient else None
    found = []
    for entity in context.activity.entities or []:
        # botbuilder keeps a mention's fields in additional_properties (its Entity model only knows "type").
        extra = getattr(entity, "additional_properties", None) or {}
        mentioned = extra.get("mentioned") if getattr(entity, "type", None) == "mention" else None
        if isinstance(mentioned, dict) and mentioned.get("id") and mentioned["id"] != bot_id:
            found.append(mentioned)
    return found
