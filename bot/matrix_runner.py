"""The Matrix side of ``samverkan run``: log in, keep the key store, sync, and hand events to the handler.

One loop: ``/sync`` (long-polled), then the encryption housekeeping nio's ``sync_forever`` would do (key
upload, device-key queries, one-time key claims, to-device messages), then the batch: invites (joined only
from ``MATRIX_ALLOWED_INVITERS`` or known members, else refused), room messages and ✅ reactions as turns of
the one ``SamverkanBot``. After each handled batch the sync token is stored in the database (a ``bot_state``
row), and every event is claimed by id before it is handled (a ``bot_state`` row per event, pruned after
``EVENT_MEMORY``), so a restart catches up from the stored token and neither loses a message nor answers one
twice. The very first start answers no history. Sync errors back off exponentially (1 s doubling to 60 s).

End-to-end encryption is on by default (vodozemac through matrix-nio's ``e2e`` extra). The key store at
``MATRIX_STORE_PATH`` is critical state: without it the device cannot decrypt again, the homeserver rejects
its new keys (``KeysUploadError``), and the only fix is a new device. That is logged as an error and told to
the admins, never ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import time
from datetime import timedelta
from pathlib import Path

from nio import (
    AsyncClient,
    AsyncClientConfig,
    InviteMemberEvent,
    KeysUploadError,
    LoginResponse,
    MegolmEvent,
    MessageDirection,
    ReactionEvent,
    RoomGetEventResponse,
    RoomMemberEvent,
    RoomMessageFormatted,
    RoomMessageMedia,
    RoomMessageNotice,
    RoomMessagesResponse,
    RoomMessageText,
    SyncResponse,
    WhoamiResponse,
)
from nio.exceptions import EncryptionError
from sqlalchemy import delete, select

from bot.channels.matrix import (
    CHANNEL_ID,
    MatrixAdapter,
    MatrixDelivery,
    RoomKind,
    membership_activity,
    message_activity,
    room_kind,
    strip_reply_fallback,
)
from bot.channels.references import Identity
from bot.runtime import Runtime
from bot.turn_errors import turn_error_handler
from storage import AuditLog, ConversationReferenceRepository
from storage.db import upsert_insert
from storage.models import BotStateRow, Member, utcnow
from storage.outbox import Outbox

log = logging.getLogger(__name__)

SYNC_TIMEOUT_MS = 30_000
SYNC_FILTER = {"room": {"timeline": {"limit": 50}}, "presence": {"not_types": ["*"]}}
CATCH_UP_LIMIT = 500  # events fetched per room when a catch-up sync left a gap (timeline "limited")
BACKOFF_START, BACKOFF_MAX = 1.0, 60.0
EVENT_MEMORY = timedelta(days=30)
PRUNE_EVERY = 3600.0  # seconds
UNDECRYPTED_PATIENCE = 60.0  # seconds an undecryptable message waits for its room key
DEVICE_NAME = "Samverkansboten"
CHECK_MARKS = frozenset({"✅", "✔", "☑"})
_ACTION_NUMBER = re.compile(r"(?<![\w#])#(\d+)\b")
_TOKEN_KEY = "matrix/sync/{user}"
_EVENT_KEY = "matrix/event/{event}"

REACTION_HINT = ("Reagera med ✅ på ett meddelande som gäller en enda åtgärd (till exempel en påminnelse om #12) "
                 "för att markera den som klar – eller skriv ”#12 klar”.")
NO_TEXT_TEXT = "Jag kan bara läsa textmeddelanden än så länge. Skriv din fråga, eller skriv hjälp."
UNDECRYPTABLE_TEXT = ("Jag kunde inte läsa ditt krypterade meddelande (nyckeln kom inte fram till mig). "
                      "Skriv det gärna igen.")


def key_problem_text(user_id: str, device_id: str, store: Path) -> str:
    return (f"Matrix: boten {user_id} kan inte längre läsa krypterade rum. Nyckellagret för enheten {device_id} "
            f"({store}) saknas eller hör inte ihop med enheten, och hemservern tar inte emot nya nycklar för den. "
            "Åtgärd: logga in boten som en ny enhet (nytt MATRIX_DEVICE_ID och ny MATRIX_ACCESS_TOKEN, eller "
            "ta bort MATRIX_DEVICE_ID och session.json vid inloggning med lösenord), starta om och bjud in den "
            "i de krypterade rummen igen om det behövs. Säkerhetskopiera nyckellagret tillsammans med databasen.")


class MatrixStartError(RuntimeError):
    """Logging in failed in a way that retrying will not fix (wrong password, token for another user)."""


class SyncState:
    """The sync token and the ids of handled events, as ``bot_state`` rows beside botbuilder's documents."""

    def __init__(self, database, user_id: str):
        self.database = database
        self.token_key = _TOKEN_KEY.format(user=user_id)

    async def token(self) -> str | None:
        async with self.database.session() as session:
            document = await session.scalar(select(BotStateRow.document).where(BotStateRow.key == self.token_key))
        return json.loads(document).get("next_batch") if document else None

    async def save_token(self, token: str) -> None:
        table = BotStateRow.__table__
        values = {"document": json.dumps({"next_batch": token}), "etag": "matrix", "updated_at": utcnow()}
        async with self.database.session() as session:
            await session.execute(upsert_insert(session, table).values(key=self.token_key, **values)
                                  .on_conflict_do_update(index_elements=[table.c.key], set_=values))
            await session.commit()

    async def claim(self, event_id: str) -> bool:
        """True for the first caller with this event id, ever (within ``EVENT_MEMORY``): handle it then."""
        table = BotStateRow.__table__
        async with self.database.session() as session:
            inserted = await session.execute(
                upsert_insert(session, table)
                .values(key=_EVENT_KEY.format(event=event_id)[:512], document="{}", etag="matrix",
                        updated_at=utcnow())
                .on_conflict_do_nothing(index_elements=[table.c.key]))
            await session.commit()
        return inserted.rowcount == 1

    async def prune(self) -> int:
        async with self.database.session() as session:
            result = await session.execute(delete(BotStateRow).where(
                BotStateRow.key.startswith(_EVENT_KEY.format(event="")),
                BotStateRow.updated_at < utcnow() - EVENT_MEMORY))
            await session.commit()
        return result.rowcount or 0


