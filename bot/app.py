"""The aiohttp application: the Bot Connector webhook and a health check; with ``samverkan run`` also the
scheduler and, when configured, the Matrix sync (``bot.channels.matrix``), all in one process."""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web

from bot.calendar_feed import calendar_feed
from bot.channels.proactive import Deliveries, TeamsDelivery
from bot.channels.teams import MAX_BODY_BYTES, BotFrameworkConfiguration, BotFrameworkWebhook, create_adapter
from bot.runtime import Runtime
from bot.scheduler import Scheduler
from bot.turn_errors import turn_error_handler

RUNTIME_KEY = web.AppKey("runtime", Runtime)
SCHEDULER_KEY = web.AppKey("scheduler", Scheduler)
MATRIX_KEY = web.AppKey("matrix", list)  # the running MatrixRunner, once started (a list: the app is frozen)


def create_app(runtime: Runtime, *, close_runtime: bool = True, schedule: bool = False, teams: bool = True,
               matrix: bool = False, **auth_kwargs) -> web.Application:
    """The webhook app; with ``schedule`` it also runs the scheduler every minute (``samverkan run`` does), with
    ``matrix`` the Matrix sync; ``teams=False`` leaves out the Teams webhook (a Matrix-only deployment)."""
    settings = runtime.settings
    adapter = create_adapter(
        BotFrameworkConfiguration(settings.app_id, settings.app_password, settings.app_tenant_id,
                                  settings.app_type),
        **auth_kwargs,
    )
    adapter.on_turn_error = turn_error_handler(runtime.collaboration)

    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[RUNTIME_KEY] = runtime
    if teams:
        app.router.add_post("/api/messages", BotFrameworkWebhook(adapter, runtime.bot, runtime.locks,
                                                                 allowed_tenants=settings.allowed_tenants))
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/calendar/{forum}.ics", calendar_feed)
    # Its own adapter, without the webhook's turn-error handler: a failed proactive send must reach the
    # outbox (to be retried or given up), not be answered with an apology into the same conversation.
    proactive = create_adapter(BotFrameworkConfiguration(settings.app_id, settings.app_password,
                                                         settings.app_tenant_id, settings.app_type), **auth_kwargs)
    deliveries = Deliveries({"msteams": TeamsDelivery(proactive, settings.app_id)} if teams else {})
    app[SCHEDULER_KEY] = Scheduler(database=runtime.database, collaboration=runtime.collaboration,
                                   clock=runtime.clock, delivery=deliveries, state=runtime.state)
    app[MATRIX_KEY] = []
    if matrix:
        app.cleanup_ctx.append(_matrix)
    if schedule:
        app.cleanup_ctx.append(_scheduling)
    if close_runtime:
        async def close(_app: web.Application) -> None:
            await runtime.close()

        app.on_cleanup.append(close)
    return app


async def _scheduling(app: web.Application):
    task = asyncio.create_task(app[SCHEDULER_KEY].run_forever())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def _matrix(app: web.Application):
    from bot.channels.matrix.sync import MatrixRunner

    runner = MatrixRunner(app[RUNTIME_KEY])
    await runner.start()  # logs in and syncs in its task; a homeserver that is down is retried there
    app[MATRIX_KEY].append(runner)
    app[SCHEDULER_KEY].delivery.add("matrix", runner.delivery)
    yield
    app[SCHEDULER_KEY].delivery.remove("matrix")
    app[MATRIX_KEY].clear()
    await runner.stop()


async def healthz(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME_KEY]
    body = {"status": "ok", "database": "ok"}
    for runner in request.app[MATRIX_KEY]:
        # Reported, not fatal: Teams and unencrypted rooms keep working (see the log for the fix).
        body["matrix"] = f"stopped: {runner.failure}" if runner.failure else \
            "keys refused: new device needed" if runner.key_problem else \
            "ok" if runner.ready.is_set() and runner.running else "connecting"
    if await runtime.database.ping():
        return web.json_response(body)
    return web.json_response({**body, "status": "unavailable", "database": "unreachable"}, status=503)
