"""The observation log: every version of every observation, under one focus area."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.vocabulary import ObservationKind, Party
from storage.models.base import Base, one_of, utcnow
from storage.models.catalog import FocusArea
from storage.models.members import Member

# Rows the lägesbild counts: the current version of an observation that was not undone.
_LIVE = text("replaced_at IS NULL AND deleted_at IS NULL")
_LIVE_WITH_PLACE = text("replaced_at IS NULL AND deleted_at IS NULL AND place_key IS NOT NULL")


class Observation(Base):
    """Something seen or reported, under one focus area.

    A correction never overwrites: it adds a row with the same number that ``supersedes`` the old one and
    stamps the old one ``replaced_at``. The current version of an observation is the row with
    ``replaced_at IS NULL``; an undone one also has ``deleted_at``. ``place_key`` is the place folded
    (lower case, no diacritics) so "Haganässkolan" and "haganasskolan" count as one place.
    """

    __tablename__ = "observations"
    __table_args__ = (
        one_of("kind", ObservationKind),
        one_of("source_party", Party),
        one_of("author_party", Party),
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
    # "känslig": shown only to members of the logging party (author_party) and admins; counted, never shown.
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)

    focus_area: Mapped[FocusArea] = relationship()
    author: Mapped[Member] = relationship()
    supersedes: Mapped[Observation | None] = relationship(remote_side=[id])
