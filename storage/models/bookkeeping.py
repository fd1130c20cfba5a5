"""The bot's own records: the audit log, running numbers and botbuilder's state documents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigId, JsonDocument, utcnow


class AuditEntry(Base):
    """Who did what and when; ``detail`` holds identifiers and counts, never message text.

    Append-only: the database refuses UPDATE and DELETE of its rows (triggers, migration 0009_audit), so a
    member with entries is never deleted (the foreign key's SET NULL would update them), only deactivated.
    """

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
