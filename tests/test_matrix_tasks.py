"""Tasks the Matrix channel starts for their effect (``bot.channels.matrix.tasks``): held until done, failures
logged, cancelled when the channel stops."""

from __future__ import annotations

import asyncio
import gc
import logging

from bot.channels.matrix.tasks import BackgroundTasks


async def test_a_task_is_held_until_done_and_then_let_go():
    tasks = BackgroundTasks()
    finished = asyncio.Event()

    async def work() -> None:
        await asyncio.sleep(0.01)
        finished.set()

    tasks.start(work(), name="room key request")
    gc.collect()  # nothing else refers to the task: it must survive this
    assert len(tasks) == 1
    await asyncio.wait_for(finished.wait(), 1.0)
    await asyncio.sleep(0)
    assert len(tasks) == 0


async def test_a_failure_is_logged_with_the_task_name(caplog):
    caplog.set_level(logging.WARNING, logger="bot.channels.matrix.tasks")
    tasks = BackgroundTasks()

    async def fails() -> None:
        raise RuntimeError("no olm session")

    task = tasks.start(fails(), name="room key request for $event")
    await asyncio.gather(task, return_exceptions=True)
    await asyncio.sleep(0)
    assert len(tasks) == 0
    assert "room key request for $event failed" in caplog.text and "no olm session" in caplog.text


async def test_cancel_all_ends_what_is_still_running():
    tasks = BackgroundTasks()
    task = tasks.start(asyncio.sleep(60), name="slow")
    await tasks.cancel_all()
    assert task.cancelled() and len(tasks) == 0
