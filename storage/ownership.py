"""One serving process per embedded SQLite database.

SQLite is the single-process default: ``samverkan run`` claims the file, so a second server on the
same file is refused at start instead of silently interleaving writes, and the claiming process may
treat itself as the only writer of bot state (see ``SqlStorage(sole_writer=True)``). Short-lived
commands (``samverkan chat``, ``members``) do not claim it; they touch other keys and tables.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from sqlalchemy.engine import make_url


class DatabaseInUse(RuntimeError):
    """Another process already serves this SQLite database."""


class SqliteClaim:
    def __init__(self, path: Path, fd: int):
        self.path = path
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def sqlite_file(url: str) -> Path | None:
    """The database file behind a SQLite URL, or None for PostgreSQL and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database).resolve()


def claim_sqlite(url: str) -> SqliteClaim | None:
    """Claim a SQLite database for this process (released on ``release()`` or exit); None if not SQLite."""
    path = sqlite_file(url)
    if path is None:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".serving")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise DatabaseInUse(str(path)) from None
    return SqliteClaim(path, fd)
