"""Database access: one async engine per URL, sessions, health check, migrations and error classification.

Two back ends are supported: SQLite (a single file, for small installations and tests) and PostgreSQL
(for replicas and real concurrency). Everything above this module talks to an ``AsyncSession`` and
``StorageUnavailable`` only, so the bot can say "could not save, try again" without knowing SQLAlchemy.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, exc, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool, SingletonThreadPool

log = logging.getLogger(__name__)

T = TypeVar("T")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
    # Deleted rows (expired dialog state holds what users wrote) are overwritten, not left in free pages.
    "PRAGMA secure_delete=ON",
)

# SQLite reports both "the file is busy" and "your SQL is wrong" as OperationalError; these are transient.
_SQLITE_UNAVAILABLE_HINTS = (
    "locked",
    "busy",
    "unable to open",
    "disk i/o",
    "readonly",
    "read-only",
    "disk is full",
)
# PostgreSQL SQLSTATEs meaning "cannot serve you now" or "retry" (shutdown, too many connections, resources,
# serialization failure, deadlock), as opposed to "the statement is wrong"; 57014 is a statement cut off by
# statement_timeout (a frozen or overloaded server).
_PG_UNAVAILABLE_STATES = {"57P01", "57P02", "57P03", "57014", "53300", "53100", "53200", "40001", "40P01"}
# Arbitrary constant for pg_advisory_xact_lock: replicas started together on an empty database would
# otherwise all create alembic_version and the first tables, and all but one crash.
_MIGRATION_LOCK_ID = 0x5A4D_0001


DEFAULT_STATEMENT_TIMEOUT = 5.0  # seconds; no statement of a turn needs more


class StorageUnavailable(Exception):
    """The database could not be reached or is temporarily unable to serve; retrying later may work."""


def is_unavailable(error: BaseException) -> bool:
    """Whether an exception (or anything in its cause chain) means the database is unreachable or busy."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if _is_unavailable_single(current):
            return True
        # Only explicit causes: an error raised while *handling* a connection error is not one itself.
        current = current.__cause__
    return False


def _is_unavailable_single(error: BaseException) -> bool:
    if isinstance(error, StorageUnavailable | OSError | exc.DisconnectionError | exc.TimeoutError):
        # OSError covers ConnectionRefusedError, socket errors and the built-in TimeoutError.
        return True
    state = getattr(error, "sqlstate", None)
    if not isinstance(error, exc.DBAPIError) and isinstance(state, str):
        # The driver's own exception (asyncpg's CannotConnectNowError for "the database system is shutting
        # down" or "starting up"), as raised before SQLAlchemy wraps it or by code using asyncpg directly.
        return state.startswith("08") or state in _PG_UNAVAILABLE_STATES
    if isinstance(error, exc.DBAPIError):
        if error.connection_invalidated:
            return True
        state = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
        if isinstance(state, str) and (state.startswith("08") or state in _PG_UNAVAILABLE_STATES):
            return True
        if isinstance(error, exc.InterfaceError):
            return True
        if isinstance(error, exc.OperationalError):
            module = type(error.orig).__module__ if error.orig is not None else ""
            if "sqlite" in module:
                message = str(error.orig).lower()
                return any(hint in message for hint in _SQLITE_UNAVAILABLE_HINTS)
            return True
    return False


@contextmanager
def unavailable_as_storage_error() -> Iterator[None]:
    """Re-raise connection-level failures as ``StorageUnavailable``; other errors pass through unchanged."""
    try:
        yield
    except StorageUnavailable:
        raise
    except Exception as error:
        if is_unavailable(error):
            # Only the type: the driver's message can quote SQL, and SQL can quote what users wrote.
            raise StorageUnavailable(f"Database unavailable ({type(error).__name__})") from error
        raise


def upsert_insert(bind: AsyncSession | AsyncConnection, table):
    """A dialect-specific INSERT that supports ``ON CONFLICT`` (both SQLite and PostgreSQL have it)."""
    dialect = bind.get_bind().dialect if isinstance(bind, AsyncSession) else bind.dialect
    if dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


SQLITE_STATISTICS = ("PRAGMA analysis_limit=0", "ANALYZE")


