"""The Matrix channel end to end against a real Synapse (``tests/support/synapse.py``): the bot runs its own
sync loop (``bot.channels.matrix.sync``) on a real runtime and database; a second matrix-nio client plays the human.

Questions in a plain and an encrypted room, logging an observation, a ✅ reaction closing an action, a reminder
in the member's direct room, a restart that neither misses nor repeats, a refused invite, and a lost key store.
They run on SQLite only: they test the channel, and the few rows it writes (bot_state, outbox, references)
are tested on PostgreSQL too by ``test_sync_state_claims_each_event_once`` below and the storage tests.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import shutil
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from nio import (
    AsyncClient,
    AsyncClientConfig,
    InviteMemberEvent,
    JoinResponse,
    KeysUploadResponse,
    MegolmEvent,
    RoomCreateResponse,
    RoomEncryptedImage,
    RoomMemberEvent,
    RoomMessageImage,
    RoomMessageNotice,
    RoomMessageText,
    RoomSendResponse,
    SyncResponse,
)
from sqlalchemy import select

from bot.channels.matrix.sync import MatrixRunner
from bot.channels.matrix.text import html_of, notice_content, png_size, strip_reply_fallback
from bot.channels.proactive import Deliveries
from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from bot.scheduler import Scheduler
from domain.clock import FixedClock
from domain.collaboration import ConfigError
from storage import MemberRepository, models
from storage.actions import ActionRepository, NewAction
from storage.matrix_sync import MatrixSyncState
from tests.support.bot_server import settings_for
from tests.support.synapse import RegisteredUser, Synapse

DEADLINE = 15.0  # seconds to wait for something that is expected
QUIET = 1.0  # seconds to wait for something that must not come
ENCRYPTION = {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}
FOCUS_AREAS = ("Trygga unga", "Kommun fri från våld", "ANDTS", "Skadegörelser i skolmiljö")
SQLITE_ONLY = "Matrix tests exercise the channel against Synapse; their storage is covered on PostgreSQL elsewhere"


sqlite_only = pytest.mark.parametrize(
    "db_backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.skip(reason=SQLITE_ONLY))])


def unique(name: str) -> str:
    return f"{name}-{secrets.token_hex(3)}"


def local(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Europe/Stockholm")).astimezone(UTC)


# --- the human -------------------------------------------------------------------------------------------

class Human:
    """A person in Element, as a nio client with encryption on: what its syncs brought, and helpers to talk."""

    def __init__(self, client: AsyncClient, user: RegisteredUser):
        self.client = client
        self.user = user
        self.user_id = user.user_id
        self.events: list[tuple[str, object]] = []
        self.invites: list[str] = []

    async def start(self) -> Human:
        if self.client.should_upload_keys:
            assert isinstance(await self.client.keys_upload(), KeysUploadResponse)
        await self.sync(0)
        self.client.add_event_callback(self._on_event, (RoomMessageText, RoomMessageNotice, MegolmEvent,
                                                        RoomMessageImage, RoomEncryptedImage, RoomMemberEvent))
        self.client.add_event_callback(self._on_invite, InviteMemberEvent)
        return self

    async def _on_event(self, room, event) -> None:
        self.events.append((room.room_id, event))

    async def _on_invite(self, room, event) -> None:
        if event.state_key == self.user_id and event.membership == "invite" and room.room_id not in self.invites:
            self.invites.append(room.room_id)

    async def sync(self, wait_ms: int = 500) -> None:
        response = await self.client.sync(timeout=wait_ms)
        assert isinstance(response, SyncResponse), response
        client = self.client
        if client.should_query_keys:
            await client.keys_query()
        if client.should_claim_keys:
            await client.keys_claim(client.get_users_for_key_claiming())
        await client.send_to_device_messages()

    async def until(self, found: Callable[[], object], what: str, deadline: float = DEADLINE):
        end = time.monotonic() + deadline
        while not (result := found()):
            if time.monotonic() > end:
                raise AssertionError(f"{self.user_id} did not get {what} within {deadline} s")
            await self.sync()
        return result

    async def quiet(self, seconds: float = QUIET) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            await self.sync(wait_ms=200)

    async def send(self, room_id: str, body: str, **content) -> str:
        await self.sync(0)  # an encrypted room must be known with its members before the room key is shared
        response = await self.client.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": body,
                                                                           **content},
                                               ignore_unverified_devices=True)
        assert isinstance(response, RoomSendResponse), response
        return response.event_id

    def notices(self, room_id: str, *, reply_to: str | None = None) -> list[RoomMessageNotice]:
        found = []
        for room, event in self.events:
            if room != room_id or not isinstance(event, RoomMessageNotice):
                continue
            relates = (event.source.get("content") or {}).get("m.relates_to") or {}
            if reply_to is None or (relates.get("m.in_reply_to") or {}).get("event_id") == reply_to:
                found.append(event)
        return found

    def undecryptable(self, room_id: str) -> list:
        return [e for room, e in self.events if room == room_id and isinstance(e, MegolmEvent)]

    async def ask(self, room_id: str, body: str, **content) -> RoomMessageNotice:
        """Send ``body`` and wait for the bot's one answer to it (a notice replying to that event)."""
        event_id = await self.send(room_id, body, **content)
        [answer] = await self.until(lambda: self.notices(room_id, reply_to=event_id), f"an answer to {body!r}")
        return answer

    async def join(self, room_id: str) -> None:
        assert isinstance(await self.client.join(room_id), JoinResponse)
        await self.sync(0)

    def joined(self, room_id: str, user_id: str) -> bool:
        room = self.client.rooms.get(room_id)
        return room is not None and user_id in room.users and not room.users[user_id].invited

    def left(self, room_id: str, user_id: str) -> bool:
        return any(room == room_id and isinstance(e, RoomMemberEvent) and e.state_key == user_id
                   and e.membership == "leave" for room, e in self.events)


