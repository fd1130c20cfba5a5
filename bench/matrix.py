"""Matrix message → reply latency through Synapse: the real bot against a bare matrix-nio echo, in one run.

A Synapse on loopback (``tests/support/synapse.py``, temp dir, every rate limit raised) with three accounts: a
human, a bare echo client and the bot. Each responder runs in a process of its own, as in production:

* the echo: a matrix-nio ``AsyncClient`` with encryption on and the sync loop of ``bot.channels.matrix.sync`` without
  the bot (the same long-poll timeout and filter, the same key housekeeping after each sync, invites joined),
  answering every ``m.text`` of someone else with an ``m.notice`` reply of the bot's shape ("Du skrev: …");
* the bot: ``MatrixRunner`` with its defaults on ``build_runtime(settings, serving=True)`` (what
  ``samverkan run`` builds) over a fresh SQLite database, the human a member with a Matrix identity.

The human (this process, encryption on, its own long-polled sync loop) opens a direct chat with each, plain
and encrypted, and sends one message at a time, alternating between the four rooms so that drift (Synapse's
database growing, the machine) falls on all cases alike: "hjälp" and "vilka är fokusområdena?" in turn (short
answers) to both. Latency is from just before the send to the sync that brings the ``m.notice`` replying to
that event (decrypted, in the encrypted rooms). "server ms" splits it: the time between the two events on the
homeserver's clock (origin_server_ts, whole ms), i.e. the responder's wake-up, decryption, handling and send.
Goal: the bot's median within 1.5× of the echo's in each kind of room.

    .venv/bin/python bench/matrix.py [--messages 100] [--warm-ups 5]

Needs ``.venv-synapse`` (``make .venv-synapse``; ``make test`` builds it too).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import common  # noqa: E402
from nio import (  # noqa: E402
    AsyncClient,
    AsyncClientConfig,
    KeysUploadResponse,
    RoomCreateResponse,
    RoomMessageNotice,
    RoomMessageText,
    RoomSendResponse,
    SyncResponse,
)

from bot.channels.matrix.sync import SYNC_FILTER, SYNC_TIMEOUT_MS  # noqa: E402
from tests.support.synapse import SYNAPSE_VENV, Synapse, SynapseError, _die_with_parent  # noqa: E402

GOAL_RATIO = 1.5
UTTERANCES = ("hjälp", "vilka är fokusområdena?")
ENCRYPTION = {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}
REPLY_TIMEOUT = 15.0  # seconds; a reply not seen by then is counted as lost
READY_TIMEOUT = 60.0  # seconds for a responder to log in and sync, or to join and greet
MEMBER = ("Bänk Människa", "kommun")


def client_config() -> AsyncClientConfig:
    """The runner's client settings (``MatrixRunner.__init__``), for the echo and the human alike."""
    return AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False, max_limit_exceeded=5,
                             max_timeouts=2, request_timeout=60)


async def housekeeping(client: AsyncClient) -> None:
    """What ``MatrixSession.housekeeping`` (and nio's ``sync_forever``) does after each sync."""
    if client.should_upload_keys:
        await client.keys_upload()
    if client.should_query_keys:
        await client.keys_query()
    if client.should_claim_keys:
        await client.keys_claim(client.get_users_for_key_claiming())
    await client.send_to_device_messages()


def reply_to(event) -> str | None:
    relates = (event.source.get("content") or {}).get("m.relates_to") or {}
    return (relates.get("m.in_reply_to") or {}).get("event_id")


# ---- responders (child processes) ---------------------------------------------------------------

