"""Action-plan lists on 100 000 actions, on SQLite and PostgreSQL, against a bare count.

"Försenade" and "mina åtgärder" must answer in under 20 ms however large the action plan grows; that rests on
the indexes of ``actions`` (``ix_actions_status_due_date``, ``ix_actions_responsible_member_id_status``,
``ix_actions_status_completed_at``, ``ix_actions_responsible_party_status_due_date``). This fills a fresh
database with four years of actions around 26 November 2026 (bulk inserts, not the ORM), then times the call
the bot makes, ``ActionRepository.page`` (count, first page of ten, its relations), for the lists users ask
for. The baseline, in the same process and database, is the cheapest honest query over the same rows: a bare
count of the overdue actions, which ``ix_actions_status_due_date`` answers by itself. Figures are ratios to
it; the plans of the count and page statements of (a) and (b) are printed, and those of a case that misses
the goal (its count or page statement, if that takes 2 ms or more).

    .venv/bin/python bench/actions.py [--backend sqlite|postgresql|both] [--rows 100000] [--repeat 50]
                                      [--no-analyze] [--extra-index 'CREATE INDEX ...' ...]

``--extra-index`` creates an index in the bench database after loading (before the statistics step), to
measure a proposal; nothing in the schema or migrations changes.

On PostgreSQL it runs in a scratch database on the bench server (see ``bench/common.py`` or ``--help``).
"""

from __future__ import annotations

import asyncio
import os
import random
import sqlite3
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import common  # noqa: E402
from sqlalchemy import Date, bindparam, select, text  # noqa: E402

from domain.collaboration import load_collaboration  # noqa: E402
from storage import Database, sync_catalog  # noqa: E402
from storage.actions import OPEN_STATUSES, ActionQuery, ActionRepository  # noqa: E402
from storage.models import CitizenPromise, FocusArea, Forum, Member, MemberIdentity  # noqa: E402

ZONE = ZoneInfo("Europe/Stockholm")
TODAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 15, 0, tzinfo=ZONE).astimezone(UTC)  # nothing was created or completed after this
WEEK = (date(2026, 11, 23), date(2026, 11, 30))  # "denna vecka": Monday to next Monday, half-open
OCTOBER = (datetime(2026, 10, 1, tzinfo=ZONE), datetime(2026, 11, 1, tzinfo=ZONE))  # "klart i oktober"
GOAL_MS = 20.0
WARM_UPS = 3
BATCH = 20_000
SEED = 20261126

MEMBERS = 300
HEAVY_MEMBERS = 30  # "a few dozen" members responsible for most actions
HEAVY_SHARE = 0.6  # of the actions with a responsible member
WITH_MEMBER = 0.85  # the rest name an outside person or only a party
NO_DUE_DATE = 0.04
OVERDUE_SHARE = 0.08  # of the open actions
STATUSES = (("planerad", 30), ("pagaende", 20), ("klar", 45), ("installd", 5))
FOCUS_WEIGHTS = {"trygga-unga": 30, "fri-fran-vald": 20, "andts": 25, "skadegorelse-skola": 15, None: 10}
PARTY_WEIGHTS = (("kommun", 40), ("polis", 30), ("gemensam", 30))  # actions without a member
COLUMNS = ("number", "title", "focus_area_id", "responsible_party", "responsible_member_id", "responsible_text",
           "start_date", "due_date", "status", "promise_id", "forum_id", "created_by_member_id", "created_at",
           "updated_at", "completed_at", "deadline_code")
TITLES = ("Trygghetsvandring", "Föräldravandring", "Dialogmöte med fastighetsägare", "Belysning längs gångväg",
          "Kameraövervakning, ansökan", "Fältarbete helgkvällar", "Tillsyn serveringstillstånd",
          "Utbildning i våldsprevention", "Sanering av klotter", "Samverkansmöte med skolan",
          "Uppföljning av lägesbild", "Kontroll av försäljning av tobak", "Medborgardialog", "Röjning av buskage",
          "Information till vårdnadshavare", "Insats mot langning", "Mopedkontroller", "Nattvandring")
PLACES = ("Älmhult centrum", "Diö", "Liatorp", "Eneryda", "stationen", "Haganässkolan", "Paradisområdet",
          "fritidsgården", "badplatsen Möckeln", "torget")
