"""Who the bot thinks you are, and an admin adding a colleague by @mention in Teams, end to end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.clock import FixedClock
from storage import models
from tests.support import activities as teams
from tests.support.bot_server import add_teams_member, start_bot


@pytest.fixture
async def server(database):
    bot = await start_bot(database.url, FixedClock())
    await add_teams_member(bot.runtime, "Anna Andersson", "kommun", "aad-anna", teams.TENANT,
                           role="brottsförebyggande samordnare", admin=True)
    await add_teams_member(bot.runtime, "Olle Polis", "polis", "aad-olle", teams.TENANT, role="kommunpolis")
    yield bot
    await bot.stop()


def mentioning(text: str, name: str, user_id: str, service_url: str, aad: str = "aad-anna") -> dict:
    activity = teams.message(text.replace("@", f"<at>{name}</at>", 1), service_url, aad=aad)
    activity["entities"].append({"type": "mention", "text": f"<at>{name}</at>",
                                 "mentioned": {"id": user_id, "name": name}})
    return activity


async def test_whoami_shows_party_role_and_how_the_bot_knows_you(server, connector):
    await server.post(teams.message("vem är jag", connector.url))
    text = connector.sent[-1].text
    assert text.startswith("Du är Anna Andersson, Älmhults kommun, brottsförebyggande samordnare och administratör")
    assert "Entra-objekt-id aad-anna i organisationen tenant-almhult" in text


async def test_an_admin_adds_a_member_by_mention_and_the_roster_gives_the_entra_id(server, connector):
    connector.roster["29:karin"] = {"id": "29:karin", "name": "Karin Lund", "aadObjectId": "aad-karin",
                                    "tenantId": teams.TENANT}
    await server.post(mentioning("lägg till @ som medlem, kommunen, fritidsledare", "Karin Lund", "29:karin",
                                 connector.url))
    assert connector.sent[-1].text == "Karin Lund är nu medlem (Älmhults kommun, fritidsledare)."
    async with server.runtime.database.session() as session:
        identity = await session.scalar(select(models.MemberIdentity).where(
            models.MemberIdentity.user_key == "aad-karin"))
    assert identity is not None and identity.tenant_id == teams.TENANT
    server.runtime.clock.advance(timedelta(seconds=11))  # past the directory's memory of an unknown sender
    await server.post(teams.message("vem är jag", connector.url, aad="aad-karin"))
    assert connector.sent[-1].text.startswith("Du är Karin Lund, Älmhults kommun, fritidsledare.")


async def test_only_admins_add_members_and_the_party_is_needed(server, connector):
    connector.roster["29:karin"] = {"id": "29:karin", "name": "Karin Lund", "aadObjectId": "aad-karin"}
    await server.post(mentioning("lägg till @ som medlem, kommunen", "Karin Lund", "29:karin", connector.url,
                                 aad="aad-olle"))
    assert connector.sent[-1].text == "Bara en administratör kan lägga till medlemmar."
    await server.post(mentioning("lägg till @ som medlem", "Karin Lund", "29:karin", connector.url))
    assert connector.sent[-1].text == "Skriv också vilken part: kommunen eller polisen."
    async with server.runtime.database.session() as session:
        assert await session.scalar(select(models.MemberIdentity).where(
            models.MemberIdentity.user_key == "aad-karin")) is None