async def _until_terminated() -> None:
    """Until SIGTERM (or SIGINT): the parent's way to stop a responder, which then closes what it opened."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()


def _quiet_nio() -> None:
    """nio warns of every missing Olm session it then claims (the first encrypted message): noise here."""
    logging.getLogger("nio").setLevel(logging.ERROR)


def _ready() -> None:
    print("ready", flush=True)


async def _serve_echo(account: dict, store: str) -> None:
    from bot.channels.matrix.text import notice_content

    _quiet_nio()
    client = AsyncClient(account["homeserver"], account["user_id"], device_id=account["device_id"],
                         store_path=store, config=client_config())
    client.restore_login(account["user_id"], account["device_id"], account["access_token"])

    async def sync_loop() -> None:
        while True:
            response = await client.sync(timeout=SYNC_TIMEOUT_MS, sync_filter=SYNC_FILTER)
            if not isinstance(response, SyncResponse):
                await asyncio.sleep(1.0)
                continue
            await housekeeping(client)
            for room_id in response.rooms.invite:
                await client.join(room_id)
            for room_id, info in response.rooms.join.items():
                for event in info.timeline.events:
                    if isinstance(event, RoomMessageText) and event.sender != client.user_id:
                        # The bot's shape of answer (an m.notice with HTML, replying to the event).
                        await client.room_send(room_id, "m.room.message",
                                               notice_content(f"Du skrev: {event.body}", reply_to=event.event_id),
                                               ignore_unverified_devices=True)

    task = None
    try:
        first = await client.sync(timeout=0, sync_filter=SYNC_FILTER)  # no history is answered
        if not isinstance(first, SyncResponse):
            raise RuntimeError(f"echo: first sync failed: {first}")
        await housekeeping(client)
        task = asyncio.create_task(sync_loop())
        _ready()
        await _until_terminated()
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await client.close()


async def _serve_bot(account: dict, store: str, database_url: str, member: str) -> None:
    from bot.channels.matrix.sync import MatrixRunner
    from bot.config import Settings
    from bot.runtime import build_runtime
    from storage import MemberRepository

    _quiet_nio()
    settings = Settings.from_env({
        "DATABASE_URL": database_url, "MATRIX_HOMESERVER": account["homeserver"],
        "MATRIX_USER_ID": account["user_id"], "MATRIX_ACCESS_TOKEN": account["access_token"],
        "MATRIX_DEVICE_ID": account["device_id"], "MATRIX_STORE_PATH": store,
        "SAMVERKAN_RATE_LIMIT": "10000"}, env_file=None)  # a benchmark writes faster than people
    runtime = await build_runtime(settings, serving=True)  # as `samverkan run`: the SQLite file is its own
    runner = None
    try:
        async with runtime.database.session() as session:
            members = MemberRepository(session)
            added = await members.add(*MEMBER, "")
            await members.add_identity(added, "matrix", member)
            await session.commit()
        runner = MatrixRunner(runtime)  # its defaults: a 30 s long poll, the production filter
        await runner.start()
        await runner.wait_ready(READY_TIMEOUT)
        _ready()
        await _until_terminated()
    finally:
        if runner is not None:
            await runner.stop()
        await runtime.close()


# ---- the human (this process) -------------------------------------------------------------------

class Human:
    """A person in Element: a nio client with its own long-polled sync loop, noting when each reply came."""

    def __init__(self, client: AsyncClient):
        self.client = client
        self.replies: dict[str, tuple[float, int, str]] = {}  # replied-to event -> (seen at, server ts, body)
        self.sent_ts: dict[str, int] = {}  # own event id -> origin_server_ts
        self.notices: dict[str, int] = {}  # room id -> notices seen
        self.arrived = asyncio.Condition()
        self.idle = asyncio.Event()  # in the long poll, housekeeping done: a send now is timed cleanly
        self.lock = asyncio.Lock()  # key housekeeping and sends never overlap
        self.task: asyncio.Task | None = None

    async def start(self) -> None:
        if self.client.should_upload_keys:
            assert isinstance(await self.client.keys_upload(), KeysUploadResponse)
        first = await self.client.sync(timeout=0, sync_filter=SYNC_FILTER)
        assert isinstance(first, SyncResponse), first
        self.task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        await self.client.close()

    async def _loop(self) -> None:
        while True:
            self.idle.set()
            response = await self.client.sync(timeout=SYNC_TIMEOUT_MS, sync_filter=SYNC_FILTER)
            seen = time.perf_counter()
            self.idle.clear()
            if not isinstance(response, SyncResponse):
                await asyncio.sleep(0.5)
                continue
            for room_id, info in response.rooms.join.items():
                for event in info.timeline.events:
                    if isinstance(event, RoomMessageNotice):
                        self.notices[room_id] = self.notices.get(room_id, 0) + 1
                        replied = reply_to(event)
                        if replied is not None:
                            self.replies[replied] = (seen, event.server_timestamp, event.body)
                    elif isinstance(event, RoomMessageText) and event.sender == self.client.user_id:
                        self.sent_ts[event.event_id] = event.server_timestamp
            async with self.lock:
                await housekeeping(self.client)
            async with self.arrived:
                self.arrived.notify_all()

    async def until(self, found, what: str, timeout: float = READY_TIMEOUT):  # noqa: ASYNC109
        async def wait() -> object:
            async with self.arrived:
                return await self.arrived.wait_for(found)
        try:
            return await asyncio.wait_for(wait(), timeout)
        except TimeoutError:
            raise RuntimeError(f"the human did not see {what} within {timeout:.0f} s") from None

    def joined(self, room_id: str, user_id: str) -> bool:
        room = self.client.rooms.get(room_id)
        return room is not None and user_id in room.users and not room.users[user_id].invited

    async def open_direct(self, responder: str, *, encrypted: bool, greets: bool) -> str:
        created = await self.client.room_create(is_direct=True, invite=[responder],
                                                initial_state=[ENCRYPTION] if encrypted else [])
        assert isinstance(created, RoomCreateResponse), created
        room_id = created.room_id
        await self.until(lambda: self.joined(room_id, responder), f"{responder} joining")
        if greets:  # the bot greets on joining: out of the way before anything is timed
            await self.until(lambda: self.notices.get(room_id, 0) > 0, f"{responder}'s greeting")
        return room_id

    async def ask(self, room_id: str, body: str) -> tuple[float, float | None, str] | None:
        """Send ``body``; the seconds until its reply was seen and between the two events on the server's
        clock (None if unknown), and the reply's text; None if no reply came."""
        await asyncio.wait_for(self.idle.wait(), REPLY_TIMEOUT)
        started = time.perf_counter()
        async with self.lock:
            response = await self.client.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": body},
                                                   ignore_unverified_devices=True)
        assert isinstance(response, RoomSendResponse), response
        event_id = response.event_id
        try:
            await self.until(lambda: event_id in self.replies, "a reply", REPLY_TIMEOUT)
        except RuntimeError:
            return None
        seen, reply_ts, text = self.replies.pop(event_id)
        sent_ts = self.sent_ts.pop(event_id, None)
        return seen - started, (reply_ts - sent_ts) / 1000 if sent_ts is not None else None, text


