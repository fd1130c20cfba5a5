"""Bot Framework tokens end to end: the real app with a Microsoft app id, its signing keys served on loopback.

A token the Bot Connector would send is accepted, the turn runs and its reply carries the bot's own
outbound token. Every kind of bad token is answered 401 (never botbuilder's 500) before the bot runs:
nothing is sent, and no conversation reference, bot state or audit row is written. With
``SAMVERKAN_ALLOWED_TENANTS`` set, an authenticated activity from another tenant is answered 403.
"""

from __future__ import annotations

import socket
import time

import pytest
from botbuilder.integration.aiohttp import ConfigurationServiceClientCredentialFactory
from botframework.connector.auth import ChannelValidation, JwtTokenExtractor, MicrosoftAppCredentials
from sqlalchemy import func, select

from bot.app import create_app
from bot.channels.teams import BotFrameworkConfiguration
from bot.config import Settings
from storage import models
from tests.support import activities as teams
from tests.support import bot_server
from tests.support.bot_server import BotServer, add_teams_member, start_bot
from tests.support.token_issuer import (
    KID,
    OTHER_KEY,
    OUTBOUND_TOKEN,
    WEBCHAT_KEY,
    WEBCHAT_KID,
    FixedTokenCredentialsFactory,
    TokenIssuer,
    bearer,
    channel_claims,
    sign,
)

