"""The bot's Matrix login: its device, its access token, its key store, and the encryption housekeeping.

A configured ``MATRIX_ACCESS_TOKEN`` (with or without ``MATRIX_DEVICE_ID``) is used as is; otherwise the
session saved in ``session.json`` beside the key store is restored, or the bot logs in with its password and
saves it. End-to-end encryption is on by default (vodozemac through matrix-nio's ``e2e`` extra). The key store
at ``MATRIX_STORE_PATH`` is critical state: without it the device cannot decrypt again, the homeserver rejects
its new keys (``KeysUploadError``), and the only fix is a new device. That is logged as an error and told to
the admins, never ignored.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path
from typing import Any

from nio import AsyncClient, KeysUploadError, LoginResponse, WhoamiResponse

from bot.config import Settings
from domain.clock import Clock
from storage.matrix_sync import MatrixSyncState

log = logging.getLogger(__name__)

DEVICE_NAME = "Samverkansboten"


def key_problem_text(user_id: str, device_id: str, store: Path) -> str:
    return (f"Matrix: boten {user_id} kan inte längre läsa krypterade rum. Nyckellagret för enheten {device_id} "
            f"({store}) saknas eller hör inte ihop med enheten, och hemservern tar inte emot nya nycklar för den. "
            "Åtgärd: logga in boten som en ny enhet (nytt MATRIX_DEVICE_ID och ny MATRIX_ACCESS_TOKEN, eller "
            "ta bort MATRIX_DEVICE_ID och session.json vid inloggning med lösenord), starta om och bjud in den "
            "i de krypterade rummen igen om det behövs. Säkerhetskopiera nyckellagret tillsammans med databasen.")


class MatrixStartError(RuntimeError):
    """Logging in failed in a way that retrying will not fix (wrong password, token for another user)."""


class MatrixSession:
    """One device of the bot's account on ``client``; ``key_problem`` is set (and reported) when the key
    store is unusable, ``names`` are what a message may start with to address the bot in a room."""

    def __init__(self, client: AsyncClient, settings: Settings, state: MatrixSyncState, clock: Clock):
        self.client = client
        self.settings = settings
        self.state = state
        self.clock = clock
        self.user_id: str = settings.matrix_user_id
        self.store_path = Path(settings.matrix_store_path)
        self.key_problem: str | None = None
        self.names: tuple[str, ...] = ()
        self._store_existed: bool | None = None  # whether a key store was there before this process made one

    @property
    def session_file(self) -> Path:
        return self.store_path / "session.json"

    def store_file(self, device_id: str) -> Path:
        return self.store_path / f"{self.user_id}_{device_id}.db"

    @property
    def can_log_in_again(self) -> bool:
        """Whether a revoked access token can be replaced (with the password) without an operator."""
        return bool(self.settings.matrix_password)

    async def log_in(self) -> None:
        """Restore or make the login; a reused device whose key store is gone is reported."""
        settings = self.settings
        self.store_path.mkdir(parents=True, exist_ok=True, mode=0o700)
        client = self.client
        reused_device = False
        if settings.matrix_access_token:
            device_id = settings.matrix_device_id
            if not device_id:
                client.access_token = settings.matrix_access_token
                who = await client.whoami()
                if not isinstance(who, WhoamiResponse):
                    raise MatrixStartError(f"MATRIX_ACCESS_TOKEN is not accepted by the homeserver: {who}")
                if who.user_id != self.user_id:
                    raise MatrixStartError(f"MATRIX_ACCESS_TOKEN belongs to {who.user_id}, not {self.user_id}")
                device_id = who.device_id
            reused_device = True
            self._note_store(device_id)
            client.restore_login(self.user_id, device_id, settings.matrix_access_token)
        else:
            saved = self._saved_session()
            if saved is not None:
                reused_device = True
                self._note_store(saved["device_id"])
                client.restore_login(self.user_id, saved["device_id"], saved["access_token"])
            else:
                await self.password_login(settings.matrix_device_id or None)
        if settings.matrix_encryption and reused_device and self._store_existed is False \
                and self.key_problem is None and await self._device_has_keys():
            # The homeserver knows keys for this device that no store here holds: the store was lost or moved.
            await self.report_key_problem("the device has keys on the homeserver but no key store here")

    async def log_in_again(self) -> None:
        """The access token was revoked: a new one for the same device (and key store), with the password."""
        if not self.can_log_in_again:
            raise MatrixStartError("MATRIX_ACCESS_TOKEN is not (or no longer) valid")
        log.warning("Matrix: the access token was revoked; logging in again on device %s", self.client.device_id)
        await self.password_login(self.client.device_id)

    def _note_store(self, device_id: str) -> None:
        if self._store_existed is None:  # only before the first attempt made one
            self._store_existed = self.store_file(device_id).exists()

    async def _device_has_keys(self) -> bool:
        """Whether the homeserver holds device keys for this device (uploaded by an earlier key store)."""
        body = json.dumps({"device_keys": {self.user_id: [self.client.device_id]}})
        response = await self.client.send("POST", "/_matrix/client/v3/keys/query", body, headers={
            "Authorization": f"Bearer {self.client.access_token}", "Content-Type": "application/json"})
        if response.status != 200:
            log.warning("Matrix: could not query this device's keys (HTTP %d)", response.status)
            return False
        keys = (await response.json()).get("device_keys") or {}
        return bool((keys.get(self.user_id) or {}).get(self.client.device_id))

    def _saved_session(self) -> dict[str, Any] | None:
        try:
            saved = json.loads(self.session_file.read_text())
        except (OSError, ValueError):
            return None
        if saved.get("user_id") != self.user_id or not saved.get("device_id") or not saved.get("access_token"):
            return None
        if self.settings.matrix_device_id and saved["device_id"] != self.settings.matrix_device_id:
            return None
        return saved

    async def password_login(self, device_id: str | None) -> None:
        if device_id:
            self.client.device_id = device_id
        response = await self.client.login(self.settings.matrix_password, device_name=DEVICE_NAME)
        if not isinstance(response, LoginResponse):
            if getattr(response, "status_code", "") in ("M_FORBIDDEN", "M_USER_DEACTIVATED", "M_INVALID_PARAM"):
                raise MatrixStartError(f"Matrix login as {self.user_id} refused: {response}")
            raise RuntimeError(f"Matrix login failed: {response}")
        self.session_file.write_text(json.dumps({"user_id": response.user_id, "device_id": response.device_id,
                                                 "access_token": response.access_token}))
        os.chmod(self.session_file, 0o600)
        log.info("Matrix: logged in as %s, device %s (kept in %s)", response.user_id, response.device_id,
                 self.session_file)

    async def profile(self) -> None:
        """The bot's display name (set once), and what a message may start with to address it in a room."""
        with contextlib.suppress(Exception):
            profile = await self.client.get_displayname(self.user_id)
            name = getattr(profile, "displayname", None)
            if not name:
                await self.client.set_displayname(DEVICE_NAME)
                name = DEVICE_NAME
            localpart = self.user_id[1:].split(":", 1)[0]
            self.names = tuple(dict.fromkeys(n for n in (self.user_id, name, localpart, DEVICE_NAME) if n))
        if not self.names:
            self.names = (self.user_id, self.user_id[1:].split(":", 1)[0], DEVICE_NAME)

    async def housekeeping(self) -> None:
        """What ``sync_forever`` does between syncs: keys up, devices queried, sessions claimed, to-device out."""
        client = self.client
        if client.olm is None:
            return
        if client.should_upload_keys and self.key_problem is None:
            response = await client.keys_upload()
            if isinstance(response, KeysUploadError):
                await self.report_key_problem(response)
        if client.should_query_keys:
            await client.keys_query()
        if client.should_claim_keys:
            await client.keys_claim(client.get_users_for_key_claiming())
        await client.send_to_device_messages()

    async def report_key_problem(self, error: object) -> None:
        device = self.client.device_id
        self.key_problem = key_problem_text(self.user_id, device, self.store_file(device))
        log.error("Matrix end-to-end encryption is broken for this device (%s). %s", error, self.key_problem)
        await self.state.report_key_problem(device, self.key_problem, self.clock.now())
