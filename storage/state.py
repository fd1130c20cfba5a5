"""botbuilder state (dialog stacks, user and conversation state) persisted in the ``bot_state`` table.

The only module in ``storage`` that imports botbuilder (archived at 4.17.1), so the rest can outlive it.

Semantics follow ``MemoryStorage`` for writes (a dict's ``"e_tag"`` key or a StoreItem's ``e_tag``
attribute; missing or ``"*"`` overwrites, ``""`` is an error, a stale one raises) and the persistent
botbuilder storages (Blob, Cosmos DB) for reads: every stored document carries an e-tag that changes on
each write and is put back into what ``read`` returns, so BotState's next write is checked against it.
Documents are serialised with jsonpickle like those storages do, so DialogState/DialogInstance
objects round-trip.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from typing import Any

from botbuilder.core import Storage
from jsonpickle.pickler import Pickler
from jsonpickle.unpickler import Unpickler
from sqlalchemy import delete, select, update

from storage.db import Database, unavailable_as_storage_error, upsert_insert
from storage.models import BotStateRow, utcnow

MAX_KEY_LENGTH = 512
_E_TAG = "e_tag"


class StateConflictError(KeyError):
    """A state write carried a stale e-tag: someone else saved this key since it was read.

    A ``KeyError`` because that is what ``MemoryStorage`` raises, so code written against it still works.
    """

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key

    def __str__(self) -> str:
        return f"State for {self.key!r} was changed by someone else (e-tag conflict)"


def storage_key(key: str) -> str:
    """The primary key for a botbuilder key: itself, or, beyond 512 characters, a prefix plus its SHA-256."""
    if len(key) <= MAX_KEY_LENGTH:
        return key
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    return f"{key[: MAX_KEY_LENGTH - len(digest) - 1]}#{digest}"


def _e_tag_of(item: Any) -> Any:
    if isinstance(item, dict):
        return item.get(_E_TAG)
    return getattr(item, _E_TAG, None)


def _serialise(item: Any) -> str:
    document = Pickler().flatten(item)
    if isinstance(document, dict):
        document.pop(_E_TAG, None)  # The e-tag lives in its own column.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _deserialise(document: str, etag: str) -> Any:
    flattened = json.loads(document)
    if isinstance(flattened, dict):
        flattened[_E_TAG] = etag
    return Unpickler().restore(flattened)


def _new_etag() -> str:
    return uuid.uuid4().hex


class SqlStorage(Storage):
    """A botbuilder ``Storage`` on the bot's database, with atomic e-tag checks (no read-then-write)."""

    def __init__(self, database: Database):
        self.database = database

    async def read(self, keys: list[str]) -> dict[str, Any]:
        """The stored items for ``keys``; missing keys are absent from the result (as in MemoryStorage)."""
        if not keys:
            return {}
        by_storage_key: dict[str, list[str]] = {}
        for key in keys:
            by_storage_key.setdefault(storage_key(key), []).append(key)
        with unavailable_as_storage_error():
            # Core on a bare connection, not an ORM session: this runs on every turn, and the session
            # machinery costs more CPU than the query itself.
            async with self.database.engine.connect() as connection:
                rows = (
                    await connection.execute(
                        select(BotStateRow.key, BotStateRow.document, BotStateRow.etag).where(
                            BotStateRow.key.in_(list(by_storage_key))
                        )
                    )
                ).all()
        items: dict[str, Any] = {}
        for row_key, document, etag in rows:
            for key in by_storage_key[row_key]:
                items[key] = _deserialise(document, etag)
        return items

    async def write(self, changes: dict[str, Any]) -> None:
        """Saves all ``changes`` in one transaction; a stale e-tag raises ``StateConflictError``, saving none.

        The caller's objects are not modified (their e-tag stays the one they were read with), as in
        MemoryStorage; read again to continue from the stored version.
        """
        if changes is None:
            raise ValueError("Changes are required when writing")
        if not changes:
            return
        prepared = []
        for key, item in changes.items():
            e_tag = _e_tag_of(item)
            if e_tag == "":
                raise ValueError(f"SqlStorage.write(): e_tag missing for {key!r}")
            prepared.append((key, storage_key(key), e_tag, _serialise(item)))

        table = BotStateRow.__table__
        with unavailable_as_storage_error():
            async with self.database.engine.begin() as connection:
                for key, stored_key, e_tag, document in prepared:
                    now = utcnow()
                    values = {"document": document, "etag": _new_etag(), "updated_at": now}
                    if e_tag is None or e_tag == "*":
                        statement = (
                            upsert_insert(connection, table)
                            .values(key=stored_key, **values)
                            .on_conflict_do_update(index_elements=[table.c.key], set_=values)
                        )
                        await connection.execute(statement)
                        continue
                    updated = await connection.execute(
                        update(table)
                        .where(table.c.key == stored_key, table.c.etag == str(e_tag))
                        .values(**values)
                        .returning(table.c.key)
                    )
                    if updated.first() is not None:
                        continue
                    # No row with that e-tag: either the key is new (MemoryStorage then just stores it) or
                    # someone else wrote it. The insert decides atomically: a row already there is a conflict.
                    inserted = await connection.execute(
                        upsert_insert(connection, table)
                        .values(key=stored_key, **values)
                        .on_conflict_do_nothing(index_elements=[table.c.key])
                        .returning(table.c.key)
                    )
                    if inserted.first() is None:
                        raise StateConflictError(key)

    async def delete(self, keys: Iterable[str]) -> None:
        """Removes ``keys``; unknown keys are ignored. Accepts any iterable (BotState passes a set)."""
        stored_keys = list({storage_key(key) for key in keys})
        if not stored_keys:
            return
        with unavailable_as_storage_error():
            async with self.database.session() as session, session.begin():
                await session.execute(delete(BotStateRow).where(BotStateRow.key.in_(stored_keys)))
