"""Who the bot thinks you are ("vem är jag"), and an admin adding a colleague by @mention in Teams.

A Teams member is known by Entra object id and tenant; the @mention gives the Teams user id, and the
roster lookup (TeamsInfo) gives the object id, so nobody has to copy ids by hand.
"""

from __future__ import annotations

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.dialogs import DialogContext
from rapidfuzz import fuzz

from bot.channels.references import identity_of, tenant_of
from dialogs.context import Situation, database_of
from dialogs.format import bullet_list
from dialogs.nlu import Understanding, fold
from dialogs.registry import handles
from storage import AuditLog, MemberRepository

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
    await dc.context.send_activity(MessageFactory.text(text))


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
    await dc.context.send_activity(MessageFactory.text(text))


@handles("add_member")
async def add_member(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    if not situation.asker.is_admin:
        await context.send_activity(MessageFactory.text("Bara en administratör kan lägga till medlemmar."))
        return
    mentioned = _mentioned(context)
    if context.activity.channel_id != "msteams" or len(mentioned) != 1:
        await context.send_activity(MessageFactory.text(
            "Nämn personen med @ i Teams, till exempel ”lägg till @Karin Lund som medlem, kommunen, "
            "fritidsledare”. Utanför Teams: samverkan members add."))
        return
    party = understanding.slots.get("party")
    if party is None:
        await context.send_activity(MessageFactory.text("Skriv också vilken part: kommunen eller polisen."))
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
        await context.send_activity(MessageFactory.text(
            f"Jag kunde inte hämta {name}s Entra-id från Teams. Försök igen, eller använd "
            "samverkan members add --teams-id."))
        return
    tenant = tenant_of(context.activity)
    async with database_of(context).session() as session:
        members = MemberRepository(session)
        if await members.by_identity("msteams", object_id, tenant):
            await context.send_activity(MessageFactory.text(f"{name} är redan medlem."))
            return
        member = await members.add(name, party, understanding.slots.get("role") or "",
                                   is_admin=bool(understanding.slots.get("admin")))
        await members.add_identity(member, "msteams", object_id, tenant)
        await AuditLog(session).record("member.added", actor_member_id=situation.asker.member_id,
                                       channel="msteams", subject_type="member", subject_id=member.id,
                                       detail={"party": party, "admin": member.is_admin})
        await session.commit()
        reply = (f"{member.name} är nu medlem ({situation.collaboration.party(party).name}"
                 f"{', ' + member.role if member.role else ''}{', administratör' if member.is_admin else ''}).")
    await context.send_activity(MessageFactory.text(reply))


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
