"""``samverkan members``: who the bot answers. Only known members get replies; every change is audited."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from services.members import Changer, MemberChangeRefused, member_text, remove_member, update_member
from storage import AuditLog, MemberRepository
from storage.db import migrated_database
from storage.models import Member

if TYPE_CHECKING:
    from bot.config import Settings  # the caller's configuration: only its fields are read


async def list_members(settings: Settings) -> int:
    async with migrated_database(settings.database_url) as database:
        async with database.session() as session:
            members = await MemberRepository(session).list()
        if not members:
            print("Inga medlemmar ännu. Lägg till med: samverkan members add \"Namn\" --party kommun")
        for member in members:
            print(f"{member.id}\t{member_text(member, with_identities=True)}")
        return 0


async def add_member(settings: Settings, name: str, *, party: str, role: str, admin: bool,
                     teams_id: str | None, tenant: str, matrix_id: str | None) -> int:
    """A new member, or a removed one back (same member, so their history stays theirs)."""
    if not name.strip():
        print("Namnet får inte vara tomt.", file=sys.stderr)
        return 2
    async with migrated_database(settings.database_url) as database:
        async with database.session() as session:
            members = MemberRepository(session)
            if await members.find_by_name(name):
                print(f"Det finns redan en medlem som heter {name!r}. Ändra med: samverkan members set "
                      f"\"{name.strip()}\" --admin/--no-admin/--role/--party", file=sys.stderr)
                return 1
            removed = await members.find_by_name(name, include_inactive=True)
            if removed:
                member = removed[0]
                member.active, member.party, member.role, member.is_admin = True, party, role or "", admin
            else:
                member = await members.add(name.strip(), party, role, is_admin=admin)
            known = {(i.channel, i.user_key) for i in member.identities}
            if teams_id and ("msteams", teams_id) not in known:
                await members.add_identity(member, "msteams", teams_id, tenant or "")
            if matrix_id and ("matrix", matrix_id) not in known:
                await members.add_identity(member, "matrix", matrix_id)
            await AuditLog(session).record("member.added", actor="cli", subject_type="member",
                                           subject_id=str(member.id), detail={"party": party, "admin": admin})
            await session.commit()
        again = " igen" if removed else ""
        print(f"Lade till {member.name}{again} ({party}{', administratör' if admin else ''}).")
        return 0


async def set_member(settings: Settings, name: str, *, admin: bool | None, role: str | None,
                     party: str | None, access: str | None = None) -> int:
    if admin is None and role is None and party is None and access is None:
        print("Ange vad som ska ändras: --admin, --no-admin, --role, --party eller --access.", file=sys.stderr)
        return 2
    async with migrated_database(settings.database_url) as database:
        async with database.session() as session:
            member = await _one(session, name)
            if member is None:
                return 1
            try:
                changed = await update_member(session, member, Changer(), admin=admin, role=role, party=party,
                                              access=access)
            except MemberChangeRefused as refused:
                print(str(refused), file=sys.stderr)
                return 1
            await session.commit()
        print(f"{member.name}: {', '.join(changed)}." if changed else f"{member.name}: inget att ändra.")
        print("En bot som är igång märker ändringen inom en minut.")
        return 0


async def remove(settings: Settings, name: str) -> int:
    async with migrated_database(settings.database_url) as database:
        async with database.session() as session:
            member = await _one(session, name)
            if member is None:
                return 1
            try:
                await remove_member(session, member, Changer())
            except MemberChangeRefused as refused:
                print(str(refused), file=sys.stderr)
                return 1
            await session.commit()
        print(f"Tog bort {member.name} som medlem. Det hen har skrivit och ansvarar för finns kvar. "
              "En bot som är igång märker ändringen inom en minut.")
        return 0


class NoOneMember(Exception):
    """No single member matches what the command line named; the message is the Swedish reason."""


async def one_member(members: MemberRepository, name: str | None, *, member_id: int | None = None,
                     include_inactive: bool = False, by_id: bool = False) -> Member:
    """The one member named (or numbered), for every admin command. ``by_id``: the command takes ``--id``,
    so a name that several members share is answered with their ids."""
    if member_id is not None:
        member = await members.get(member_id)
        if member is None:
            raise NoOneMember(f"Det finns ingen medlem med id {member_id}. Se: samverkan members list")
        return member
    found = await members.find_by_name(name or "", include_inactive=include_inactive)
    if not found:
        raise NoOneMember(f"Det finns ingen medlem som heter {name!r}. Se: samverkan members list")
    if len(found) > 1:
        ids = ", ".join(str(m.id) for m in found)
        how = "Ange vilken med --id." if by_id else "Byt namn på en av dem i databasen."
        raise NoOneMember(f"Det finns {len(found)} medlemmar som heter {name!r} (id {ids}). {how}")
    return found[0]


async def _one(session, name: str) -> Member | None:
    try:
        return await one_member(MemberRepository(session), name)
    except NoOneMember as missing:
        print(str(missing), file=sys.stderr)
        return None
