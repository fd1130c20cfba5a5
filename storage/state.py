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
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from botbuilder.core import Storage
from jsonpickle.pickler import Pickler
from jsonpickle.unpickler import Unpickler
from sqlalchemy import Connection, delete, select, update

from storage.db import Database, unavailable_as_storage_error, upsert_insert
from storage.locks import turn_connection
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

    def __init__(self, database: Database, *, sole_writer: bool = False, cache_size: int = 10_000,
                 now: Callable[[], datetime] = utcnow):
        """``sole_writer``: this process is the only one writing this database's state (an embedded
        SQLite file claimed with ``storage.ownership``), so what it wrote itself is what is stored, and
        reads can be answered from memory. With several replicas on PostgreSQL, leave it off. ``now``: the
        bot's clock, which stamps each write, so state expires by the same time as everything else."""
        self.database = database
        self._url = database.url
        self._now = now
        self._cache: OrderedDict[str, tuple[str, str] | None] | None = OrderedDict() if sole_writer else None
        self._cache_size = cache_size

    def _remember(self, stored_key: str, entry: tuple[str, str] | None) -> None:
        if self._cache is None:
            return
        self._cache[stored_key] = entry
        self._cache.move_to_end(stored_key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def _forget(self, stored_keys: Iterable[str]) -> None:
        if self._cache is not None:
            for stored_key in stored_keys:
                self._cache.pop(stored_key, None)

    async def read(self, keys: list[str]) -> dict[str, Any]:
        """The stored items for ``keys``; missing keys are absent from the result (as in MemoryStorage)."""
        if not keys:
            return {}
        by_storage_key: dict[str, list[str]] = {}
        for key in keys:
            by_storage_key.setdefault(storage_key(key), []).append(key)
        cache = self._cache if self._cache is not None else {}
        wanted = [stored_key for stored_key in by_storage_key if stored_key not in cache]
        found: dict[str, tuple[str, str] | None] = {stored_key: cache[stored_key] for stored_key in by_storage_key
                                                     if stored_key in cache}
        if wanted:
            query = select(BotStateRow.key, BotStateRow.document, BotStateRow.etag).where(BotStateRow.key.in_(wanted))
            with unavailable_as_storage_error():
                held = turn_connection(self._url)
                if held is not None:  # the turn's locked connection (PostgreSQL): no checkout, no ping
                    rows = (await held.execute(query)).all()
                else:
                    # Core on a bare connection, not an ORM session: this runs on every turn, and the session
                    # machinery costs more CPU than the query itself.
                    async with self.database.connect() as connection:
                        rows = (await connection.execute(query)).all()
            for stored_key in wanted:
                found[stored_key] = None
            for row_key, document, etag in rows:
                found[row_key] = (etag, document)
            for stored_key in wanted:
                self._remember(stored_key, found[stored_key])
        items: dict[str, Any] = {}
        for stored_key, entry in found.items():
            if entry is not None:
                for key in by_storage_key[stored_key]:
                    items[key] = _deserialise(entry[1], entry[0])
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
        written: dict[str, tuple[str, str]] = {}
        try:
            await self._write(table, prepared, written)
        except BaseException:
            self._forget(stored_key for _, stored_key, _, _ in prepared)
            raise
        for stored_key, entry in written.items():
            self._remember(stored_key, entry)

    async def _write(self, table, prepared, written: dict[str, tuple[str, str]]) -> None:
        now = self._now()

        def work(connection: Connection) -> None:
            for key, stored_key, e_tag, document in prepared:
                values = {"document": document, "etag": _new_etag(), "updated_at": now}
                written[stored_key] = (values["etag"], document)
                if e_tag is None or e_tag == "*":
                    connection.execute(
                        upsert_insert(connection, table)
                        .values(key=stored_key, **values)
                        .on_conflict_do_update(index_elements=[table.c.key], set_=values)
                    )
                    continue
                updated = connection.execute(
                    update(table).where(table.c.key == stored_key, table.c.etag == str(e_tag)).values(**values)
                )
                if updated.rowcount == 1:
                    continue
                # No row with that e-tag: either the key is new (MemoryStorage then just stores it) or
                # someone else wrote it. The insert decides atomically: a row already there is a conflict.
                inserted = connection.execute(
                    upsert_insert(connection, table)
                    .values(key=stored_key, **values)
                    .on_conflict_do_nothing(index_elements=[table.c.key])
                )
                if inserted.rowcount != 1:
                    raise StateConflictError(key)

        with unavailable_as_storage_error():
            held = turn_connection(self._url)
            if held is not None and len(prepared) == 1:
                # One document is one statement, atomic by itself (the insert that follows a missed update
                # decides on its own): on the turn's autocommit connection, without BEGIN and COMMIT.
                await held.run_sync(work)
            else:
                await self.database.run_in_transaction(work)

    async def delete(self, keys: Iterable[str]) -> None:
        """Removes ``keys``; unknown keys are ignored. Accepts any iterable (BotState passes a set)."""
        stored_keys = list({storage_key(key) for key in keys})
        if not stored_keys:
            return
        self._forget(stored_keys)
        with unavailable_as_storage_error():
            async with self.database.session() as session, session.begin():
                await session.execute(delete(BotStateRow).where(BotStateRow.key.in_(stored_keys)))

    async def expire(self, before: datetime) -> int:
        """Delete state not written since ``before``: an abandoned draft or question keeps what the user wrote,
        which must not stay in the database when they never come back. On SQLite the freed pages are zeroed
        (``secure_delete``) and the write-ahead log emptied, so the text is gone from the files too. Returns
        how many documents went."""
        with unavailable_as_storage_error():
            async with self.database.session() as session, session.begin():
                gone = list((await session.scalars(
                    delete(BotStateRow).where(BotStateRow.updated_at < before).returning(BotStateRow.key))).all())
            self._forget(gone)
            if gone:
                await self.database.empty_write_ahead_log()
        return len(gone)
