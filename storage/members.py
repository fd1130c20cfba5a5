"""Members and the chat identities that map a Teams/Matrix/console account to a member."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.text import fold
from storage.models import Member, MemberIdentity, Party

log = logging.getLogger(__name__)


class MemberRepository:
    """Reads and adds members; the caller owns the session and commits."""

    def __init__(self, session: AsyncSession):
        self.session = session

    async def by_identity(self, channel: str, user_key: str, tenant_id: str = "", *,
                          include_inactive: bool = False) -> Member | None:
        """The active member behind a chat account, or None (unknown accounts and inactive members alike,
        unless ``include_inactive``: a removed member added again is the same member).

        An identity stored without a tenant matches any tenant (configuration may omit it, while Teams
        always reports one; Entra object ids are globally unique); an exact tenant match wins.        """
        tenant_id = tenant_id or ""
        statement = (
            select(Member, MemberIdentity.tenant_id)
            .join(MemberIdentity, MemberIdentity.member_id == Member.id)
            .where(
                MemberIdentity.channel == channel,
                MemberIdentity.user_key == user_key,
                MemberIdentity.tenant_id.in_([tenant_id, ""]),
            )
        )
        if not include_inactive:
            statement = statement.where(Member.active.is_(True))
        found = {tenant: member for member, tenant in (await self.session.execute(statement)).all()}
        return found.get(tenant_id) or found.get("")

    async def add(self, name: str, party: str, role: str, is_admin: bool = False) -> Member:
        """Adds a member (flushed, so ``id`` is set); ``party`` is ``kommun`` or ``polis``."""
        party = Party(party).value
        member = Member(
            name=" ".join(name.split()), party=party, role=role or "", is_admin=is_admin, identities=[]
        )
        self.session.add(member)
        await self.session.flush()
        return member

    async def add_identity(
        self, member: Member, channel: str, user_key: str, tenant_id: str = ""
    ) -> MemberIdentity:
        """Links a chat account to a member; the (channel, user_key, tenant_id) triple is unique."""
        # Setting the relationship (not member_id) keeps member.identities in step without a lazy load.
        identity = MemberIdentity(
            member=member, channel=channel, user_key=user_key, tenant_id=tenant_id or ""
        )
        self.session.add(identity)
        await self.session.flush()
        return identity

    async def find_by_name(self, name: str, *, include_inactive: bool = False) -> list[Member]:
        """Members whose name equals ``name`` ignoring case and surrounding space.

        Compared in Python because SQLite's lower() only folds ASCII (Å, Ä, Ö would not match); the
        member table is small.
        """
        return _named(await self.list(include_inactive=include_inactive), name)

    async def named(self, written: str) -> list[Member]:
        """Active members by full name, or by a first name only one member has ("ge #12 till Olle")."""
        members = await self.list()
        found = _named(members, written)
        if found:
            return found
        wanted = fold(written).strip(" .!?")
        by_first = [m for m in members if fold(m.name.split()[0]) == wanted]
        return by_first if len(by_first) == 1 else []

    async def get(self, member_id: int) -> Member | None:
        return await self.session.get(Member, member_id)

    async def list(self, *, include_inactive: bool = False) -> list[Member]:
        """All (active) members, ordered by name."""
        statement = select(Member).order_by(Member.name, Member.id)
        if not include_inactive:
            statement = statement.where(Member.active.is_(True))
        return list((await self.session.scalars(statement)).all())


async def sync_configured_members(session: AsyncSession, configured: Iterable[Any]) -> list[Member]:
    """Makes sure the members listed in configuration exist with their Teams and Matrix identities.

    Run at start-up, so it is idempotent. A configured member is matched by any of its identities, else
    by name; configuration then wins for name, party, role and admin. Nothing is removed or deactivated:
    members added in chat stay, and a member deactivated by an administrator stays inactive. An identity
    already linked to someone else is left alone (and logged) rather than stopping the bot.
    ``configured`` items need ``name``, ``party``, ``role``, ``admin``, ``teams_object_id``,
    ``teams_tenant_id`` and ``matrix_id`` (``domain.collaboration.Member``). The caller commits.
    """
    members = MemberRepository(session)
    result: list[Member] = []
    for entry in configured:
        wanted = [
            (channel, user_key, tenant or "")
            for channel, user_key, tenant in (
                ("msteams", entry.teams_object_id, entry.teams_tenant_id),
                ("matrix", entry.matrix_id, ""),
            )
            if user_key
        ]
        linked = {identity: await _identity(session, *identity) for identity in wanted}
        owners = {found.member_id for found in linked.values() if found is not None}
        member = await session.get(Member, min(owners)) if owners else None
        if member is None:
            by_name = await members.find_by_name(entry.name, include_inactive=True)
            member = by_name[0] if by_name else None
        if member is None:
            member = await members.add(entry.name, entry.party, entry.role or "", is_admin=bool(entry.admin))
        else:
            member.name = " ".join(entry.name.split())
            member.party = Party(entry.party).value
            member.role = entry.role or ""
            member.is_admin = bool(entry.admin)
        for identity, found in linked.items():
            if found is None:
                await members.add_identity(member, *identity)
            elif found.member_id != member.id:
                log.warning(
                    "Configured %s identity of %s already belongs to member %s",
                    identity[0],
                    member.name,
                    found.member_id,
                )
        result.append(member)
    await session.flush()
    return result


async def _identity(
    session: AsyncSession, channel: str, user_key: str, tenant_id: str
) -> MemberIdentity | None:
    statement = select(MemberIdentity).where(
        MemberIdentity.channel == channel,
        MemberIdentity.user_key == user_key,
        MemberIdentity.tenant_id == tenant_id,
    )
    return (await session.scalars(statement)).one_or_none()


def _named(members: list[Member], name: str) -> list[Member]:
    wanted = " ".join(name.split()).casefold()
    return [m for m in members if m.name.casefold() == wanted]