def alembic_config(url: str | URL | None = None):
    """An Alembic ``Config`` built in code, so neither the bot nor the tests need an alembic.ini."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        rendered = url.render_as_string(hide_password=False) if isinstance(url, URL) else url
        # ConfigParser interpolation would choke on a literal "%" (e.g. in a URL-encoded password).
        config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


class Database:
    """The bot's database: an async engine plus helpers; create one per process and share it."""

    def __init__(
        self,
        url: str | URL,
        *,
        pool_size: int | None = None,
        max_overflow: int | None = None,
        connect_timeout: float = 5.0,
        statement_timeout: float = DEFAULT_STATEMENT_TIMEOUT,
        ping_timeout: float = 2.0,
        echo: bool = False,
    ):
        self._url = make_url(url)
        self._connect_timeout = connect_timeout
        self.statement_timeout = statement_timeout
        self.ping_timeout = ping_timeout
        backend = self._url.get_backend_name()
        database_is_file = False
        # hide_parameters: exceptions and logs must not carry user-written text (observations, comments).
        options: dict[str, Any] = {"echo": echo, "hide_parameters": True}
        if backend == "sqlite":
            database = self._url.database
            if database and database != ":memory:" and not database.startswith("file:"):
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            database_is_file = bool(database and database != ":memory:")
            if database_is_file:
                # One connection: SQLite has one writer at a time, and several pooled connections make
                # concurrent turns wait in SQLite's busy handler (sleeps of up to 100 ms) instead of in
                # an orderly queue for the connection.
                options.update(pool_size=pool_size or 1, max_overflow=max_overflow or 0, pool_timeout=30)
        elif backend == "postgresql":
            options.update(
                pool_size=pool_size or 5,
                max_overflow=10 if max_overflow is None else max_overflow,
                pool_pre_ping=True,
                pool_recycle=1800,
                connect_args={
                    "timeout": connect_timeout,
                    # The server cuts a statement off after statement_timeout (57014), and the driver gives
                    # up a second later on a server too frozen to do even that: a turn then hears "the
                    # database is not answering" instead of waiting as long as the server hangs.
                    "command_timeout": statement_timeout + 1,
                    "server_settings": {"application_name": "samverkansboten",
                                        "statement_timeout": str(int(statement_timeout * 1000))},
                },
            )
        else:
            raise ValueError(f"Unsupported database {backend!r}: use sqlite+aiosqlite or postgresql+asyncpg")

        self.engine: AsyncEngine = create_async_engine(self._url, **options)
        if backend == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_on_connect)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._fair: asyncio.Semaphore | None = None
        if backend == "sqlite" and database_is_file:
            self._fair = asyncio.Semaphore((pool_size or 1) + (max_overflow or 0))
        self.wait_timeout = 30.0
        self._sqlite_sync: Engine | None = None
        self._sqlite_thread: ThreadPoolExecutor | None = None
        if self._fair is not None:
            # A synchronous engine on the same file, used from one dedicated thread (run_in_transaction).
            self._sqlite_sync = create_engine(
                self._url.set(drivername="sqlite+pysqlite"), poolclass=SingletonThreadPool, pool_size=1,
                hide_parameters=True)
            event.listen(self._sqlite_sync, "connect", _sqlite_on_connect)
            self._sqlite_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")

    def __repr__(self) -> str:
        return f"Database({self._url.render_as_string(hide_password=True)!r})"

    @property
    def url(self) -> str:
        """The URL as given (password included), to open another ``Database`` on the same data."""
        return self._url.render_as_string(hide_password=False)

    @property
    def dialect_name(self) -> str:
        """``"sqlite"`` or ``"postgresql"``, for the few places where SQL differs."""
        return self.engine.dialect.name

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A new session; use as ``async with db.session() as session:`` and commit explicitly."""
        async with self._turn_for_connection(), self._sessions() as session:
            yield session

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        """A Core connection for reads on hot paths, where an ORM session costs more than the query.

        Autocommit: a single read needs no BEGIN and ROLLBACK around it (two round trips on PostgreSQL).
        """
        async with self._turn_for_connection(), self.engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            yield connection

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncConnection]:
        """A Core connection in a transaction, committed on success."""
        async with self._turn_for_connection(), self.engine.begin() as connection:
            yield connection

    async def run_in_transaction(self, work: Callable[[Connection], T]) -> T:
        """Run synchronous Core ``work`` in one transaction, committed if it returns.

        On SQLite the whole block runs in the database's own thread in a single hop, so the write lock
        is held for the microseconds SQLite needs, not for as many event-loop cycles as the block has
        statements (which under load serialized every write behind the busy loop). On PostgreSQL the
        block runs through the async connection (asyncpg has no thread to hop to).
        """
        if self._sqlite_sync is None:
            async with self.begin() as connection:
                return await connection.run_sync(work)
        # The one thread is the queue: blocks run in order, and the connection is never held while
        # waiting for the event loop.
        return await asyncio.get_running_loop().run_in_executor(self._sqlite_thread, self._run_sqlite, work)

    def _run_sqlite(self, work: Callable[[Connection], T]) -> T:
        with self._sqlite_sync.begin() as connection:
            return work(connection)

    @asynccontextmanager
    async def _turn_for_connection(self) -> AsyncIterator[None]:
        """On SQLite, wait in line for the one connection.

        SQLAlchemy's async pool hands a returned connection to whichever task asks next, and a task
        already waiting goes to the back of the line when it loses that race, so under load some turns
        waited many times longer than others. ``asyncio.Semaphore``, sized to the pool, serves waiters
        in order.
        """
        if self._fair is None:
            yield
            return
        try:
            async with asyncio.timeout(self.wait_timeout):
                await self._fair.acquire()
        except TimeoutError:
            raise StorageUnavailable("timed out waiting for the database connection") from None
        try:
            yield
        finally:
            self._fair.release()

    async def ping(self) -> bool:
        """``SELECT 1`` within ``ping_timeout`` seconds; never raises, so /healthz can call it blindly."""
        try:
            async with asyncio.timeout(self.ping_timeout):
                async with self.connect() as conn:
                    await conn.execute(text("SELECT 1"))
            return True
        except Exception as error:
            log.warning("Database ping failed: %s", error.__class__.__name__)
            log.debug("Database ping failure detail", exc_info=True)
            return False

    async def upgrade(self, revision: str = "head") -> None:
        """Run the Alembic migrations up to ``revision`` on this database."""
        from alembic import command

        config = alembic_config(self._url)

        def run(sync_connection) -> None:
            config.attributes["connection"] = sync_connection
            command.upgrade(config, revision)

        sqlite = self.dialect_name == "sqlite"
        # On PostgreSQL an engine without the statement timeouts: a migration may rebuild an index over
        # millions of rows, and a replica may wait for another's migration to finish.
        engine = self.engine if sqlite else create_async_engine(
            self._url, poolclass=NullPool, hide_parameters=True, connect_args={"timeout": self._connect_timeout})
        try:
            await self._upgrade_on(engine, run, sqlite)
        finally:
            if engine is not self.engine:
                await engine.dispose()

    async def _upgrade_on(self, engine: AsyncEngine, run: Callable[[Connection], None], sqlite: bool) -> None:
        async with self._turn_for_connection(), engine.connect() as conn:
            if not sqlite:
                # Held until the commit below (PostgreSQL's DDL is transactional): a replica that waited
                # finds the schema at head and has nothing to do. One SQLite file has one serving process.
                await conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
            if sqlite:
                # Batch migrations recreate SQLite tables; with foreign keys on, dropping the old table would
                # fire ON DELETE CASCADE and empty the child tables. The pragma only works outside a
                # transaction, which is where the driver still is before the first DML statement.
                await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            try:
                await conn.run_sync(run)
                await conn.commit()
            except BaseException:
                await conn.rollback()
                raise
            finally:
                if sqlite:
                    await conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            if sqlite:
                broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
                if broken:
                    raise RuntimeError(f"Migration left rows violating foreign keys: {broken[:5]}")

    async def refresh_statistics(self) -> None:
        """Give SQLite's planner table statistics (PostgreSQL's autovacuum keeps its own).

        Without them SQLite picks the wrong observation index and sorts: a year's lägesbild over a
        million rows took 520 ms instead of 210 ms in bench/situation.py. A full ANALYZE (0.6 s for a
        million observations): sampled statistics (``analysis_limit``) led the planner astray again.
        """
        if self.dialect_name != "sqlite":
            return
        async with self._turn_for_connection(), self.engine.connect() as conn:
            for statement in SQLITE_STATISTICS:
                await conn.exec_driver_sql(statement)
            await conn.commit()

    async def empty_write_ahead_log(self) -> None:
        """On SQLite, copy the write-ahead log into the database and truncate it, so deleted text is no longer
        in the -wal file either (a no-op on PostgreSQL, and when a reader holds the log SQLite leaves it)."""
        if self.dialect_name != "sqlite":
            return
        async with self._turn_for_connection(), self.engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    async def dispose(self) -> None:
        """Close all pooled connections (at shutdown, and before dropping a test database)."""
        await self.engine.dispose()
        if self._sqlite_thread is not None:
            await asyncio.get_running_loop().run_in_executor(self._sqlite_thread, self._sqlite_sync.dispose)
            self._sqlite_thread.shutdown(wait=True)
            self._sqlite_thread = None


@asynccontextmanager
async def migrated_database(url: str | URL) -> AsyncIterator[Database]:
    """A ``Database`` migrated to the current schema, disposed afterwards: what each CLI command opens."""
    database = Database(url)
    try:
        await database.upgrade()
        yield database
    finally:
        await database.dispose()


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()
