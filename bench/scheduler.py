"""One scheduler tick over 100 000 actions and 1 000 meetings, on SQLite and PostgreSQL, against a bare count.

The bot ticks every minute: ``Scheduler.plan`` derives from the database what is due by now (owner reminders,
personal reminders, pre-meeting posts, weekly digests) and puts what is not planned yet in the outbox, then
``Scheduler.deliver`` claims the outbox rows and sends them. The goal is a tick under 200 ms. This loads the
action plan of ``bench/actions.py`` (its generator and seed: four years around 26 November 2026, 300 members)
and adds 1 000 meetings over the forums across two years either side of it, two series, one bound channel per
forum, a 1:1 conversation reference for two members in three, a weekly digest for one member in ten, a later
reminder hour for one in ten, snoozes on 2 % of the open actions in reach and 1 000 personal reminders over a
month. Then, on Tuesday 1 December 2026 at 08:00 in Älmhult, it times:

(a) the first tick of the day, ``plan()``: "cold", a scheduler just started (a new ``Scheduler``, which
    remembers nothing between ticks yet) on an empty outbox, as at the first start; and "daily", the running
    scheduler, with what the ticks of Friday and Monday 08:00 planned in the outbox, all sent (before each run
    a new ``Scheduler`` replays Monday's tick, untimed, so it remembers what the running one would); the rows
    it plans are deleted before each run;
(c) ``deliver()`` of what (a) planned, through a delivery that answers "sent" at once, so what is timed is the
    claim, the target lookups and the settling of each message; the rows are made pending again before each run;
(b) the steady tick a minute later, ``tick()`` (``plan()``, then ``deliver()`` finding nothing): what runs
    every minute of the day;
(d) a ``tick()`` on Saturday 5 December at 10:00, after the 08:00 ticks of Wednesday to Friday (and one at
    10:00 that plans Saturday's due messages), with nothing due.

The baseline, in the same process and database, is a bare count of the open actions due by the end of the
scheduler's window (today + 14 days), which ``ix_actions_status_due_date`` answers by itself; figures are
ratios to it. Each call is split by statement (what the statements cost; "rest" is Python: ORM loading, the
reminder rules, texts, the session). Goal: p95 < 200 ms for (b) and (d); (a) and (c) are reported.

    .venv/bin/python bench/scheduler.py [--backend sqlite|postgresql|both] [--rows 100000] [--repeat 20]
                                        [--meetings 1000] [--no-analyze] [--profile] [--gc-freeze]
                                        [--extra-index SQL ...]

On PostgreSQL the outbox is vacuumed before every run of (a) and (c), and vacuumed and analyzed once the history
is planned, before (b) and before (d), as autovacuum would have done by then (the bench server runs without it);
``--no-analyze`` skips the analyzing, as well as the statistics after loading, which shows a tick against an
outbox PostgreSQL still believes empty. ``--profile`` runs one steady tick (b) under cProfile and prints where
its Python time goes; ``--extra-index`` creates an index after loading, to measure a proposal (nothing in the
schema changes); ``--gc-freeze`` calls ``gc.freeze()`` before timing, to measure that proposal (a full garbage
collection in a process that imported the bot takes tens of ms).

On PostgreSQL it runs in a scratch database on the bench server (see ``bench/common.py`` or ``--help``).
"""

from __future__ import annotations

import asyncio
import cProfile
import gc
import os
import pstats
import sqlite3
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import actions as action_plan  # noqa: E402  (bench/actions.py: the same action plan, generated the same way)
import common  # noqa: E402
import scheduler_world as world  # noqa: E402  (the week, the data around the actions, the outbox resets)
from sqlalchemy import Date, bindparam, text  # noqa: E402

from bot.channels.proactive import Delivery  # noqa: E402
from bot.scheduler import Scheduler  # noqa: E402
from domain.clock import FixedClock  # noqa: E402
from domain.collaboration import load_collaboration  # noqa: E402
from storage import Database  # noqa: E402

GOAL_MS = 200.0
WARM_UPS = 3
HEAVY_WARM_UPS = 1  # (a) and (c) plan or send thousands of messages a run

BASELINE_SQL = text("SELECT count(*) FROM actions WHERE status IN ('planerad', 'pagaende') AND due_date <= :d"
                    ).bindparams(bindparam("d", type_=Date()))
KINDS = ("actions", "members", "existing", "insert", "personal", "meetings", "post", "digest", "claim", "target",
         "settle")