# ---- the run ------------------------------------------------------------------------------------

@dataclass
class Case:
    room: str  # "plain" or "encrypted"
    responder: str  # "echo" or "bot"
    room_id: str = ""
    latencies: list[float] = field(default_factory=list)
    server: list[float] = field(default_factory=list)
    lost: int = 0
    answers: dict[str, str] = field(default_factory=dict)  # utterance -> the last reply to it

    @property
    def label(self) -> str:
        return f"{self.room} room, {self.responder}"


async def _start_responder(kind: str, account, store: Path, extra: list[str]) -> asyncio.subprocess.Process:
    payload = json.dumps({"homeserver": account.homeserver, "user_id": account.user_id,
                          "device_id": account.device_id, "access_token": account.access_token})
    process = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--serve", kind, "--account", payload, "--store", str(store), *extra,
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, preexec_fn=_die_with_parent)  # SIGTERM if we die
    try:
        line = await asyncio.wait_for(process.stdout.readline(), READY_TIMEOUT)
    except TimeoutError:
        line = b""
    if line.strip() != b"ready":
        await _stop_process(process)
        raise RuntimeError(f"the {kind} did not start (exit code {process.returncode})")
    return process


async def _stop_process(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 15)
        except TimeoutError:
            process.kill()
            await process.wait()


@dataclass(frozen=True)
class Account:
    homeserver: str
    user_id: str
    device_id: str
    access_token: str


async def _run(args, synapse: Synapse, scratch: Path) -> list[Case]:
    processes: list[asyncio.subprocess.Process] = []
    human: Human | None = None
    try:
        accounts = {}
        for name in ("human", "echo", "samverkan"):
            user = await synapse.register(name)
            accounts[name] = Account(synapse.url, user.user_id, user.device_id, user.access_token)
        for name in ("human-store", "echo-store"):  # the bot's runner makes its own
            (scratch / name).mkdir(mode=0o700)
        store = scratch / "human-store"
        person = accounts["human"]
        client = AsyncClient(synapse.url, person.user_id, device_id=person.device_id, store_path=str(store),
                             config=client_config())
        client.restore_login(person.user_id, person.device_id, person.access_token)
        human = Human(client)
        await human.start()

        processes.append(await _start_responder("echo", accounts["echo"], scratch / "echo-store", []))
        database_url = f"sqlite+aiosqlite:///{scratch / 'bot.db'}"
        processes.append(await _start_responder("bot", accounts["samverkan"], scratch / "bot-store",
                                                ["--database-url", database_url, "--member", person.user_id]))

        cases = [Case(room, responder) for room in ("plain", "encrypted") for responder in ("echo", "bot")]
        for case in cases:
            responder = accounts["echo" if case.responder == "echo" else "samverkan"].user_id
            case.room_id = await human.open_direct(responder, encrypted=case.room == "encrypted",
                                                   greets=case.responder == "bot")

        for n in range(args.warm_ups + args.messages):
            for case in cases:  # one at a time, alternating between the rooms
                utterance = UTTERANCES[n % len(UTTERANCES)]
                result = await human.ask(case.room_id, utterance)
                if result is not None:
                    case.answers[utterance] = result[2]
                if n < args.warm_ups:
                    continue
                if result is None:
                    case.lost += 1
                    continue
                case.latencies.append(result[0])
                if result[1] is not None:
                    case.server.append(result[1])
        return cases
    finally:
        if human is not None:
            await human.stop()
        for process in reversed(processes):
            await _stop_process(process)


