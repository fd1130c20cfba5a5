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

On PostgreSQL it runs in a scratch database on the bench server (see ``bench/common.py`` or ``--help``).
"""

from __future__ import annotations

import asyncio
import random
import re
import sqlite3
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import common  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from dialogs.render.chart import situation_chart  # noqa: E402
from domain.collaboration import load_collaboration  # noqa: E402
from storage import Database, MemberRepository, sync_catalog  # noqa: E402
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
TABLE = common.Table(34, (("in period", 10, ""), ("median ms", 11, ".1f"), ("p95 ms", 9, ".1f"), ("x base", 8, ".1f"),
                          *((kind, 8, ".1f") for kind in (*STATEMENTS, "rest"))))


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
    with common.sqlite_loader(path) as connection:
        insert = common.insert_statement("observations", COLUMNS)
        total = 0
        connection.execute("BEGIN")
        for batch in batches:
            connection.executemany(insert, map(_sqlite_text, batch))
            total += len(batch)
        connection.execute("COMMIT")
        return total, common.finish_sqlite_load(connection, analyze)


async def _fill_postgresql(database: str, batches: Iterator[list[tuple]], analyze: bool) -> tuple[int, float]:
    async with common.pg_connection(database) as connection:
        total = 0
        async with connection.transaction():
            for batch in batches:
                await connection.copy_records_to_table("observations", records=batch, columns=COLUMNS)
                total += len(batch)
        return total, await common.vacuum(connection, analyze)


# ---- timing -------------------------------------------------------------------------------------

async def _measure(name: str, url: str, repeat: int) -> None:
    database = Database(url)
    clock = common.StatementClock(database, STATEMENTS, _statement_kind)
    try:
        live = [Observation.replaced_at.is_(None), Observation.deleted_at.is_(None)]
        period = [Observation.occurred_start >= DEFAULT.start, Observation.occurred_start < DEFAULT.end]

        async def count(*where) -> int:
            async with database.session() as session:
                return int(await session.scalar(select(func.count()).select_from(Observation).where(*where)))

        baseline = await common.timed(lambda: count(*live, *period), repeat, WARM_UPS)
        bare = await common.timed(lambda: count(*period), repeat, WARM_UPS)
        timings: list[tuple[str, common.Timing]] = []
        for case in CASES:
            async def picture(case=case):
                async with database.session() as session:
                    return await load_picture(session, **case.window(), timezone=ZONE_NAME, **case.filters)
            timings.append((case.label, await common.timed(picture, repeat, WARM_UPS, clock)))
        async with database.session() as session:
            default_picture = await load_picture(session, **DEFAULT.window(), timezone=ZONE_NAME)

        async def chart():
            situation_chart(default_picture, title="Lägesbild, 28 oktober–26 november 2026")
        chart_timing = await common.timed(chart, repeat, WARM_UPS)

        base = baseline.median_ms
        print(TABLE.header())
        print(TABLE.row("baseline: count live, 30 days", baseline.total, base, baseline.p95_ms, 1))
        print(TABLE.row("count all rows, 30 days (no live)", bare.total, bare.median_ms, bare.p95_ms,
                        bare.median_ms / base))
        failed = [(label, timing) for label, timing in timings if timing.p95_ms >= GOAL_MS]
        for label, timing in timings:
            print(TABLE.row(label, timing.total, timing.median_ms, timing.p95_ms, timing.median_ms / base,
                            *(timing.statement_ms(kind) for kind in (*STATEMENTS, "rest")),
                            verdict="PASS" if timing.p95_ms < GOAL_MS else "FAIL"))
        print(TABLE.row("(f) chart of (a)", "", chart_timing.median_ms, chart_timing.p95_ms,
                        chart_timing.median_ms / base))
        print(f"{name}: goal p95 < {GOAL_MS:.0f} ms for (a)-(e): "
              f"{'all PASS' if not failed else 'FAIL ' + ', '.join(label for label, _ in failed)}")

        await common.print_plan(database, "tally query of (a)", *timings[0][1].sql["tally"])
        for label, timing in failed:  # every query that takes a tenth of the goal or more
            for query in STATEMENTS:
                if query not in timing.sql or timing.statement_ms(query) < GOAL_MS / 10:
                    continue
                await common.print_plan(database, f"{query} query of {label}", *timing.sql[query])
    finally:
        await database.dispose()


# ---- backends -----------------------------------------------------------------------------------

async def _run_sqlite(args) -> None:
    with common.scratch_sqlite() as (path, url):
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
    async with common.scratch_postgresql() as (name, version):
        url = common.pg_url(name)
        focus_ids, authors = await _prepare(url)
        started = time.perf_counter()
        rows, analyze = await _fill_postgresql(name, _rows(args.rows, focus_ids, authors), not args.no_analyze)
        loaded = time.perf_counter() - started - analyze
        size = await common.relation_size_mb(name, "observations")
        print(f"\npostgresql {version}: loaded {rows} rows in {loaded:.1f} s ({rows / loaded:,.0f} rows/s), "
              f"VACUUM{'' if args.no_analyze else ' ANALYZE'} {analyze:.1f} s, table and indexes {size:.0f} MB")
        await _measure("postgresql", url, args.repeat)


async def _main(args) -> None:
    print(f"lägesbild benchmark: {args.rows} observations over 5 years up to {NOW:%Y-%m-%d}, "
          f"{args.repeat} runs after {WARM_UPS} warm-ups;")
    print("times in ms; 'x base' = median / baseline median; tally..hours = median of each of load_picture's "
          f"queries, rest = the rest of it (Python, session); goal: p95 < {GOAL_MS:.0f} ms")
    await common.run_backends(args, _run_sqlite, _run_postgresql)


def main() -> None:
    parser = common.argument_parser(__doc__, rows=1_000_000, repeat=20, analyze_help=(
        "skip ANALYZE after loading (the bot runs a sampled ANALYZE on SQLite at every start)"))
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
