"""Who the bot thinks you are ("vem är jag"), who the members are, and an admin managing them in chat:
adding a colleague by @mention in Teams, making a member an admin or not, removing one.

A Teams member is known by Entra object id and tenant; the @mention gives the Teams user id, and the
roster lookup (TeamsInfo) gives the object id, so nobody has to copy ids by hand. The checks of a change
(never the last admin) are ``services.members``, shared with ``samverkan members``.
"""

from __future__ import annotations

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.dialogs import DialogContext
from rapidfuzz import fuzz
from sqlalchemy import select

from bot.channels.references import identity_of, tenant_of
from dialogs.context import database_of, members_of
from dialogs.format import bullet_list
from dialogs.nlu import Understanding, fold
from dialogs.registry import handles
from dialogs.replies import send
from domain.rules.actions import OPEN, PARTY_NAMES
from domain.situation import Situation
from services.members import Changer, MemberChangeRefused, member_text, remove_member, update_member
from storage import AuditLog, MemberRepository
from storage.models import Action, Member

SELF_WORDS = {"mig", "mej", "jag", "mig sjalv", "mej sjalv", "jag sjalv"}  # "ta bort mig som administratör"
ROLE_MATCH = 85  # "kommunpolis" finds "Kommunpolis Ljungby"; "samordnare" finds "brottsförebyggande samordnare"


@handles("whoami")
async def whoami(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    asker = situation.asker
    party = situation.collaboration.party(asker.party).name
    parts = [f"Du är {asker.name}, {party}"]
    if asker.role:
        parts.append(asker.role)
    text = ", ".join(parts) + (" och administratör för boten." if asker.is_admin else ".")
    identity = identity_of(dc.context.activity)
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
    async with database_of(dc.context).session() as session:
        members = await MemberRepository(session).list()
    found = [m for m in members if m.role and fuzz.partial_ratio(fold(wanted), fold(m.role)) >= ROLE_MATCH]
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
    object_id = account.get("aadObjectId")
    if not object_id:
        try:
            object_id = (await TeamsInfo.get_member(context, account["id"])).aad_object_id
        except Exception:  # the roster call failed: say so rather than store a Teams-internal id
            object_id = None
    if not object_id:
        await send(context,
            f"Jag kunde inte hämta {name}s Entra-id från Teams. Försök igen, eller använd "
            "samverkan members add --teams-id.")
        return
    tenant = tenant_of(context.activity)
    async with database_of(context).session() as session:
        members = MemberRepository(session)
        member = await members.by_identity("msteams", object_id, tenant, include_inactive=True)
        if member is not None and member.active:
            await send(context, f"{name} är redan medlem.")
            return
        role, admin = understanding.slots.get("role") or "", bool(understanding.slots.get("admin"))
        if member is not None:  # removed earlier: the same member back, with their history
            member.active, member.party, member.role, member.is_admin = True, party, role, admin
        else:
            member = await members.add(name, party, role, is_admin=admin)
            await members.add_identity(member, "msteams", object_id, tenant)
        await AuditLog(session).record("member.added", actor_member_id=situation.asker.member_id,
                                       channel="msteams", subject_type="member", subject_id=member.id,
                                       detail={"party": party, "admin": member.is_admin})
        await session.commit()
        members_of(context).forget()  # "not a member" is remembered for a while too
        reply = (f"{member.name} är nu medlem ({situation.collaboration.party(party).name}"
                 f"{', ' + member.role if member.role else ''}{', administratör' if member.is_admin else ''}).")
    await send(context, reply)


@handles("list_members")
async def list_members(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    """Every member may see who is in the bot; admins also see how the bot knows each one."""
    async with database_of(dc.context).session() as session:
        members = await MemberRepository(session).list()
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


async def _change(context: TurnContext, situation: Situation, name: str, *, admin: bool | None) -> None:
    """``admin`` True or False sets it; None removes the member. Takes effect from the next message."""
    if not situation.asker.is_admin:
        await send(context,
            f"Bara en administratör kan ändra medlemmar. Fråga {situation.collaboration.contact}.")
        return
    async with database_of(context).session() as session:
        yourself = fold(name).strip(" .!?") in SELF_WORDS
        found = ([await session.get(Member, situation.asker.member_id)] if yourself
                 else await find_members(session, name))
        if len(found) != 1:
            await send(context, _not_one(name, found))
            return
        member = found[0]
        changer = Changer(situation.asker.member_id, context.activity.channel_id)
        try:
            if admin is None:
                await remove_member(session, member, changer)
                reply = await _removed_text(session, member)
            else:
                changed = await update_member(session, member, changer, admin=admin)
                state = "administratör" if admin else "inte administratör"
                who = "Du" if yourself else member.name
                reply = f"{who} är nu {state}." if changed else f"{who} är redan {state}."
        except MemberChangeRefused as refused:
            await send(context, str(refused))
            return
        await session.commit()
    members_of(context).forget()  # the member's next message already sees the change
    await send(context, reply)


async def find_members(session, written: str) -> list[Member]:
    """Active members by full name, or by a first name only one member has ("Olle")."""
    members = MemberRepository(session)
    found = await members.find_by_name(written)
    if found:
        return found
    wanted = fold(written).strip(" .!?")
    by_first = [m for m in await members.list() if fold(m.name.split()[0]) == wanted]
    return by_first if len(by_first) == 1 else []


def _not_one(name: str, found: list[Member]) -> str:
    if found:
        return f"Flera medlemmar heter {name}: " + ", ".join(m.name for m in found) + ". Skriv hela namnet."
    return f"Jag hittar ingen medlem som heter {name}. Skriv ”vilka är medlemmar” för att se alla."


async def _removed_text(session, member: Member) -> str:
    """Said when a member is removed, with the open actions now answered for by someone without access."""
    numbers = list(await session.scalars(select(Action.number).where(
        Action.responsible_member_id == member.id, Action.status.in_(OPEN)).order_by(Action.number)))
    text = (f"{member.name} är inte längre medlem och kommer inte åt boten. Det hen har loggat och skapat finns "
            "kvar med hens namn.")
    if numbers:
        refs = ", ".join(f"#{n}" for n in numbers)
        count = "en öppen åtgärd" if len(numbers) == 1 else f"{len(numbers)} öppna åtgärder"
        them = "den" if len(numbers) == 1 else "dem"
        text += (f" Hen är ansvarig för {count} ({refs}); ge {them} till någon annan, till exempel "
                 f"”ge #{numbers[0]} till {PARTY_NAMES.get(member.party, member.party)}”.")
    return text


def _mentioned(context: TurnContext) -> list[dict]:
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