@pytest.fixture
async def people(synapse: Synapse, tmp_path: Path):
    clients: list[AsyncClient] = []

    async def person(name: str) -> Human:
        user = await synapse.register(unique(name))
        store = tmp_path / f"human-{user.user_id[1:].split(':')[0]}"
        store.mkdir()
        client = AsyncClient(synapse.url, user.user_id, device_id=user.device_id, store_path=str(store),
                             config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=True))
        clients.append(client)
        client.restore_login(user.user_id, user.device_id, user.access_token)
        return await Human(client, user).start()

    yield person
    for client in clients:
        await client.close()


# --- the bot ---------------------------------------------------------------------------------------------

class Bot:
    """The runtime (database, handler) and the Matrix runner of one bot process; ``restart`` makes a new one."""

    def __init__(self, settings: Settings, clock: FixedClock, sync_filter: dict | None = None):
        self.settings, self.clock, self.sync_filter = settings, clock, sync_filter
        self.runtime: Runtime | None = None
        self.runner: MatrixRunner | None = None

    @property
    def user_id(self) -> str:
        return self.settings.matrix_user_id

    async def start(self) -> Bot:
        self.runtime = await build_runtime(self.settings, self.clock)
        self.runner = MatrixRunner(self.runtime, sync_timeout_ms=5000, backoff=(0.2, 2.0),
                                   sync_filter=self.sync_filter)
        await self.runner.start()
        await self.runner.wait_ready(DEADLINE)
        return self

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.stop()
        if self.runtime is not None:
            await self.runtime.close()
        self.runner = self.runtime = None

    async def add_member(self, name: str, party: str, human: Human | None = None, *, admin: bool = False) -> int:
        async with self.runtime.database.session() as session:
            members = MemberRepository(session)
            member = await members.add(name, party, "", is_admin=admin)
            if human is not None:
                await members.add_identity(member, "matrix", human.user_id)
            await session.commit()
            return member.id

    async def add_action(self, title: str, member_id: int, due: date = date(2026, 12, 4)) -> int:
        async with self.runtime.database.session() as session:
            action = await ActionRepository(session).add(
                NewAction(title, "kommun", due, responsible_member_id=member_id), None, at=self.clock.now())
            await session.commit()
            return action.number

    async def action(self, number: int) -> models.Action:
        async with self.runtime.database.session() as session:
            return await ActionRepository(session).get(number)


@pytest.fixture
async def bot_factory(synapse: Synapse, database, tmp_path: Path):
    bots: list[Bot] = []

    async def make(sync_filter: dict | None = None, **env: str) -> Bot:
        account = await synapse.register(unique("samverkan"))
        settings = settings_for(database.url, MATRIX_HOMESERVER=synapse.url, MATRIX_USER_ID=account.user_id,
                                MATRIX_ACCESS_TOKEN=account.access_token, MATRIX_DEVICE_ID=account.device_id,
                                MATRIX_STORE_PATH=str(tmp_path / "matrix-store"), **env)
        bot = Bot(settings, FixedClock(), sync_filter)
        bots.append(bot)
        return await bot.start()

    yield make
    for bot in bots:
        await bot.stop()


