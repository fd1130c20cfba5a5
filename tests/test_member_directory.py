"""Membership is remembered briefly; removal takes effect within the stated minute, addition quickly."""

from __future__ import annotations

from datetime import timedelta

from bot.channels.references import Identity
from bot.members import KNOWN_TTL, UNKNOWN_TTL, MemberDirectory
from domain.clock import FixedClock
from storage import Database, MemberRepository
from storage.models import Member

ANNA = Identity("msteams", "aad-anna", "tenant-1")


async def _add_anna(database: Database) -> int:
    async with database.session() as session:
        members = MemberRepository(session)
        member = await members.add("Anna Andersson", "kommun", "samordnare")
        await members.add_identity(member, ANNA.channel, ANNA.user_key, ANNA.tenant_id)
        await session.commit()
        return member.id


async def _deactivate(database: Database, member_id: int) -> None:
    async with database.session() as session:
        (await session.get(Member, member_id)).active = False
        await session.commit()


async def test_a_removed_member_loses_access_when_the_memory_expires(database: Database):
    clock = FixedClock()
    directory = MemberDirectory(database, clock)
    member_id = await _add_anna(database)
    asker = await directory.lookup(ANNA)
    assert (asker.name, asker.party) == ("Anna Andersson", "kommun")

    await _deactivate(database, member_id)
    assert await directory.lookup(ANNA) is not None  # still remembered ...
    clock.advance(KNOWN_TTL + timedelta(seconds=1))
    assert await directory.lookup(ANNA) is None  # ... but not for longer than KNOWN_TTL


async def test_a_new_member_gets_in_once_the_short_negative_memory_expires(database: Database):
    clock = FixedClock()
    directory = MemberDirectory(database, clock)
    assert await directory.lookup(ANNA) is None
    await _add_anna(database)
    clock.advance(UNKNOWN_TTL + timedelta(seconds=1))
    assert (await directory.lookup(ANNA)).name == "Anna Andersson"


async def test_forget_applies_a_change_at_once(database: Database):
    directory = MemberDirectory(database, FixedClock())
    member_id = await _add_anna(database)
    assert await directory.lookup(ANNA) is not None
    await _deactivate(database, member_id)
    directory.forget(ANNA)
    assert await directory.lookup(ANNA) is None
