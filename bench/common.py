"""What the benchmarks in this folder share: scratch databases, bulk loading, timed runs and query plans.

Each script keeps its own data, cases and tables; this holds the machinery around them. It imports the project
(``storage``), so a script imports it after putting the repository root on ``sys.path``; run as
``python bench/x.py``, the script's own folder is on ``sys.path`` already, so ``import common`` works.

PostgreSQL is the server at 127.0.0.1 (``PGPORT``, default 5432; user ``PGUSER`` or the OS user); a
``samverkan_bench_*`` database is created through the admin database ``test`` and dropped at the end.
"""

from __future__ import annotations

import argparse
import getpass
import math
import os
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
from sqlalchemy import event

from storage import Database
from storage.db import SQLITE_STATISTICS

PG_HOST = "127.0.0.1"
PG_PORT = int(os.environ.get("PGPORT", "5432"))
PG_USER = os.environ.get("PGUSER") or getpass.getuser()
PG_ADMIN_DATABASE = "test"  # scratch databases are created and dropped through this one
POSTGRESQL_NOTE = (f"PostgreSQL is the server at {PG_HOST}:{PG_PORT} (PGPORT), user {PG_USER} (PGUSER or the OS user); "
                   f"a samverkan_bench_* database is created through the admin database {PG_ADMIN_DATABASE} and "
                   "dropped at the end.")


# ---- command line -------------------------------------------------------------------------------

def argument_parser(doc: str, rows: int, repeat: int, analyze_help: str) -> argparse.ArgumentParser:
    """The options every benchmark takes: ``--backend``, ``--rows``, ``--repeat`` and ``--no-analyze``.

    ``doc`` (the script's docstring) heads the help, which ends with where PostgreSQL is.
    """
    parser = argparse.ArgumentParser(description=doc, epilog=POSTGRESQL_NOTE,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rows", type=int, default=rows)
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--no-analyze", action="store_true", help=analyze_help)
    return parser


async def run_backends(args, run_sqlite: Callable[[object], Awaitable[None]],
                       run_postgresql: Callable[[object], Awaitable[None]]) -> None:
    """Run the SQLite half, then the PostgreSQL half, of those ``--backend`` names."""
    if args.backend in ("sqlite", "both"):
        await run_sqlite(args)
    if args.backend in ("postgresql", "both"):
        await run_postgresql(args)


# ---- SQLite -------------------------------------------------------------------------------------

@contextmanager
def scratch_sqlite() -> Iterator[tuple[Path, str]]:
    """A database file in a temporary folder, removed on exit: its path and its SQLAlchemy URL."""
    with tempfile.TemporaryDirectory(prefix="samverkan-bench-") as scratch:
        path = Path(scratch) / "bench.db"
        yield path, f"sqlite+aiosqlite:///{path}"


@contextmanager
def sqlite_loader(path: Path) -> Iterator[sqlite3.Connection]:
    """An autocommit connection set up for a bulk load (no syncing, a large page cache), closed on exit."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("PRAGMA cache_size=-262144")  # 256 MB: keeps the index pages in memory while loading
        yield connection
    finally:
        connection.close()


def insert_statement(table: str, columns: tuple[str, ...]) -> str:
    """``INSERT INTO table (columns) VALUES (?, ...)``, for ``executemany`` on SQLite."""
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def finish_sqlite_load(connection: sqlite3.Connection, analyze: bool) -> float:
    """After loading: the statistics the bot gathers at every start (if ``analyze``), then a WAL checkpoint.

    Returns the seconds it took.
    """
    started = time.perf_counter()
    if analyze:
        for statement in SQLITE_STATISTICS:
            connection.execute(statement)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return time.perf_counter() - started


# ---- PostgreSQL ---------------------------------------------------------------------------------

def pg_dsn(database: str) -> str:
    """The asyncpg DSN of ``database`` on the bench server."""
    return f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}"


def pg_url(database: str) -> str:
    """The SQLAlchemy URL of ``database`` on the bench server."""
    return f"postgresql+asyncpg://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}"


@asynccontextmanager
async def pg_connection(database: str, connect_timeout: float = 60) -> AsyncIterator[asyncpg.Connection]:
    """An asyncpg connection to ``database``, closed on exit."""
    connection = await asyncpg.connect(pg_dsn(database), timeout=connect_timeout)
    try:
        yield connection
    finally:
        await connection.close()


@asynccontextmanager
async def scratch_postgresql() -> AsyncIterator[tuple[str, str]]:
    """A new ``samverkan_bench_*`` database, dropped on exit: its name and the server's version."""
    name = f"samverkan_bench_{uuid.uuid4().hex[:8]}"
    async with pg_connection(PG_ADMIN_DATABASE, connect_timeout=5) as admin:
        version = await admin.fetchval("SHOW server_version")
        await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name, version
    finally:
        async with pg_connection(PG_ADMIN_DATABASE, connect_timeout=5) as admin:
            await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                " WHERE datname = $1 AND pid <> pg_backend_pid()", name)
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


async def vacuum(connection: asyncpg.Connection, analyze: bool) -> float:
    """After loading: VACUUM, with ANALYZE if ``analyze``. Returns the seconds it took."""
    started = time.perf_counter()
    # VACUUM sets the visibility map, so index-only scans need no heap fetches.
    await connection.execute("VACUUM ANALYZE" if analyze else "VACUUM")
    return time.perf_counter() - started


