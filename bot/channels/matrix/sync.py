"""The Matrix side of ``samverkan run``: log in, sync, and hand each batch to the handler, from a saved position.

One loop: ``/sync`` (long-polled), then the encryption housekeeping nio's ``sync_forever`` would do (key
upload, device-key queries, one-time key claims, to-device messages), then the batch (``events``). After each
handled batch the sync token is stored in the database (``storage.matrix_sync``), and every event is claimed by
id before it is handled (pruned after ``EVENT_MEMORY``), so a restart catches up from the stored token and
neither loses a message nor answers one twice. The very first start answers no history. Sync errors back off
exponentially (1 s doubling to 60 s). Logging in and the key store are ``session``'s.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING, Any

from nio import AsyncClient, AsyncClientConfig, SyncResponse

from bot.channels.matrix.adapter import MatrixAdapter
from bot.channels.matrix.delivery import MatrixDelivery
from bot.channels.matrix.events import RoomEvents
from bot.channels.matrix.session import MatrixSession, MatrixStartError
from bot.turn_errors import turn_error_handler
from storage.matrix_sync import MatrixSyncState

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

SYNC_TIMEOUT_MS = 30_000
SYNC_FILTER: dict[str, Any] = {"room": {"timeline": {"limit": 50}}, "presence": {"not_types": ["*"]}}
BACKOFF_START, BACKOFF_MAX = 1.0, 60.0
PRUNE_EVERY = 3600.0  # seconds


class MatrixRunner:
    """The Matrix channel of one process: ``start()`` begins the loop in a task, ``stop()`` ends it."""

    def __init__(self, runtime: Runtime, *, sync_timeout_ms: int = SYNC_TIMEOUT_MS,
                 backoff: tuple[float, float] = (BACKOFF_START, BACKOFF_MAX),
                 sync_filter: dict[str, Any] | None = None):
        settings = runtime.settings
        if not settings.has_matrix:
            raise ValueError("Matrix is not configured (MATRIX_HOMESERVER)")
        self.runtime = runtime
        self.settings = settings
        self.user_id: str = settings.matrix_user_id
        self.sync_timeout_ms = sync_timeout_ms
        self.sync_filter = sync_filter or SYNC_FILTER
        self.backoff = backoff
        self.state = MatrixSyncState(runtime.database, self.user_id)
        self.client = AsyncClient(
            settings.matrix_homeserver, self.user_id, device_id=settings.matrix_device_id or None,
            store_path=str(settings.matrix_store_path),
            config=AsyncClientConfig(encryption_enabled=settings.matrix_encryption, store_sync_tokens=False,
                                     max_limit_exceeded=5, max_timeouts=2, request_timeout=60))
        self.session = MatrixSession(self.client, settings, self.state, runtime.clock)
        self.adapter = MatrixAdapter(self.client, turn_error_handler(runtime.collaboration))
        self.events = RoomEvents(self.session, self.adapter, self.state, runtime.bot)
        self.delivery = MatrixDelivery(self.adapter, homeserver=settings.matrix_homeserver,
                                       encryption=settings.matrix_encryption, wait_for_room=self.wait_for_room,
                                       ready=lambda: self.ready.is_set() and self.running)
        self.failure: str | None = None  # why the loop stopped for good (a refused login), for /healthz
        self.sync_errors = 0
        self.ready = asyncio.Event()  # logged in and synced once
        self._synced = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None
        self._token: str | None = None
        self._pruned_at = 0.0

    @property
    def key_problem(self) -> str | None:
        """Set (and reported to the admins) when the key store is unusable: a new device is needed."""
        return self.session.key_problem

    # --- life cycle ------------------------------------------------------------------------------------

    async def start(self) -> None:
        if self._task is None or self._task.done():
            self.ready.clear()
            self._task = asyncio.create_task(self._run(), name="matrix-sync")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, MatrixStartError):
                await task
        await self.events.close()
        await self.client.close()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def wait_ready(self, timeout: float) -> None:  # noqa: ASYNC109
        """Until logged in and synced once; raises the loop's own error if it ended (e.g. a bad password)."""
        waiter = asyncio.ensure_future(self.ready.wait())
        try:
            done, _ = await asyncio.wait({waiter, self._task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
        if self._task in done:
            self._task.result()
            raise RuntimeError(f"the Matrix loop ended: {self.failure}")
        if not self.ready.is_set():
            raise TimeoutError(f"Matrix did not sync within {timeout} s")

    async def wait_for_room(self, room_id: str, timeout: float, *, member: str | None = None,  # noqa: ASYNC109
                            encrypted: bool = False) -> bool:
        """Until a sync has brought the room with ``member`` in it (joined or invited) and, if ``encrypted``, its
        encryption state: a room key is shared only with the members (and their devices) the client knows."""
        def ready() -> bool:
            room = self.client.rooms.get(room_id)
            return room is not None and (member is None or member in room.users) and (room.encrypted or not encrypted)

        async def known() -> None:
            async with self._synced:
                await self._synced.wait_for(ready)

        try:
            await asyncio.wait_for(known(), timeout)
        except TimeoutError:
            return False
        return True

    async def _run(self) -> None:
        delay = self.backoff[0]
        while True:
            try:
                await self._start()
                break
            except MatrixStartError as error:
                self.failure = str(error)
                log.error("Matrix stopped: %s. Fix the MATRIX_* settings and restart; Teams and the scheduler "
                          "keep running.", error)
                raise
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the homeserver is down or unreachable: try again, less often
                log.warning("Matrix login failed (%s); retrying in %.0f s", error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.backoff[1])
        await self._sync_loop()

    async def _start(self) -> None:
        """Log in and sync once from the stored position (the very first start answers no history)."""
        await self.session.log_in()
        self._token = await self.state.token()
        first = self._token is None
        response = await self.client.sync(timeout=0, sync_filter=self.sync_filter, since=self._token)
        if getattr(response, "status_code", None) == "M_UNKNOWN_TOKEN":
            await self.session.log_in_again()
            response = await self.client.sync(timeout=0, sync_filter=self.sync_filter, since=self._token)
        if not isinstance(response, SyncResponse):
            raise RuntimeError(f"first sync failed: {response}")
        await self.session.housekeeping()
        await self.session.profile()
        # A restart catches up on what came while it was down.
        await self.events.handle(response, history=not first, since=self._token)
        await self._saved(response.next_batch)
        self.ready.set()
        log.info("Matrix: %s (device %s) synced%s; encryption %s", self.user_id, self.client.device_id,
                 " for the first time" if first else "", "on" if self.settings.matrix_encryption else "off")

    # --- the loop --------------------------------------------------------------------------------------

    async def _sync_loop(self) -> None:
        delay = self.backoff[0]
        while True:
            try:
                response = await self.client.sync(timeout=self.sync_timeout_ms, sync_filter=self.sync_filter,
                                                  since=self._token)
                if not isinstance(response, SyncResponse):
                    if getattr(response, "status_code", None) == "M_UNKNOWN_TOKEN" and self.session.can_log_in_again:
                        await self.session.log_in_again()
                        continue
                    raise RuntimeError(f"sync failed: {response}")
                await self.session.housekeeping()
                await self.events.handle(response, history=True, since=self._token)
                await self._saved(response.next_batch)
                await self._prune()
                delay = self.backoff[0]
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self.sync_errors += 1
                # The batch is fetched again from the stored token; handled events are skipped by id.
                self.client.next_batch = self._token
                log.warning("Matrix sync failed (%s); retrying in %.1f s", error, delay,
                            exc_info=not isinstance(error, RuntimeError | OSError | asyncio.TimeoutError))
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.backoff[1])

    async def _saved(self, token: str) -> None:
        await self.state.save_token(token)
        self._token = token
        async with self._synced:
            self._synced.notify_all()

    async def _prune(self) -> None:
        if time.monotonic() - self._pruned_at > PRUNE_EVERY:
            self._pruned_at = time.monotonic()
            removed = await self.state.prune()
            if removed:
                log.debug("Matrix: forgot %d handled event ids", removed)