KIND_NOTES = {
    "actions": "the open actions in reach with their owner's reminder hour, then those with a reminder to plan",
    "members": "selectin loads of members (the owners) and their identities",
    "existing": "outbox keys already planned, 500 a query",
    "insert": "INSERT ... ON CONFLICT DO NOTHING into the outbox, one a message",
    "personal": "personal reminders of the last 30 days",
    "meetings": "bound channels, meetings and series in reach",
    "post": "a pre-meeting post's queries (action lists, lägesbild)",
    "digest": "digest members and each one's actions",
    "claim": "claiming outbox rows (SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, then UPDATE)",
    "target": "where a message goes (conversation references, identities)",
    "settle": "marking a message sent",
}
TABLE = common.Table(36, (("msgs", 7, ""), ("stmts", 7, ""), ("median ms", 10, ".1f"), ("p95 ms", 9, ".1f"),
                          ("x base", 9, ".1f"), ("ms/msg", 8, ".3f")))
BREAKDOWN = common.Table(36, tuple((kind, 9, ".1f") for kind in (*KINDS, "rest")))


def _statement_kind(statement: str) -> str:
    """Which part of a tick a statement is, by its text (see ``KIND_NOTES``)."""
    statement = " ".join(statement.split())
    if statement.startswith("INSERT INTO outbox"):
        return "insert"
    if statement.startswith("UPDATE outbox"):
        return "settle" if "sent_at" in statement else "claim"
    if "FROM outbox" in statement:  # "key" is quoted on SQLite; "= ANY" if it is ever one array parameter
        unquoted = statement.replace('"', "").lower()
        return "existing" if "outbox.key in" in unquoted or "outbox.key = any" in unquoted else "claim"
    if "FROM personal_reminders" in statement:
        return "personal"
    if "FROM actions JOIN members" in statement or "FROM actions WHERE actions.id IN" in statement:
        return "actions"
    if "FROM members WHERE members.id IN" in statement or \
            "FROM member_identities WHERE member_identities.member_id IN" in statement:
        return "members"
    if "WHERE members.weekly_digest" in statement or \
            "FROM actions WHERE actions.responsible_member_id =" in statement:
        return "digest"
    if "FROM conversation_references JOIN forums" in statement or "FROM meeting" in statement or \
            "FROM forums" in statement and "forums.id IN" in statement:
        return "meetings"
    if "FROM conversation_references" in statement or "FROM member_identities" in statement:
        return "target"
    return "post"


class InstantDelivery:
    """A channel that takes every message at once: what deliver() costs besides the network."""

    async def send(self, target, activity) -> tuple[Delivery, None]:
        return Delivery("sent"), None


# ---- timing -------------------------------------------------------------------------------------

def _profile_lines(profiler: cProfile.Profile, top: int = 25) -> list[str]:
    """The functions with the most time of their own, then the project's by time including callees."""
    stats = pstats.Stats(profiler).stats  # {(file, line, name): (primitive calls, calls, own, cumulative, callers)}
    total = sum(own for _cc, _nc, own, _cum, _callers in stats.values())

    def where(key) -> str:
        file, line, name = key
        path = Path(file)
        try:
            file = str(path.relative_to(ROOT))
        except ValueError:
            file = "/".join(path.parts[-2:]) if path.parts else file
        return f"{file}:{line} {name}"

    lines = [f"  profiled Python time {total * 1000:.1f} ms; own time, top {top}:",
             f"  {'calls':>9} {'own ms':>8} {'cum ms':>8}  function"]
    by_own = sorted(stats.items(), key=lambda item: -item[1][2])[:top]
    lines += [f"  {nc:>9} {own * 1000:>8.1f} {cum * 1000:>8.1f}  {where(key)}"
              for key, (_cc, nc, own, cum, _callers) in by_own]
    project = [item for item in stats.items()
               if any(f"{os.sep}{package}{os.sep}" in item[0][0] for package in ("bot", "storage", "dialogs"))]
    lines += ["  the project's functions by time including callees (a coroutine's calls count its resumptions, and "
              "its cum ms can count time spent awaiting twice):"]
    lines += [f"  {nc:>9} {own * 1000:>8.1f} {cum * 1000:>8.1f}  {where(key)}"
              for key, (_cc, nc, own, cum, _callers) in sorted(project, key=lambda item: -item[1][3])[:15]]
    return lines


