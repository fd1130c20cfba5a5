"""What the Matrix channel keeps in the database: its sync position, the events it handled, and its reports.

The sync token and one claim per handled event are ``bot_state`` rows beside botbuilder's documents (keys
``matrix/sync/<user>`` and ``matrix/event/<event id>``), so a restart catches up from the stored token and
neither loses a message nor answers one twice. Claims older than ``EVENT_MEMORY`` are pruned. The channel's
other writes (a refused invite, a key store the homeserver no longer accepts) are audited here too, so the
channel code in ``bot/channels/matrix`` opens no sessions of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from storage.audit import AuditLog
from storage.db import Database, upsert_insert
from storage.models import BotStateRow, Member, utcnow
from storage.outbox import Outbox
from storage.references import ConversationReferenceRepository

CHANNEL = "matrix"
EVENT_MEMORY = timedelta(days=30)
_TOKEN_KEY = "matrix/sync/{user}"
_EVENT_KEY = "matrix/event/{event}"
_ETAG = "matrix"


@dataclass(frozen=True)
class KnownRoom:
    """A room the bot keeps a conversation reference for: its type (``personal`` or ``room``)."""

    room_id: str
    conversation_type: str


class MatrixSyncState:
    """The sync position and handled events of one Matrix account (``user_id``), and its audited reports."""

    def __init__(self, database: Database, user_id: str):
        self.database = database
        self.user_id = user_id
        self.token_key = _TOKEN_KEY.format(user=user_id)

    # --- the sync position -----------------------------------------------------------------------------

    async def token(self) -> str | None:
        """The ``next_batch`` of the last handled sync, or None before the first one."""
        async with self.database.session() as session:
            document = await session.scalar(select(BotStateRow.document).where(BotStateRow.key == self.token_key))
        return json.loads(document).get("next_batch") if document else None

    async def save_token(self, token: str) -> None:
        table = BotStateRow.__table__
        values = {"document": json.dumps({"next_batch": token}), "etag": _ETAG, "updated_at": utcnow()}
        async with self.database.session() as session:
            await session.execute(upsert_insert(session, table).values(key=self.token_key, **values)
                                  .on_conflict_do_update(index_elements=[table.c.key], set_=values))
            await session.commit()

    # --- handled events --------------------------------------------------------------------------------

    async def claim(self, event_id: str) -> bool:
        """True for the first caller with this event id, ever (within ``EVENT_MEMORY``): handle it then."""
        table = BotStateRow.__table__
        async with self.database.session() as session:
            inserted = await session.execute(
                upsert_insert(session, table)
                .values(key=_EVENT_KEY.format(event=event_id)[:512], document="{}", etag=_ETAG,
                        updated_at=utcnow())
                .on_conflict_do_nothing(index_elements=[table.c.key]))
            await session.commit()
        return inserted.rowcount == 1

    async def prune(self) -> int:
        """Forget claims older than ``EVENT_MEMORY``; how many were forgotten."""
        async with self.database.session() as session:
            result = await session.execute(delete(BotStateRow).where(
                BotStateRow.key.startswith(_EVENT_KEY.format(event="")),
                BotStateRow.updated_at < utcnow() - EVENT_MEMORY))
            await session.commit()
        return result.rowcount or 0

    # --- rooms and reports -----------------------------------------------------------------------------

    async def known_room(self, room_id: str) -> KnownRoom | None:
        """The room when the bot keeps an active conversation reference for it (it was bound or greeted)."""
        async with self.database.session() as session:
            reference = await ConversationReferenceRepository(session).get(f"{CHANNEL}:{room_id}")
        if reference is None or not reference.active:
            return None
        return KnownRoom(room_id, reference.conversation_type)

    async def record_refused_invite(self, room_id: str, inviter: str) -> None:
        async with self.database.session() as session:
            await AuditLog(session).record("matrix.invite_refused", actor=f"matrix:{inviter}", channel=CHANNEL,
                                           subject_type="conversation", subject_id=f"{CHANNEL}:{room_id}")
            await session.commit()

    async def report_key_problem(self, device_id: str, text: str, now: datetime) -> int:
        """Tell every active admin (once per device, through the outbox) and audit it; how many admins."""
        async with self.database.session() as session:
            outbox = Outbox(session)
            admins = list(await session.scalars(
                select(Member.id).where(Member.is_admin.is_(True), Member.active.is_(True))))
            for admin_id in admins:
                await outbox.plan(key=f"notice:matrix-keys:{self.user_id}:{device_id}:{admin_id}", kind="notice",
                                  due_at=now, now=now, member_id=admin_id, payload={"text": text})
            await AuditLog(session).record("matrix.keys_refused", actor=f"matrix:{self.user_id}", channel=CHANNEL,
                                           subject_type="device", subject_id=device_id)
            await session.commit()
        return len(admins)


__all__ = ["EVENT_MEMORY", "KnownRoom", "MatrixSyncState"]