OUTSIDERS = ("Fastighetsägaren", "Räddningstjänsten", "Skolledningen", "Fältgruppen", "Länsstyrelsen")
PROMISES = ("Tryggare centrum kvällstid", "Färre unga i kriminalitet", "Mindre langning till unga",
            "Trygga skolvägar", "Minskad skadegörelse på skolor", "Tryggare stationsområde",
            "Fler vuxna ute på helger", "Mindre klotter", "Trygg idrottsplats", "Bättre belysning i bostadsområden",
            "Tryggt i badplatsområden", "Minskad mopedkörning på gångbanor")


@dataclass(frozen=True)
class Population:
    """What was loaded, so the cases can name a heavy and a light member and say what to expect."""

    rows: int
    heavy_member: int
    light_member: int
    actions_by_member: Counter
    open_by_member: Counter
    statuses: Counter
    overdue: int


@dataclass(frozen=True)
class Case:
    label: str
    query: ActionQuery


def _cases(population: Population) -> tuple[Case, ...]:
    october = {"done_from": OCTOBER[0], "done_to": OCTOBER[1]}
    return (
        Case("(a) försenade", ActionQuery(status="overdue", today=TODAY)),
        Case("(b) mina, tung medlem", ActionQuery(status="open", member_id=population.heavy_member)),
        Case("(c) mina, lätt medlem", ActionQuery(status="open", member_id=population.light_member)),
        Case("(d) polisens åtgärder", ActionQuery(status="open", party="polis")),
        Case("(e) ANDTS", ActionQuery(status="open", focus_area="andts")),
        Case("(f) denna vecka", ActionQuery(status="open", due_from=WEEK[0], due_to=WEEK[1])),
        Case("(g) klart i oktober", ActionQuery(status="done", **october)),
        Case("(a) försenade, sida 5", ActionQuery(status="overdue", today=TODAY, offset=40)),
    )


EXPLAINED = ("(a) försenade", "(b) mina, tung medlem")  # count and page plans printed whatever the times
BASELINE_SQL = text("SELECT count(*) FROM actions WHERE status IN ('planerad', 'pagaende') AND due_date < :today"
                    ).bindparams(bindparam("today", type_=Date()))
STATEMENTS = ("count", "page", "relations")
TABLE = common.Table(26, (("matching", 9, ""), ("shown", 6, ""), ("stmts", 6, ""), ("median ms", 10, ".2f"),
                          ("p95 ms", 8, ".2f"), ("x base", 8, ".1f"), ("count", 7, ".2f"), ("page", 7, ".2f"),
                          ("rel.", 7, ".2f"), ("rest", 7, ".2f")))


def _statement_kind(statement: str) -> str:
    """Which part of ``ActionRepository.page`` a statement is: the count, the page, or a relation load."""
    if "count(" in statement.lower():
        return "count"
    if "FROM actions" in statement and "ORDER BY" in statement:
        return "page"
    return "relations"  # selectin loads: focus areas, members (and their identities), promises, forums


# ---- data ---------------------------------------------------------------------------------------

def _at(day: date, rng: random.Random) -> datetime:
    """A working-hours moment on ``day`` in Stockholm, as aware UTC."""
    local = datetime(day.year, day.month, day.day, tzinfo=ZONE) + timedelta(minutes=rng.randrange(7 * 60, 19 * 60))
    return local.astimezone(UTC)


