"""Logging for the `samverkan` command: one format, and no level at which what users wrote reaches the log.

``hide_parameters`` keeps SQL parameters out of SQLAlchemy's messages, but other libraries log them on their
own at DEBUG: aiosqlite logs every call it runs with its arguments (the parameters, so observations, comments
and drafts), SQLAlchemy logs result rows, msrest logs the Bot Connector's request bodies (the bot's answers
quote the user) and matrix-nio logs the events it syncs. Those loggers never go below INFO, whatever
``LOG_LEVEL`` says; the bot's own debug messages stay available.
"""

from __future__ import annotations

import logging

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# The libraries that log message text at DEBUG, and the most they may say.
QUIETED: dict[str, int] = {
    "aiosqlite": logging.INFO,
    # SQLAlchemy logs every statement at INFO (its logger's level is what turns echo on), and rows at DEBUG.
    "sqlalchemy.engine": logging.WARNING,
    "sqlalchemy.pool": logging.WARNING,
    "asyncpg": logging.INFO,
    "msrest": logging.INFO,  # the Bot Connector client's request and response bodies
    "botbuilder": logging.INFO,
    "botframework": logging.INFO,
    "nio": logging.INFO,  # matrix-nio: synced events
    "aiohttp.client": logging.INFO,
    "alembic": logging.WARNING,  # migrations say what they do at INFO, at every start
}


def configure_logging(level: str | int, *, terminal_chat: bool = False) -> None:
    """The root logger at ``level`` (in the terminal chat at least WARNING: the terminal is the chat) and the
    libraries in ``QUIETED`` at no lower than their ceiling."""
    numeric = logging.getLevelName(level) if isinstance(level, str) else level
    root_level = max(numeric, logging.WARNING) if terminal_chat else numeric
    logging.basicConfig(level=root_level, format=LOG_FORMAT)
    logging.getLogger().setLevel(root_level)
    for name, ceiling in QUIETED.items():
        logging.getLogger(name).setLevel(max(numeric, ceiling))