async def direct_room(human: Human, bot: Bot, *, encrypted: bool = True) -> str:
    """The human opens a direct chat with the bot, which joins and greets."""
    created = await human.client.room_create(is_direct=True, invite=[bot.user_id],
                                             initial_state=[ENCRYPTION] if encrypted else [])
    assert isinstance(created, RoomCreateResponse), created
    room_id = created.room_id
    await human.until(lambda: human.joined(room_id, bot.user_id), "the bot joining")
    greeting = await human.until(lambda: human.notices(room_id), "the greeting")
    assert "Samverkansboten" in greeting[0].body
    return room_id


# --- end to end ------------------------------------------------------------------------------------------

@sqlite_only
async def test_question_in_a_plain_direct_room_is_answered_as_a_reply_notice_with_html(people, bot_factory):
    bot = await bot_factory()
    anna = await people("anna")
    await bot.add_member("Anna Andersson", "kommun", anna)
    room_id = await direct_room(anna, bot, encrypted=False)

    event_id = await anna.send(room_id, "vilka är fokusområdena?")
    [answer] = await anna.until(lambda: anna.notices(room_id, reply_to=event_id), "the answer")
    for name in FOCUS_AREAS:
        assert name in answer.body
    content = answer.source["content"]
    assert content["msgtype"] == "m.notice" and content["format"] == "org.matrix.custom.html"
    assert content["m.mentions"] == {}  # a 1:1 answer pings nobody
    assert not answer.decrypted  # a plain room stays plain
    async with bot.runtime.database.session() as session:
        [reference] = (await session.scalars(select(models.ConversationReference))).all()
    assert (reference.key, reference.channel_id, reference.conversation_type) == \
        (f"matrix:{room_id}", "matrix", "personal")
    assert reference.member_id is not None  # the member's direct room: where reminders go


@sqlite_only
async def test_encrypted_shared_room_answers_only_what_is_meant_for_the_bot(people, bot_factory):
    bot = await bot_factory()
    anna, olle = await people("anna"), await people("olle")
    await bot.add_member("Anna Andersson", "kommun", anna, admin=True)
    await bot.add_member("Olle Polis", "polis", olle)
    created = await anna.client.room_create(name="Operativa BRÅ", invite=[bot.user_id, olle.user_id],
                                            initial_state=[ENCRYPTION])
    room_id = created.room_id
    await olle.until(lambda: room_id in olle.invites, "the invite")
    await olle.join(room_id)
    await anna.until(lambda: anna.joined(room_id, bot.user_id) and anna.joined(room_id, olle.user_id), "joins")
    await anna.until(lambda: anna.notices(room_id), "the greeting")

    chatter = await anna.send(room_id, "Olle, ses vi på torsdag?")
    answer = await anna.ask(room_id, "Samverkansboten: vilka är fokusområdena?")
    assert answer.decrypted and not anna.undecryptable(room_id)
    for name in FOCUS_AREAS:
        assert name in answer.body
    assert answer.source["content"]["m.mentions"] == {"user_ids": [anna.user_id]}  # asked in a room: pinged
    answer = await olle.ask(room_id, "hjälp", **{"m.mentions": {"user_ids": [bot.user_id]}})
    assert "Det här kan jag hjälpa till med" in answer.body
    bound = await anna.ask(room_id, "Samverkansboten, koppla det här rummet till Operativa BRÅ")
    assert bound.body.startswith("Det här rummet är nu kopplat till Operativa BRÅ")
    await anna.quiet()
    assert anna.notices(room_id, reply_to=chatter) == []  # room talk is left alone
    async with bot.runtime.database.session() as session:
        reference = await session.scalar(select(models.ConversationReference))
        forum = await session.get(models.Forum, reference.forum_id)
    assert (reference.conversation_type, reference.member_id, forum.code) == ("room", None, "operativa-bra")


