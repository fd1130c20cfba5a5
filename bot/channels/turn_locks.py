"""One turn at a time per conversation.

botbuilder 4.17 neither serializes concurrent turns of one conversation nor writes state with an
e-tag, so two messages arriving together can overwrite each other's dialog state or lose a reply.
Within one process an asyncio lock per conversation orders them; with several replicas on
PostgreSQL a database advisory lock (``storage.locks``) does the same across processes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext


class ConversationLocks:
    """Keyed locks that disappear when nobody waits for them, so memory stays bounded."""

    def __init__(self, cross_process: Callable[[str], AbstractAsyncContextManager] | None = None):
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}
        self._cross_process = cross_process

    def __len__(self) -> int:
        return len(self._locks)

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                outer = self._cross_process(key) if self._cross_process else nullcontext()
                async with outer:
                    yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)
