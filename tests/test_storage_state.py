"""SqlStorage: botbuilder state in the database with MemoryStorage's e-tag semantics."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from botbuilder.core import ConversationState, MemoryStorage, StoreItem, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import (
    DialogInstance,
    DialogSet,
    DialogState,
    DialogTurnStatus,
    TextPrompt,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.dialogs.prompts import PromptOptions
from botbuilder.schema import Activity, ActivityTypes
from sqlalchemy import event, func, select, text

from storage import Database, SqlStorage, StateConflictError
from storage.db import StorageUnavailable
from storage.locks import AdvisoryTurnLock, turn_connection
from storage.models import BotStateRow
from storage.state import MAX_KEY_LENGTH, storage_key


@pytest.fixture
def storage(database: Database) -> SqlStorage:
    return SqlStorage(database)


async def test_read_missing_returns_empty(storage: SqlStorage):
    assert await storage.read(["nope"]) == {}
    assert await storage.read([]) == {}


async def test_dict_round_trip_carries_e_tag(storage: SqlStorage):
    await storage.write({"user/1": {"name": "Åsa", "count": 3, "nested": {"list": [1, 2]}}})
    item = (await storage.read(["user/1", "missing"]))["user/1"]
    assert item["name"] == "Åsa" and item["count"] == 3 and item["nested"] == {"list": [1, 2]}
    assert isinstance(item["e_tag"], str) and item["e_tag"]


async def test_dialog_state_round_trip(storage: SqlStorage):
    when = datetime(2025, 5, 4, 3, 2, 1, tzinfo=UTC)
    stack = [
        DialogInstance("main", {"stepIndex": 1, "values": {"place": "Torget", "when": when}}),
        DialogInstance("TextPrompt", {"options": {"prompt": None}, "state": {}}),
    ]
    await storage.write({"msteams/conversations/19:abc": {"DialogState": DialogState(stack), "x": 1}})
    loaded = (await storage.read(["msteams/conversations/19:abc"]))["msteams/conversations/19:abc"]
    state = loaded["DialogState"]
    assert isinstance(state, DialogState)
    assert [instance.id for instance in state.dialog_stack] == ["main", "TextPrompt"]
    assert isinstance(state.dialog_stack[0], DialogInstance)
    assert state.dialog_stack[0].state["values"] == {"place": "Torget", "when": when}
    assert loaded["x"] == 1


async def test_store_item_round_trip(storage: SqlStorage):
    await storage.write({"item": StoreItem(counter=1)})
    item = (await storage.read(["item"]))["item"]
    assert isinstance(item, StoreItem) and item.counter == 1 and item.e_tag
    item.counter = 2
    await storage.write({"item": item})
    stale = item
    with pytest.raises(StateConflictError):
        await storage.write({"item": stale})
    assert (await storage.read(["item"]))["item"].counter == 2


async def test_e_tag_changes_on_every_write_and_stale_one_raises(storage: SqlStorage):
    await storage.write({"k": {"v": 1}})
    first = (await storage.read(["k"]))["k"]
    await storage.write({"k": {**first, "v": 2}})
    second = (await storage.read(["k"]))["k"]
    assert second["v"] == 2 and second["e_tag"] != first["e_tag"]

    with pytest.raises(StateConflictError) as raised:
        await storage.write({"k": {**first, "v": 3}})
    assert isinstance(
        raised.value, KeyError
    )  # MemoryStorage raises KeyError; callers catching it still work.
    assert raised.value.key == "k"
    assert (await storage.read(["k"]))["k"]["v"] == 2

    await storage.write({"k": {**second, "v": 4}})
    assert (await storage.read(["k"]))["k"]["v"] == 4


async def test_star_and_missing_e_tag_overwrite(storage: SqlStorage):
    await storage.write({"k": {"v": 1}})
    await storage.write({"k": {"v": 2, "e_tag": "*"}})
    assert (await storage.read(["k"]))["k"]["v"] == 2
    await storage.write({"k": {"v": 3}})
    assert (await storage.read(["k"]))["k"]["v"] == 3
    with pytest.raises(ValueError):
        await storage.write({"k": {"v": 4, "e_tag": ""}})
    with pytest.raises(ValueError):
        await storage.write(None)
    await storage.write({})


async def test_e_tag_on_a_new_key_is_stored_like_memory_storage(storage: SqlStorage):
    memory = MemoryStorage()
    for target in (memory, storage):
        await target.write({"new": {"v": 1, "e_tag": "from-elsewhere"}})
        assert (await target.read(["new"]))["new"]["v"] == 1


async def test_delete(storage: SqlStorage):
    await storage.write({"a": {"v": 1}, "b": {"v": 2}})
    await storage.delete(["a", "unknown"])
    assert set(await storage.read(["a", "b"])) == {"b"}
    await storage.delete({"b"})  # BotState.delete passes a set.
    assert await storage.read(["a", "b"]) == {}
    await storage.delete([])


async def test_a_conflict_saves_nothing_of_the_batch(storage: SqlStorage):
    await storage.write({"a": {"v": 1}, "b": {"v": 1}})
    items = await storage.read(["a", "b"])
    await storage.write({"b": {**items["b"], "v": 2}})
    with pytest.raises(StateConflictError):
        await storage.write({"a": {**items["a"], "v": 9}, "b": {**items["b"], "v": 9}})
    assert {k: v["v"] for k, v in (await storage.read(["a", "b"])).items()} == {"a": 1, "b": 2}


async def test_long_keys_are_shortened_deterministically(storage: SqlStorage, database: Database):
    prefix = "msteams/conversations/a:" + "x" * 600
    first, second = prefix + "1", prefix + "2"
    assert len(storage_key(first)) == MAX_KEY_LENGTH and storage_key(first) == storage_key(first)
    assert storage_key(first) != storage_key(second)
    assert storage_key("short") == "short"
    await storage.write({first: {"v": 1}, second: {"v": 2}})
    items = await storage.read([first, second])
    assert items[first]["v"] == 1 and items[second]["v"] == 2
    await storage.write({first: {**items[first], "v": 3}})
    assert (await storage.read([first]))[first]["v"] == 3
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(BotStateRow)) == 2
    await storage.delete([first])
    assert set(await storage.read([first, second])) == {second}


async def test_concurrent_writers_with_the_same_e_tag_exactly_one_wins(storage: SqlStorage):
    await storage.write({"conv": {"turn": 0}})
    for turn in range(1, 6):
        current = (await storage.read(["conv"]))["conv"]
        writers = [storage.write({"conv": {**current, "turn": turn, "writer": n}}) for n in range(3)]
        results = await asyncio.gather(*writers, return_exceptions=True)
        winners = [n for n, result in enumerate(results) if result is None]
        assert len(winners) == 1, results
        assert all(isinstance(r, StateConflictError) for r in results if r is not None), results
        stored = (await storage.read(["conv"]))["conv"]
        assert stored["turn"] == turn and stored["writer"] == winners[0]


async def test_concurrent_first_writes_with_an_e_tag_exactly_one_wins(storage: SqlStorage):
    # No row yet: the UPDATE matches nothing for both; the INSERT that hits the other's row is the conflict.
    writers = [storage.write({"fresh": {"writer": n, "e_tag": "guess"}}) for n in range(3)]
    results = await asyncio.gather(*writers, return_exceptions=True)
    assert sum(result is None for result in results) == 1, results
    assert all(isinstance(r, StateConflictError) for r in results if r is not None), results


class _AskPlaceDialogs:
    """A two-turn waterfall: asks for a place, then confirms it."""

    def __init__(self, conversation_state: ConversationState):
        self.state = conversation_state
        self.dialogs = DialogSet(conversation_state.create_property("DialogState"))
        self.dialogs.add(TextPrompt("text"))
        self.dialogs.add(WaterfallDialog("ask", [self._ask, self._confirm]))

    async def _ask(self, step: WaterfallStepContext):
        return await step.prompt(
            "text", PromptOptions(prompt=Activity(type=ActivityTypes.message, text="Var?"))
        )

    async def _confirm(self, step: WaterfallStepContext):
        await step.context.send_activity(f"Noterat: {step.result}")
        return await step.end_dialog(step.result)

    async def on_turn(self, context: TurnContext) -> None:
        dialog_context = await self.dialogs.create_context(context)
        result = await dialog_context.continue_dialog()
        if result.status == DialogTurnStatus.Empty:
            await dialog_context.begin_dialog("ask")
        await self.state.save_changes(context)


async def test_waterfall_dialog_survives_a_restart(storage: SqlStorage):
    # Each turn uses fresh ConversationState/DialogSet objects, as after a process restart.
    first = TestAdapter(lambda context: _AskPlaceDialogs(ConversationState(storage)).on_turn(context))
    await (await first.send("hej")).assert_reply("Var?")
    second = TestAdapter(lambda context: _AskPlaceDialogs(ConversationState(storage)).on_turn(context))
    await (await second.send("Stortorget")).assert_reply("Noterat: Stortorget")


async def test_a_turn_holding_the_advisory_lock_reads_and_saves_state_on_its_connection(
        storage: SqlStorage, database: Database):
    if database.dialect_name != "postgresql":
        pytest.skip("the cross-process turn lock is PostgreSQL's")
    checkouts: list[object] = []
    event.listen(database.engine.sync_engine, "checkout", lambda *args: checkouts.append(args))
    lock = AdvisoryTurnLock(database.url)
    try:
        await storage.write({"user/1": {"count": 1}})
        checkouts.clear()
        async with lock("conversation-1"):
            assert turn_connection(database.url) is not None
            assert turn_connection("postgresql+asyncpg://elsewhere/other") is None
            item = (await storage.read(["user/1"]))["user/1"]
            await storage.write({"user/1": {**item, "count": 2}})
            with pytest.raises(StateConflictError):  # the e-tag read before that save is stale now
                await storage.write({"user/1": {**item, "count": 3}})
        assert checkouts == []  # not one connection from the pool: all on the locked one
        assert turn_connection(database.url) is None
        assert (await storage.read(["user/1"]))["user/1"]["count"] == 2
    finally:
        await lock.dispose()


async def test_waiting_for_the_turn_lock_is_not_cut_off_but_the_state_statements_are(
        storage: SqlStorage, database: Database):
    # Another turn of the same conversation may hold the lock longer than a statement may run: the wait
    # must last, while a state read on the locked connection still gets the statement timeout.
    if database.dialect_name != "postgresql":
        pytest.skip("the cross-process turn lock is PostgreSQL's")
    lock = AdvisoryTurnLock(database.url, statement_timeout=0.2)
    try:
        await storage.write({"user/1": {"count": 1}})
        holder_inside = asyncio.Event()
        release = asyncio.Event()

        async def holder() -> None:
            async with lock("conversation-1"):
                holder_inside.set()
                await release.wait()

        async def waiter() -> int:
            async with lock("conversation-1"):
                return (await storage.read(["user/1"]))["user/1"]["count"]

        holding = asyncio.create_task(holder())
        await holder_inside.wait()
        waiting = asyncio.create_task(waiter())
        # The waiter sits in pg_advisory_lock for longer than the timeout; the database tells when.
        async with database.engine.connect() as probe:
            for _ in range(200):
                waits = (await probe.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND wait_event = 'advisory' "
                    "AND state_change < clock_timestamp() - interval '0.5 seconds'"))).scalar()
                if waits:
                    break
                await probe.execute(text("SELECT pg_sleep(0.05)"))
                await probe.commit()  # pg_stat_activity is read once per transaction: look afresh each time
            assert waits == 1
        release.set()
        await holding
        assert await waiting == 1  # not cut off while waiting, and the state read went through

        async with database.engine.connect() as blocker:
            await blocker.execute(text("LOCK TABLE bot_state IN ACCESS EXCLUSIVE MODE"))
            with pytest.raises(StorageUnavailable) as cut_off:
                async with lock("conversation-2"):
                    await SqlStorage(database).read(["user/1"])
            assert getattr(cut_off.value.__cause__.orig, "sqlstate", None) == "57014"  # statement timeout
    finally:
        await lock.dispose()
