"""The bot's tables as SQLAlchemy 2 declarative models.

Conventions: every timestamp is timezone-aware UTC (``UtcDateTime``); closed vocabularies are plain strings
guarded by CHECK constraints (no native PostgreSQL enums, so adding a value is a one-line migration on both
databases); the ``StrEnum`` classes below are the vocabularies for code. Constraint names follow one naming
convention so Alembic can alter them on both back ends.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time as an aware UTC datetime (the only kind these models accept)."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Stores UTC and always returns aware UTC datetimes, on SQLite (no time zones) and PostgreSQL alike.

    Naive datetimes are rejected: guessing their zone is how Swedish local time silently becomes UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"UtcDateTime expects a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("UtcDateTime refuses naive datetimes; pass an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# Documents without a fixed shape; JSONB on PostgreSQL so they can be indexed and compared later.
JsonDocument = JSON().with_variant(JSONB(), "postgresql")
# 64-bit ids where rows accumulate forever; SQLite only auto-increments a plain INTEGER primary key.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Party(StrEnum):
    KOMMUN = "kommun"
    POLIS = "polis"


class ResponsibleParty(StrEnum):
    KOMMUN = "kommun"
    POLIS = "polis"
    GEMENSAM = "gemensam"


class Channel(StrEnum):
    MSTEAMS = "msteams"
    MATRIX = "matrix"
    CONSOLE = "console"
    EMULATOR = "emulator"


class ObservationKind(StrEnum):
    HANDELSE = "handelse"
    IAKTTAGELSE = "iakttagelse"
    MEDBORGARDIALOG = "medborgardialog"
    MEDARBETARDIALOG = "medarbetardialog"
    STATISTIK = "statistik"


class ActionStatus(StrEnum):
    PLANERAD = "planerad"
    PAGAENDE = "pagaende"
    KLAR = "klar"
    INSTALLD = "installd"


class ActionUpdateKind(StrEnum):
    CREATED = "created"
    COMMENT = "comment"
    STATUS = "status"
    POSTPONED = "postponed"
    REASSIGNED = "reassigned"
    CANCELLED = "cancelled"


class MeetingSource(StrEnum):
    CONFIG = "config"
    CHAT = "chat"
    ICS = "ics"


class ConversationType(StrEnum):
    PERSONAL = "personal"
    CHANNEL = "channel"
    GROUP_CHAT = "groupChat"
    ROOM = "room"
    CONSOLE = "console"


class CatalogKind(StrEnum):
    FOCUS_AREA = "focus_area"
    FORUM = "forum"


class CatalogChangeKind(StrEnum):
    ADDED = "added"
    RENAMED = "renamed"
    RETIRED = "retired"
    REACTIVATED = "reactivated"


def _one_of(column: str, values: type[StrEnum], name: str | None = None) -> CheckConstraint:
    allowed = ", ".join(f"'{value.value}'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name or column)


# Rows the lägesbild counts: the current version of an observation that was not undone.
_LIVE = text("replaced_at IS NULL AND deleted_at IS NULL")
_OPEN = text("status IN ('planerad', 'pagaende')")
_LIVE_WITH_PLACE = text("replaced_at IS NULL AND deleted_at IS NULL AND place_key IS NOT NULL")


class Base(AsyncAttrs, DeclarativeBase):
    """Declarative base; ``AsyncAttrs`` lets async code ``await row.awaitable_attrs.relation``."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime(), date: Date(), dict[str, Any]: JsonDocument}