async def _measure(name: str, url: str, args, reach: int) -> None:
    repeat = args.repeat
    database = Database(url)
    clock = common.StatementClock(database, KINDS, _statement_kind)
    fixed = FixedClock(world.NOW)
    collaboration = load_collaboration()

    def started() -> Scheduler:
        """A scheduler as a process has it when it starts: whatever it remembers between ticks is empty."""
        return Scheduler(database=database, collaboration=collaboration, clock=fixed, delivery=InstantDelivery(),
                         worker="bench")

    process = SimpleNamespace(scheduler=started())  # the scheduler of the bot process, replaced as it restarts
    if args.gc_freeze:
        gc.collect()
        gc.freeze()  # what is alive now (modules, the loaded configuration) is left out of every collection
    load_before = os.getloadavg()[0]
    try:
        async def bare_count() -> int:
            async with database.session() as session:
                return int(await session.scalar(BASELINE_SQL, {"d": world.WINDOW_END}))

        baseline = await common.timed(bare_count, repeat, WARM_UPS)

        async def forget() -> None:
            await world.forget_planned(database, world.NOW)
            await world.tidy_outbox(database)

        async def make_pending() -> None:
            await world.make_pending(database, world.NOW)
            await world.tidy_outbox(database)

        async def first_start() -> None:
            await forget()
            process.scheduler = started()

        replayed = []

        async def after_monday() -> None:
            await forget()
            process.scheduler = started()
            replayed.append(await process.scheduler.plan(world.HISTORY[-1]))  # Monday's messages are all planned

        async def first_tick() -> int:
            return await process.scheduler.plan(world.NOW)

        async def deliver():
            return await process.scheduler.deliver(world.NOW)

        async def tick():
            return await process.scheduler.tick()

        cold = await common.timed(first_tick, repeat, HEAVY_WARM_UPS, clock, setup=first_start)
        cold_kinds = await world.planned_kinds(database, world.NOW)
        cold_send = await common.timed(deliver, repeat, HEAVY_WARM_UPS, clock, setup=make_pending)
        await forget()
        process.scheduler = started()  # started before Friday, it runs through the week
        history = [await world.catch_up(process.scheduler, database, at) for at in world.HISTORY]
        await world.tidy_outbox(database, analyze=not args.no_analyze)
        outbox_before = await world.outbox_rows(database)
        daily = await common.timed(first_tick, repeat, HEAVY_WARM_UPS, clock, setup=after_monday)
        daily_kinds = await world.planned_kinds(database, world.NOW)
        daily_send = await common.timed(deliver, repeat, HEAVY_WARM_UPS, clock, setup=make_pending)
        # Everything (a) planned is sent now: the tick a minute later finds nothing new.
        await world.tidy_outbox(database, analyze=not args.no_analyze)
        fixed.set(world.STEADY)
        steady = await common.timed(tick, repeat, WARM_UPS, clock)
        week = [await world.catch_up(process.scheduler, database, at) for at in world.WEEK]
        await world.tidy_outbox(database, analyze=not args.no_analyze)
        fixed.set(world.WEEKEND)
        saturday_first = await process.scheduler.tick()
        weekend = await common.timed(tick, repeat, WARM_UPS, clock)
        outbox_after = await world.outbox_rows(database)

        base = baseline.median_ms

        def row(label: str, timing: common.Timing, messages: int, verdict: str | None = None) -> str:
            return TABLE.row(label, messages, timing.executed, timing.median_ms, timing.p95_ms,
                             timing.median_ms / base, timing.median_ms / messages if messages else "",
                             verdict=verdict)

        def verdict(timing: common.Timing) -> str:
            return "PASS" if timing.p95_ms < GOAL_MS else "FAIL"

        cases = (("(a) first tick, cold: plan()", cold, cold.result, None),
                 ("(a) first tick, daily: plan()", daily, daily.result, None),
                 ("(c) deliver (a) cold, instant send", cold_send, cold_send.result.sent, None),
                 ("(c) deliver (a) daily, instant send", daily_send, daily_send.result.sent, None),
                 ("(b) steady tick, 08:01: tick()", steady, steady.result.planned + steady.result.sent,
                  verdict(steady)),
                 ("(d) Saturday 10:00, nothing due", weekend, weekend.result.planned + weekend.result.sent,
                  verdict(weekend)))
        print(f"history: Fri 27 Nov and Mon 30 Nov 08:00 planned {history[0]} and {history[1]} "
              f"(outbox {outbox_before} rows before (a) daily); a new scheduler replaying Monday 08:00 before "
              f"each run of (a) daily planned {max(replayed)} more at most (what the one running since Friday "
              f"missed: 0 if none); Wed-Fri 08:00 planned {', '.join(map(str, week))}; "
              f"Saturday's first tick planned {saturday_first.planned} and sent {saturday_first.sent}; "
              f"outbox {outbox_after} rows at the end")
        print(f"(a) cold planned: {cold_kinds}")
        print(f"(a) daily planned: {daily_kinds}")
        print(TABLE.header())
        print(TABLE.row(f"baseline: bare count ({baseline.total})", "", 1, base, baseline.p95_ms, 1.0))
        for label, timing, messages, goal in cases:
            print(row(label, timing, messages, goal))
        failed = [label for label, timing, _messages, goal in cases if goal == "FAIL"]
        print(f"{name}: goal p95 < {GOAL_MS:.0f} ms for (b) and (d): "
              f"{'all PASS' if not failed else 'FAIL ' + ', '.join(failed)}; the tick reads {reach} open actions "
              f"in reach; load average (1 min) {load_before:.2f} before timing, {os.getloadavg()[0]:.2f} after")
        print(f"\n{name}, median ms per call by statement kind (rest = Python and session):")
        print(BREAKDOWN.header().removesuffix("  goal"))
        for label, timing, _messages, _goal in cases:
            print(BREAKDOWN.row(label, *(timing.statement_ms(kind) for kind in (*KINDS, "rest"))))

        await common.print_plan(database, "the actions query of (b)", *steady.sql["actions"])
        for label, timing, _messages, goal in cases:  # a statement kind that takes a tenth of the goal or more
            if goal != "FAIL":
                continue
            for kind in KINDS:
                if kind != "actions" and kind in timing.sql and timing.statement_ms(kind) >= GOAL_MS / 10 \
                        and timing.sql[kind][0].startswith("SELECT"):  # EXPLAIN ANALYZE would run a write
                    await common.print_plan(database, f"a {kind} statement of {label}", *timing.sql[kind])

        if args.profile:
            fixed.set(world.STEADY)
            profiler = cProfile.Profile()
            profiler.enable()
            await process.scheduler.tick()
            profiler.disable()
            print(f"\n{name}, one steady tick (b) under cProfile:")
            print("\n".join(_profile_lines(profiler)))
    finally:
        await database.dispose()


