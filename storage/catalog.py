"""Focus areas and forums come from configuration; the database keeps every one ever configured.

A code that disappears from the configuration is retired (``retired_at`` set), never deleted, so
observations and actions that reference it keep working; a code that returns is reactivated; a new
name replaces the old. Each such change is recorded in ``catalog_changes``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CatalogChange, CatalogChangeKind, CatalogKind, FocusArea, Forum

# Arbitrary constant for pg_advisory_xact_lock: replicas starting together must not both insert a code.
_SYNC_LOCK_ID = 0x5A4D_CA7A


class CatalogItem(Protocol):
    """What the configuration provides for a focus area or forum."""

    code: str
    name: str
    synonyms: Iterable[str] | None
    description: str | None


async def sync_catalog(
    session: AsyncSession, focus_areas: Iterable[Any], forums: Iterable[Any], now: datetime
) -> list[CatalogChange]:
    """Brings ``focus_areas`` and ``forums`` in line with the configuration; returns the recorded changes.

    Synonyms and descriptions follow the configuration silently; only additions, renames, retirements
    and reactivations are history. The caller commits.
    """
    if now.tzinfo is None:
        raise ValueError("sync_catalog needs an aware datetime")
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _SYNC_LOCK_ID})
    changes = await _sync(session, FocusArea, CatalogKind.FOCUS_AREA, focus_areas, now)
    changes += await _sync(session, Forum, CatalogKind.FORUM, forums, now)
    await session.flush()
    return changes


async def _sync(
    session: AsyncSession,
    model: type[FocusArea] | type[Forum],
    kind: CatalogKind,
    items: Iterable[CatalogItem],
    now: datetime,
) -> list[CatalogChange]:
    configured: dict[str, CatalogItem] = {}
    for item in items:
        if item.code in configured:
            raise ValueError(f"Duplicate {kind.value} code in configuration: {item.code!r}")
        configured[item.code] = item
    rows = {row.code: row for row in (await session.scalars(select(model))).all()}
    changes: list[CatalogChange] = []

    def record(code: str, change: CatalogChangeKind, old: str | None, new: str | None) -> None:
        entry = CatalogChange(
            at=now, kind=kind.value, code=code, change=change.value, old_value=old, new_value=new
        )
        session.add(entry)
        changes.append(entry)

    for code, item in configured.items():
        synonyms = [str(s) for s in (item.synonyms or ())]
        description = item.description or None
        row = rows.get(code)
        if row is None:
            session.add(
                model(code=code, name=item.name, synonyms=synonyms, description=description, added_at=now)
            )
            record(code, CatalogChangeKind.ADDED, None, item.name)
            continue
        if row.retired_at is not None:
            row.retired_at = None
            record(code, CatalogChangeKind.REACTIVATED, None, item.name)
        if row.name != item.name:
            record(code, CatalogChangeKind.RENAMED, row.name, item.name)
            row.name = item.name
        if row.synonyms != synonyms:
            row.synonyms = synonyms
        if row.description != description:
            row.description = description

    for code, row in rows.items():
        if code not in configured and row.retired_at is None:
            row.retired_at = now
            record(code, CatalogChangeKind.RETIRED, row.name, None)
    return changes
