"""Persistence for the bot: SQLAlchemy models, Alembic migrations, repositories and botbuilder state.

``SqlStorage`` and ``StateConflictError`` are imported lazily: they are the only botbuilder-dependent part,
and importing ``storage.db`` or a repository must not pull in botbuilder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storage import models
from storage.audit import AuditLog
from storage.catalog import sync_catalog
from storage.db import Database, StorageUnavailable, is_unavailable, unavailable_as_storage_error
from storage.members import MemberRepository, sync_configured_members
from storage.references import ConversationReferenceRepository
from storage.sequences import next_number

if TYPE_CHECKING:
    from storage.state import SqlStorage, StateConflictError

__all__ = [
    "AuditLog",
    "ConversationReferenceRepository",
    "Database",
    "MemberRepository",
    "SqlStorage",
    "StateConflictError",
    "StorageUnavailable",
    "is_unavailable",
    "models",
    "next_number",
    "sync_catalog",
    "sync_configured_members",
    "unavailable_as_storage_error",
]

_LAZY = {"SqlStorage", "StateConflictError"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from storage import state

        return getattr(state, name)
    raise AttributeError(f"module 'storage' has no attribute {name!r}")