# ---- backends -----------------------------------------------------------------------------------

async def _run_sqlite(args) -> None:
    with common.scratch_sqlite() as (path, url):
        rows, population, extras = await world.load(url, args)
        loaded, analyze = await asyncio.to_thread(action_plan._fill_sqlite, path, rows, args.extra_index,
                                                  not args.no_analyze)
        snoozed = await world.snooze(url, rows)
        size = path.stat().st_size / 2**20
        print(f"\nsqlite {sqlite3.sqlite_version}: loaded {len(rows)} actions in {loaded:.1f} s, "
              f"{'no ANALYZE' if args.no_analyze else 'ANALYZE'} {analyze:.1f} s, file {size:.0f} MB")
        print(world.describe(rows, population, extras, snoozed))
        reach = len(world.in_reach(rows))
        del rows, population  # 100 000 tuples the bot would not hold: they would slow every garbage collection
        gc.collect()
        await _measure("sqlite", url, args, reach)


async def _run_postgresql(args) -> None:
    async with common.scratch_postgresql() as (name, version):
        url = common.pg_url(name)
        rows, population, extras = await world.load(url, args)
        loaded, analyze = await action_plan._fill_postgresql(name, rows, args.extra_index, not args.no_analyze)
        snoozed = await world.snooze(url, rows)
        size = await common.relation_size_mb(name, "actions")
        print(f"\npostgresql {version}: loaded {len(rows)} actions in {loaded:.1f} s, "
              f"VACUUM{'' if args.no_analyze else ' ANALYZE'} {analyze:.1f} s, actions and indexes {size:.0f} MB")
        print(world.describe(rows, population, extras, snoozed))
        reach = len(world.in_reach(rows))
        del rows, population  # 100 000 tuples the bot would not hold: they would slow every garbage collection
        gc.collect()
        await _measure("postgresql", url, args, reach)


async def _main(args) -> None:
    started = time.perf_counter()
    print(f"scheduler benchmark: {args.rows} actions, {args.meetings} meetings; 'now' = Tuesday {world.TODAY} 08:00 "
          f"in Älmhult ({world.NOW:%H:%M} UTC); {args.repeat} runs after {WARM_UPS} warm-ups ({HEAVY_WARM_UPS} for "
          "(a), (c));")
    print("times in ms; 'x base' = median / baseline median; msgs = messages planned (a), sent (c), or both (b, d); "
          f"ms/msg = median / msgs;\ngoal: p95 < {GOAL_MS:.0f} ms for (b) and (d). Statement kinds: "
          + "; ".join(f"{kind} = {note}" for kind, note in KIND_NOTES.items()))
    for statement in args.extra_index:
        print(f"extra index: {statement}")
    if args.gc_freeze:
        print("gc.freeze() before timing")
    await common.run_backends(args, _run_sqlite, _run_postgresql)
    print(f"\n(whole run {time.perf_counter() - started:.0f} s)")


def main() -> None:
    parser = common.argument_parser(__doc__, rows=100_000, repeat=20, analyze_help=(
        "skip ANALYZE after loading and of the outbox once the history is planned (the bot runs a full ANALYZE "
        "on SQLite at every start; PostgreSQL's autovacuum analyzes a table that changed by 10 %%)"))
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="profile one steady tick (b) with cProfile")
    parser.add_argument("--gc-freeze", action="store_true",
                        help="gc.freeze() before timing, so full garbage collections skip what was loaded at start")
    parser.add_argument("--extra-index", action="append", default=[], metavar="SQL",
                        help="a CREATE INDEX statement run in the bench database after loading (repeatable)")
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
