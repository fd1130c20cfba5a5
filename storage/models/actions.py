"""The action plan: actions, their history, and the citizen promises they serve."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.vocabulary import OPEN_STATUSES, ActionStatus, ActionUpdateKind, ResponsibleParty
from storage.models.base import Base, one_of, utcnow
from storage.models.catalog import FocusArea, Forum
from storage.models.members import Member

# Written out as literals, as the partial indexes' WHERE must be for SQLite to use them (see migration 0005).
_OPEN = text("status IN ({})".format(", ".join(f"'{status}'" for status in OPEN_STATUSES)))


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
        one_of("responsible_party", ResponsibleParty),
        one_of("status", ActionStatus),
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
    __table_args__ = (one_of("kind", ActionUpdateKind),)

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
