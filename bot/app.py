"""The aiohttp application: the Bot Connector webhook and a health check."""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web

from bot.calendar_feed import calendar_feed
from bot.channels.proactive import TeamsDelivery
from bot.channels.teams import MAX_BODY_BYTES, BotFrameworkConfiguration, BotFrameworkWebhook, create_adapter
from bot.runtime import Runtime
from bot.scheduler import Scheduler
from bot.turn_errors import turn_error_handler

RUNTIME_KEY = web.AppKey("runtime", Runtime)
SCHEDULER_KEY = web.AppKey("scheduler", Scheduler)


def create_app(runtime: Runtime, *, close_runtime: bool = True, schedule: bool = False,
               **auth_kwargs) -> web.Application:
    """The webhook app; with ``schedule`` it also runs the scheduler every minute (``samverkan run`` does)."""
    settings = runtime.settings
    adapter = create_adapter(
        BotFrameworkConfiguration(settings.app_id, settings.app_password, settings.app_tenant_id,
                                  settings.app_type),
        **auth_kwargs,
    )
    adapter.on_turn_error = turn_error_handler(runtime.collaboration)

    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[RUNTIME_KEY] = runtime
    app.router.add_post("/api/messages", BotFrameworkWebhook(adapter, runtime.bot, runtime.locks,
                                                             allowed_tenants=settings.allowed_tenants))
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/calendar/{forum}.ics", calendar_feed)
    # Its own adapter, without the webhook's turn-error handler: a failed proactive send must reach the
    # outbox (to be retried or given up), not be answered with an apology into the same conversation.
    proactive = create_adapter(BotFrameworkConfiguration(settings.app_id, settings.app_password,
                                                         settings.app_tenant_id, settings.app_type), **auth_kwargs)
    app[SCHEDULER_KEY] = Scheduler(database=runtime.database, collaboration=runtime.collaboration,
                                   clock=runtime.clock, delivery=TeamsDelivery(proactive, settings.app_id))
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


async def healthz(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME_KEY]
    if await runtime.database.ping():
        return web.json_response({"status": "ok", "database": "ok"})
    return web.json_response({"status": "unavailable", "database": "unreachable"}, status=503)