class Member(Base):
    """A person in the joint work; identities link chat accounts to them."""

    __tablename__ = "members"
    __table_args__ = (_one_of("party", Party),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    party: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(Text, default="", server_default="")
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # "inga påminnelser före kl 9": local wall time as 'HH:MM'; empty for the default (08:00).
    reminders_not_before: Mapped[str | None] = mapped_column(String(5))
    weekly_digest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # When the digest was last turned on: a week whose digest time came before it gets none.
    weekly_digest_since: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    identities: Mapped[list[MemberIdentity]] = relationship(
        back_populates="member", cascade="all, delete-orphan", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"Member(id={self.id!r}, name={self.name!r}, party={self.party!r})"


class MemberIdentity(Base):
    """A member's chat account; ``tenant_id`` is '' rather than NULL so the unique key holds on PostgreSQL."""

    __tablename__ = "member_identities"
    __table_args__ = (UniqueConstraint("channel", "user_key", "tenant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    user_key: Mapped[str] = mapped_column(String(255))
    tenant_id: Mapped[str] = mapped_column(String(64), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    member: Mapped[Member] = relationship(back_populates="identities")


class _CatalogEntry:
    """Columns shared by configuration-driven catalogues whose retired entries stay referenceable."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    synonyms: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    description: Mapped[str | None] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]

    @property
    def is_active(self) -> bool:
        return self.retired_at is None


class FocusArea(_CatalogEntry, Base):
    __tablename__ = "focus_areas"


class Forum(_CatalogEntry, Base):
    __tablename__ = "forums"


class CatalogChange(Base):
    """History of configuration changes to focus areas and forums."""

    __tablename__ = "catalog_changes"
    __table_args__ = (
        _one_of("kind", CatalogKind),
        _one_of("change", CatalogChangeKind),
        Index("ix_catalog_changes_kind_code", "kind", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(64))
    change: Mapped[str] = mapped_column(String(16))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class Observation(Base):
    """Something seen or reported, under one focus area.

    A correction never overwrites: it adds a row with the same number that ``supersedes`` the old one and
    stamps the old one ``replaced_at``. The current version of an observation is the row with
    ``replaced_at IS NULL``; an undone one also has ``deleted_at``. ``place_key`` is the place folded
    (lower case, no diacritics) so "Haganässkolan" and "haganasskolan" count as one place.
    """

    __tablename__ = "observations"
    __table_args__ = (
        _one_of("kind", ObservationKind),
        _one_of("source_party", Party),
        _one_of("author_party", Party),
        # One current row per number; older versions share it.
        Index("uq_observations_current_number", "number", unique=True,
              sqlite_where=text("replaced_at IS NULL"), postgresql_where=text("replaced_at IS NULL")),
        # The lägesbild reads only live rows in a time range: this index answers its counts by itself.
        Index("ix_observations_live_occurred_start", "occurred_start", "focus_area_id", "kind",
              sqlite_where=_LIVE, postgresql_where=_LIVE, postgresql_include=["place_key", "place"]),
        # Its tally per focus area and kind, and its top places, follow these in index order, without sorting.
        Index("ix_observations_live_focus_kind_start", "focus_area_id", "kind", "occurred_start",
              sqlite_where=_LIVE, postgresql_where=_LIVE),
        Index("ix_observations_live_place_start", "place_key", "occurred_start", "place",
              sqlite_where=_LIVE_WITH_PLACE, postgresql_where=_LIVE_WITH_PLACE),
        Index("ix_observations_author_member_id_created_at", "author_member_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer)
    focus_area_id: Mapped[int] = mapped_column(ForeignKey("focus_areas.id"))
    kind: Mapped[str] = mapped_column(String(32))
    place: Mapped[str | None] = mapped_column(String(200))
    place_key: Mapped[str | None] = mapped_column(String(200))
    occurred_start: Mapped[datetime]
    occurred_end: Mapped[datetime | None]
    description: Mapped[str] = mapped_column(Text)
    source_party: Mapped[str] = mapped_column(String(16))
    author_member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    author_party: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]
    replaced_at: Mapped[datetime | None]
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("observations.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)

    focus_area: Mapped[FocusArea] = relationship()
    author: Mapped[Member] = relationship()
    supersedes: Mapped[Observation | None] = relationship(remote_side=[id])


class CitizenPromise(Base):
    """A "medborgarlöfte": the joint promise to residents for a period, which actions can belong to."""

    __tablename__ = "citizen_promises"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    period_start: Mapped[date]
    period_end: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Action(Base):
    """A measure someone is responsible for; every change is also written to ``action_updates``."""

    __tablename__ = "actions"
    __table_args__ = (
        _one_of("responsible_party", ResponsibleParty),
        _one_of("status", ActionStatus),
        Index("ix_actions_status_due_date", "status", "due_date"),
        Index("ix_actions_responsible_member_id_status", "responsible_member_id", "status"),
        Index("ix_actions_focus_area_id_status", "focus_area_id", "status"),
        # Open actions in the order lists show them, so a page of ten reads ten entries (see migration 0005).
        Index("ix_actions_open_due", text("(due_date IS NULL)"), "due_date", "number",
              sqlite_where=_OPEN, postgresql_where=_OPEN),
        Index("ix_actions_member_open_due", "responsible_member_id", text("(due_date IS NULL)"), "due_date",
              "number", sqlite_where=_OPEN, postgresql_where=_OPEN),
        Index("ix_actions_status_completed_at", "status", "completed_at"),
        Index("ix_actions_responsible_party_status_due_date", "responsible_party", "status", "due_date"),
        # One action per occurrence of an agreement deadline.
        Index("uq_actions_deadline_code_due_date", "deadline_code", "due_date", unique=True,
              sqlite_where=text("deadline_code IS NOT NULL"), postgresql_where=text("deadline_code IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(300))
    focus_area_id: Mapped[int | None] = mapped_column(ForeignKey("focus_areas.id"))
    responsible_party: Mapped[str] = mapped_column(String(16))
    responsible_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    responsible_text: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[date | None]
    due_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(
        String(16), default=ActionStatus.PLANERAD.value, server_default=ActionStatus.PLANERAD.value
    )
    promise_id: Mapped[int | None] = mapped_column(ForeignKey("citizen_promises.id"))
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("forums.id"))
    # Empty when the bot made it: from an agreement deadline in the configuration, or an import.
    created_by_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    completed_at: Mapped[datetime | None]
    deadline_code: Mapped[str | None] = mapped_column(String(64))
    snoozed_until: Mapped[datetime | None]  # "snooza #12 till måndag": no reminders before then

    focus_area: Mapped[FocusArea | None] = relationship()
    responsible_member: Mapped[Member | None] = relationship(foreign_keys=[responsible_member_id])
    created_by: Mapped[Member | None] = relationship(foreign_keys=[created_by_member_id])
    promise: Mapped[CitizenPromise | None] = relationship()
    forum: Mapped[Forum | None] = relationship()
    updates: Mapped[list[ActionUpdate]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="ActionUpdate.id"
    )


class ActionUpdate(Base):
    """One entry in an action's history (creation, comments, status changes, postponements...)."""

    __tablename__ = "action_updates"
    __table_args__ = (_one_of("kind", ActionUpdateKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    author_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text)
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    action: Mapped[Action] = relationship(back_populates="updates")
    author: Mapped[Member | None] = relationship()


class Meeting(Base):
    """A forum meeting; ``external_uid`` de-duplicates meetings imported from calendars (ICS UID).

    A row also overrides a series occurrence at the same forum and start: a cancelled occurrence of a series
    is a row with ``cancelled`` set there (see ``storage.meetings``).
    """

    __tablename__ = "meetings"
    __table_args__ = (
        _one_of("source", MeetingSource),
        Index("ix_meetings_forum_id_starts_at", "forum_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    location: Mapped[str | None] = mapped_column(String(200))
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    source: Mapped[str] = mapped_column(String(16))
    external_uid: Mapped[str | None] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    forum: Mapped[Forum] = relationship()


class MeetingSeries(Base):
    """A forum's recurring meetings: an RFC 5545 RRULE from ``dtstart`` at a local wall time.

    Kept as a rule, not as rows per date, so "varannan tisdag" has no end to materialise and 13:00 stays 13:00
    local across daylight saving time; occurrences are expanded on reading (``storage.meetings``).
    """

    __tablename__ = "meeting_series"
    __table_args__ = (_one_of("source", MeetingSource),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id"), index=True)
    # Without DTSTART and UNTIL (columns of their own), e.g. FREQ=WEEKLY;INTERVAL=2;BYDAY=TU.
    rrule: Mapped[str] = mapped_column(String(500))
    start_time: Mapped[time] = mapped_column(Time)  # local wall time in the collaboration's zone
    duration_minutes: Mapped[int] = mapped_column(Integer, default=120, server_default="120")
    location: Mapped[str | None] = mapped_column(String(200))
    dtstart: Mapped[date]  # the first day the rule counts from (local)
    until: Mapped[date | None]  # the last day it may fall on (local), inclusive
    source: Mapped[str] = mapped_column(String(16))
    external_uid: Mapped[str | None] = mapped_column(String(255), unique=True)
    created_by_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    forum: Mapped[Forum] = relationship()
    created_by: Mapped[Member | None] = relationship()


class ConversationReference(Base):
    """Where the bot can post proactively; ``reference`` is the channel's serialized reference (opaque)."""

    __tablename__ = "conversation_references"
    __table_args__ = (
        _one_of("conversation_type", ConversationType),
        Index("ix_conversation_references_channel_id_active", "channel_id", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Teams conversation ids can exceed 300 characters, hence the generous lengths.
    key: Mapped[str] = mapped_column(String(1024), unique=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    service_url: Mapped[str | None] = mapped_column(String(512))
    conversation_id: Mapped[str] = mapped_column(String(1024))
    conversation_type: Mapped[str] = mapped_column(String(16))
    tenant_id: Mapped[str | None] = mapped_column(String(64))
    team_id: Mapped[str | None] = mapped_column(String(255))
    teams_channel_id: Mapped[str | None] = mapped_column(String(255))
    bot_id: Mapped[str | None] = mapped_column(String(255))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    reference: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("forums.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    last_activity_at: Mapped[datetime | None]

    member: Mapped[Member | None] = relationship()
    forum: Mapped[Forum | None] = relationship()


class AuditEntry(Base):
    """Who did what and when; ``detail`` holds identifiers and counts, never message text."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_actor_member_id_at", "actor_member_id", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    actor: Mapped[str | None] = mapped_column(String(512))
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str | None] = mapped_column(String(32))
    # Wide enough for a conversation reference key (Teams conversation ids exceed 300 characters).
    subject_id: Mapped[str | None] = mapped_column(String(1024))
    channel: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DEAD = "dead"


class OutboxMessage(Base):
    """A message the bot sends on its own: planned once (unique ``key``), claimed, sent, retried.

    Everything the scheduler decides goes here first, so a crash between deciding and sending loses
    nothing, and the unique key means two processes deciding the same reminder plan it once.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        _one_of("state", OutboxState),
        Index("ix_outbox_state_next_attempt_at", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    reference_id: Mapped[int | None] = mapped_column(ForeignKey("conversation_references.id", ondelete="CASCADE"))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    due_at: Mapped[datetime]
    late: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    state: Mapped[str] = mapped_column(String(16), default=OutboxState.PENDING.value,
                                       server_default=OutboxState.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PersonalReminder(Base):
    """'påminn mig imorgon kl 9 om …': the text passed the privacy guard before it was stored."""

    __tablename__ = "personal_reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SequenceCounter(Base):
    """Running numbers users type (``#12``, ``#O12``); see ``storage.sequences``."""

    __tablename__ = "sequences"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class BotStateRow(Base):
    """One botbuilder state document (see ``storage.state.SqlStorage``)."""

    __tablename__ = "bot_state"

    key: Mapped[str] = mapped_column(String(512), primary_key=True)
    document: Mapped[str] = mapped_column(Text)
    etag: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
