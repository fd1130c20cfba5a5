"""``samverkan members``: who the bot answers. Only known members get replies; every change is audited."""

from __future__ import annotations

import sys

from bot.config import Settings
from storage import AuditLog, MemberRepository
from storage.db import migrated_database


async def list_members(settings: Settings) -> int:
    async with migrated_database(settings.database_url) as database:
        async with database.session() as session:
            members = await MemberRepository(session).list()
        if not members:
            print("Inga medlemmar ännu. Lägg till med: samverkan members add \"Namn\" --party kommun")
        for member in members:
            admin = ", administratör" if member.is_admin else ""
            print(f"{member.id}\t{member.name}\t{member.party}\t{member.role or '-'}{admin}")
        return 0


async def add_member(settings: Settings, name: str, *, party: str, role: str, admin: bool,
                     teams_id: str | None, tenant: str, matrix_id: str | None) -> int:
    if not name.strip():
        print("Namnet får inte vara tomt.", file=sys.stderr)
        return 2
    async with migrated_database(settings.database_url) as database:
        async with database.session() as session:
            members = MemberRepository(session)
            if await members.find_by_name(name):
                print(f"Det finns redan en medlem som heter {name!r}.", file=sys.stderr)
                return 1
            member = await members.add(name.strip(), party, role, is_admin=admin)
            if teams_id:
                await members.add_identity(member, "msteams", teams_id, tenant or "")
            if matrix_id:
                await members.add_identity(member, "matrix", matrix_id)
            await AuditLog(session).record("member.added", actor="cli", subject_type="member",
                                           subject_id=str(member.id), detail={"party": party, "admin": admin})
            await session.commit()
        print(f"Lade till {member.name} ({party}{', administratör' if admin else ''}).")
        return 0
