"""With a Microsoft app id configured, the webhook refuses requests without a valid Bot Framework token
(answered 401, never 500, and the handler does not run). Tokens signed by a local key are the Teams
issue's; these cases are refused before any key is fetched, so nothing leaves loopback."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage import models
from tests.support import activities as teams
from tests.support.bot_server import start_bot


@pytest.fixture
async def secured(database):
    bot = await start_bot(database.url, MicrosoftAppId="00000000-0000-0000-0000-000000000001",
                          MicrosoftAppPassword="secret", MicrosoftAppType="MultiTenant")
    yield bot
    await bot.stop()


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-jwt", "Basic dXNlcjpwYXNz", "Bearer "])
async def test_requests_without_a_valid_token_are_refused_with_401(secured, connector, authorization):
    headers = {"Authorization": authorization} if authorization is not None else None
    response = await secured.post(teams.message("hjälp", connector.url), headers=headers)
    assert response.status == 401
    assert connector.sent == []
    async with secured.runtime.database.session() as session:
        for model in (models.ConversationReference, models.BotStateRow, models.AuditEntry):
            assert await session.scalar(select(func.count()).select_from(model)) == 0
