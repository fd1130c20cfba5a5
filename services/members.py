"""Changing members: admin or not, role, party, removal, with one set of checks for the command and the chat.

A member is never deleted: removing one marks them inactive, so what they logged, created or answered for
keeps its author while they lose access; erasing one (a data subject's request) also pseudonymises them.
The collaboration always keeps an admin, so the last one can be neither removed, demoted nor erased. Every
change is audited. The command line calls ``update_member``, ``remove_member`` and ``erase_member`` and
commits itself; the chat's use cases (``add_member_in_chat``, ``change_member_in_chat``)
are one transaction each, after which the conversation forgets the member in its ``MemberDirectory`` so the
change holds from the next message.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy import select

from domain.rules.access import ACCESS_NAMES
from domain.rules.actions import OPEN, PARTY_NAMES
from domain.situation import Situation
from domain.text import fold
from domain.vocabulary import Access
from storage import AuditLog, MemberRepository
from storage.models import Action, Member
from storage.subject_data import Erasure, pseudonymise

CHANNEL_NAMES = {"msteams": "Teams", "matrix": "Matrix", "console": "konsolen"}


class MemberChangeRefused(Exception):
    """A change that was not made; the message is the Swedish reason."""


@dataclass(frozen=True)
class Changer:
    """Who makes the change, for the audit log: a member in chat, or the command line."""

    member_id: int | None = None
    channel: str = "cli"


async def update_member(session, member: Member, changer: Changer, *, admin: bool | None = None,
                        role: str | None = None, party: str | None = None, access: str | None = None) -> list[str]:
    """Applies what is given; returns what changed, in Swedish ("administratör", "roll kommunpolis")."""
    changed = await _apply(session, member, admin=admin, role=role, party=party)
    if access is not None and access != member.access:
        member.access = access
        changed.append(f"behörighet {ACCESS_NAMES[access]}")
    if changed:
        await _audit(session, "member.changed", member, changer, _changed_detail(member))
    return changed


def _changed_detail(member: Member) -> dict:
    return {"admin": member.is_admin, "role": member.role, "party": member.party, "access": member.access}


async def _apply(session, member: Member, *, admin: bool | None, role: str | None, party: str | None) -> list[str]:
    if admin is False and member.is_admin:
        await _keep_an_admin(session, member, "ta bort administratörsrollen från")
    changed = []
    if admin is not None and admin != member.is_admin:
        member.is_admin = admin
        changed.append("administratör" if admin else "inte längre administratör")
    if role is not None and role.strip() != member.role:
        member.role = role.strip()
        changed.append(f"roll {member.role}" if member.role else "ingen roll")
    if party is not None and party != member.party:
        member.party = party
        changed.append(f"part {PARTY_NAMES.get(party, party)}")
    return changed


async def remove_member(session, member: Member, changer: Changer) -> None:
    """Marks the member inactive (their history stays theirs); refused for the last admin."""
    if member.is_admin:
        await _keep_an_admin(session, member, "ta bort")
    member.active = False
    await _audit(session, "member.removed", member, changer, None)


def pseudonym_for(member: Member) -> str:
    """What an erased member is called from then on: stable, unique, and no part of their name."""
    return f"Borttagen medlem {member.id}"


async def erase_member(session, member: Member, changer: Changer) -> Erasure:
    """A data subject's erasure: access and personal chats removed, authorship kept under a pseudonym
    (``storage.subject_data.pseudonymise``); refused for the last admin. Audited without the name."""
    if member.is_admin and member.active:
        await _keep_an_admin(session, member, "radera")
    erasure = await pseudonymise(session, member, pseudonym_for(member))
    await _audit(session, "member.erased", member, changer, erasure.as_detail())
    return erasure


async def _keep_an_admin(session, member: Member, doing: str) -> None:
    admins = [m for m in await MemberRepository(session).list() if m.is_admin]
    if [m.id for m in admins] == [member.id]:
        raise MemberChangeRefused(
            f"Jag kan inte {doing} {member.name}: hen är den enda administratören, och boten behöver minst en. "
            "Gör någon annan till administratör först.")


async def _audit(session, what: str, member: Member, changer: Changer, detail: dict | None) -> None:
    await AuditLog(session).record(what, actor_member_id=changer.member_id,
                                   actor="cli" if changer.member_id is None else None, channel=changer.channel,
                                   subject_type="member", subject_id=str(member.id), detail=detail)


def identities_text(member: Member) -> str:
    """"Teams aad-anna (organisation t-1), Matrix @anna:almhult.se", or that there are none."""
    parts = []
    for identity in sorted(member.identities, key=lambda i: (i.channel, i.user_key)):
        text = f"{CHANNEL_NAMES.get(identity.channel, identity.channel)} {identity.user_key}"
        parts.append(text + (f" (organisation {identity.tenant_id})" if identity.tenant_id else ""))
    return ", ".join(parts) or "inga inloggningar kopplade"


def member_text(member: Member, *, with_identities: bool) -> str:
    """One member as a list shows it: name, party, role, admin, and (for admins) how the bot knows them."""
    parts = [member.name, PARTY_NAMES.get(member.party, member.party)]
    if member.role:
        parts.append(member.role)
    if member.is_admin:
        parts.append("administratör")
    if member.access != Access.MEMBER.value:
        parts.append(ACCESS_NAMES.get(member.access, member.access))
    text = ", ".join(parts)
    return text + (f" – {identities_text(member)}" if with_identities else "")


# --- in chat ----------------------------------------------------------------------------------------------

SELF_WORDS = {"mig", "mej", "jag", "mig sjalv", "mej sjalv", "jag sjalv"}  # "ta bort mig som administratör"
ROLE_MATCH = 85  # "kommunpolis" finds "Kommunpolis Ljungby"; "samordnare" finds "brottsförebyggande samordnare"


@dataclass(frozen=True)
class IdentityView:
    channel: str
    user_key: str
    tenant_id: str = ""


@dataclass(frozen=True)
class MemberView:
    """A member as a reply shows them (rows do not load after the unit of work); ``member_text`` reads it."""

    id: int
    name: str
    party: str
    role: str
    is_admin: bool
    identities: tuple[IdentityView, ...] = ()
    access: str = "member"


def view_of(member: Member) -> MemberView:
    return MemberView(member.id, member.name, member.party, member.role or "", member.is_admin,
                      tuple(IdentityView(i.channel, i.user_key, i.tenant_id or "") for i in member.identities),
                      member.access)


class NotOne(Exception):
    """The name written matches no member, or several (``found``)."""

    def __init__(self, name: str, found: list[MemberView]):
        super().__init__(name)
        self.name = name
        self.found = found


async def list_members(uow) -> list[MemberView]:
    """Active members by name, with how the bot knows them."""
    return [view_of(m) for m in await uow.members.list()]


async def members_with_role(uow, wanted: str) -> list[MemberView]:
    """'vem är kommunpolis': active members whose role reads as ``wanted``."""
    return [view_of(m) for m in await uow.members.list()
            if m.role and fuzz.partial_ratio(fold(wanted), fold(m.role)) >= ROLE_MATCH]


@dataclass(frozen=True)
class Added:
    member: MemberView
    already: bool  # an active member already had that account: nothing changed


async def add_member_in_chat(uow, situation: Situation, *, name: str, party: str, role: str, admin: bool,
                             channel: str, user_key: str, tenant_id: str) -> Added:
    """Adds the person behind a chat account (a Teams Entra object id and tenant); a member removed earlier
    comes back as the same member, with their history."""
    if not situation.asker.is_admin:
        raise MemberChangeRefused("Bara en administratör kan lägga till medlemmar.")
    members = uow.members
    member = await members.by_identity(channel, user_key, tenant_id, include_inactive=True)
    if member is not None and member.active:
        return Added(view_of(member), already=True)
    if member is not None:
        member.active, member.party, member.role, member.is_admin = True, party, role, admin
    else:
        member = await members.add(name, party, role, is_admin=admin)
        await members.add_identity(member, channel, user_key, tenant_id)
    await uow.record("member.added", "member", member.id, party=party, admin=member.is_admin)
    await uow.commit()
    return Added(view_of(member), already=False)


@dataclass(frozen=True)
class MemberChanged:
    member: MemberView
    yourself: bool  # the asker changed themself ("ta bort mig som administratör")
    changed: bool  # False when it already was so
    removed: bool
    open_actions: tuple[int, ...] = ()  # a removed member's open actions, now answered for by someone without access


async def change_member_in_chat(uow, situation: Situation, name: str, *, admin: bool | None) -> MemberChanged:
    """``admin`` True or False sets it; None removes the member. Raises ``NotOne`` for a name that is not one
    member's, ``MemberChangeRefused`` for the asker who is no admin or the last admin."""
    if not situation.asker.is_admin:
        raise MemberChangeRefused(
            f"Bara en administratör kan ändra medlemmar. Fråga {situation.collaboration.contact}.")
    session = uow.session
    yourself = fold(name).strip(" .!?") in SELF_WORDS
    found = [await uow.author()] if yourself else await uow.members.named(name)
    if len(found) != 1:
        raise NotOne(name, [view_of(m) for m in found])
    [member] = found
    if admin is None:
        if member.is_admin:
            await _keep_an_admin(session, member, "ta bort")
        member.active = False
        await uow.record("member.removed", "member", str(member.id))
        numbers = tuple(await session.scalars(select(Action.number).where(
            Action.responsible_member_id == member.id, Action.status.in_(OPEN)).order_by(Action.number)))
        result = MemberChanged(view_of(member), yourself, True, True, numbers)
    else:
        changed = await _apply(session, member, admin=admin, role=None, party=None)
        if changed:
            await uow.record("member.changed", "member", str(member.id), **_changed_detail(member))
        result = MemberChanged(view_of(member), yourself, bool(changed), False)
    await uow.commit()
    return result
