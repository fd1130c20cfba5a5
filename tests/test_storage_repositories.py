"""Repositories: members, conversation references, audit log, catalog sync and running numbers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from domain.collaboration import Member
from storage import (
    AuditLog,
    ConversationReferenceRepository,
    Database,
    MemberRepository,
    next_number,
    sync_catalog,
)
from storage.members import sync_configured_members
from storage.models import (
    AuditEntry,
    CatalogChange,
    ConversationReference,
    FocusArea,
    Forum,
    Observation,
    SequenceCounter,
)


async def test_member_identity_lookup(database: Database):
    async with database.session() as session:
        members = MemberRepository(session)
        anna = await members.add("Anna  Åberg", "kommun", "Trygghetssamordnare", is_admin=True)
        olle = await members.add("Olle Polis", "polis", "Kommunpolis")
        await members.add_identity(anna, "msteams", "aad-anna", tenant_id="tenant-1")
        await members.add_identity(anna, "matrix", "@anna:example.org")
        await members.add_identity(olle, "console", "olle")
        await session.commit()

    async with database.session() as session:
        members = MemberRepository(session)
        found = await members.by_identity("msteams", "aad-anna", "tenant-1")
        assert found is not None and found.name == "Anna Åberg" and found.is_admin
        assert {i.channel for i in found.identities} == {"msteams", "matrix"}
        assert (await members.by_identity("matrix", "@anna:example.org")).id == found.id
        assert await members.by_identity("msteams", "aad-anna") is None  # Stored with a tenant: must match.
        assert await members.by_identity("msteams", "aad-anna", "tenant-2") is None
        # Stored without a tenant (configuration may omit it): matches whatever tenant Teams reports.
        assert (await members.by_identity("matrix", "@anna:example.org", "any-tenant")).id == found.id
        assert await members.by_identity("console", "nobody") is None
        assert [m.name for m in await members.find_by_name("anna åberg")] == ["Anna Åberg"]
        assert [m.name for m in await members.list()] == ["Anna Åberg", "Olle Polis"]

        olle = (await members.find_by_name("Olle Polis"))[0]
        olle.active = False
        await session.commit()

    async with database.session() as session:
        members = MemberRepository(session)
        assert await members.by_identity("console", "olle") is None
        assert [m.name for m in await members.list()] == ["Anna Åberg"]
        assert len(await members.list(include_inactive=True)) == 2


async def test_identity_is_unique_per_channel_user_and_tenant(database: Database):
    async with database.session() as session:
        members = MemberRepository(session)
        anna = await members.add("Anna", "kommun", "")
        bo = await members.add("Bo", "polis", "")
        await members.add_identity(anna, "msteams", "same-id")
        await members.add_identity(bo, "msteams", "same-id", tenant_id="other-tenant")
        with pytest.raises(IntegrityError):
            await members.add_identity(bo, "msteams", "same-id")


async def test_member_party_is_validated(database: Database):
    async with database.session() as session:
        with pytest.raises(ValueError):
            await MemberRepository(session).add("X", "brandkaren", "")


async def _active_keys(session, channel: str | None = None) -> list[str]:
    """The keys of active references on ``channel`` (all channels when None), read straight from the table."""
    statement = select(ConversationReference.key).where(ConversationReference.active.is_(True))
    if channel is not None:
        statement = statement.where(ConversationReference.channel_id == channel)
    return list(await session.scalars(statement.order_by(ConversationReference.id)))


async def test_reference_upsert_creates_then_updates(database: Database):
    key = "msteams:a:" + "x" * 400  # Teams personal conversation ids are long.
    fields = {
        "channel_id": "msteams",
        "service_url": "https://smba.trafficmanager.net/emea/",
        "conversation_id": key.removeprefix("msteams:"),
        "conversation_type": "personal",
        "tenant_id": "tenant-1",
        "reference": {"conversation": {"id": key}, "bot": {"id": "28:bot"}},
    }
    async with database.session() as session:
        row, created = await ConversationReferenceRepository(session).upsert(key, **fields)
        assert created and row.id is not None and row.active
        await session.commit()
        first_updated = row.updated_at

    async with database.session() as session:
        references = ConversationReferenceRepository(session)
        assert await references.mark_inactive(key)
        assert not await references.mark_inactive("msteams:unknown")
        await session.commit()
        assert await _active_keys(session) == []

        row, created = await references.upsert(
            key, **{**fields, "service_url": "https://smba.trafficmanager.net/emea2/"}
        )
        assert not created
        assert row.active  # Seen again: active again.
        assert row.service_url.endswith("emea2/")
        assert row.updated_at >= first_updated
        await session.commit()

    async with database.session() as session:
        references = ConversationReferenceRepository(session)
        stored = await references.get(key)
        assert stored.reference == fields["reference"]
        assert stored.created_at.tzinfo is not None
        assert await _active_keys(session, "msteams") == [key]
        assert await _active_keys(session, "matrix") == []
        with pytest.raises(TypeError):
            await references.upsert(key, no_such_column=1)


async def test_concurrent_reference_upserts_create_one_row(database: Database):
    fields = {
        "channel_id": "matrix",
        "conversation_id": "!room",
        "conversation_type": "room",
        "reference": {},
    }

    async def upsert() -> bool:
        async with database.session() as session:
            _, created = await ConversationReferenceRepository(session).upsert("matrix:!room", **fields)
            await session.commit()
            return created

    results = await asyncio.gather(*(upsert() for _ in range(5)))
    assert sorted(results) == [False, False, False, False, True]


async def test_audit_log_records_without_message_text(database: Database):
    async with database.session() as session:
        audit = AuditLog(session)
        entry = await audit.record(
            "observation.created",
            actor="msteams:aad-anna",
            channel="msteams",
            subject_type="observation",
            subject_id=12,
            detail={"focus_area": "trygghet", "length": 42},
        )
        with pytest.raises(ValueError):
            await audit.record("message.received", detail={"text": "hemligt"})
        long_subject = await audit.record(
            "access.denied", subject_type="conversation", subject_id="m:" + "x" * 2000
        )
        await session.commit()
    assert len(long_subject.subject_id) == 1024  # Clipped rather than failing the audited change.
    async with database.session() as session:
        stored = await session.get(AuditEntry, entry.id)
        assert stored.subject_id == "12"
        assert stored.detail == {"focus_area": "trygghet", "length": 42}
        assert stored.at.tzinfo is not None


ConfiguredMember = Member  # the configuration's own dataclass, as the bot passes it


async def test_configured_members_are_synced_idempotently(database: Database):
    configured = [
        ConfiguredMember(
            "Anna Åberg", "kommun", "Samordnare", True, "aad-anna", "tenant-1", "@anna:kommun.se"
        ),
        ConfiguredMember("Olle", "polis", "Kommunpolis", matrix_id="@olle:polisen.se"),
    ]
    async with database.session() as session:
        chat_added = await MemberRepository(session).add("Chattad", "kommun", "")
        await sync_configured_members(session, configured)
        await session.commit()
    async with database.session() as session:
        members = MemberRepository(session)
        anna = await members.by_identity("msteams", "aad-anna", "tenant-1")
        assert anna is not None and anna.is_admin and anna.role == "Samordnare"
        assert (await members.by_identity("matrix", "@anna:kommun.se")).id == anna.id
        assert (await members.by_identity("matrix", "@olle:polisen.se")).name == "Olle"

        configured[0] = ConfiguredMember("Anna Berg", "kommun", "Chef", False, "aad-anna", "tenant-1")
        await sync_configured_members(session, configured)
        await sync_configured_members(session, configured)
        await session.commit()
    async with database.session() as session:
        members = MemberRepository(session)
        names = sorted(m.name for m in await members.list())
        assert names == ["Anna Berg", "Chattad", "Olle"]  # Renamed in place; nothing duplicated or removed.
        anna = await members.by_identity("msteams", "aad-anna", "tenant-1")
        assert anna.name == "Anna Berg" and not anna.is_admin and anna.role == "Chef"
        assert (await members.get(chat_added.id)).active


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    synonyms: tuple[str, ...] = ()
    description: str | None = None


async def test_catalog_sync_keeps_history(database: Database):
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    t1 = datetime(2025, 2, 1, tzinfo=UTC)
    t2 = datetime(2025, 3, 1, tzinfo=UTC)
    async with database.session() as session:
        changes = await sync_catalog(
            session,
            [Item("trygghet", "Trygghet i centrum", ("centrum",)), Item("ungdom", "Unga i riskzon")],
            [Item("styrgrupp", "Styrgruppen")],
            t0,
        )
        assert [(c.kind, c.code, c.change) for c in changes] == [
            ("focus_area", "trygghet", "added"),
            ("focus_area", "ungdom", "added"),
            ("forum", "styrgrupp", "added"),
        ]
        await session.commit()
        ungdom_id = (await session.scalars(select(FocusArea.id).where(FocusArea.code == "ungdom"))).one()
        session.add(
            Observation(
                number=1,
                focus_area_id=ungdom_id,
                kind="iakttagelse",
                occurred_start=t0,
                description="x",
                source_party="polis",
                author_party="polis",
                author_member_id=await _member_id(session),
            )
        )
        await session.commit()

    async with database.session() as session:
        changes = await sync_catalog(
            session,
            [Item("trygghet", "Trygghet i Centrum", ("centrum", "torget"), "Ny beskrivning")],
            [Item("styrgrupp", "Styrgruppen")],
            t1,
        )
        assert [(c.code, c.change, c.old_value, c.new_value) for c in changes] == [
            ("trygghet", "renamed", "Trygghet i centrum", "Trygghet i Centrum"),
            ("ungdom", "retired", "Unga i riskzon", None),
        ]
        await session.commit()

    async with database.session() as session:
        ungdom = (await session.scalars(select(FocusArea).where(FocusArea.code == "ungdom"))).one()
        assert ungdom.retired_at == t1 and not ungdom.is_active
        observation = (await session.scalars(select(Observation))).one()
        assert observation.focus_area_id == ungdom.id  # Rows referencing a retired code keep working.
        trygghet = (await session.scalars(select(FocusArea).where(FocusArea.code == "trygghet"))).one()
        assert trygghet.synonyms == ["centrum", "torget"] and trygghet.description == "Ny beskrivning"

        assert (
            await sync_catalog(
                session,
                [Item("trygghet", "Trygghet i Centrum", ("centrum", "torget"), "Ny beskrivning")],
                [Item("styrgrupp", "Styrgruppen")],
                t2,
            )
            == []
        )
        changes = await sync_catalog(
            session, [Item("trygghet", "Trygghet i Centrum"), Item("ungdom", "Unga")], [], t2
        )
        assert [(c.kind, c.code, c.change) for c in changes] == [
            ("focus_area", "ungdom", "reactivated"),
            ("focus_area", "ungdom", "renamed"),
            ("forum", "styrgrupp", "retired"),
        ]
        await session.commit()

    async with database.session() as session:
        ungdom = (await session.scalars(select(FocusArea).where(FocusArea.code == "ungdom"))).one()
        assert ungdom.retired_at is None and ungdom.name == "Unga" and ungdom.id == observation.focus_area_id
        assert (await session.scalars(select(Forum.retired_at))).one() == t2
        assert (await session.scalar(select(func.count()).select_from(CatalogChange))) == 8
        with pytest.raises(ValueError):
            await sync_catalog(session, [Item("a", "A"), Item("a", "B")], [], t2)


async def _member_id(session) -> int:
    return (await MemberRepository(session).add("Author", "polis", "")).id


async def test_sequences_start_at_one_and_are_independent(database: Database):
    async with database.session() as session:
        assert [await next_number(session, "actions") for _ in range(3)] == [1, 2, 3]
        assert await next_number(session, "observations") == 1
        await session.commit()
    async with database.session() as session:
        assert await next_number(session, "actions") == 4
        await session.rollback()  # A rolled-back number is handed out again.
    async with database.session() as session:
        assert await next_number(session, "actions") == 4
        await session.commit()


async def test_sequences_under_concurrency_give_distinct_numbers(database: Database):
    # Enough connections for all 20 transactions to be open at the same time.
    db = Database(database.url, pool_size=20, max_overflow=0)
    barrier = asyncio.Barrier(20)

    async def allocate() -> int:
        async with db.session() as session:
            await session.execute(select(1))  # Holds a connection before anyone allocates.
            await barrier.wait()
            number = await next_number(session, "observations")
            await session.commit()
            return number

    try:
        numbers = await asyncio.wait_for(asyncio.gather(*(allocate() for _ in range(20))), 60)
    finally:
        await db.dispose()
    assert sorted(numbers) == list(range(1, 21))
    async with database.session() as session:
        assert (await session.get(SequenceCounter, "observations")).value == 20
