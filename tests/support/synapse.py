"""Pytest plugin: a real Matrix homeserver (Synapse) on loopback for the Matrix channel tests.

Fixture ``synapse`` (session scope, sync): one running ``Synapse`` shared by the whole run, stopped at the end.

* ``synapse.url`` – the client-server base URL, ``http://127.0.0.1:<port>``; give it to ``nio.AsyncClient``.
* ``synapse.server_name`` – ``"localhost"``; user ids are ``@<name>:localhost``.
* ``await synapse.register(username, password=None, admin=False)`` – a new account through the shared-secret
  admin API, logged in on a fresh device: ``RegisteredUser(user_id, access_token, device_id, password)``.
  The server lives for the whole session, so every test must use usernames of its own (registering a taken
  name fails the test with Synapse's answer).

Synapse runs from ``.venv-synapse`` (``make .venv-synapse``; ``make test`` builds it), a venv of its own because
its pins (Twisted, pydantic) must not meet ours. If it is missing the test FAILS, like the PostgreSQL variants
of the storage tests: skipping would hide breakage. The configuration keeps everything local (client API only,
no federation, no key servers, no stats) and fast: SQLite, ``bcrypt_rounds: 4``, presence off, and every rate
limit raised (matrix-nio quietly sleeps on each 429, which would make tests seconds slower, not red).
Start-up takes about 1.3 s (until ``GET /health`` answers); a failed start fails with the log tail. Its files
(homeserver.yaml, homeserver.log, console.log, the SQLite database) stay in the session's pytest temp dir
(``synapse.directory``). The process gets SIGTERM at the end, and also if pytest dies (PR_SET_PDEATHSIG).
A test that needs a homeserver of its own (a restart, say) can use ``Synapse(directory)`` with ``start()``/``stop()``.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import hashlib
import hmac
import json
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import aiohttp
import pytest

ROOT = Path(__file__).resolve().parents[2]
SYNAPSE_VENV = ROOT / ".venv-synapse"
HOST = "127.0.0.1"
SERVER_NAME = "localhost"
START_TIMEOUT = 60.0  # seconds; it takes about 2.5 s on two cores
STOP_TIMEOUT = 10.0
LOG_TAIL_LINES = 40

# Every rc_* limiter Synapse 1.163 reads (dotted = nested); each set to 1000/s with a burst of 1000.
RATE_LIMITS = (
    "rc_message",
    "rc_registration",
    "rc_registration_token_validity",
    "rc_login.address",
    "rc_login.account",
    "rc_login.failed_attempts",
    "rc_admin_redaction",
    "rc_joins.local",
    "rc_joins.remote",
    "rc_joins_per_room",
    "rc_key_requests",
    "rc_invites.per_room",
    "rc_invites.per_user",
    "rc_invites.per_issuer",
    "rc_third_party_invite",
    "rc_media_create",
    "rc_presence.per_user",
    "rc_delayed_event_mgmt",
    "rc_room_creation",
    "rc_reports",
    "rc_user_directory",
    "rc_profile",
)
FAST = {"per_second": 1000, "burst_count": 1000}


@dataclass(frozen=True)
class RegisteredUser:
    user_id: str  # "@name:localhost"
    access_token: str
    device_id: str  # the device the registration logged in; use it with nio's restore_login
    password: str


class SynapseError(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM the homeserver if pytest dies without stopping it (Linux)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _rate_limits() -> dict:
    config: dict = {}
    for key in RATE_LIMITS:
        *parents, leaf = key.split(".")
        node = config
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = dict(FAST)
    return config


class Synapse:
    """One Synapse process on a free loopback port with its files in ``directory`` (a temp dir if None)."""

    def __init__(self, directory: Path | None = None, python: Path | None = None) -> None:
        self.python = python or SYNAPSE_VENV / "bin" / "python"
        self._own_directory = directory is None
        self.directory = Path(directory) if directory is not None else Path(tempfile.mkdtemp(prefix="synapse-"))
        self.server_name = SERVER_NAME
        self.port: int | None = None
        self.shared_secret = secrets.token_hex(16)
        self.log_path = self.directory / "homeserver.log"
        self._process: subprocess.Popen | None = None
        self._console: IO[bytes] | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise SynapseError("Synapse is not started")
        return f"http://{HOST}:{self.port}"

    def check_installed(self) -> str | None:
        """Why Synapse cannot run (a message for the test report), or None."""
        stamped = any(SYNAPSE_VENV.glob(".installed-*")) or not self.python.is_relative_to(SYNAPSE_VENV)
        if not self.python.exists() or not stamped:  # no stamp: a build that was interrupted
            return (
                f"Synapse is not installed in {SYNAPSE_VENV}: run `make .venv-synapse` (about 30 s, once). "
                "`make test` builds it, so CI has it; the Matrix tests need a real homeserver and do not skip."
            )
        return None

    # --- configuration -------------------------------------------------------------------------------------

    def _write_files(self) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        signing_key = self.directory / "signing.key"
        if not signing_key.exists():  # kept across restarts, like the database
            key = base64.b64encode(secrets.token_bytes(32)).decode().rstrip("=")
            signing_key.write_text(f"ed25519 a_{secrets.token_hex(2)} {key}\n")
        log_config = {
            "version": 1,
            # Synapse adds the %(request)s attribute to every record itself.
            "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(request)s %(message)s"}},
            "handlers": {
                "file": {
                    "class": "logging.FileHandler",
                    "formatter": "plain",
                    "filename": str(self.log_path),
                    "encoding": "utf8",
                }
            },
            "loggers": {"synapse.storage.SQL": {"level": "WARNING"}, "twisted": {"level": "WARNING"}},
            "root": {"level": "INFO", "handlers": ["file"]},
            "disable_existing_loggers": False,
        }
        log_config_path = self.directory / "log.yaml"
        log_config_path.write_text(json.dumps(log_config, indent=1))  # JSON is YAML
        config = {
            "server_name": self.server_name,
            "public_baseurl": self.url + "/",
            "pid_file": str(self.directory / "homeserver.pid"),
            "listeners": [
                {
                    "port": self.port,
                    "bind_addresses": [HOST],
                    "type": "http",
                    "tls": False,
                    "x_forwarded": False,
                    "resources": [{"names": ["client"], "compress": False}],
                }
            ],
            "database": {"name": "sqlite3", "args": {"database": str(self.directory / "homeserver.db")}},
            "log_config": str(log_config_path),
            "media_store_path": str(self.directory / "media_store"),
            "signing_key_path": str(signing_key),
            "registration_shared_secret": self.shared_secret,
            "macaroon_secret_key": secrets.token_hex(16),
            "form_secret": secrets.token_hex(16),
            "enable_registration": False,
            "bcrypt_rounds": 4,
            "report_stats": False,
            "enable_metrics": False,
            "trusted_key_servers": [],
            "suppress_key_server_warning": True,
            "federation_domain_whitelist": [],
            "url_preview_enabled": False,
            "presence": {"enabled": False},
            **_rate_limits(),
        }
        config_path = self.directory / "homeserver.yaml"
        config_path.write_text(json.dumps(config, indent=1))
        return config_path

    # --- process -------------------------------------------------------------------------------------------

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        text = ""
        for path in (self.directory / "console.log", self.log_path):
            if path.exists():
                tail = path.read_text(errors="replace").splitlines()[-lines:]
                if tail:
                    text += f"--- {path} (last {len(tail)} lines) ---\n" + "\n".join(tail) + "\n"
        return text or "(no log written)"

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Starts the homeserver and waits until ``GET /health`` answers; raises SynapseError with the log tail.

        After ``stop()`` it starts again on the same database, signing key and (if still free) port.
        """
        problem = self.check_installed()
        if problem:
            raise SynapseError(problem)
        if self._process is not None:
            raise SynapseError("Synapse is already running")
        for attempt in range(3):  # the free port can be taken between probing and binding it
            if self.port is None or attempt:
                self.port = _free_port()
            config_path = self._write_files()
            self._console = open(self.directory / "console.log", "ab")  # closed in stop()
            self._process = subprocess.Popen(
                [str(self.python), "-m", "synapse.app.homeserver", "-c", str(config_path)],
                cwd=self.directory,
                stdin=subprocess.DEVNULL,
                stdout=self._console,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
            try:
                self._wait_healthy(timeout)
                return
            except SynapseError:
                in_use = "Address already in use" in self.log_tail(200)
                self.stop()
                if not in_use or attempt == 2:
                    raise

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            code = self._process.poll()
            if code is not None:
                raise SynapseError(f"Synapse exited with code {code} during start-up.\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=1) as response:
                    if response.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            if time.monotonic() > deadline:
                raise SynapseError(
                    f"Synapse did not answer {self.url}/health within {timeout:.0f} s.\n{self.log_tail()}"
                )
            time.sleep(0.05)

    def stop(self) -> None:
        """SIGTERM (SIGKILL after 10 s); the files stay for inspection unless the directory was a temp dir."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._console is not None:
            self._console.close()
            self._console = None

    def close(self) -> None:
        self.stop()
        if self._own_directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    # --- accounts ------------------------------------------------------------------------------------------

    async def register(self, username: str, password: str | None = None, admin: bool = False) -> RegisteredUser:
        """A new user (localpart ``username``) via the shared-secret admin API, with a token for a new device."""
        password = password or secrets.token_urlsafe(12)
        endpoint = self.url + "/_synapse/admin/v1/register"
        async with aiohttp.ClientSession() as http:
            async with http.get(endpoint) as response:
                body = await response.json(content_type=None)
                if response.status != 200:
                    raise SynapseError(f"GET {endpoint}: {response.status} {body}")
                nonce = body["nonce"]
            mac = hmac.new(self.shared_secret.encode(), digestmod=hashlib.sha1)
            flag = b"admin" if admin else b"notadmin"
            mac.update(b"\x00".join([nonce.encode(), username.encode(), password.encode(), flag]))
            payload = {
                "nonce": nonce,
                "username": username,
                "password": password,
                "admin": admin,
                "mac": mac.hexdigest(),
            }
            async with http.post(endpoint, json=payload) as response:
                body = await response.json(content_type=None)
                if response.status != 200:
                    raise SynapseError(f"Registering {username!r} failed: {response.status} {body}")
        return RegisteredUser(body["user_id"], body["access_token"], body["device_id"], password)


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synapse]:
    """A running Synapse for the whole session (started on first use); see the module docstring."""
    server = Synapse(tmp_path_factory.mktemp("synapse"))
    problem = server.check_installed()
    if problem:
        pytest.fail(problem, pytrace=False)
    try:
        server.start()
    except SynapseError as error:
        server.stop()
        pytest.fail(str(error), pytrace=False)
    try:
        yield server
    finally:
        server.stop()
