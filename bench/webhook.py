"""Webhook throughput and latency: the real bot against a bare botbuilder echo, in one run.

Each server runs in its own process (one core each on a 2-core machine) and is driven over loopback
with Teams-shaped activities; a local Bot Connector records the replies, so a lost reply is counted,
not guessed. Figures are printed as ratios to the echo, which carries the same botbuilder stack
(CloudAdapter, connector client) and nothing of ours.

    .venv/bin/python bench/webhook.py [--requests 400] [--database-url URL]
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

    runtime = await build_runtime(Settings.from_env({"DATABASE_URL": database_url}, env_file=None), serving=True)
    async with runtime.database.session() as session:
        members = MemberRepository(session)
        for n in range(USERS):
            if await members.by_identity("msteams", f"aad-{n}", teams.TENANT) is None:
                member = await members.add(f"Bänk Användare {n}", "kommun", "samordnare")
                await members.add_identity(member, "msteams", f"aad-{n}", teams.TENANT)
        await session.commit()
    await _run_forever(create_app(runtime), port)


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
    for _ in range(300):
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


async def _load(http, url, connector, total, concurrency, one_chat: bool):
    connector.clear()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(i)
    latencies: list[float] = []
    errors = 0

    async def worker(worker_id: int) -> None:
        nonlocal errors
        while not queue.empty():
            i = queue.get_nowait()
            user = 0 if one_chat else (worker_id % USERS)
            activity = teams.message(UTTERANCES[i % len(UTTERANCES)], connector.url, aad=f"aad-{user}")
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
        "lost": total - len(connector.sent),
        "errors": errors,
    }


async def _measure(kind: str, args, connector: RecordingConnector, http) -> dict:
    port = _free_port()
    command = [sys.executable, __file__, "--serve", kind, "--port", str(port), "--database-url", args.database_url]
    process = await asyncio.create_subprocess_exec(*command, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_healthy(http, url, process)
        await _load(http, url, connector, 100, USERS, one_chat=False)  # warm-up: every user and chat seen once
        return {
            (1, False): await _load(http, url, connector, args.requests, 1, one_chat=False),
            (20, False): await _load(http, url, connector, args.requests * 2, 20, one_chat=False),
            (20, True): await _load(http, url, connector, args.requests, 20, one_chat=True),
        }
    finally:
        process.terminate()
        await process.wait()


async def _main(args) -> None:
    connector = RecordingConnector()
    await connector.start()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64)) as http:
        echo = await _measure("echo", args, connector, http)
        real = await _measure("bot", args, connector, http)
    await connector.stop()

    print(f"webhook benchmark: {args.requests} requests per run, database {args.database_url.split(':')[0]}")
    print(f"{'case':<24}{'server':<8}{'act/s':>8}{'median ms':>11}{'p99 ms':>9}{'lost':>6}{'http err':>10}")
    for key, label in [((1, False), "c=1"), ((20, False), "c=20, 20 chats"), ((20, True), "c=20, one chat")]:
        for name, result in (("echo", echo[key]), ("bot", real[key])):
            r = result
            print(f"{label:<24}{name:<8}{r['rate']:>8.1f}{r['median_ms']:>11.1f}{r['p99_ms']:>9.1f}"
                  f"{r['lost']:>6}{r['errors']:>10}")
        print(f"{'':<24}{'ratio':<8}{real[key]['rate'] / echo[key]['rate']:>8.2f}x throughput of the bare echo")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--serve", choices=["echo", "bot"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
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