def _synapse_version() -> str:
    found = sorted(SYNAPSE_VENV.glob("lib/python*/site-packages/matrix_synapse-*.dist-info"))
    return found[-1].name.removeprefix("matrix_synapse-").removesuffix(".dist-info") if found else "?"


def _report(args, cases: list[Case]) -> None:
    print(f"matrix benchmark: Synapse {_synapse_version()} on loopback, {args.messages} messages per case after "
          f"{args.warm_ups} warm-ups, one at a time; bot on SQLite; utterances {' / '.join(UTTERANCES)}")
    table = common.Table(24, (("median ms", 11, ".1f"), ("p95 ms", 9, ".1f"), ("max ms", 9, ".1f"),
                              ("server ms", 11, ".1f"), ("lost", 6, ""), ("ratio", 8, ".2f")))
    print(table.header())
    failed = []
    timings: dict[tuple[str, str], common.Timing] = {}
    for case in cases:
        timing = common.Timing(sorted(case.latencies) or [float("nan")])
        timings[case.room, case.responder] = timing
        server = statistics.median(case.server) * 1000 if case.server else float("nan")
        figures = [timing.median_ms, timing.p95_ms, timing.samples[-1] * 1000, server, case.lost]
        verdict = None
        if case.responder == "bot":
            ratio = timing.median_ms / timings[case.room, "echo"].median_ms
            ok = ratio <= GOAL_RATIO and case.lost == 0
            if not ok:
                failed.append(case.room)
            figures.append(ratio)
            verdict = f"{'PASS' if ok else 'FAIL'} (median within {GOAL_RATIO}× of the echo)"
        print(table.row(case.label, *figures, verdict=verdict))
    print("server ms: median time between the message and its reply on the homeserver's clock (the responder's "
          "wake-up, decryption, handling and send); the rest is the human's send and sync.")
    print(f"matrix: goal bot median within {GOAL_RATIO}× of the echo's, plain and encrypted: "
          f"{'all PASS' if not failed else 'FAIL ' + ', '.join(failed)}; "
          f"load average (1 min) {os.getloadavg()[0]:.2f} after")
    for case in cases:
        if case.responder == "bot" and case.room == "encrypted":
            for utterance, answer in case.answers.items():
                lines = answer.splitlines()
                print(f"the bot answered {utterance!r} with {len(answer)} characters, {len(lines)} lines: "
                      f"{lines[0][:60]!r}…")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100, help="timed messages per case (default 100)")
    parser.add_argument("--warm-ups", type=int, default=5, help="untimed messages per case first (default 5)")
    parser.add_argument("--serve", choices=["echo", "bot"], help=argparse.SUPPRESS)
    parser.add_argument("--account", help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--member", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve == "echo":
        asyncio.run(_serve_echo(json.loads(args.account), args.store))
        return
    if args.serve == "bot":
        asyncio.run(_serve_bot(json.loads(args.account), args.store, args.database_url, args.member))
        return
    _quiet_nio()
    synapse = Synapse()  # its files in a temp dir of its own, removed by close()
    with tempfile.TemporaryDirectory(prefix="samverkan-bench-") as scratch:
        try:
            synapse.start()  # from the main thread: it gets SIGTERM when the thread that started it ends
            cases = asyncio.run(_run(args, synapse, Path(scratch)))
        except SynapseError as error:
            sys.exit(f"matrix benchmark: {error}")
        finally:
            synapse.close()
    _report(args, cases)


if __name__ == "__main__":
    main()
