"""The aiohttp application: the Bot Connector webhook and a health check."""

from __future__ import annotations

from aiohttp import web

from bot.channels.teams import MAX_BODY_BYTES, BotFrameworkConfiguration, BotFrameworkWebhook, create_adapter
from bot.runtime import Runtime
from bot.turn_errors import turn_error_handler

RUNTIME_KEY = web.AppKey("runtime", Runtime)


def create_app(runtime: Runtime, *, close_runtime: bool = True, **auth_kwargs) -> web.Application:
    settings = runtime.settings
    adapter = create_adapter(
        BotFrameworkConfiguration(settings.app_id, settings.app_password, settings.app_tenant_id,
                                  settings.app_type),
        **auth_kwargs,
    )
    adapter.on_turn_error = turn_error_handler(runtime.collaboration)

    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[RUNTIME_KEY] = runtime
    app.router.add_post("/api/messages", BotFrameworkWebhook(adapter, runtime.bot, runtime.locks))
    app.router.add_get("/healthz", healthz)
    if close_runtime:
        async def close(_app: web.Application) -> None:
            await runtime.close()

        app.on_cleanup.append(close)
    return app


async def healthz(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME_KEY]
    if await runtime.database.ping():
        return web.json_response({"status": "ok", "database": "ok"})
    return web.json_response({"status": "unavailable", "database": "unreachable"}, status=503)
