"""Every outbound call has a time-out: a Bot Connector that accepts the connection and never answers ends the
turn's reply after the read time-out, instead of holding it for msrest's 100 s per try; msal's token requests
carry the same (connect, read) limits. Matrix's client is built with ``request_timeout`` (bot/channels/matrix)."""

from __future__ import annotations

import asyncio
import time

from aiohttp import web
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials, certificate_app_credentials, microsoft_app_credentials

from bot.channels import botframework_fixes
from bot.channels.teams import BotFrameworkConfiguration, create_adapter
from tests.support import activities as teams
from tests.support.bot_server import add_teams_member, start_bot


def test_the_bot_connector_and_token_clients_have_explicit_time_outs():
    create_adapter(BotFrameworkConfiguration())
    client = ConnectorClient(MicrosoftAppCredentials("", ""), base_url="https://smba.trafficmanager.net/emea/")
    assert client.config.connection.timeout == botframework_fixes.TIMEOUT == (5.0, 20.0)
    for module in (microsoft_app_credentials, certificate_app_credentials):
        assert module.ConfidentialClientApplication.keywords == {"timeout": botframework_fixes.TIMEOUT}


async def test_a_bot_connector_that_never_answers_does_not_hold_the_turn(database, monkeypatch):
    monkeypatch.setattr(botframework_fixes, "TIMEOUT", (0.5, 0.5))
    never = asyncio.Event()
    called: list[str] = []

    async def hang(request: web.Request) -> web.Response:
        called.append(request.path)
        await never.wait()
        return web.json_response({})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", hang)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
    bot = await start_bot(database.url)
    try:
        await add_teams_member(bot.runtime, "Anna Andersson", "kommun", "aad-anna", teams.TENANT)
        started = time.monotonic()
        await bot.post(teams.message("tack", url))
        assert time.monotonic() - started < 30  # msrest retries a few times, each cut off after 0.5 s (else 100 s each)
        assert any("/v3/conversations/" in path and "/activities" in path for path in called)  # it was reached
    finally:
        never.set()
        await bot.stop()
        await runner.cleanup()