@sqlite_only
async def test_the_agenda_is_posted_in_the_bound_room_with_the_chart_as_an_image(people, bot_factory):
    bot = await bot_factory()
    anna = await people("anna")
    await bot.add_member("Anna Andersson", "kommun", anna, admin=True)
    created = await anna.client.room_create(name="Operativa BRÅ", invite=[bot.user_id], initial_state=[ENCRYPTION])
    room_id = created.room_id
    await anna.until(lambda: anna.notices(room_id), "the greeting")
    await anna.ask(room_id, "Samverkansboten: koppla det här rummet till Operativa BRÅ")
    planned = await anna.ask(room_id, "Samverkansboten: nästa operativa BRÅ är tisdag 8/12 kl 13")
    assert "8 december" in planned.body
    reading = await anna.ask(room_id, "Samverkansboten: logga klotter på Haganässkolan igår kväll")
    # A reply to the bot is meant for it, without its name.
    saved = await anna.ask(room_id, "ja", **{"m.relates_to": {"m.in_reply_to": {"event_id": reading.event_id}}})
    assert saved.body.startswith("Sparat som #O1")
    scheduler = Scheduler(database=bot.runtime.database, collaboration=bot.runtime.collaboration, clock=bot.clock,
                          delivery=Deliveries({"matrix": bot.runner.delivery}))

    bot.clock.set(local(date(2026, 12, 4), 8))  # two working days before Tuesday 8 December
    assert (await scheduler.tick()).sent == 1
    [post] = await anna.until(lambda: [n for n in anna.notices(room_id)
                                       if n.body.startswith("Inför Operativa BRÅ")], "the agenda")
    assert post.body.startswith("Inför Operativa BRÅ tisdag 8 december 2026 kl 13:00")
    assert "<ul><li>" in post.source["content"]["formatted_body"]
    assert "m.relates_to" not in post.source["content"]  # a post of its own, not a reply
    [chart] = await anna.until(lambda: [e for room, e in anna.events if room == room_id
                                        and isinstance(e, RoomEncryptedImage)], "the chart")
    assert chart.source["content"]["info"]["mimetype"] == "image/png" and chart.decrypted
    assert (await scheduler.tick()).sent == 0  # once


@sqlite_only
async def test_logging_an_observation_confirmed_by_a_reply_and_the_chart_as_an_image(people, bot_factory):
    bot = await bot_factory()
    olle = await people("olle")
    await bot.add_member("Olle Polis", "polis", olle)
    room_id = await direct_room(olle, bot)

    reading = await olle.ask(room_id, "logga skadegörelse på Haganässkolan igår kväll")
    assert reading.body.startswith("Så här läser jag det:") and "Var: Haganässkolan" in reading.body
    assert "<br>" in reading.source["content"]["formatted_body"]
    # "ja" as a reply to the reading, with the quoted fallback Element puts in the body.
    fallback = f"> <{bot.user_id}> {reading.body.splitlines()[0]}\n\nja"
    saved = await olle.ask(room_id, fallback, **{"m.relates_to": {"m.in_reply_to": {"event_id": reading.event_id}}})
    assert saved.body.startswith("Sparat som #O1")

    picture = await olle.ask(room_id, "lägesbild")
    assert "1 observation" in picture.body
    image = await olle.until(lambda: [e for room, e in olle.events if room == room_id
                                      and isinstance(e, RoomEncryptedImage | RoomMessageImage)], "the chart")
    assert isinstance(image[0], RoomEncryptedImage)  # uploaded encrypted, in an encrypted room
    assert image[0].source["content"]["info"]["mimetype"] == "image/png"


@sqlite_only
async def test_a_check_mark_reaction_on_a_message_about_one_action_closes_it(people, bot_factory):
    bot = await bot_factory()
    anna = await people("anna")
    member = await bot.add_member("Anna Andersson", "kommun", anna)
    number = await bot.add_action("Trygghetsvandring i centrum", member)
    other = await bot.add_action("Föräldravandring i Diö", member)
    third = await bot.add_action("Klotterplank vid Haganässkolan", member)
    room_id = await direct_room(anna, bot)

    shown = await anna.ask(room_id, f"visa #{number}")
    assert shown.body.startswith(f"#{number} Trygghetsvandring i centrum")
    reaction = await anna.client.room_send(room_id, "m.reaction", {"m.relates_to": {
        "rel_type": "m.annotation", "event_id": shown.event_id, "key": "✅"}})
    assert isinstance(reaction, RoomSendResponse), reaction
    [done] = await anna.until(lambda: anna.notices(room_id, reply_to=shown.event_id), "the confirmation")
    assert done.body.startswith(f"Klart: #{number} Trygghetsvandring i centrum")
    assert (await bot.action(number)).status == "klar"
    assert (await bot.action(other)).status == "planerad"

    both = await anna.ask(room_id, "mina åtgärder")  # names two open actions: which one is meant?
    assert f"#{other}" in both.body and f"#{third}" in both.body
    await anna.client.room_send(room_id, "m.reaction", {"m.relates_to": {
        "rel_type": "m.annotation", "event_id": both.event_id, "key": "✅"}})
    [hint] = await anna.until(lambda: anna.notices(room_id, reply_to=both.event_id), "the hint")
    assert "en enda åtgärd" in hint.body
    assert [(await bot.action(n)).status for n in (other, third)] == ["planerad", "planerad"]


