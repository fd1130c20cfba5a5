"""What the bot sends on its own: where it may post, what it has planned to send, personal reminders."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.rules.detail import DetailLevel
from storage.models.base import Base, BigId, JsonDocument, one_of, utcnow
from storage.models.catalog import Forum
from storage.models.members import Member


class ConversationType(StrEnum):
    PERSONAL = "personal"
    CHANNEL = "channel"
    GROUP_CHAT = "groupChat"
    ROOM = "room"
    CONSOLE = "console"


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DEAD = "dead"


class ConversationReference(Base):
    """Where the bot can post proactively; ``reference`` is the channel's serialized reference (opaque)."""

    __tablename__ = "conversation_references"
    __table_args__ = (
        one_of("conversation_type", ConversationType),
        one_of("detail_level", DetailLevel),
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
    # "full" or "summary" as an admin set it for this channel (domain.rules.detail); None: the collaboration's default
    detail_level: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    last_activity_at: Mapped[datetime | None]

    member: Mapped[Member | None] = relationship()
    forum: Mapped[Forum | None] = relationship()


class OutboxMessage(Base):
    """A message the bot sends on its own: planned once (unique ``key``), claimed, sent, retried.

    Everything the scheduler decides goes here first, so a crash between deciding and sending loses
    nothing, and the unique key means two processes deciding the same reminder plan it once.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        one_of("state", OutboxState),
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