async def relation_size_mb(database: str, table: str) -> float:
    """The size of ``table`` with its indexes (and TOAST), in MB."""
    async with pg_connection(database) as connection:
        return await connection.fetchval("SELECT pg_total_relation_size($1::regclass)", table) / 2**20


# ---- timing -------------------------------------------------------------------------------------

class StatementClock:
    """Times each SQL statement the engine runs, so a slow call can be traced to one query.

    ``classify`` tells which of ``kinds`` a statement is, or None for one that only counts in the rest.
    """

    def __init__(self, database: Database, kinds: tuple[str, ...], classify: Callable[[str], str | None]):
        self.kinds = kinds
        self.classify = classify
        self.runs: list[tuple[str, object, float]] = []
        engine = database.engine.sync_engine
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.runs.append((statement, parameters, time.perf_counter() - conn.info.pop("bench_started")))


@dataclass
class Timing:
    """The times of one call, repeated; with a clock, also of each kind of statement in it."""

    samples: list[float]  # seconds, sorted
    statements: dict[str, list[float]] = field(default_factory=dict)  # seconds per kind (and "rest"), per run
    sql: dict[str, tuple[str, object]] = field(default_factory=dict)  # the first statement of each kind
    executed: int = 0  # statements per call
    result: object = None  # what the last call returned

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def p95_ms(self) -> float:
        return self.samples[max(0, math.ceil(len(self.samples) * 0.95) - 1)] * 1000

    def statement_ms(self, kind: str) -> float:
        """The median time of the ``kind`` statements (or of the "rest") in one call, in ms; 0 if not timed."""
        return statistics.median(self.statements.get(kind, [0])) * 1000

    @property
    def total(self) -> int | None:
        """The count the call answered: the int it returned, or the ``total`` of what it returned."""
        if isinstance(self.result, int):
            return self.result
        return getattr(self.result, "total", None)


async def timed(call: Callable[[], Awaitable[object]], repeat: int, warm_ups: int,
                clock: StatementClock | None = None,
                setup: Callable[[], Awaitable[object]] | None = None) -> Timing:
    """Await ``call`` ``warm_ups`` times untimed, then ``repeat`` times timed (split by statement with ``clock``).

    ``setup``, if given, is awaited untimed before every call (warm-ups included): to undo what a call changed.
    """
    for _ in range(warm_ups):
        if setup is not None:
            await setup()
        result = await call()
    samples = []
    statements: dict[str, list[float]] = {}
    sql: dict[str, tuple[str, object]] = {}
    executed = 0
    for _ in range(repeat):
        if setup is not None:
            await setup()
        if clock is not None:
            clock.runs.clear()
        started = time.perf_counter()
        result = await call()
        samples.append(time.perf_counter() - started)
        if clock is not None:
            spent = dict.fromkeys(clock.kinds, 0.0)
            for statement, parameters, seconds in clock.runs:
                kind = clock.classify(statement)
                if kind is not None:
                    spent[kind] += seconds
                    sql.setdefault(kind, (statement, parameters))
            for name, seconds in spent.items():
                statements.setdefault(name, []).append(seconds)
            statements.setdefault("rest", []).append(samples[-1] - sum(spent.values()))
            executed = len(clock.runs)
    return Timing(sorted(samples), statements, sql, executed, result)


# ---- tables -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Table:
    """A plain-text table of timings: a left-aligned label, right-aligned figures, then a verdict ("goal")."""

    label_width: int
    columns: tuple[tuple[str, int, str], ...]  # title, width, format of the figures (".1f"; "" as they are)

    def header(self) -> str:
        titles = "".join(f"{title:>{width}}" for title, width, _spec in self.columns)
        return f"{'case':<{self.label_width}}{titles}  goal"

    def row(self, label: str, *figures, verdict: str | None = None) -> str:
        """One row; a figure "" leaves its cell blank, and the columns after the last figure are left out."""
        cells = "".join(f"{figure:>{width}{spec if figure != '' else ''}}"
                        for figure, (_title, width, spec) in zip(figures, self.columns, strict=False))
        return f"{label:<{self.label_width}}{cells}" + (f"  {verdict}" if verdict is not None else "")


# ---- plans --------------------------------------------------------------------------------------

def explain_kind(database: Database) -> str:
    """How ``explain`` asks for the plan on this database."""
    return "EXPLAIN (ANALYZE, BUFFERS)" if database.dialect_name == "postgresql" else "EXPLAIN QUERY PLAN"


async def explain(database: Database, statement: str, parameters) -> list[str]:
    """The plan of ``statement``: PostgreSQL's as it ran, SQLite's as a tree indented two spaces a level."""
    async with database.session() as session:
        connection = await session.connection()
        rows = (await connection.exec_driver_sql(f"{explain_kind(database)} {statement}", parameters)).all()
        if database.dialect_name == "postgresql":
            return [row[0] for row in rows]
        depth = {0: 0}
        lines = []
        for node, parent, _unused, detail in rows:
            depth[node] = depth.get(parent, 0) + 1
            lines.append("  " * (depth[node] - 1) + detail)
        return lines


def one_line(statement: str) -> str:
    """``statement`` with its white space folded, on one line."""
    return " ".join(statement.split())


async def print_plan(database: Database, what: str, statement: str, parameters, *,
                     show_parameters: bool = False) -> None:
    """Print a heading naming ``what``, the statement (and its parameters if asked), then its plan, indented."""
    print(f"\n{explain_kind(database)}, {what}:\n  {one_line(statement)}")
    if show_parameters:
        print(f"  parameters: {parameters}")
    for line in await explain(database, statement, parameters):
        print(f"    {line}")
