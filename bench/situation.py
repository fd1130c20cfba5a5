"""Lägesbild query and chart on a million observations, on SQLite and PostgreSQL, against a bare count.

The lägesbild must answer in under 300 ms however long the log grows; that rests on the partial index
``ix_observations_live_occurred_start``. This fills a fresh database with five years of observations
(bulk inserts, not the ORM), then times ``storage.situation.load_picture`` for the periods users ask for and
``situation_chart`` on the result. The baseline, in the same process and database, is the cheapest honest
query over the same rows: a count of the live observations of the default period, which the partial index
answers by itself. Figures are ratios to it; the plan of the main (tally) query shows whether the index is
used, and the plan of any query behind a missed goal is printed too.

    .venv/bin/python bench/situation.py [--backend sqlite|postgresql|both] [--rows 1000000] [--repeat 20]
                                        [--no-analyze]

PostgreSQL is the server at 127.0.0.1 (``PGPORT``, default 5432; user ``PGUSER`` or the OS user); a
``samverkan_bench_*`` database is created through the admin database ``test`` and dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import math
import os
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402

from bot.config import load_collaboration  # noqa: E402
from dialogs.render.chart import situation_chart  # noqa: E402
from storage import Database, MemberRepository, sync_catalog  # noqa: E402
from storage.db import SQLITE_STATISTICS  # noqa: E402
from storage.models import FocusArea, Observation  # noqa: E402
from storage.situation import load_picture  # noqa: E402

ZONE_NAME = "Europe/Stockholm"
ZONE = ZoneInfo(ZONE_NAME)
NOW = datetime(2026, 11, 26, 15, 0, tzinfo=ZONE).astimezone(UTC)  # the newest observation is before this
SPAN = timedelta(days=5 * 365)
GOAL_MS = 300.0
WARM_UPS = 2
BATCH = 50_000
SEED = 20261126

PG_HOST = "127.0.0.1"
PG_PORT = int(os.environ.get("PGPORT", "5432"))
PG_USER = os.environ.get("PGUSER") or getpass.getuser()
PG_ADMIN_DATABASE = "test"

COLUMNS = ("number", "focus_area_id", "kind", "place", "place_key", "occurred_start", "occurred_end",
           "description", "source_party", "author_member_id", "author_party", "created_at", "deleted_at",
           "replaced_at")
KINDS = (("handelse", 40), ("iakttagelse", 30), ("medborgardialog", 12), ("medarbetardialog", 10),
         ("statistik", 8))
LOCALITIES = ("Älmhult", "Diö", "Liatorp", "Eneryda", "Häradsbäck", "Delary", "Göteryd", "Pjätteryd", "Råshult",
              "Hallaryd", "Virestad", "Stenbrohult", "Agunnaryd", "Ryssby", "Vallen", "Möckeln", "Haganäs",
              "Paradisområdet", "Bökhult", "Ängaholm")
SPOTS = ("", " centrum", " station", " skola", " idrottsplats", " busshållplats", " badplats", " fritidsgård",
         " torg", " parkering")
DESCRIPTIONS = (
    "Grupp ungdomar samlades vid entrén under kvällen, viss oro bland besökare men ingen anmälan gjordes.",
    "Klotter på fasaden och två krossade rutor upptäcktes av vaktmästaren på morgonen, sanerat samma dag.",
    "Medborgardialog på torget: oro för mopedåkning på gångbanor och dålig belysning längs cykelvägen.",
    "Fältarna mötte ett tiotal unga; samtal om alkohol inför helgen, några uppgav att de köpt via langare.",
    "Polisen kontrollerade en bil med fyra ungdomar, ingen misstanke om brott, föräldrar kontaktades.",
    "Statistik från skolan: fler rapporterade skadegörelser på toaletterna än samma månad förra året.",
    "Medarbetardialog med fritidsgården om hot mot personal och behov av fler vuxna på kvällstid.",
    "Nedskräpning och tomma burkar vid badplatsen efter helgen, tyder på samlingsplats för fest.",
    "Anmälan om misshandel utanför busshållplatsen sent på natten, en person fördes till sjukhus.",
    "Narkotikarelaterat skräp hittat i buskage nära skolan, omhändertaget av kommunens personal.",
    "Trygghetsvandring genomförd med fastighetsägare: trasig belysning och igenväxt buskage noterat.",
    "Brand i papperskorg vid stationen, släckt av förbipasserande innan räddningstjänsten kom fram.",
)


@dataclass(frozen=True)
class Case:
    label: str
    start: datetime  # local midnights, made aware in Europe/Stockholm
    end: datetime
    previous_start: datetime
    filters: dict = field(default_factory=dict)

    def window(self) -> dict:
        return {"start": self.start, "end": self.end, "previous_start": self.previous_start}


def _local(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=ZONE)


DEFAULT = Case("(a) senaste 30 dagarna", _local(2026, 10, 28), _local(2026, 11, 27), _local(2026, 9, 28))
CASES = (
    DEFAULT,
    Case("(b) 30 dagar, ANDTS", DEFAULT.start, DEFAULT.end, DEFAULT.previous_start, {"focus_area": "andts"}),
    Case("(c) oktober", _local(2026, 10, 1), _local(2026, 11, 1), _local(2026, 9, 1)),
    Case("(d) 30 dagar, plats Diö", DEFAULT.start, DEFAULT.end, DEFAULT.previous_start,
         {"place": "Diö", "place_key": "dio"}),
    Case("(e) år 2025", _local(2025, 1, 1), _local(2026, 1, 1), _local(2024, 1, 1)),
)
STATEMENTS = ("tally", "places", "latest", "hours")  # load_picture's timed statements; lookups count as "rest"


def _statement_kind(statement: str) -> str | None:
    """Which of load_picture's queries a statement is (two tallies add up; catalogue lookups are None)."""
    if "GROUP BY observations.focus_area_id, observations.kind" in statement:
        return "tally"
    if "GROUP BY observations.place_key" in statement:
        return "places"
    if "ORDER BY observations.occurred_start DESC" in statement:
        return "latest"
    if "substr(observations.occurred_start" in statement or "date_trunc" in statement:
        return "hours"
    return None


