"""The ``synapse`` fixture: a real homeserver that matrix-nio clients talk to, plain and end-to-end encrypted."""

from __future__ import annotations

import secrets
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import pytest
from nio import (
    AsyncClient,
    AsyncClientConfig,
    InviteMemberEvent,
    JoinResponse,
    KeysUploadResponse,
    MegolmEvent,
    RoomCreateResponse,
    RoomMessageNotice,
    RoomMessageText,
    RoomSendResponse,
    SyncResponse,
)

from tests.support.synapse import RegisteredUser, Synapse

SYNC_DEADLINE = 10.0  # seconds to wait for an event that is expected
ENCRYPTION = {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}


def _unique(name: str) -> str:
    """The server lives for the whole session: every test registers users of its own."""
    return f"{name}-{secrets.token_hex(3)}"


class Party:
    """A logged-in nio client (encryption on, its own key store) and the events its syncs have delivered."""

    def __init__(self, client: AsyncClient, user: RegisteredUser) -> None:
        self.client = client
        self.user = user
        self.events: list[tuple[str, object]] = []  # (room id, event), in arrival order
        self.invites: list[str] = []
        client.add_event_callback(self._on_event, (RoomMessageText, RoomMessageNotice, MegolmEvent))
        client.add_event_callback(self._on_invite, InviteMemberEvent)

    async def _on_event(self, room, event) -> None:
        self.events.append((room.room_id, event))

    async def _on_invite(self, room, event) -> None:
        if event.state_key == self.user.user_id and event.membership == "invite":
            self.invites.append(room.room_id)

    async def sync(self) -> None:
        response = await self.client.sync(timeout=0)
        assert isinstance(response, SyncResponse), response

    async def sync_until(self, found: Callable[[], object], what: str) -> object:
        """Long-polls /sync (it answers as soon as something arrives) until ``found()`` is truthy."""
        deadline = time.monotonic() + SYNC_DEADLINE
        while not (result := found()):
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.user.user_id} did not get {what} within {SYNC_DEADLINE} s")
            response = await self.client.sync(timeout=1000)
            assert isinstance(response, SyncResponse), response
        return result

    def sees_member(self, room_id: str, other: Party) -> bool:
        room = self.client.rooms.get(room_id)
        return room is not None and other.user.user_id in room.users

    def message(self, room_id: str, body: str):
        for room, event in self.events:
            if room == room_id and getattr(event, "body", None) == body:
                return event
        return None


@pytest.fixture
async def parties(synapse: Synapse, tmp_path: Path) -> AsyncIterator[Callable]:
    clients: list[AsyncClient] = []

    async def login(name: str) -> Party:
        user = await synapse.register(_unique(name))
        store = tmp_path / name
        store.mkdir()
        config = AsyncClientConfig(encryption_enabled=True, store_sync_tokens=True)
        client = AsyncClient(synapse.url, user.user_id, device_id=user.device_id, store_path=str(store), config=config)
        clients.append(client)
        client.restore_login(user.user_id, user.device_id, user.access_token)  # also loads (creates) the store
        if client.should_upload_keys:
            assert isinstance(await client.keys_upload(), KeysUploadResponse)
        party = Party(client, user)
        await party.sync()  # the first sync: history and state, before anything the test waits for
        return party

    yield login
    for client in clients:
        await client.close()


async def test_fixture_registers_users(synapse: Synapse) -> None:
    assert synapse.url.startswith("http://127.0.0.1:")
    assert synapse.server_name == "localhost"
    name = _unique("admin")
    admin = await synapse.register(name, password="hemligt", admin=True)
    plain = await synapse.register(_unique("plain"))
    assert admin.user_id == f"@{name}:localhost"
    assert admin.password == "hemligt" and plain.password and admin.device_id and plain.device_id
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {admin.access_token}"}) as http:
        async with http.get(f"{synapse.url}/_matrix/client/v3/account/whoami") as response:
            assert (await response.json())["user_id"] == admin.user_id
        for user, is_admin in ((admin, True), (plain, False)):
            async with http.get(f"{synapse.url}/_synapse/admin/v2/users/{user.user_id}") as response:
                assert (await response.json())["admin"] is is_admin
        # A password login works too (what a bot with only a password would do).
        login = {"type": "m.login.password", "identifier": {"type": "m.id.user", "user": name}, "password": "hemligt"}
        async with http.post(f"{synapse.url}/_matrix/client/v3/login", json=login) as response:
            assert response.status == 200


async def test_plain_room_invite_join_and_messages_both_ways(parties) -> None:
    alice, bob = await parties("alice"), await parties("bob")

    created = await alice.client.room_create(name="Samverkan", invite=[bob.user.user_id])
    assert isinstance(created, RoomCreateResponse), created
    room_id = created.room_id
    await bob.sync_until(lambda: room_id in bob.invites, "the invite")
    assert isinstance(await bob.client.join(room_id), JoinResponse)
    # nio only sends to rooms a sync has shown it (room_create/join do not add them): LocalProtocolError otherwise.
    await alice.sync_until(lambda: alice.sees_member(room_id, bob), "Bob's join")

    sent = await alice.client.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": "Hej Bob"})
    assert isinstance(sent, RoomSendResponse), sent
    event = await bob.sync_until(lambda: bob.message(room_id, "Hej Bob"), "Alice's message")
    assert isinstance(event, RoomMessageText) and event.sender == alice.user.user_id

    # A bot answers with m.notice: nio delivers it as RoomMessageNotice, not RoomMessageText.
    sent = await bob.client.room_send(room_id, "m.room.message", {"msgtype": "m.notice", "body": "Hej Alice"})
    assert isinstance(sent, RoomSendResponse), sent
    event = await alice.sync_until(lambda: alice.message(room_id, "Hej Alice"), "Bob's notice")
    assert isinstance(event, RoomMessageNotice) and event.sender == bob.user.user_id


async def test_encrypted_room_messages_are_decrypted_on_the_other_side(parties) -> None:
    alice, bob = await parties("alice-e2e"), await parties("bob-e2e")

    created = await alice.client.room_create(invite=[bob.user.user_id], initial_state=[ENCRYPTION])
    assert isinstance(created, RoomCreateResponse), created
    room_id = created.room_id
    await bob.sync_until(lambda: room_id in bob.invites, "the invite")
    assert isinstance(await bob.client.join(room_id), JoinResponse)
    # Alice must see Bob's join (and the room must be known as encrypted) before the room key is shared.
    await alice.sync_until(lambda: alice.sees_member(room_id, bob), "Bob's join")
    assert alice.client.rooms[room_id].encrypted

    sent = await alice.client.room_send(
        room_id, "m.room.message", {"msgtype": "m.text", "body": "Hemligt"}, ignore_unverified_devices=True
    )
    assert isinstance(sent, RoomSendResponse), sent
    event = await bob.sync_until(lambda: bob.message(room_id, "Hemligt"), "Alice's encrypted message")
    assert isinstance(event, RoomMessageText) and event.decrypted and event.sender == alice.user.user_id
    assert not [e for room, e in bob.events if room == room_id and isinstance(e, MegolmEvent)], "undecryptable"

    await bob.sync()  # Bob's client has now seen the room as encrypted and Alice's device list
    sent = await bob.client.room_send(
        room_id, "m.room.message", {"msgtype": "m.notice", "body": "Svar"}, ignore_unverified_devices=True
    )
    assert isinstance(sent, RoomSendResponse), sent
    event = await alice.sync_until(lambda: alice.message(room_id, "Svar"), "Bob's encrypted notice")
    assert isinstance(event, RoomMessageNotice) and event.decrypted
