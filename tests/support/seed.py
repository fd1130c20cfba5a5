"""A database as a running bot would have it before a test adds its own rows: catalogue and two members."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.collaboration import load_collaboration
from storage import Database, MemberRepository, sync_catalog

MEMBERS = (("Anna Andersson", "kommun", "samordnare"), ("Olle Polis", "polis", "kommunpolis"))


async def seed(database: Database, *, at: datetime = datetime(2026, 11, 26, 9, 0, tzinfo=UTC),
               members: tuple[tuple[str, str, str], ...] = MEMBERS) -> dict[str, int]:
    """Sync the packaged collaboration's focus areas and forums and add ``members``; their ids by name."""
    collaboration = load_collaboration()
    async with database.session() as session:
        await sync_catalog(session, collaboration.focus_areas, collaboration.forums, at)
        added = [await MemberRepository(session).add(name, party, role) for name, party, role in members]
        await session.commit()
        return {member.name: member.id for member in added}