@sqlite_only
async def test_a_reminder_arrives_in_the_members_direct_room_opened_once_and_reused(people, bot_factory):
    bot = await bot_factory()
    anna = await people("anna")
    member = await bot.add_member("Anna Andersson", "kommun", anna)
    number = await bot.add_action("Trygghetsvandring i centrum", member, due=date(2026, 12, 4))
    scheduler = Scheduler(database=bot.runtime.database, collaboration=bot.runtime.collaboration, clock=bot.clock,
                          delivery=Deliveries({"matrix": bot.runner.delivery}))

    bot.clock.set(local(date(2026, 12, 1), 8))
    report = await scheduler.tick()
    assert (report.sent, report.errors) == (1, [])
    [room_id] = await anna.until(lambda: anna.invites, "the bot's invite")
    await anna.join(room_id)
    [reminder] = await anna.until(lambda: anna.notices(room_id), "the reminder")
    assert reminder.body.startswith(f"Påminnelse: #{number} Trygghetsvandring i centrum")
    assert reminder.decrypted and anna.client.rooms[room_id].encrypted

    bot.clock.set(local(date(2026, 12, 4), 8))
    assert (await scheduler.tick()).sent == 1
    await anna.until(lambda: len(anna.notices(room_id)) == 2, "the second reminder")
    assert anna.invites == [room_id]  # the same direct room, no second invite
    answer = await anna.ask(room_id, "hjälp")  # and she can answer there
    assert "Det här kan jag hjälpa till med" in answer.body


@sqlite_only
async def test_a_restarted_bot_answers_what_came_while_it_was_down_once_and_nothing_twice(people, bot_factory,
                                                                                          caplog):
    # Syncs of at most 3 timeline events, so catching up after the restart leaves a gap the bot must fetch.
    bot = await bot_factory(sync_filter={"room": {"timeline": {"limit": 3}}})
    anna = await people("anna")
    await bot.add_member("Anna Andersson", "kommun", anna)
    room_id = await direct_room(anna, bot)
    before = await anna.send(room_id, "hjälp")
    await anna.until(lambda: anna.notices(room_id, reply_to=before), "the first answer")

    await bot.stop()
    during = [await anna.send(room_id, text) for text in ("vilka är fokusområdena?", "hjälp", "vilka är forumen?",
                                                           "när ska överenskommelsen förlängas", "hjälp")]
    await anna.quiet(0.5)
    assert [anna.notices(room_id, reply_to=event_id) for event_id in during] == [[]] * 5
    caplog.set_level("INFO", logger="bot.channels.matrix")
    await bot.start()  # a new process: new runtime, same database, same device and key store

    for event_id in during:
        await anna.until(lambda event_id=event_id: anna.notices(room_id, reply_to=event_id), "answers after restart")
    assert re.search(r"caught up [1-9]\d* events", caplog.text)  # the restart's sync was limited: gap fetched
    assert "ANDTS" in anna.notices(room_id, reply_to=during[0])[0].body
    assert "30 november 2026" in anna.notices(room_id, reply_to=during[3])[0].body
    after = await anna.send(room_id, "hjälp")
    await anna.until(lambda: anna.notices(room_id, reply_to=after), "an answer to a new message")
    await anna.quiet()
    for event_id in (before, *during, after):
        assert len(anna.notices(room_id, reply_to=event_id)) == 1
    assert len(anna.notices(room_id)) == 8  # greeting, before, five during, after: nothing repeated


