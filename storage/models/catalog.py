"""The configuration-driven catalogues (focus areas, forums) and the history of their changes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, JsonDocument, one_of, utcnow


class CatalogKind(StrEnum):
    FOCUS_AREA = "focus_area"
    FORUM = "forum"


class CatalogChangeKind(StrEnum):
    ADDED = "added"
    RENAMED = "renamed"
    RETIRED = "retired"
    REACTIVATED = "reactivated"


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
        one_of("kind", CatalogKind),
        one_of("change", CatalogChangeKind),
        Index("ix_catalog_changes_kind_code", "kind", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(64))
    change: Mapped[str] = mapped_column(String(16))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
