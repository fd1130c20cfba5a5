"""Forum meetings: single meetings (and overrides of a series' occurrence) and recurring series."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Time, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, one_of, utcnow
from storage.models.catalog import Forum
from storage.models.members import Member


class MeetingSource(StrEnum):
    CONFIG = "config"
    CHAT = "chat"
    ICS = "ics"


class Meeting(Base):
    """A forum meeting; ``external_uid`` de-duplicates meetings imported from calendars (ICS UID).

    A row also overrides a series occurrence at the same forum and start: a cancelled occurrence of a series
    is a row with ``cancelled`` set there (see ``storage.meetings``).
    """

    __tablename__ = "meetings"
    __table_args__ = (
        one_of("source", MeetingSource),
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
    __table_args__ = (one_of("source", MeetingSource),)

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