@sqlite_only
async def test_an_invite_from_someone_not_allowed_is_refused(people, bot_factory):
    anna, stranger = await people("anna"), await people("stranger")
    bot = await bot_factory(MATRIX_ALLOWED_INVITERS=anna.user_id)
    created = await stranger.client.room_create(invite=[bot.user_id])
    room_id = created.room_id
    await stranger.until(lambda: stranger.left(room_id, bot.user_id), "the bot refusing the invite")
    assert not stranger.joined(room_id, bot.user_id)
    async with bot.runtime.database.session() as session:
        [entry] = (await session.scalars(select(models.AuditEntry).where(
            models.AuditEntry.action == "matrix.invite_refused"))).all()
        assert entry.actor == f"matrix:{stranger.user_id}"
        assert (await session.scalars(select(models.ConversationReference))).all() == []

    allowed = await anna.client.room_create(invite=[bot.user_id])  # allowed by MATRIX_ALLOWED_INVITERS
    await anna.until(lambda: anna.joined(allowed.room_id, bot.user_id), "the bot joining")


@sqlite_only
async def test_a_lost_key_store_is_reported_to_the_admins_with_the_fix(bot_factory):
    bot = await bot_factory()
    await bot.add_member("Anna Andersson", "kommun", admin=True)
    assert bot.runner.key_problem is None
    await bot.stop()
    shutil.rmtree(bot.settings.matrix_store_path)  # the key store is lost; the device id is reused
    await bot.start()
    await asyncio.sleep(0)
    assert bot.runner.key_problem is not None and "ny enhet" in bot.runner.key_problem
    async with bot.runtime.database.session() as session:
        [notice] = (await session.scalars(select(models.OutboxMessage))).all()
    assert notice.kind == "notice" and "nyckellagret" in notice.payload["text"].lower()