APP_ID = "3f1c2a9e-5b7d-4e21-9a6c-0d8e7f6a5b41"
APP_TENANT = "9b2e4c61-7a3f-4d85-b1e0-5c6d7e8f9a02"
MULTI_TENANT = {"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "secret", "MicrosoftAppType": "MultiTenant"}
SINGLE_TENANT = {"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "secret", "MicrosoftAppType": "SingleTenant",
                 "MicrosoftAppTenantId": APP_TENANT}


@pytest.fixture(scope="module")
def issuer():
    with TokenIssuer() as running:
        yield running


@pytest.fixture
def factories(issuer, monkeypatch) -> list[FixedTokenCredentialsFactory]:
    """Point botbuilder's channel metadata at the loopback issuer, and give every app start_bot builds
    its real credentials factory wrapped so outbound calls carry ``OUTBOUND_TOKEN``."""
    JwtTokenExtractor.metadataCache.clear()
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", issuer.metadata_url)
    created: list[FixedTokenCredentialsFactory] = []

    def create_app_with_fixed_token(runtime, **kwargs):
        s = runtime.settings
        configuration = BotFrameworkConfiguration(s.app_id, s.app_password, s.app_tenant_id, s.app_type)
        factory = FixedTokenCredentialsFactory(ConfigurationServiceClientCredentialFactory(configuration))
        created.append(factory)
        return create_app(runtime, credentials_factory=factory, **kwargs)

    monkeypatch.setattr(bot_server, "create_app", create_app_with_fixed_token)
    issuer.fetched.clear()
    issuer.status, issuer.delay = 200, 0.0
    issuer.metadata_asked.clear()
    yield created
    JwtTokenExtractor.metadataCache.clear()


async def secured_bot(database, **env: str) -> BotServer:
    bot = await start_bot(database.url, **{**MULTI_TENANT, **env})
    await add_teams_member(bot.runtime, "Anna Andersson", "kommun", "aad-anna", teams.TENANT)
    return bot


@pytest.fixture
async def secured(database, factories):
    bot = await secured_bot(database)
    yield bot
    await bot.stop()


async def nothing_was_kept(bot: BotServer) -> None:
    async with bot.runtime.database.session() as session:
        for model in (models.ConversationReference, models.BotStateRow, models.AuditEntry):
            assert await session.scalar(select(func.count()).select_from(model)) == 0, model.__name__


def valid_token(service_url: str, **overrides) -> str:
    return sign(channel_claims(APP_ID, service_url, **overrides))


async def test_a_valid_token_is_accepted_and_the_reply_carries_the_bots_own_token(secured, connector, issuer):
    activity = teams.message("hjälp", connector.url)
    response = await secured.post(activity, headers=bearer(valid_token(connector.url)))
    assert response.status == 200
    [reply] = connector.sent
    assert "Hej Anna!" in reply.text
    assert reply.authorization == f"Bearer {OUTBOUND_TOKEN}"
    assert issuer.fetched == ["/.well-known/openidconfiguration", "/keys"]  # the keys came from loopback


async def test_a_token_expired_within_the_five_minutes_of_clock_skew_is_still_accepted(secured, connector):
    token = valid_token(connector.url, now=time.time() - 3600 - 120)
    assert (await secured.post(teams.message("hjälp", connector.url), headers=bearer(token))).status == 200
    assert len(connector.sent) == 1


def _expired(url: str) -> str:
    return valid_token(url, now=time.time() - 3600 - 600)


def _not_yet_valid(url: str) -> str:
    return valid_token(url, nbf=int(time.time()) + 600)


def _wrong_audience(url: str) -> str:
    return valid_token(url, aud="11111111-2222-3333-4444-555555555555")


def _no_audience(url: str) -> str:
    return valid_token(url, aud=None)


def _wrong_issuer(url: str) -> str:
    return valid_token(url, iss="https://issuer.example.invalid")


def _no_issuer(url: str) -> str:
    return valid_token(url, iss=None)


def _bad_signature(url: str) -> str:
    return sign(channel_claims(APP_ID, url), kid=KID, key=OTHER_KEY)


def _tampered(url: str) -> str:
    header, _payload, signature = valid_token(url).split(".")
    _h, payload, _s = valid_token(url, aud="someone-else").split(".")
    return f"{header}.{payload}.{signature}"


def _unknown_kid(url: str) -> str:
    return sign(channel_claims(APP_ID, url), kid="not-a-published-key", key=OTHER_KEY)


def _no_kid(url: str) -> str:
    return sign(channel_claims(APP_ID, url), kid=None)


def _key_not_endorsed_for_msteams(url: str) -> str:
    return sign(channel_claims(APP_ID, url), kid=WEBCHAT_KID, key=WEBCHAT_KEY)


def _symmetric_algorithm(url: str) -> str:
    return sign(channel_claims(APP_ID, url), kid=KID, key="a-shared-secret-of-at-least-32-bytes!", algorithm="HS256")


def _wrong_service_url(url: str) -> str:
    return valid_token(url, serviceurl="https://smba.trafficmanager.net/emea/")


def _no_service_url(url: str) -> str:
    return valid_token(url, serviceurl=None)


BAD_TOKENS = [_expired, _not_yet_valid, _wrong_audience, _no_audience, _wrong_issuer, _no_issuer, _bad_signature,
              _tampered, _unknown_kid, _no_kid, _key_not_endorsed_for_msteams, _symmetric_algorithm,
              _wrong_service_url, _no_service_url]


@pytest.mark.parametrize("make_token", BAD_TOKENS, ids=lambda f: f.__name__.lstrip("_"))
async def test_a_bad_token_is_refused_with_401_before_the_bot_runs(secured, connector, make_token):
    response = await secured.post(teams.message("hjälp", connector.url), headers=bearer(make_token(connector.url)))
    assert response.status == 401
    assert await response.json() == {"error": "unauthorized"}
    assert connector.sent == []
    await nothing_was_kept(secured)


async def test_a_missing_authorization_header_is_refused_with_401(secured, connector):
    response = await secured.post(teams.message("hjälp", connector.url))
    assert response.status == 401
    assert connector.sent == []
    await nothing_was_kept(secured)


async def test_a_refused_token_does_not_stop_the_next_valid_one(secured, connector):
    assert (await secured.post(teams.message("hjälp", connector.url),
                               headers=bearer(_unknown_kid(connector.url)))).status == 401
    response = await secured.post(teams.message("hjälp", connector.url), headers=bearer(valid_token(connector.url)))
    assert response.status == 200
    assert len(connector.sent) == 1


async def test_unreachable_signing_keys_are_not_blamed_on_the_caller(secured, connector, monkeypatch):
    """The metadata fetch failing is the bot's side: not 401 but 503 with Retry-After, and nothing runs."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint",
                        f"http://127.0.0.1:{closed_port}/.well-known/openidconfiguration")
    response = await secured.post(teams.message("hjälp", connector.url), headers=bearer(valid_token(connector.url)))
    assert response.status == 503 and response.headers["Retry-After"] == "30"
    assert connector.sent == []
    await nothing_was_kept(secured)


async def test_single_tenant_accepts_a_valid_token_and_signs_its_reply_for_its_own_tenant(
        database, factories, connector):
    bot = await secured_bot(database, **SINGLE_TENANT)
    try:
        refused = await bot.post(teams.message("hjälp", connector.url), headers=bearer(_wrong_audience(connector.url)))
        assert refused.status == 401
        assert connector.sent == []
        await nothing_was_kept(bot)

        response = await bot.post(teams.message("hjälp", connector.url), headers=bearer(valid_token(connector.url)))
        assert response.status == 200
        [reply] = connector.sent
        assert reply.authorization == f"Bearer {OUTBOUND_TOKEN}"
        credentials = [c for f in factories for c in f.created]
        assert credentials and all(isinstance(c, MicrosoftAppCredentials) for c in credentials)
        assert {c.oauth_endpoint for c in credentials} == {f"https://login.microsoftonline.com/{APP_TENANT}"}
    finally:
        await bot.stop()


async def test_multi_tenant_signs_its_reply_through_the_botframework_tenant(secured, factories, connector):
    await secured.post(teams.message("hjälp", connector.url), headers=bearer(valid_token(connector.url)))
    credentials = [c for f in factories for c in f.created]
    assert {c.oauth_endpoint for c in credentials} == {"https://login.microsoftonline.com/botframework.com"}


# The tenant allowlist (SAMVERKAN_ALLOWED_TENANTS)

async def test_an_allowed_tenant_is_served(database, factories, connector):
    bot = await secured_bot(database, SAMVERKAN_ALLOWED_TENANTS=f"tenant-ljungby, {teams.TENANT.upper()}")
    try:
        response = await bot.post(teams.message("hjälp", connector.url), headers=bearer(valid_token(connector.url)))
        assert response.status == 200
        [reply] = connector.sent
        assert "Hej Anna!" in reply.text
    finally:
        await bot.stop()


async def test_another_tenant_is_refused_with_403_before_the_bot_runs(database, factories, connector):
    bot = await secured_bot(database, SAMVERKAN_ALLOWED_TENANTS="tenant-ljungby")
    try:
        response = await bot.post(teams.message("hjälp", connector.url), headers=bearer(valid_token(connector.url)))
        assert response.status == 403
        assert await response.json() == {"error": "tenant not allowed"}
        assert connector.sent == []
        await nothing_was_kept(bot)
    finally:
        await bot.stop()


async def test_an_activity_without_a_tenant_is_refused_when_tenants_are_listed(database, factories, connector):
    bot = await secured_bot(database, SAMVERKAN_ALLOWED_TENANTS=teams.TENANT)
    try:
        activity = teams.message("hjälp", connector.url)
        activity["channelData"] = {}
        activity["conversation"].pop("tenantId")
        response = await bot.post(activity, headers=bearer(valid_token(connector.url)))
        assert response.status == 403
        assert connector.sent == []
        await nothing_was_kept(bot)
    finally:
        await bot.stop()


async def test_authentication_comes_before_the_tenant_check(database, factories, connector):
    """A caller without a valid token learns nothing about which tenants are allowed."""
    bot = await secured_bot(database, SAMVERKAN_ALLOWED_TENANTS="tenant-ljungby")
    try:
        for headers in (None, bearer(_bad_signature(connector.url))):
            response = await bot.post(teams.message("hjälp", connector.url), headers=headers)
            assert response.status == 401
        assert connector.sent == []
    finally:
        await bot.stop()


async def test_without_an_app_id_the_allowlist_still_applies(database, connector):
    bot = await start_bot(database.url, SAMVERKAN_ALLOWED_TENANTS="tenant-ljungby")
    try:
        response = await bot.post(teams.message("hjälp", connector.url))
        assert response.status == 403
        assert connector.sent == []
    finally:
        await bot.stop()


@pytest.mark.parametrize(("raw", "expected"), [
    ("", ()),
    ("   ", ()),
    ("9B2E4C61-7A3F-4D85-B1E0-5C6D7E8F9A02", ("9b2e4c61-7a3f-4d85-b1e0-5c6d7e8f9a02",)),
    (" tenant-a , ,tenant-b,tenant-a ", ("tenant-a", "tenant-b")),
])
def test_allowed_tenants_setting(raw, expected):
    settings = Settings.from_env({"SAMVERKAN_ALLOWED_TENANTS": raw}, env_file=None)
    assert settings.allowed_tenants == expected
    assert Settings().allowed_tenants == ()
