"""The audit log: who did what, when, through which channel; identifiers only, never message text.

Append-only: entries are added here and read by ``entries``; nothing updates or deletes them, and the
database refuses it (triggers, migration 0009_audit).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry, Member, utcnow

# Keys that would smuggle user-written text into the log, which must stay free of message content.
_FORBIDDEN_DETAIL_KEYS = frozenset({"text", "message_text", "body"})


class AuditLog:
    """Appends audit entries in the caller's session, so they commit (or roll back) with the change itself."""

    def __init__(self, session: AsyncSession):
        self.session = session

    async def record(
        self,
        action: str,
        *,
        actor: str | None = None,
        actor_member_id: int | None = None,
        channel: str | None = None,
        subject_type: str | None = None,
        subject_id: int | str | None = None,
        detail: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> AuditEntry:
        """Records e.g. ``message.received``, ``access.denied``, ``observation.created``.

        ``at``: when the change happened by the bot's clock (a change "ångra" may undo is timed by it)."""
        if detail:
            leaked = _FORBIDDEN_DETAIL_KEYS.intersection(detail)
            if leaked:
                raise ValueError(
                    f"Audit detail must not carry message text (keys: {', '.join(sorted(leaked))})"
                )
        entry = AuditEntry(
            at=at or utcnow(),
            action=_clip(action, "action"),
            actor=_clip(actor, "actor"),
            actor_member_id=actor_member_id,
            channel=_clip(channel, "channel"),
            subject_type=_clip(subject_type, "subject_type"),
            subject_id=_clip(None if subject_id is None else str(subject_id), "subject_id"),
            detail=detail,
        )
        self.session.add(entry)
        await self.session.flush()
        return entry

    async def entries(self, *, member_id: int | None = None, start: datetime | None = None,
                      stop: datetime | None = None, action_prefix: str | None = None,
                      ) -> list[tuple[AuditEntry, Member | None]]:
        """Entries in the order recorded, each with the member who acted (None for the CLI, unknown senders).

        ``member_id``: only what that member did; ``start`` (included) and ``stop`` (excluded): when;
        ``action_prefix``: e.g. ``observation`` or ``observation.created``.
        """
        query = select(AuditEntry, Member).outerjoin(Member, Member.id == AuditEntry.actor_member_id)
        if member_id is not None:
            query = query.where(AuditEntry.actor_member_id == member_id)
        if start is not None:
            query = query.where(AuditEntry.at >= start)
        if stop is not None:
            query = query.where(AuditEntry.at < stop)
        if action_prefix:
            escaped = action_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(AuditEntry.action.like(f"{escaped}%", escape="\\"))
        rows = await self.session.execute(query.order_by(AuditEntry.at, AuditEntry.id))
        return [(entry, member) for entry, member in rows.tuples()]


def _clip(value: str | None, column: str) -> str | None:
    """Shortens an over-long value: an audit entry must never make the audited change fail."""
    length = AuditEntry.__table__.c[column].type.length
    if value is None or length is None or len(value) <= length:
        return value
    return value[: length - 1] + "…"


async def remove_entries_before(session: AsyncSession, cutoff: datetime) -> int:
    """Delete the audit entries older than ``cutoff``: the one sanctioned deletion from the audit log.

    Only retention by the decision in the collaboration file calls this (services.retention, its own step).
    On PostgreSQL it first marks its transaction with ``samverkan.audit_retention = 'on'`` (``SET LOCAL``), so a
    trigger that refuses every other DELETE on ``audit_log`` can let this one through. Caller commits.
    """
    # The pruning is itself on record, with its cut-off; on SQLite, which has no transaction setting, that
    # record is also the permit its trigger checks (rows older than a recorded cut-off may go).
    session.add(AuditEntry(action="audit_log.retention", actor="retention", subject_type="audit_log",
                           subject_id=cutoff.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"), at=utcnow()))
    await session.flush()
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.set_config("samverkan.audit_retention", "on", True)))
    result = await session.execute(delete(AuditEntry).where(AuditEntry.at < cutoff))
    return result.rowcount or 0
