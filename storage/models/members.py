"""Members of the joint work and the chat accounts that identify them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.vocabulary import Access, Party
from storage.models.base import Base, one_of, utcnow


class Member(Base):
    """A person in the joint work; identities link chat accounts to them."""

    __tablename__ = "members"
    __table_args__ = (one_of("party", Party), one_of("access", Access))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    party: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(Text, default="", server_default="")
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # What the member may do (domain.rules.access); an admin (``is_admin``) may do everything regardless.
    access: Mapped[str] = mapped_column(String(16), default="member", server_default="member")
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