# ---- data ---------------------------------------------------------------------------------------

def _fold(text: str) -> str:
    """The bot's place key (``dialogs.observation_draft.place_key``): folded words joined by spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.findall(r"[^\W_]+(?:-[^\W_]+)*", folded))


def _rows(count: int, focus_ids: list[int], members: list[tuple[int, str]]) -> Iterator[list[tuple]]:
    """``count`` observations in batches, oldest first (as they are logged): tuples in ``COLUMNS`` order.

    Times are aware UTC datetimes. 2 % are replaced versions (they share the number of the version after
    them, as a correction does), 2 % are deleted; current rows are numbered 1, 2, 3, ...
    """
    rng = random.Random(SEED)
    places = [(f"{town}{spot}", _fold(f"{town}{spot}")) for town in LOCALITIES for spot in SPOTS]
    place_weights = [1 / (index // len(SPOTS) + 1) ** 0.7 for index in range(len(places))]
    kinds, kind_weights = zip(*KINDS, strict=True)
    first = NOW - SPAN
    seconds = SPAN.total_seconds()
    offsets = sorted(rng.random() * seconds for _ in range(count))
    number = 0
    batch: list[tuple] = []
    for offset in offsets:
        start = first + timedelta(seconds=offset)
        end = start + timedelta(minutes=rng.randrange(30, 240)) if rng.random() < 0.3 else None
        created = min(start + timedelta(minutes=rng.randrange(5, 3 * 24 * 60)), NOW)
        place, key = rng.choices(places, place_weights)[0] if rng.random() < 0.9 else (None, None)
        member, party = members[rng.randrange(len(members))]
        status = rng.random()
        replaced = deleted = None
        if status < 0.02:
            replaced = created + timedelta(minutes=rng.randrange(1, 600))
        else:
            number += 1
            if status < 0.04:
                deleted = created + timedelta(minutes=rng.randrange(1, 600))
        batch.append((number + 1 if replaced else number, focus_ids[rng.randrange(len(focus_ids))],
                      rng.choices(kinds, kind_weights)[0], place, key, start, end,
                      DESCRIPTIONS[rng.randrange(len(DESCRIPTIONS))], rng.choice(("kommun", "polis")),
                      member, party, created, deleted, replaced))
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _sqlite_text(row: tuple) -> tuple:
    """Datetimes as SQLAlchemy writes them to SQLite: naive UTC 'YYYY-MM-DD HH:MM:SS.ffffff'."""
    return tuple(value.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(value, datetime) else value for value in row)


async def _prepare(url: str) -> tuple[list[int], list[tuple[int, str]]]:
    """Migrate, sync the catalogue from the packaged collaboration file, add two authors."""
    database = Database(url)
    try:
        await database.upgrade()
        collaboration = load_collaboration()
        async with database.session() as session:
            await sync_catalog(session, collaboration.focus_areas, collaboration.forums, NOW)
            repository = MemberRepository(session)
            members = [await repository.add("Bänk Kommun", "kommun", "samordnare"),
                       await repository.add("Bänk Polis", "polis", "kommunpolis")]
            authors = [(member.id, member.party) for member in members]
            focus_ids = list((await session.scalars(select(FocusArea.id).order_by(FocusArea.id))).all())
            await session.commit()
    finally:
        await database.dispose()
    return focus_ids, authors


def _fill_sqlite(path: Path, batches: Iterator[list[tuple]], analyze: bool) -> tuple[int, float]:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("PRAGMA cache_size=-262144")  # 256 MB: keeps the index pages in memory while loading
        insert = f"INSERT INTO observations ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
        total = 0
        connection.execute("BEGIN")
        for batch in batches:
            connection.executemany(insert, map(_sqlite_text, batch))
            total += len(batch)
        connection.execute("COMMIT")
        started = time.perf_counter()
        if analyze:
            for statement in SQLITE_STATISTICS:  # what the bot runs at every start
                connection.execute(statement)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return total, time.perf_counter() - started
    finally:
        connection.close()


async def _fill_postgresql(dsn: str, batches: Iterator[list[tuple]], analyze: bool) -> tuple[int, float]:
    connection = await asyncpg.connect(dsn)
    try:
        total = 0
        async with connection.transaction():
            for batch in batches:
                await connection.copy_records_to_table("observations", records=batch, columns=COLUMNS)
                total += len(batch)
        started = time.perf_counter()
        # VACUUM sets the visibility map, so index-only scans need no heap fetches.
        await connection.execute("VACUUM ANALYZE" if analyze else "VACUUM")
        return total, time.perf_counter() - started
    finally:
        await connection.close()


# ---- timing -------------------------------------------------------------------------------------

class StatementClock:
    """Times each SQL statement the engine runs, so a slow lägesbild can be traced to one query."""

    def __init__(self, database: Database):
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
    samples: list[float]  # seconds, sorted
    statements: dict[str, list[float]] = field(default_factory=dict)
    sql: dict[str, tuple[str, object]] = field(default_factory=dict)
    total: int | None = None  # observations in the period

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def p95_ms(self) -> float:
        return self.samples[max(0, math.ceil(len(self.samples) * 0.95) - 1)] * 1000


async def _timed(call, repeat: int, clock: StatementClock | None = None) -> Timing:
    for _ in range(WARM_UPS):
        result = await call()
    samples = []
    statements: dict[str, list[float]] = {}
    sql: dict[str, tuple[str, object]] = {}
    for _ in range(repeat):
        if clock is not None:
            clock.runs.clear()
        started = time.perf_counter()
        result = await call()
        samples.append(time.perf_counter() - started)
        if clock is not None:
            spent = dict.fromkeys(STATEMENTS, 0.0)
            for statement, parameters, seconds in clock.runs:
                kind = _statement_kind(statement)
                if kind is not None:
                    spent[kind] += seconds
                    sql.setdefault(kind, (statement, parameters))
            for name, seconds in spent.items():
                statements.setdefault(name, []).append(seconds)
            statements.setdefault("rest", []).append(samples[-1] - sum(spent.values()))
    timing = Timing(sorted(samples), statements, sql)
    if isinstance(result, int):
        timing.total = result
    elif result is not None and hasattr(result, "total"):
        timing.total = result.total
    return timing


async def _explain(database: Database, statement: str, parameters) -> list[str]:
    async with database.session() as session:
        connection = await session.connection()
        if database.dialect_name == "postgresql":
            rows = (await connection.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters)).all()
            return [row[0] for row in rows]
        rows = (await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)).all()
        depth = {0: 0}
        lines = []
        for node, parent, _unused, detail in rows:
            depth[node] = depth.get(parent, 0) + 1
            lines.append("  " * (depth[node] - 1) + detail)
        return lines


def _one_line(statement: str) -> str:
    return " ".join(statement.split())


async def _measure(name: str, url: str, repeat: int) -> None:
    database = Database(url)
    clock = StatementClock(database)
    try:
        live = [Observation.replaced_at.is_(None), Observation.deleted_at.is_(None)]
        period = [Observation.occurred_start >= DEFAULT.start, Observation.occurred_start < DEFAULT.end]

        async def count(*where) -> int:
            async with database.session() as session:
                return int(await session.scalar(select(func.count()).select_from(Observation).where(*where)))

        baseline = await _timed(lambda: count(*live, *period), repeat)
        bare = await _timed(lambda: count(*period), repeat)
        timings: list[tuple[str, Timing]] = []
        for case in CASES:
            async def picture(case=case):
                async with database.session() as session:
                    return await load_picture(session, **case.window(), timezone=ZONE_NAME, **case.filters)
            timings.append((case.label, await _timed(picture, repeat, clock)))
        async with database.session() as session:
            default_picture = await load_picture(session, **DEFAULT.window(), timezone=ZONE_NAME)

        async def chart():
            situation_chart(default_picture, title="Lägesbild, 28 oktober–26 november 2026")
        chart_timing = await _timed(chart, repeat)

        base = baseline.median_ms
        print(f"{'case':<34}{'in period':>10}{'median ms':>11}{'p95 ms':>9}{'x base':>8}"
              f"{'tally':>8}{'places':>8}{'latest':>8}{'hours':>8}{'rest':>8}  goal")
        print(f"{'baseline: count live, 30 days':<34}{baseline.total:>10}{base:>11.1f}{baseline.p95_ms:>9.1f}"
              f"{1:>8.1f}")
        print(f"{'count all rows, 30 days (no live)':<34}{bare.total:>10}{bare.median_ms:>11.1f}"
              f"{bare.p95_ms:>9.1f}{bare.median_ms / base:>8.1f}")
        failed = []
        for label, timing in timings:
            parts = "".join(f"{statistics.median(timing.statements.get(s, [0])) * 1000:>8.1f}"
                            for s in ("tally", "places", "latest", "hours", "rest"))
            ok = timing.p95_ms < GOAL_MS
            if not ok:
                failed.append((label, timing))
            print(f"{label:<34}{timing.total:>10}{timing.median_ms:>11.1f}{timing.p95_ms:>9.1f}"
                  f"{timing.median_ms / base:>8.1f}{parts}  {'PASS' if ok else 'FAIL'}")
        print(f"{'(f) chart of (a)':<34}{'':>10}{chart_timing.median_ms:>11.1f}{chart_timing.p95_ms:>9.1f}"
              f"{chart_timing.median_ms / base:>8.1f}")
        print(f"{name}: goal p95 < {GOAL_MS:.0f} ms for (a)-(e): "
              f"{'all PASS' if not failed else 'FAIL ' + ', '.join(label for label, _ in failed)}")

        kind = "EXPLAIN (ANALYZE, BUFFERS)" if name == "postgresql" else "EXPLAIN QUERY PLAN"
        tally_sql, tally_parameters = timings[0][1].sql["tally"]
        print(f"\n{kind}, tally query of (a):\n  {_one_line(tally_sql)}")
        for line in await _explain(database, tally_sql, tally_parameters):
            print(f"    {line}")
        for label, timing in failed:  # every query that takes a tenth of the goal or more
            for query in STATEMENTS:
                if query not in timing.sql or statistics.median(timing.statements[query]) * 1000 < GOAL_MS / 10:
                    continue
                statement, parameters = timing.sql[query]
                print(f"\n{kind}, {query} query of {label}:\n  {_one_line(statement)}")
                for line in await _explain(database, statement, parameters):
                    print(f"    {line}")
    finally:
        await database.dispose()


# ---- backends -----------------------------------------------------------------------------------

def _pg_dsn(database: str) -> str:
    return f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}"


async def _run_sqlite(args) -> None:
    with tempfile.TemporaryDirectory(prefix="samverkan-bench-") as scratch:
        path = Path(scratch) / "bench.db"
        url = f"sqlite+aiosqlite:///{path}"
        focus_ids, authors = await _prepare(url)
        started = time.perf_counter()
        rows, analyze = await asyncio.to_thread(_fill_sqlite, path, _rows(args.rows, focus_ids, authors),
                                                  not args.no_analyze)
        loaded = time.perf_counter() - started - analyze
        size = path.stat().st_size / 2**20
        print(f"\nsqlite {sqlite3.sqlite_version}: loaded {rows} rows in {loaded:.1f} s ({rows / loaded:,.0f} rows/s), "
              f"{'ANALYZE' if not args.no_analyze else 'no ANALYZE, checkpoint'} {analyze:.1f} s, file {size:.0f} MB")
        await _measure("sqlite", url, args.repeat)


async def _run_postgresql(args) -> None:
    name = f"samverkan_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(_pg_dsn(PG_ADMIN_DATABASE), timeout=5)
    try:
        version = await admin.fetchval("SHOW server_version")
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        url = f"postgresql+asyncpg://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
        focus_ids, authors = await _prepare(url)
        started = time.perf_counter()
        rows, analyze = await _fill_postgresql(_pg_dsn(name), _rows(args.rows, focus_ids, authors),
                                                not args.no_analyze)
        loaded = time.perf_counter() - started - analyze
        connection = await asyncpg.connect(_pg_dsn(name))
        try:
            size = await connection.fetchval("SELECT pg_total_relation_size('observations')") / 2**20
        finally:
            await connection.close()
        print(f"\npostgresql {version}: loaded {rows} rows in {loaded:.1f} s ({rows / loaded:,.0f} rows/s), "
              f"VACUUM{'' if args.no_analyze else ' ANALYZE'} {analyze:.1f} s, table and indexes {size:.0f} MB")
        await _measure("postgresql", url, args.repeat)
    finally:
        admin = await asyncpg.connect(_pg_dsn(PG_ADMIN_DATABASE), timeout=5)
        try:
            await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                " WHERE datname = $1 AND pid <> pg_backend_pid()", name)
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        finally:
            await admin.close()


async def _main(args) -> None:
    print(f"lägesbild benchmark: {args.rows} observations over 5 years up to {NOW:%Y-%m-%d}, "
          f"{args.repeat} runs after {WARM_UPS} warm-ups;")
    print("times in ms; 'x base' = median / baseline median; tally..hours = median of each of load_picture's "
          f"queries, rest = the rest of it (Python, session); goal: p95 < {GOAL_MS:.0f} ms")
    if args.backend in ("sqlite", "both"):
        await _run_sqlite(args)
    if args.backend in ("postgresql", "both"):
        await _run_postgresql(args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-analyze", action="store_true",
                        help="skip ANALYZE after loading (the bot runs a sampled ANALYZE on SQLite at every start)")
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
