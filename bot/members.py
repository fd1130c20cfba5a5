"""Who is writing: chat identity to member, with a short in-process memory.

Membership is checked on every turn, and a database round trip costs more than the rest of a turn
does. Answers are remembered for a short while (known members 60 s, unknown identities 10 s, so a
member just added gets in quickly); a member removed or deactivated loses access within a minute,
and at once in the process that made the change (``forget``). When a remembered answer runs out under
load, the turns that find it gone wait for one lookup instead of each making their own.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from bot.channels.recent import Recent
from bot.channels.references import Identity
from domain.clock import Clock
from domain.situation import Asker
from storage import Database, MemberRepository

KNOWN_TTL = timedelta(seconds=60)
UNKNOWN_TTL = timedelta(seconds=10)
MAX_ENTRIES = 10_000


class MemberDirectory:
    def __init__(self, database: Database, clock: Clock):
        self._database = database
        self._clock = clock
        self._cache: Recent[Identity, tuple[datetime, Asker | None]] = Recent(MAX_ENTRIES)
        self._names: tuple[datetime, tuple[str, ...]] | None = None
        self._refreshing = asyncio.Lock()  # one database lookup at a time; the others then find its answer

    async def names(self) -> tuple[str, ...]:
        """Active members' names, for reading "ge #12 till Olle" (remembered like a known member)."""
        now = self._clock.now()
        if self._names is not None and self._names[0] > now:
            return self._names[1]
        async with self._refreshing:
            if self._names is not None and self._names[0] > now:
                return self._names[1]
            async with self._database.session() as session:
                names = tuple(member.name for member in await MemberRepository(session).list())
            self._names = (now + KNOWN_TTL, names)
        return names

    async def lookup(self, identity: Identity) -> Asker | None:
        now = self._clock.now()
        cached = self._cache.get(identity)
        if cached is not None and cached[0] > now:
            return cached[1]
        async with self._refreshing:
            cached = self._cache.get(identity)
            if cached is not None and cached[0] > now:
                return cached[1]
            async with self._database.session() as session:
                asker = await self._fetch(session, identity)
            self._cache[identity] = (now + (KNOWN_TTL if asker else UNKNOWN_TTL), asker)
        return asker

    def forget(self, identity: Identity | None = None) -> None:
        self._names = None
        if identity is None:
            self._cache.clear()
        else:
            self._cache.pop(identity, None)

    @staticmethod
    async def _fetch(session, identity: Identity) -> Asker | None:
        member = await MemberRepository(session).by_identity(identity.channel, identity.user_key, identity.tenant_id)
        if member is None:
            return None
        return Asker(member.id, member.name, member.party, member.role, member.is_admin, member.access)
