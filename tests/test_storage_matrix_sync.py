"""The Matrix channel's rows (``storage.matrix_sync``) on SQLite and PostgreSQL, without a homeserver.

The sync token and event claims are tested in ``test_matrix.py`` (``test_sync_state_claims_each_event_once``);
these are the channel's other reads and writes, moved here from the runner's inline sessions."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from storage import ConversationReferenceRepository, MemberRepository, models
from storage.matrix_sync import KnownRoom, MatrixSyncState

USER = "@bot:localhost"


async def test_a_room_is_known_only_while_its_reference_is_active(database):
    state = MatrixSyncState(database, USER)
    assert await state.known_room("!room:localhost") is None
    async with database.session() as session:
        references = ConversationReferenceRepository(session)
        await references.upsert("matrix:!room:localhost", channel_id="matrix", conversation_id="!room:localhost",
                                conversation_type="room", reference={}, active=True)
        await session.commit()
    assert await state.known_room("!room:localhost") == KnownRoom("!room:localhost", "room")
    async with database.session() as session:
        await ConversationReferenceRepository(session).mark_inactive("matrix:!room:localhost")
        await session.commit()
    assert await state.known_room("!room:localhost") is None


async def test_a_refused_invite_is_audited_with_the_inviter_and_the_room(database):
    await MatrixSyncState(database, USER).record_refused_invite("!room:localhost", "@stranger:localhost")
    async with database.session() as session:
        [entry] = (await session.scalars(select(models.AuditEntry))).all()
    assert (entry.action, entry.actor, entry.channel) == ("matrix.invite_refused", "matrix:@stranger:localhost",
                                                          "matrix")
    assert (entry.subject_type, entry.subject_id) == ("conversation", "matrix:!room:localhost")


async def test_a_key_problem_is_told_once_to_each_active_admin_and_audited(database):
    now = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
    async with database.session() as session:
        members = MemberRepository(session)
        admin = await members.add("Anna Andersson", "kommun", "", is_admin=True)
        await members.add("Bo Berg", "polis", "")
        gone = await members.add("Cia Carlsson", "kommun", "", is_admin=True)
        gone.active = False
        await session.commit()
    state = MatrixSyncState(database, USER)
    assert await state.report_key_problem("DEVICE", "Nyckellagret saknas", now) == 1
    assert await state.report_key_problem("DEVICE", "Nyckellagret saknas", now) == 1  # planned again: same key
    async with database.session() as session:
        [notice] = (await session.scalars(select(models.OutboxMessage))).all()
        entries = (await session.scalars(select(models.AuditEntry).where(
            models.AuditEntry.action == "matrix.keys_refused"))).all()
    assert (notice.member_id, notice.kind, notice.payload) == (admin.id, "notice", {"text": "Nyckellagret saknas"})
    assert [(entry.actor, entry.subject_id) for entry in entries] == [(f"matrix:{USER}", "DEVICE")] * 2
