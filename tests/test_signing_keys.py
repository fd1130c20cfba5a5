"""Microsoft's token signing keys over real HTTP on loopback: fetched off the event loop with a timeout,
once for many requests, and when they cannot be had the webhook answers 503 with Retry-After (the Bot
Connector retries) instead of 500, without holding up anything else the bot is doing."""

from __future__ import annotations

import asyncio
import time

from bot.channels import signing_keys
from tests.support import activities as teams
from tests.support.token_issuer import bearer
from tests.test_teams_tokens import factories, issuer, nothing_was_kept, secured, valid_token  # noqa: F401

METADATA = "/.well-known/openidconfiguration"


async def post(bot, connector, *, aad: str = "aad-anna"):
    return await bot.post(teams.message("hjälp", connector.url, aad=aad), headers=bearer(valid_token(connector.url)))


async def test_key_metadata_answering_500_gives_503_and_is_not_asked_again_at_once(
        secured, connector, issuer):  # noqa: F811
    issuer.status = 500
    first = await post(secured, connector)
    assert first.status == 503 and first.headers["Retry-After"] == "30"
    second = await post(secured, connector)  # within Retry-After: answered without waiting on Microsoft again
    assert second.status == 503 and 1 <= int(second.headers["Retry-After"]) <= 30
    assert issuer.fetched == [METADATA]
    assert connector.sent == []
    await nothing_was_kept(secured)


async def test_keys_fetched_again_once_the_endpoint_is_back(secured, connector, issuer, monkeypatch):  # noqa: F811
    monkeypatch.setattr(signing_keys, "RETRY_AFTER_SECONDS", 0)
    issuer.status = 500
    assert (await post(secured, connector)).status == 503
    issuer.status = 200
    assert (await post(secured, connector)).status == 200
    assert len(connector.sent) == 1


async def test_a_slow_key_endpoint_holds_up_nothing_else_and_ends_in_503(
        secured, connector, issuer, monkeypatch):  # noqa: F811
    monkeypatch.setattr(signing_keys, "FETCH_TIMEOUT_SECONDS", 2.0)
    issuer.delay = 5.0  # the endpoint answers long after the bot's timeout
    started = time.monotonic()
    slow = asyncio.create_task(post(secured, connector))
    assert await asyncio.to_thread(issuer.metadata_asked.wait, 10)
    # While that request waits for the keys, the bot answers others (a blocking fetch held them all 5 s).
    async with secured.http.get(f"{secured.url}/healthz") as health:
        assert health.status == 200
    unsigned = await secured.post(teams.message("hjälp", connector.url))  # needs no keys to be refused
    assert unsigned.status == 401
    assert time.monotonic() - started < 2.0 and not slow.done()
    response = await slow
    waited = time.monotonic() - started
    assert response.status == 503 and response.headers["Retry-After"] == "30"
    assert 2.0 <= waited < 5.0
    assert connector.sent == []


async def test_the_keys_are_fetched_once_for_many_requests(secured, connector, issuer):  # noqa: F811
    responses = await asyncio.gather(*(post(secured, connector) for _ in range(4)))
    assert [r.status for r in responses] == [200] * 4
    assert (await post(secured, connector)).status == 200
    assert issuer.fetched == [METADATA, "/keys"]
    assert len(connector.sent) == 5