@sqlite_only
async def test_samverkan_run_wiring_matrix_alone_answers_and_reports_health(people, synapse, database, tmp_path):
    """What ``samverkan run`` builds without Teams credentials: the app with the Matrix sync, no webhook."""
    import aiohttp
    from aiohttp import web

    from bot.app import MATRIX_KEY, SCHEDULER_KEY, create_app

    account = await synapse.register(unique("samverkan"))
    settings = settings_for(database.url, MATRIX_HOMESERVER=synapse.url, MATRIX_USER_ID=account.user_id,
                            MATRIX_PASSWORD=account.password, MATRIX_STORE_PATH=str(tmp_path / "store"))
    anna = await people("anna")
    runtime = await build_runtime(settings, FixedClock(), serving=True)
    async with runtime.database.session() as session:
        member = await MemberRepository(session).add("Anna Andersson", "kommun", "")
        await MemberRepository(session).add_identity(member, "matrix", anna.user_id)
        await session.commit()
    runner = web.AppRunner(create_app(runtime, teams=False, matrix=True), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
    try:
        [matrix] = runner.app[MATRIX_KEY]
        await matrix.wait_ready(DEADLINE)
        assert runner.app[SCHEDULER_KEY].channels == frozenset({"matrix"})
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{url}/healthz") as response:
                assert await response.json() == {"status": "ok", "database": "ok", "matrix": "ok"}
            async with http.post(f"{url}/api/messages", json={}) as response:
                assert response.status in (404, 405)  # no Teams webhook without Teams
        room_id = await direct_room(anna, Bot(settings, FixedClock()))
        answer = await anna.ask(room_id, "hjälp")
        assert "Det här kan jag hjälpa till med" in answer.body
        assert (tmp_path / "store" / "session.json").exists()  # logged in with the password once, kept
    finally:
        await runner.cleanup()  # stops the sync and closes the runtime
    assert not matrix.running


@sqlite_only
async def test_a_refused_token_stops_matrix_with_the_reason_and_no_retrying(synapse, database, tmp_path):
    settings = settings_for(database.url, MATRIX_HOMESERVER=synapse.url, MATRIX_USER_ID="@samverkan:localhost",
                            MATRIX_ACCESS_TOKEN="syt_revoked", MATRIX_DEVICE_ID="GONE",
                            MATRIX_STORE_PATH=str(tmp_path / "store"))
    runtime = await build_runtime(settings, FixedClock())
    runner = MatrixRunner(runtime, backoff=(0.05, 0.1))
    try:
        await runner.start()
        with pytest.raises(RuntimeError, match="MATRIX_ACCESS_TOKEN is not"):
            await runner.wait_ready(DEADLINE)
        assert not runner.running and "MATRIX_ACCESS_TOKEN" in runner.failure
    finally:
        await runner.stop()
        await runtime.close()


# --- against a stub homeserver: rate limits and sync errors --------------------------------------------------

class StubHomeserver:
    """Just enough of the client-server API to fail on purpose: 429s on sends, 500s on syncs."""

    def __init__(self, *, limited_sends: int = 0, failed_syncs: int = 0, retry_after_ms: int = 50):
        self.limited_sends, self.failed_syncs, self.retry_after_ms = limited_sends, failed_syncs, retry_after_ms
        self.sends: list[float] = []
        self.syncs: list[tuple[float, int]] = []
        self.recovered = asyncio.Event()  # three syncs answered 200

    async def start(self) -> str:
        from aiohttp import web

        app = web.Application()
        app.router.add_put("/_matrix/client/v3/rooms/{room}/send/{type}/{txn}", self._send)
        app.router.add_get("/_matrix/client/v3/sync", self._sync)
        app.router.add_get("/_matrix/client/v3/profile/{user}/displayname", self._profile)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        return f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"

    async def stop(self) -> None:
        await self.runner.cleanup()

    async def _send(self, request):
        from aiohttp import web

        self.sends.append(time.monotonic())
        if len(self.sends) <= self.limited_sends:
            return web.json_response({"errcode": "M_LIMIT_EXCEEDED", "error": "Too many requests",
                                      "retry_after_ms": self.retry_after_ms}, status=429)
        return web.json_response({"event_id": f"$sent{len(self.sends)}"})

    async def _sync(self, request):
        from aiohttp import web

        status = 500 if 1 < len(self.syncs) + 1 <= 1 + self.failed_syncs else 200  # the first (at login) works
        self.syncs.append((time.monotonic(), status))
        if status == 500:
            return web.json_response({"errcode": "M_UNKNOWN", "error": "Internal server error"}, status=500)
        if sum(1 for _, answered in self.syncs if answered == 200) >= 3:
            self.recovered.set()
        await asyncio.sleep(0.02)
        return web.json_response({"next_batch": f"s{len(self.syncs)}"})

    async def _profile(self, request):
        from aiohttp import web

        return web.json_response({"displayname": "Samverkansboten"})


async def test_a_rate_limited_send_waits_retry_after_ms_and_the_outbox_is_told_when_it_persists():
    from bot.channels.matrix.adapter import MatrixAdapter
    from bot.channels.matrix.delivery import MatrixDelivery
    from bot.channels.proactive import Target

    stub = StubHomeserver(limited_sends=2, retry_after_ms=100)
    url = await stub.start()
    client = AsyncClient(url, "@bot:localhost", config=AsyncClientConfig(encryption_enabled=False,
                                                                          max_limit_exceeded=5))
    client.restore_login("@bot:localhost", "DEVICE", "token")
    try:
        adapter = MatrixAdapter(client)
        event_id = await adapter.send_notice("!room:localhost", "Hej")
        assert event_id == "$sent3" and len(stub.sends) == 3
        assert stub.sends[1] - stub.sends[0] >= 0.09 and stub.sends[2] - stub.sends[1] >= 0.09

        stub.sends.clear()
        stub.limited_sends, stub.retry_after_ms = 100, 10  # limited for good: given back to the outbox
        delivery = MatrixDelivery(adapter, homeserver=url, encryption=False, wait_for_room=None)
        client.rooms["!room:localhost"] = type("Room", (), {"member_count": 2})()
        outcome, opened = await delivery.send(
            Target(channel="matrix", reference={"conversation": {"id": "!room:localhost"}}),
            notice_activity("Påminnelse"))
        assert (outcome.outcome, opened) == ("retry", None)
        assert "M_LIMIT_EXCEEDED" in outcome.error and outcome.retry_after == 0.01
        assert len(stub.sends) == 6  # the first try and five waits of retry_after_ms
    finally:
        await client.close()
        await stub.stop()


def notice_activity(text: str):
    from botbuilder.core import MessageFactory

    return MessageFactory.text(text)


@sqlite_only
async def test_sync_errors_back_off_exponentially_and_the_loop_recovers(database, tmp_path):
    stub = StubHomeserver(failed_syncs=4)
    url = await stub.start()
    settings = settings_for(database.url, MATRIX_HOMESERVER=url, MATRIX_USER_ID="@bot:localhost",
                            MATRIX_ACCESS_TOKEN="token", MATRIX_DEVICE_ID="DEVICE", MATRIX_ENCRYPTION="off",
                            MATRIX_STORE_PATH=str(tmp_path / "store"))
    runtime = await build_runtime(settings, FixedClock())
    runner = MatrixRunner(runtime, sync_timeout_ms=0, backoff=(0.05, 0.2))
    try:
        await runner.start()
        await runner.wait_ready(DEADLINE)
        await asyncio.wait_for(stub.recovered.wait(), DEADLINE)
    finally:
        await runner.stop()
        await runtime.close()
        await stub.stop()
    statuses = [status for _, status in stub.syncs]
    assert statuses[:6] == [200, 500, 500, 500, 500, 200] and runner.sync_errors == 4
    gaps = [later[0] - earlier[0] for earlier, later in zip(stub.syncs[1:6], stub.syncs[2:7], strict=False)]
    # Waits of 0.05, 0.1, 0.2, 0.2 s (doubling up to the maximum), then back to normal.
    assert gaps[0] >= 0.05 and gaps[1] >= 0.1 and gaps[2] >= 0.2 and gaps[3] >= 0.2
    assert gaps[1] < 0.2 + 0.1 and gaps[3] < 0.2 + 0.15
    assert await MatrixSyncState(runtime.database, "@bot:localhost").token() is not None


# --- without a homeserver --------------------------------------------------------------------------------

async def test_sync_state_claims_each_event_once_and_keeps_the_token(database):
    state = MatrixSyncState(database, "@bot:localhost")
    assert await state.token() is None
    await state.save_token("s1_2_3")
    await state.save_token("s4_5_6")
    assert await state.token() == "s4_5_6"
    assert await state.claim("$event:localhost") is True
    assert await state.claim("$event:localhost") is False
    assert await state.claim("$other:localhost") is True
    assert await state.prune() == 0  # recent ones are kept


def test_html_of_escapes_and_makes_lists():
    assert html_of("Öppna åtgärder <2>:\n- #1 A & B\n- #2 C\n\nSkriv mer") == (
        "Öppna åtgärder &lt;2&gt;:<ul><li>#1 A &amp; B</li><li>#2 C</li></ul><br>Skriv mer")
    assert html_of("rad ett\nrad två") == "rad ett<br>rad två"
    content = notice_content("Hej", reply_to="$e", thread="$root")
    assert content["m.relates_to"] == {"rel_type": "m.thread", "event_id": "$root", "is_falling_back": False,
                                       "m.in_reply_to": {"event_id": "$e"}}


def test_reply_fallback_is_stripped():
    assert strip_reply_fallback("> <@bot:hs> Så här läser jag det:\n> Fokusområde: X\n\nja") == "ja"
    assert strip_reply_fallback("ja") == "ja"
    assert strip_reply_fallback(">citat utan tomrad\nja") == "ja"
    assert png_size(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x02\x80\x00\x00\x01\xe0") == (640, 480)


def test_matrix_settings_are_validated():
    base = {"MATRIX_HOMESERVER": "https://matrix.almhult.se", "MATRIX_USER_ID": "@samverkan:almhult.se"}
    settings = Settings.from_env({**base, "MATRIX_PASSWORD": "hemligt-lösen",
                                  "MATRIX_ALLOWED_INVITERS": "@anna:almhult.se, :polisen.se"}, env_file=None)
    assert settings.has_matrix and settings.matrix_encryption
    assert settings.matrix_allowed_inviters == ("@anna:almhult.se", ":polisen.se")
    assert str(settings.matrix_store_path) == "data/matrix-store"
    assert "hemligt" not in repr(settings)
    for broken in ({**base}, {**base, "MATRIX_PASSWORD": "x", "MATRIX_ALLOWED_INVITERS": "anna"},
                   {"MATRIX_USER_ID": "@a:b"},
                   {**base, "MATRIX_HOMESERVER": "matrix.almhult.se", "MATRIX_PASSWORD": "x"},
                   {**base, "MATRIX_USER_ID": "samverkan", "MATRIX_PASSWORD": "x"}):
        with pytest.raises(ConfigError):
            Settings.from_env(broken, env_file=None)
    assert not Settings.from_env({}, env_file=None).has_matrix
