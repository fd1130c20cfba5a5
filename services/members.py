"""Changing members: admin or not, role, party, removal, with one set of checks for the command and the chat.

A member is never deleted: removing one marks them inactive, so what they logged, created or answered for
keeps its author while they lose access. The collaboration always keeps an admin, so the last one can be
neither removed nor demoted. Every change is audited; the caller commits, and forgets the member in its
``MemberDirectory`` so the change holds from the next message.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.rules.actions import PARTY_NAMES
from storage import AuditLog, MemberRepository
from storage.models import Member

CHANNEL_NAMES = {"msteams": "Teams", "matrix": "Matrix", "console": "konsolen"}


class MemberChangeRefused(Exception):
    """A change that was not made; the message is the Swedish reason."""


@dataclass(frozen=True)
class Changer:
    """Who makes the change, for the audit log: a member in chat, or the command line."""

    member_id: int | None = None
    channel: str = "cli"


async def update_member(session, member: Member, changer: Changer, *, admin: bool | None = None,
                        role: str | None = None, party: str | None = None) -> list[str]:
    """Applies what is given; returns what changed, in Swedish ("administratör", "roll kommunpolis")."""
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
    if changed:
        await _audit(session, "member.changed", member, changer,
                     {"admin": member.is_admin, "role": member.role, "party": member.party})
    return changed


async def remove_member(session, member: Member, changer: Changer) -> None:
    """Marks the member inactive (their history stays theirs); refused for the last admin."""
    if member.is_admin:
        await _keep_an_admin(session, member, "ta bort")
    member.active = False
    await _audit(session, "member.removed", member, changer, None)


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
    text = ", ".join(parts)
    return text + (f" – {identities_text(member)}" if with_identities else "")