class MatrixRunner:
    """The Matrix channel of one process: ``start()`` begins the loop in a task, ``stop()`` ends it."""

    def __init__(self, runtime: Runtime, *, sync_timeout_ms: int = SYNC_TIMEOUT_MS,
                 backoff: tuple[float, float] = (BACKOFF_START, BACKOFF_MAX), sync_filter: dict | None = None):
        settings = runtime.settings
        if not settings.has_matrix:
            raise ValueError("Matrix is not configured (MATRIX_HOMESERVER)")
        self.runtime = runtime
        self.settings = settings
        self.user_id = settings.matrix_user_id
        self.sync_timeout_ms = sync_timeout_ms
        self.sync_filter = sync_filter or SYNC_FILTER
        self.backoff = backoff
        self.store_path = Path(settings.matrix_store_path)
        self.state = SyncState(runtime.database, self.user_id)
        self.client = AsyncClient(
            settings.matrix_homeserver, self.user_id, device_id=settings.matrix_device_id or None,
            store_path=str(self.store_path),
            config=AsyncClientConfig(encryption_enabled=settings.matrix_encryption, store_sync_tokens=False,
                                     max_limit_exceeded=5, max_timeouts=2, request_timeout=60))
        self.adapter = MatrixAdapter(self.client, turn_error_handler(runtime.collaboration))
        self.delivery = MatrixDelivery(self.adapter, homeserver=settings.matrix_homeserver,
                                       encryption=settings.matrix_encryption, wait_for_room=self.wait_for_room,
                                       ready=lambda: self.ready.is_set() and self.running)
        self.key_problem: str | None = None  # set (and reported) when the key store is unusable
        self.failure: str | None = None  # why the loop stopped for good (a refused login), for /healthz
        self.sync_errors = 0
        self.ready = asyncio.Event()  # logged in and synced once
        self._synced = asyncio.Condition()
        self._task: asyncio.Task | None = None
        self._token: str | None = None
        self._names: tuple[str, ...] = ()
        self._inviters: dict[str, str] = {}
        self._undecrypted: dict[str, tuple[float, str, MegolmEvent]] = {}
        self._pruned_at = 0.0
        self._store_existed: bool | None = None  # whether a key store was there before this process made one

    # --- life cycle ------------------------------------------------------------------------------------

    async def start(self) -> None:
        if self._task is None or self._task.done():
            self.ready.clear()
            self._task = asyncio.create_task(self._run(), name="matrix-sync")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, MatrixStartError):
                await task
        await self.client.close()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def wait_ready(self, timeout: float) -> None:  # noqa: ASYNC109
        """Until logged in and synced once; raises the loop's own error if it ended (e.g. a bad password)."""
        waiter = asyncio.ensure_future(self.ready.wait())
        try:
            done, _ = await asyncio.wait({waiter, self._task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
        if self._task in done:
            self._task.result()
            raise RuntimeError(f"the Matrix loop ended: {self.failure}")
        if not self.ready.is_set():
            raise TimeoutError(f"Matrix did not sync within {timeout} s")

    async def wait_for_room(self, room_id: str, timeout: float, *, member: str | None = None,  # noqa: ASYNC109
                            encrypted: bool = False) -> bool:
        """Until a sync has brought the room with ``member`` in it (joined or invited) and, if ``encrypted``, its
        encryption state: a room key is shared only with the members (and their devices) the client knows."""
        def ready() -> bool:
            room = self.client.rooms.get(room_id)
            return room is not None and (member is None or member in room.users) and (room.encrypted or not encrypted)

        async def known() -> None:
            async with self._synced:
                await self._synced.wait_for(ready)

        try:
            await asyncio.wait_for(known(), timeout)
        except TimeoutError:
            return False
        return True

    async def _run(self) -> None:
        delay = self.backoff[0]
        while True:
            try:
                await self._login()
                break
            except MatrixStartError as error:
                self.failure = str(error)
                log.error("Matrix stopped: %s. Fix the MATRIX_* settings and restart; Teams and the scheduler "
                          "keep running.", error)
                raise
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the homeserver is down or unreachable: try again, less often
                log.warning("Matrix login failed (%s); retrying in %.0f s", error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.backoff[1])
        await self._sync_loop()

    # --- logging in and the key store ------------------------------------------------------------------

    @property
    def _session_file(self) -> Path:
        return self.store_path / "session.json"

    def _store_file(self, device_id: str) -> Path:
        return self.store_path / f"{self.user_id}_{device_id}.db"

    async def _login(self) -> None:
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
                await self._password_login(settings.matrix_device_id or None)
        if settings.matrix_encryption and reused_device and self._store_existed is False \
                and self.key_problem is None and await self._device_has_keys():
            # The homeserver knows keys for this device that no store here holds: the store was lost or moved.
            await self._report_key_problem("the device has keys on the homeserver but no key store here")
        self._token = await self.state.token()
        first = self._token is None
        response = await client.sync(timeout=0, sync_filter=self.sync_filter, since=self._token)
        if getattr(response, "status_code", None) == "M_UNKNOWN_TOKEN":
            if not settings.matrix_password:
                raise MatrixStartError("MATRIX_ACCESS_TOKEN is not (or no longer) valid")
            log.warning("Matrix: the saved access token was revoked; logging in again on device %s", client.device_id)
            await self._password_login(client.device_id)
            response = await client.sync(timeout=0, sync_filter=self.sync_filter, since=self._token)
        if not isinstance(response, SyncResponse):
            raise RuntimeError(f"first sync failed: {response}")
        await self._housekeeping()
        await self._profile()
        # The first start ever answers no history; a restart catches up on what came while it was down.
        await self._handle(response, history=not first)
        await self._saved(response.next_batch)
        self.ready.set()
        log.info("Matrix: %s (device %s) synced%s; encryption %s", self.user_id, client.device_id,
                 " for the first time" if first else "", "on" if settings.matrix_encryption else "off")

    def _note_store(self, device_id: str) -> None:
        if self._store_existed is None:  # only before the first attempt made one
            self._store_existed = self._store_file(device_id).exists()

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

    def _saved_session(self) -> dict | None:
        try:
            saved = json.loads(self._session_file.read_text())
        except (OSError, ValueError):
            return None
        if saved.get("user_id") != self.user_id or not saved.get("device_id") or not saved.get("access_token"):
            return None
        if self.settings.matrix_device_id and saved["device_id"] != self.settings.matrix_device_id:
            return None
        return saved

    async def _password_login(self, device_id: str | None) -> None:
        if device_id:
            self.client.device_id = device_id
        response = await self.client.login(self.settings.matrix_password, device_name=DEVICE_NAME)
        if not isinstance(response, LoginResponse):
            if getattr(response, "status_code", "") in ("M_FORBIDDEN", "M_USER_DEACTIVATED", "M_INVALID_PARAM"):
                raise MatrixStartError(f"Matrix login as {self.user_id} refused: {response}")
            raise RuntimeError(f"Matrix login failed: {response}")
        self._session_file.write_text(json.dumps({"user_id": response.user_id, "device_id": response.device_id,
                                                  "access_token": response.access_token}))
        os.chmod(self._session_file, 0o600)
        log.info("Matrix: logged in as %s, device %s (kept in %s)", response.user_id, response.device_id,
                 self._session_file)

    async def _profile(self) -> None:
        """The bot's display name (set once), and what a message may start with to address it in a room."""
        with contextlib.suppress(Exception):
            profile = await self.client.get_displayname(self.user_id)
            name = getattr(profile, "displayname", None)
            if not name:
                await self.client.set_displayname(DEVICE_NAME)
                name = DEVICE_NAME
            localpart = self.user_id[1:].split(":", 1)[0]
            self._names = tuple(dict.fromkeys(n for n in (self.user_id, name, localpart, DEVICE_NAME) if n))
        if not self._names:
            self._names = (self.user_id, self.user_id[1:].split(":", 1)[0], DEVICE_NAME)

    async def _housekeeping(self) -> None:
        """What ``sync_forever`` does between syncs: keys up, devices queried, sessions claimed, to-device out."""
        client = self.client
        if client.olm is None:
            return
        if client.should_upload_keys and self.key_problem is None:
            response = await client.keys_upload()
            if isinstance(response, KeysUploadError):
                await self._report_key_problem(response)
        if client.should_query_keys:
            await client.keys_query()
        if client.should_claim_keys:
            await client.keys_claim(client.get_users_for_key_claiming())
        await client.send_to_device_messages()

    async def _report_key_problem(self, error) -> None:
        device = self.client.device_id
        self.key_problem = key_problem_text(self.user_id, device, self._store_file(device))
        log.error("Matrix end-to-end encryption is broken for this device (%s). %s", error, self.key_problem)
        now = self.runtime.clock.now()
        async with self.runtime.database.session() as session:
            outbox = Outbox(session)
            admins = await session.scalars(select(Member.id).where(Member.is_admin.is_(True), Member.active.is_(True)))
            for admin_id in admins:
                await outbox.plan(key=f"notice:matrix-keys:{self.user_id}:{device}:{admin_id}", kind="notice",
                                  due_at=now, now=now, member_id=admin_id, payload={"text": self.key_problem})
            await AuditLog(session).record("matrix.keys_refused", actor=f"matrix:{self.user_id}", channel=CHANNEL_ID,
                                           subject_type="device", subject_id=device)
            await session.commit()

    # --- the loop --------------------------------------------------------------------------------------

    async def _sync_loop(self) -> None:
        delay = self.backoff[0]
        while True:
            try:
                response = await self.client.sync(timeout=self.sync_timeout_ms, sync_filter=self.sync_filter,
                                                  since=self._token)
                if not isinstance(response, SyncResponse):
                    if getattr(response, "status_code", None) == "M_UNKNOWN_TOKEN" and self.settings.matrix_password:
                        log.warning("Matrix: the access token was revoked; logging in again on device %s",
                                    self.client.device_id)
                        await self._password_login(self.client.device_id)
                        continue
                    raise RuntimeError(f"sync failed: {response}")
                await self._housekeeping()
                await self._handle(response, history=True)
                await self._saved(response.next_batch)
                await self._prune()
                delay = self.backoff[0]
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self.sync_errors += 1
                # The batch is fetched again from the stored token; handled events are skipped by id.
                self.client.next_batch = self._token
                log.warning("Matrix sync failed (%s); retrying in %.1f s", error, delay,
                            exc_info=not isinstance(error, RuntimeError | OSError | asyncio.TimeoutError))
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.backoff[1])

    async def _saved(self, token: str) -> None:
        await self.state.save_token(token)
        self._token = token
        async with self._synced:
            self._synced.notify_all()

    async def _prune(self) -> None:
        if time.monotonic() - self._pruned_at > PRUNE_EVERY:
            self._pruned_at = time.monotonic()
            removed = await self.state.prune()
            if removed:
                log.debug("Matrix: forgot %d handled event ids", removed)

    async def _handle(self, response: SyncResponse, *, history: bool) -> None:
        for room_id, info in response.rooms.invite.items():
            await self._invited(room_id, info.invite_state)
        for room_id, info in response.rooms.join.items():
            room = self.client.rooms.get(room_id)
            events = list(info.timeline.events)
            if history and info.timeline.limited and info.timeline.prev_batch and self._token \
                    and _own_join(events, self.user_id) is None:
                events = await self._gap(room_id, info.timeline.prev_batch) + events
            joined = _own_join(events, self.user_id)
            if joined is not None:
                events = events[joined:]  # what was said before the bot came in is not for it
            for event in events:
                await self._event(room, room_id, event, history=history)
        for room_id, info in response.rooms.leave.items():
            for event in info.timeline.events:
                if isinstance(event, RoomMemberEvent) and event.state_key == self.user_id \
                        and event.membership in ("leave", "ban"):
                    await self._left(room_id, event)
        await self._retry_undecrypted()

    async def _gap(self, room_id: str, prev_batch: str) -> list:
        """The events a limited catch-up sync left out, oldest first: back from ``prev_batch`` to our token."""
        events: list = []
        start = prev_batch
        while len(events) < CATCH_UP_LIMIT:
            page = await self.client.room_messages(room_id, start=start, end=self._token,
                                                   direction=MessageDirection.back, limit=100)
            if not isinstance(page, RoomMessagesResponse) or not page.chunk:
                break
            events.extend(page.chunk)
            if not page.end or page.end == start:
                break
            start = page.end
        log.info("Matrix: caught up %d events in %s from before the gap", len(events), room_id)
        return list(reversed(events))

    # --- invites and membership -----------------------------------------------------------------------

    async def _invited(self, room_id: str, invite_state: list) -> None:
        invite = next((e for e in invite_state if isinstance(e, InviteMemberEvent)
                       and e.state_key == self.user_id and e.membership == "invite"), None)
        inviter = invite.sender if invite is not None else ""
        if await self._may_invite(inviter):
            response = await self.client.join(room_id)
            if getattr(response, "room_id", None):
                self._inviters[room_id] = inviter
                log.info("Matrix: joined %s, invited by %s", room_id, inviter)
            else:
                log.warning("Matrix: could not join %s: %s", room_id, response)
            return
        log.warning("Matrix: refused an invite to %s from %s (not in MATRIX_ALLOWED_INVITERS and not a member)",
                    room_id, inviter or "an unknown user")
        await self.client.room_leave(room_id)
        async with self.runtime.database.session() as session:
            await AuditLog(session).record("matrix.invite_refused", actor=f"matrix:{inviter}", channel=CHANNEL_ID,
                                           subject_type="conversation", subject_id=f"{CHANNEL_ID}:{room_id}")
            await session.commit()

    async def _may_invite(self, inviter: str) -> bool:
        if not inviter:
            return False
        for allowed in self.settings.matrix_allowed_inviters:
            if inviter == allowed or (allowed.startswith(":") and inviter.endswith(allowed)):
                return True
        return await self.runtime.bot.members.lookup(Identity(CHANNEL_ID, inviter)) is not None

    async def _joined(self, room, room_id: str, event: RoomMemberEvent) -> None:
        """The bot joined a room it was invited to: the handler keeps the room and greets, as in Teams."""
        activity = membership_activity(room_id=room_id, kind=room_kind(room), event_id=event.event_id,
                                       sender=self._inviters.pop(room_id, None) or self.user_id,
                                       bot_user_id=self.user_id, homeserver=self.settings.matrix_homeserver,
                                       added=True)
        await self.adapter.process(activity, self.runtime.bot.on_turn)

    async def _left(self, room_id: str, event: RoomMemberEvent) -> None:
        """Kicked, banned or left: the room's reference (if it had one) stops being used."""
        async with self.runtime.database.session() as session:
            reference = await ConversationReferenceRepository(session).get(f"{CHANNEL_ID}:{room_id}")
            known = reference is not None and reference.active
        if known and await self.state.claim(event.event_id):
            activity = membership_activity(room_id=room_id, kind=RoomKind(reference.conversation_type),
                                           event_id=event.event_id, sender=event.sender, bot_user_id=self.user_id,
                                           homeserver=self.settings.matrix_homeserver, added=False)
            await self.adapter.process(activity, self.runtime.bot.on_turn)

    # --- room events ----------------------------------------------------------------------------------

    async def _event(self, room, room_id: str, event, *, history: bool) -> None:
        log.debug("Matrix event %s %s in %s from %s", type(event).__name__, getattr(event, "event_id", "?"), room_id,
                  getattr(event, "sender", "?"))
        if isinstance(event, RoomMemberEvent):
            if history and event.state_key == self.user_id and event.membership == "join" \
                    and event.prev_membership == "invite" and await self.state.claim(event.event_id):
                await self._joined(room, room_id, event)
            return
        sender = getattr(event, "sender", None)
        if not history or sender is None or sender == self.user_id or isinstance(event, RoomMessageNotice):
            return  # never history on a first start, never the bot's own events, never notices (other bots)
        if isinstance(event, MegolmEvent):
            self._undecryptable(room_id, event)
        elif isinstance(event, RoomMessageText):
            await self._message(room, room_id, event)
        elif isinstance(event, ReactionEvent):
            await self._reaction(room, room_id, event)
        elif isinstance(event, RoomMessageMedia | RoomMessageFormatted) and room_kind(room).personal:
            if await self.state.claim(event.event_id):  # an image, a file, an emote in a 1:1: say what works
                await self.adapter.send_notice(room_id, NO_TEXT_TEXT, reply_to=event.event_id)

    async def _message(self, room, room_id: str, event: RoomMessageText) -> None:
        content = event.source.get("content") or {}
        relation = content.get("m.relates_to") or {}
        if relation.get("rel_type") == "m.replace":
            return  # an edit of an earlier message: that one was answered already
        kind = room_kind(room)
        reply_to_event = (relation.get("m.in_reply_to") or {}).get("event_id")
        text = strip_reply_fallback(event.body) if reply_to_event else event.body
        if not kind.personal:
            text = await self._addressed(room_id, content, text, reply_to_event)
            if text is None:
                return  # room talk not meant for the bot
        if not await self.state.claim(event.event_id):
            return
        thread = relation.get("event_id") if relation.get("rel_type") == "m.thread" else None
        activity = message_activity(
            room_id=room_id, kind=kind, event_id=event.event_id, sender=event.sender,
            sender_name=room.user_name(event.sender) if room is not None else None, text=text,
            bot_user_id=self.user_id, homeserver=self.settings.matrix_homeserver,
            timestamp_ms=event.server_timestamp, thread=thread)
        await self.adapter.process(activity, self.runtime.bot.on_turn)

    async def _addressed(self, room_id: str, content: dict, text: str, reply_to_event: str | None) -> str | None:
        """In a shared room the bot answers what is meant for it (as in a Teams channel, where one @mentions
        the bot): a mention, a message starting with its name, or a reply to one of its messages. The text
        comes back without the name; None: not for the bot."""
        mentioned = self.user_id in ((content.get("m.mentions") or {}).get("user_ids") or [])
        for name in self._names:
            match = re.match(rf"\s*@?{re.escape(name)}\b\s*[:,]?\s*", text, flags=re.IGNORECASE)
            if match:
                return text[match.end():]
        if mentioned:
            return text
        if reply_to_event and await self._bot_text(room_id, reply_to_event) is not None:
            return text
        return None

    async def _bot_text(self, room_id: str, event_id: str) -> str | None:
        """The text of the bot's own event ``event_id`` (None when it is someone else's or cannot be read)."""
        if event_id in self.adapter.sent:
            return self.adapter.sent[event_id]
        response = await self.client.room_get_event(room_id, event_id)
        if not isinstance(response, RoomGetEventResponse):
            return None
        event = response.event
        if getattr(event, "sender", None) != self.user_id:
            return None
        return getattr(event, "body", None) or ""

    async def _reaction(self, room, room_id: str, event: ReactionEvent) -> None:
        """✅ on the bot's message about one action closes it, as if the reactor wrote "#12 klar"."""
        if event.key.replace("\ufe0f", "").strip() not in CHECK_MARKS:
            return
        text = await self._bot_text(room_id, event.reacts_to)
        if text is None or not await self.state.claim(event.event_id):
            return
        numbers = set(_ACTION_NUMBER.findall(text))
        if len(numbers) != 1:
            if await self.runtime.bot.members.lookup(Identity(CHANNEL_ID, event.sender)) is not None:
                await self.adapter.send_notice(room_id, REACTION_HINT, reply_to=event.reacts_to)
            return
        activity = message_activity(
            room_id=room_id, kind=room_kind(room), event_id=event.event_id, sender=event.sender,
            sender_name=room.user_name(event.sender) if room is not None else None, text=f"#{numbers.pop()} klar",
            bot_user_id=self.user_id, homeserver=self.settings.matrix_homeserver,
            timestamp_ms=event.server_timestamp, reply_to=event.reacts_to)
        await self.adapter.process(activity, self.runtime.bot.on_turn)

    # --- messages the bot could not decrypt yet -------------------------------------------------------

    def _undecryptable(self, room_id: str, event: MegolmEvent) -> None:
        """Its room key may still be on the way (a to-device message in a later sync): wait for it a while."""
        if event.event_id not in self._undecrypted:
            log.info("Matrix: cannot decrypt %s in %s yet (session %s)", event.event_id, room_id, event.session_id)
            self._undecrypted[event.event_id] = (time.monotonic(), room_id, event)
            if self.client.olm is not None:
                with contextlib.suppress(Exception):
                    asyncio.get_running_loop().create_task(self.client.request_room_key(event))

    async def _retry_undecrypted(self) -> None:
        for event_id, (since, room_id, event) in list(self._undecrypted.items()):
            try:
                decrypted = self.client.decrypt_event(event)
            except (EncryptionError, AssertionError):
                if time.monotonic() - since > UNDECRYPTED_PATIENCE:
                    del self._undecrypted[event_id]
                    log.warning("Matrix: gave up decrypting %s in %s%s", event_id, room_id,
                                " (the key store is unusable: see the error above)" if self.key_problem else "")
                    room = self.client.rooms.get(room_id)
                    if room is not None and room_kind(room).personal and await self.state.claim(event_id):
                        with contextlib.suppress(Exception):
                            await self.adapter.send_notice(room_id, UNDECRYPTABLE_TEXT, reply_to=event_id)
                continue
            del self._undecrypted[event_id]
            await self._event(self.client.rooms.get(room_id), room_id, decrypted, history=True)


def _own_join(events: list, user_id: str) -> int | None:
    """The index of the bot's own (last) joining in ``events``, if it joined there."""
    found = None
    for index, event in enumerate(events):
        if isinstance(event, RoomMemberEvent) and event.state_key == user_id and event.membership == "join" \
                and event.prev_membership != "join":
            found = index
    return found


__all__ = ["MatrixRunner", "MatrixStartError", "SyncState"]
