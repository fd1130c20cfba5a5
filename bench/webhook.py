"""Webhook throughput and latency: the real bot against a bare botbuilder echo, in one run.

Each server runs in its own process (one core each on a 2-core machine) and is driven over loopback
with Teams-shaped activities; a local Bot Connector records the replies, so a lost reply is counted,
not guessed. Figures are printed as ratios to the echo, which carries the same botbuilder stack
(CloudAdapter, connector client) and nothing of ours.

Two mixes: ``light`` (help, a menu number, questions about the agreement, small talk: no writes beyond
the turn's own) and ``realistic`` (what a member does on an ordinary day: a list query, a one-sentence
log under a focus area, and the press of Spara on the card it gives, which saves the observation).

    .venv/bin/python bench/webhook.py [--requests 400] [--database-url URL] [--mix light|realistic|both]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import activities as teams  # noqa: E402
from tests.support.connector import RecordingConnector  # noqa: E402

UTTERANCES = ["hjälp", "3", "när ska överenskommelsen förlängas", "vilka är fokusområdena", "kan du laga kaffe"]
# The realistic mix, one user's day in three steps: a list, a one-sentence log, its card's Spara.
LIST_QUERIES = ["vilka åtgärder är försenade", "mina åtgärder", "vilka åtgärder är försenade"]
# Each is read as skadegörelse i skolmiljö (the focus area), with place and time, so the card comes prefilled.
LOGS = ["Klotter på Haganässkolan igår kväll", "Skadegörelse på Linnéskolan i helgen",
        "Krossad ruta på Haganässkolan i natt", "Klotter på idrottshallen vid Linnéskolan igår"]
USERS = 20


# ---- servers (child processes) ------------------------------------------------------------------

async def _serve_echo(port: int) -> None:
    from aiohttp import web
    from botbuilder.core import ActivityHandler, MessageFactory, TurnContext
    from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

    from bot.channels import botframework_fixes
    from bot.channels.teams import BotFrameworkConfiguration

    botframework_fixes.apply()  # the echo gets botbuilder's hot-spot fix too, so the ratio is ours alone

    class Echo(ActivityHandler):
        async def on_message_activity(self, turn_context: TurnContext):
            await turn_context.send_activity(MessageFactory.text(f"Du skrev: {turn_context.activity.text}"))

    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(BotFrameworkConfiguration()))
    echo = Echo()

    async def messages(request: web.Request) -> web.Response:
        return await adapter.process(request, echo)

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    await _run_forever(app, port)


async def _serve_bot(port: int, database_url: str) -> None:
    from bot.app import create_app
    from bot.config import Settings
    from bot.runtime import build_runtime
    from storage import MemberRepository

    # A benchmark's users write far faster than people: no per-member rate limit in the way.
    runtime = await build_runtime(Settings.from_env({"DATABASE_URL": database_url, "SAMVERKAN_RATE_LIMIT": "10000"},
                                                    env_file=None), serving=True)
    async with runtime.database.session() as session:
        members = MemberRepository(session)
        added = []
        for n in range(USERS):
            if await members.by_identity("msteams", f"aad-{n}", teams.TENANT) is None:
                member = await members.add(f"Bänk Användare {n}", "kommun", "samordnare")
                await members.add_identity(member, "msteams", f"aad-{n}", teams.TENANT)
                added.append(member)
        await _seed_actions(session, added, runtime.clock.now())
        await session.commit()
    await _run_forever(create_app(runtime), port)


async def _seed_actions(session, members, now) -> None:
    """Three actions per new member, one of them overdue, so the list queries answer with rows."""
    from datetime import timedelta

    from storage.actions import ActionRepository, NewAction

    actions = ActionRepository(session)
    today = now.date()
    for n, member in enumerate(members):
        for k, days in enumerate((-3 - n % 5, 10 + n, 40)):
            await actions.add(NewAction(f"Bänkåtgärd {n}-{k}: trygghetsvandring vid Haganässkolan", "kommun",
                                        due_date=today + timedelta(days=days), focus_area="skadegorelse-skola",
                                        responsible_member_id=member.id), member, at=now, load=False)


async def _run_forever(app, port: int) -> None:
    from aiohttp import web

    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await asyncio.Event().wait()


# ---- load (parent process) ----------------------------------------------------------------------

def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _wait_healthy(http: aiohttp.ClientSession, url: str, process: asyncio.subprocess.Process) -> None:
    for _ in range(1200):  # a busy machine may take a minute to start the bot
        if process.returncode is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            async with http.get(f"{url}/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError("server did not become healthy")


def _card_values(connector: RecordingConnector, activity_id: str) -> dict:
    """What pressing Spara on the card answering ``activity_id`` submits (the echo sends no card: a bare
    submit then, which it answers like any message)."""
    for sent in reversed(connector.sent):
        if sent.reply_to_id == activity_id and sent.body.get("attachments"):
            try:
                return teams.submit_values(teams.card_of(sent.body))
            except (KeyError, ValueError):
                break
    return {"samverkan": "observation.save"}


def _next_activity(mix: str, step: int, connector: RecordingConnector, user: int, previous: dict | None) -> dict:
    aad = f"aad-{user}"
    if mix == "light":
        return teams.message(UTTERANCES[step % len(UTTERANCES)], connector.url, aad=aad)
    round_, phase = divmod(step, 3)
    if phase == 0:
        return teams.message(LIST_QUERIES[round_ % len(LIST_QUERIES)], connector.url, aad=aad)
    if phase == 1:
        return teams.message(LOGS[(round_ + user) % len(LOGS)], connector.url, aad=aad)
    return teams.card_submit(_card_values(connector, previous["id"]), connector.url, aad=aad)


async def _load(http, url, connector, total, concurrency, one_chat: bool, mix: str = "light"):
    connector.clear()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(i)
    latencies: list[float] = []
    errors = 0
    sent_ids: set[str] = set()

    async def worker(worker_id: int) -> None:
        nonlocal errors
        step, previous = 0, None
        while not queue.empty():
            i = queue.get_nowait()
            user = 0 if one_chat else (worker_id % USERS)
            # The light mix walks the utterances by request; the realistic one by this worker's own script,
            # so each card submit follows its own log.
            activity = _next_activity(mix, i if mix == "light" else step, connector, user, previous)
            step, previous = step + 1, activity
            sent_ids.add(activity["id"])
            start = time.perf_counter()
            async with http.post(f"{url}/api/messages", json=activity) as response:
                await response.read()
                if response.status >= 300:
                    errors += 1
            latencies.append(time.perf_counter() - start)

    started = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rate": total / elapsed,
        "median_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        # a request that no reply answers (a reply to an activity names it), not a count of sends
        "lost": len(sent_ids - {sent.reply_to_id for sent in connector.sent}),
        "errors": errors,
    }


CASES = [((1, False), "c=1"), ((20, False), "c=20, 20 chats"), ((20, True), "c=20, one chat")]


async def _start(kind: str, args, connector: RecordingConnector, http) -> tuple[str, asyncio.subprocess.Process]:
    port = _free_port()
    command = [sys.executable, __file__, "--serve", kind, "--port", str(port), "--database-url", args.database_url]
    process = await asyncio.create_subprocess_exec(*command, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_healthy(http, url, process)
        await _load(http, url, connector, 100, USERS, one_chat=False)  # warm-up: every user and chat seen once
    except BaseException:
        await _stop(process)
        raise
    return url, process


async def _stop(process: asyncio.subprocess.Process) -> None:
    process.terminate()
    await process.wait()


async def _main(args) -> None:
    """Both servers run side by side (an idle one costs nothing) and each case loads the echo and then the
    bot, back to back: on a shared machine the load drifts within minutes, and a ratio of two figures
    taken minutes apart would measure the neighbours."""
    connector = RecordingConnector()
    await connector.start()
    results: dict[str, dict] = {"echo": {}, "bot": {}}
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64)) as http:
        servers = {}
        try:
            for kind in ("echo", "bot"):
                servers[kind] = await _start(kind, args, connector, http)
            for mix in args.mixes:
                for kind in results:
                    results[kind][mix] = {}
                for (concurrency, one_chat), _label in CASES:
                    total = args.requests * 2 if (concurrency, one_chat) == (20, False) else args.requests
                    for kind, (url, _process) in servers.items():
                        results[kind][mix][concurrency, one_chat] = await _load(
                            http, url, connector, total, concurrency, one_chat=one_chat, mix=mix)
        finally:
            for _url, process in servers.values():
                await _stop(process)
    await connector.stop()
    echo, real = results["echo"], results["bot"]

    print(f"webhook benchmark: {args.requests} requests per run, database {args.database_url.split(':')[0]}")
    for mix in args.mixes:
        print(f"\n{mix} mix")
        print(f"{'case':<24}{'server':<8}{'act/s':>8}{'median ms':>11}{'p99 ms':>9}{'lost':>6}{'http err':>10}")
        for key, label in CASES:
            for name, result in (("echo", echo[mix][key]), ("bot", real[mix][key])):
                r = result
                print(f"{label:<24}{name:<8}{r['rate']:>8.1f}{r['median_ms']:>11.1f}{r['p99_ms']:>9.1f}"
                      f"{r['lost']:>6}{r['errors']:>10}")
            ratio = real[mix][key]["rate"] / echo[mix][key]["rate"]
            print(f"{'':<24}{'ratio':<8}{ratio:>8.2f}x throughput of the bare echo")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--mix", choices=["light", "realistic", "both"], default="both")
    parser.add_argument("--serve", choices=["echo", "bot"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.mixes = ["light", "realistic"] if args.mix == "both" else [args.mix]
    if args.serve == "echo":
        asyncio.run(_serve_echo(args.port))
        return
    if args.serve == "bot":
        asyncio.run(_serve_bot(args.port, args.database_url))
        return
    with tempfile.TemporaryDirectory() as scratch:
        if not args.database_url:
            args.database_url = f"sqlite+aiosqlite:///{scratch}/bench.db"
        asyncio.run(_main(args))


if __name__ == "__main__":
    main()