def _actions(count: int, members: list[tuple[int, str]], focus_ids: dict[str, int], forum_ids: list[int],
             promise_ids: list[int]) -> tuple[list[tuple], Population]:
    """``count`` actions as tuples in ``COLUMNS`` order (aware UTC datetimes, dates), numbered as created.

    Open actions are mostly due ahead (8 % overdue, by up to a year, most by little); finished ones were due
    in the last two years and completed around their due date; 4 % have no due date. 85 % have a
    responsible member: the first ``HEAVY_MEMBERS`` share 60 % of those, the rest share 40 %.
    """
    rng = random.Random(SEED)
    statuses, status_weights = zip(*STATUSES, strict=True)
    focus_codes = list(FOCUS_WEIGHTS)
    focus_weights = list(FOCUS_WEIGHTS.values())
    parties, party_weights = zip(*PARTY_WEIGHTS, strict=True)
    heavy, light = members[:HEAVY_MEMBERS], members[HEAVY_MEMBERS:]
    heavy_weights = [rng.uniform(0.5, 1.5) for _ in heavy]
    light_weights = [rng.uniform(0.2, 1.8) for _ in light]
    earliest = NOW - timedelta(days=4 * 365)
    drafts = []
    for _ in range(count):
        status = rng.choices(statuses, status_weights)[0]
        is_open = status in OPEN_STATUSES
        if rng.random() < NO_DUE_DATE:
            due = None
        elif is_open:
            days = -rng.triangular(1, 365, 1) if rng.random() < OVERDUE_SHARE else rng.triangular(0, 730, 0)
            due = TODAY + timedelta(days=round(days))
        elif rng.random() < 0.9:
            due = TODAY - timedelta(days=rng.randrange(0, 730))
        else:
            due = TODAY + timedelta(days=rng.randrange(1, 120))  # finished (or dropped) ahead of time
        anchor = _at(due, rng) if due is not None else earliest + timedelta(seconds=rng.random() * 3 * 365 * 86400)
        created = max(earliest, min(anchor - timedelta(days=rng.uniform(14, 240)),
                                    NOW - timedelta(minutes=rng.randrange(10, 60 * 24 * 60))))
        completed = None
        if status == "klar":
            completed = anchor + timedelta(days=rng.gauss(-10, 20))
            latest = NOW - timedelta(minutes=rng.randrange(5, 600))
            completed = min(max(completed, created + timedelta(hours=1)), latest)
        updated = completed or min(created + timedelta(days=rng.uniform(0, 60)), NOW)
        if rng.random() < WITH_MEMBER:
            member, member_party = rng.choices(heavy, heavy_weights)[0] if rng.random() < HEAVY_SHARE else \
                rng.choices(light, light_weights)[0]
            party = "gemensam" if rng.random() < 0.15 else member_party
            outsider = None
        else:
            member, party = None, rng.choices(parties, party_weights)[0]
            outsider = rng.choice(OUTSIDERS) if rng.random() < 0.5 else None
        code = rng.choices(focus_codes, focus_weights)[0]
        drafts.append((
            f"{rng.choice(TITLES)}, {rng.choice(PLACES)}", focus_ids[code] if code else None, party, member,
            outsider, created.astimezone(ZONE).date() if rng.random() < 0.5 else None, due, status,
            rng.choice(promise_ids) if rng.random() < 0.2 else None,
            rng.choice(forum_ids) if rng.random() < 0.3 else None,
            members[rng.randrange(len(members))][0] if rng.random() < 0.9 else None,
            created, updated, completed, None))
    drafts.sort(key=lambda draft: draft[11])  # numbers are handed out as actions are created
    rows = [(number, *draft) for number, draft in enumerate(drafts, start=1)]

    by_member = Counter(row[4] for row in rows if row[4] is not None)
    open_by_member = Counter(row[4] for row in rows if row[4] is not None and row[8] in OPEN_STATUSES)
    light_open = sorted((open_by_member[member], member) for member, _ in light)
    population = Population(
        rows=len(rows), heavy_member=max(open_by_member, key=lambda member: (open_by_member[member], -member)),
        light_member=light_open[len(light_open) // 2][1], actions_by_member=by_member,
        open_by_member=open_by_member, statuses=Counter(row[8] for row in rows),
        overdue=sum(1 for row in rows if row[8] in OPEN_STATUSES and row[7] is not None and row[7] < TODAY))
    return rows, population


def _sqlite_value(value):
    """As SQLAlchemy writes to SQLite: datetimes naive UTC 'YYYY-MM-DD HH:MM:SS.ffffff', dates 'YYYY-MM-DD'."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


async def _prepare(url: str) -> tuple[list[tuple[int, str]], dict[str, int], list[int], list[int]]:
    """Migrate, sync the catalogue, add the members (with a Teams identity each) and the citizen promises."""
    database = Database(url)
    try:
        await database.upgrade()
        collaboration = load_collaboration()
        rng = random.Random(SEED + 1)
        async with database.session() as session:
            await sync_catalog(session, collaboration.focus_areas, collaboration.forums, NOW)
            people = []
            for index in range(MEMBERS):
                party = "polis" if rng.random() < 0.4 else "kommun"
                people.append(Member(
                    name=f"Bänk Medlem {index + 1:03d}", party=party,
                    role="kommunpolis" if party == "polis" else "samordnare", created_at=NOW, updated_at=NOW,
                    identities=[MemberIdentity(channel="msteams", user_key=f"29:bench-{index}", created_at=NOW)]))
            promises = [CitizenPromise(number=index + 1, title=title, period_start=date(2025, 1, 1),
                                       period_end=date(2027, 12, 31), status="aktivt", created_at=NOW)
                        for index, title in enumerate(PROMISES)]
            session.add_all(people + promises)
            await session.flush()
            focus_ids = {code: id_ for code, id_ in (await session.execute(select(FocusArea.code, FocusArea.id)))}
            forum_ids = list((await session.scalars(select(Forum.id).order_by(Forum.id))).all())
            members = [(member.id, member.party) for member in people]
            promise_ids = [promise.id for promise in promises]
            await session.commit()
    finally:
        await database.dispose()
    return members, focus_ids, forum_ids, promise_ids


def _fill_sqlite(path: Path, rows: list[tuple], indexes: list[str], analyze: bool) -> tuple[float, float]:
    with common.sqlite_loader(path) as connection:
        insert = common.insert_statement("actions", COLUMNS)
        started = time.perf_counter()
        connection.execute("BEGIN")
        for start in range(0, len(rows), BATCH):
            connection.executemany(insert, (tuple(map(_sqlite_value, row)) for row in rows[start:start + BATCH]))
        connection.execute("INSERT INTO sequences (name, value) VALUES ('action', ?)", (len(rows),))
        connection.execute("COMMIT")
        for statement in indexes:
            connection.execute(statement)
        loaded = time.perf_counter() - started
        return loaded, common.finish_sqlite_load(connection, analyze)


async def _fill_postgresql(database: str, rows: list[tuple], indexes: list[str], analyze: bool) -> tuple[float, float]:
    async with common.pg_connection(database) as connection:
        started = time.perf_counter()
        async with connection.transaction():
            for start in range(0, len(rows), BATCH):
                await connection.copy_records_to_table("actions", records=rows[start:start + BATCH], columns=COLUMNS)
            await connection.execute("INSERT INTO sequences (name, value) VALUES ('action', $1)", len(rows))
            for statement in indexes:
                await connection.execute(statement)
        loaded = time.perf_counter() - started
        return loaded, await common.vacuum(connection, analyze)


# ---- timing -------------------------------------------------------------------------------------

async def _measure(name: str, url: str, repeat: int, population: Population) -> None:
    database = Database(url)
    clock = common.StatementClock(database, STATEMENTS, _statement_kind)
    load_before = os.getloadavg()[0]  # other work on the machine shows in the p95 first
    try:
        async def bare_count() -> int:
            async with database.session() as session:
                return int(await session.scalar(BASELINE_SQL, {"today": TODAY}))

        baseline = await common.timed(bare_count, repeat, WARM_UPS)
        timings: list[tuple[str, common.Timing]] = []
        for case in _cases(population):
            async def page(query=case.query):
                async with database.session() as session:
                    return await ActionRepository(session).page(query)
            timings.append((case.label, await common.timed(page, repeat, WARM_UPS, clock)))

        base = baseline.median_ms
        print(TABLE.header())
        print(TABLE.row("baseline: bare count (a)", baseline.total, "", 1, base, baseline.p95_ms, 1))
        failed = [(label, timing) for label, timing in timings if timing.p95_ms >= GOAL_MS]
        for label, timing in timings:
            print(TABLE.row(label, timing.total, len(timing.result.actions), timing.executed, timing.median_ms,
                            timing.p95_ms, timing.median_ms / base,
                            *(timing.statement_ms(kind) for kind in (*STATEMENTS, "rest")),
                            verdict="PASS" if timing.p95_ms < GOAL_MS else "FAIL"))
        print(f"{name}: goal p95 < {GOAL_MS:.0f} ms for (a)-(g): "
              f"{'all PASS' if not failed else 'FAIL ' + ', '.join(label for label, _ in failed)}; "
              f"load average (1 min) {load_before:.2f} before timing, {os.getloadavg()[0]:.2f} after")

        shown = set()
        for label, timing in timings:
            for query in ("count", "page"):
                if label in EXPLAINED and (label, query) not in shown:
                    shown.add((label, query))
                    await common.print_plan(database, f"{query} query of {label}", *timing.sql[query],
                                            show_parameters=True)
        for label, timing in failed:  # its count or page statement, if it takes a tenth of the goal or more
            for query in ("count", "page"):
                if (label, query) in shown or query not in timing.sql or \
                        timing.statement_ms(query) < GOAL_MS / 10:
                    continue
                shown.add((label, query))
                await common.print_plan(database, f"{query} query of {label}", *timing.sql[query],
                                        show_parameters=True)
    finally:
        await database.dispose()


# ---- backends -----------------------------------------------------------------------------------

def _describe(population: Population) -> str:
    members = population.actions_by_member
    light = sorted(members[member] for member in members if member not in _heavy_ids(population))
    return (f"statuses {dict(sorted(population.statuses.items()))}, overdue {population.overdue}; "
            f"{len(members)} members with actions, heavy member #{population.heavy_member}: "
            f"{members[population.heavy_member]} actions ({population.open_by_member[population.heavy_member]} open), "
            f"light member #{population.light_member}: {members[population.light_member]} "
            f"({population.open_by_member[population.light_member]} open); light members {light[0]}-{light[-1]}")


def _heavy_ids(population: Population) -> set[int]:
    return {member for member, _ in population.actions_by_member.most_common(HEAVY_MEMBERS)}


async def _run_sqlite(args) -> None:
    with common.scratch_sqlite() as (path, url):
        rows, population = _actions(args.rows, *await _prepare(url))
        loaded, analyze = await asyncio.to_thread(_fill_sqlite, path, rows, args.extra_index, not args.no_analyze)
        size = path.stat().st_size / 2**20
        print(f"\nsqlite {sqlite3.sqlite_version}: loaded {len(rows)} actions in {loaded:.1f} s "
              f"({len(rows) / loaded:,.0f} rows/s), {'no ANALYZE' if args.no_analyze else 'ANALYZE'} "
              f"{analyze:.1f} s, file {size:.0f} MB")
        print(_describe(population))
        await _measure("sqlite", url, args.repeat, population)


async def _run_postgresql(args) -> None:
    async with common.scratch_postgresql() as (name, version):
        url = common.pg_url(name)
        rows, population = _actions(args.rows, *await _prepare(url))
        loaded, analyze = await _fill_postgresql(name, rows, args.extra_index, not args.no_analyze)
        size = await common.relation_size_mb(name, "actions")
        print(f"\npostgresql {version}: loaded {len(rows)} actions in {loaded:.1f} s "
              f"({len(rows) / loaded:,.0f} rows/s), VACUUM{'' if args.no_analyze else ' ANALYZE'} {analyze:.1f} s, "
              f"table and indexes {size:.0f} MB")
        print(_describe(population))
        await _measure("postgresql", url, args.repeat, population)


async def _main(args) -> None:
    print(f"action-plan benchmark: {args.rows} actions over 4 years around {TODAY}, "
          f"{args.repeat} runs after {WARM_UPS} warm-ups;")
    print("times in ms; each case is one ActionRepository.page() call in its own session (count, first page of "
          "10 with relations);\n'x base' = median / baseline median; count, page, rel. = median of each part "
          f"(rel. = the selectin loads), rest = Python and session; goal: p95 < {GOAL_MS:.0f} ms")
    for statement in args.extra_index:
        print(f"extra index: {statement}")
    await common.run_backends(args, _run_sqlite, _run_postgresql)


def main() -> None:
    parser = common.argument_parser(__doc__, rows=100_000, repeat=50, analyze_help=(
        "skip ANALYZE after loading (the bot runs a full ANALYZE on SQLite at every start)"))
    parser.add_argument("--extra-index", action="append", default=[], metavar="SQL",
                        help="a CREATE INDEX statement run in the bench database after loading (repeatable)")
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
