"""Who the bot thinks you are, and an admin adding a colleague by @mention in Teams, end to end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from domain.clock import FixedClock
from storage import models
from storage.actions import ActionRepository, NewAction
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


async def say(server, connector, text: str, aad: str = "aad-anna") -> str:
    connector.clear()
    assert (await server.post(teams.message(text, connector.url, aad=aad))).status == 200
    [sent] = connector.sent
    return sent.text


async def member_named(server, name: str) -> models.Member:
    async with server.runtime.database.session() as session:
        return await session.scalar(select(models.Member).where(models.Member.name == name))


async def test_an_admin_makes_a_member_admin_and_it_holds_from_the_next_message(server, connector):
    assert (await say(server, connector, "vem är jag", aad="aad-olle")).startswith(
        "Du är Olle Polis, Lokalpolisområde Ljungby, kommunpolis.")  # now remembered as no admin
    assert await say(server, connector, "gör Olle Polis till administratör") == "Olle Polis är nu administratör."
    assert "kommunpolis och administratör för boten" in await say(server, connector, "vem är jag", aad="aad-olle")
    assert await say(server, connector, "gör olle till admin") == "Olle Polis är redan administratör."
    assert await say(server, connector, "ta bort Anna Andersson som administratör", aad="aad-olle") == \
        "Anna Andersson är nu inte administratör."
    assert (await member_named(server, "Anna Andersson")).is_admin is False
    async with server.runtime.database.session() as session:
        audited = (await session.scalars(select(models.AuditEntry).where(
            models.AuditEntry.action == "member.changed"))).all()
    assert len(audited) == 2


async def test_the_last_admin_is_neither_demoted_nor_removed(server, connector):
    for text in ("ta bort Anna Andersson som administratör", "ta bort Anna Andersson som medlem"):
        answer = await say(server, connector, text)
        assert "hen är den enda administratören, och boten behöver minst en" in answer
    anna = await member_named(server, "Anna Andersson")
    assert anna.is_admin and anna.active


async def test_a_removed_member_loses_access_at_once_and_keeps_their_history(server, connector):
    clock = server.runtime.clock
    assert (await say(server, connector, "vem är jag", aad="aad-olle")).startswith("Du är Olle Polis")
    async with server.runtime.database.session() as session:
        olle = await session.scalar(select(models.Member).where(models.Member.name == "Olle Polis"))
        action = await ActionRepository(session).add(NewAction("Kvällspatrull", "polis", clock.now().date(),
                                                               responsible_member_id=olle.id), olle, at=clock.now())
        await session.commit()
        number = action.number
    answer = await say(server, connector, "ta bort Olle Polis som medlem")
    assert answer == (f"Olle Polis är inte längre medlem och kommer inte åt boten. Det hen har loggat och skapat "
                      f"finns kvar med hens namn. Hen är ansvarig för en öppen åtgärd (#{number}); ge den till någon "
                      f"annan, till exempel ”ge #{number} till polisen”.")
    assert "känner inte igen dig som medlem" in await say(server, connector, "vem är jag", aad="aad-olle")
    async with server.runtime.database.session() as session:
        kept = await session.scalar(select(models.Action).where(models.Action.number == number))
        assert (kept.created_by_member_id, kept.responsible_member_id) == (olle.id, olle.id)
        assert (await session.get(models.Member, olle.id)).active is False
    assert "Olle Polis" not in await say(server, connector, "vilka är medlemmar")


async def test_members_are_listed_with_identities_for_admins_only(server, connector):
    listed = await say(server, connector, "vilka är medlemmar")
    assert listed.startswith("Medlemmar (2):\n")
    assert (f"- Anna Andersson, kommunen, brottsförebyggande samordnare, administratör – Teams aad-anna "
            f"(organisation {teams.TENANT})") in listed
    assert f"- Olle Polis, polisen, kommunpolis – Teams aad-olle (organisation {teams.TENANT})" in listed
    plain = await say(server, connector, "visa medlemmar", aad="aad-olle")
    assert "- Anna Andersson, kommunen, brottsförebyggande samordnare, administratör\n" in plain + "\n"
    assert "aad-" not in plain


async def test_a_member_who_is_not_admin_is_refused_and_nothing_changes(server, connector):
    for text in ("gör Olle Polis till administratör", "ta bort Anna Andersson som medlem",
                 "ta bort Anna Andersson som administratör"):
        answer = await say(server, connector, text, aad="aad-olle")
        assert answer.startswith("Bara en administratör kan ändra medlemmar.")
    olle, anna = await member_named(server, "Olle Polis"), await member_named(server, "Anna Andersson")
    assert (olle.is_admin, anna.is_admin, anna.active) == (False, True, True)
    assert (await say(server, connector, "gör Per Okänd till administratör")).startswith(
        "Jag hittar ingen medlem som heter Per Okänd.")


async def test_a_removed_member_added_again_by_mention_is_the_same_member_and_gets_in_at_once(server, connector):
    connector.roster["29:olle"] = {"id": "29:olle", "name": "Olle Polis", "aadObjectId": "aad-olle",
                                   "tenantId": teams.TENANT}
    before = await member_named(server, "Olle Polis")
    await say(server, connector, "ta bort Olle Polis som medlem")
    assert "känner inte igen dig som medlem" in await say(server, connector, "vem är jag", aad="aad-olle")
    await server.post(mentioning("lägg till @ som medlem, polisen, lokalpolis", "Olle Polis", "29:olle",
                                 connector.url))
    assert connector.sent[-1].text == "Olle Polis är nu medlem (Lokalpolisområde Ljungby, lokalpolis)."
    assert (await say(server, connector, "vem är jag", aad="aad-olle")).startswith(
        "Du är Olle Polis, Lokalpolisområde Ljungby, lokalpolis.")  # no wait for the directory's memory
    after = await member_named(server, "Olle Polis")
    assert (after.id, after.active) == (before.id, True)


async def test_mig_is_the_asker_and_the_last_admin_still_stays(server, connector):
    for text in ("ta bort mig som administratör", "ta bort mej som admin"):
        assert "hen är den enda administratören, och boten behöver minst en" in await say(server, connector, text)
    assert (await member_named(server, "Anna Andersson")).is_admin
    assert await say(server, connector, "gör mig till administratör", aad="aad-olle") == (
        "Bara en administratör kan ändra medlemmar. Fråga Älmhults kommuns brottsförebyggande samordnare.")
    assert (await member_named(server, "Olle Polis")).is_admin is False
    assert await say(server, connector, "gör Olle Polis till administratör") == "Olle Polis är nu administratör."
    assert await say(server, connector, "gör mig till administratör", aad="aad-olle") == "Du är redan administratör."
    assert await say(server, connector, "ta bort mig som administratör") == "Du är nu inte administratör."
    anna = await member_named(server, "Anna Andersson")
    assert (anna.is_admin, anna.active) == (False, True)


async def test_a_member_added_by_an_admin_in_chat_is_recognised_on_the_very_next_message(server, connector):
    """Karin was refused a moment ago (the directory remembers "not a member"); once added she is let in on
    her next message, with no wait for that memory to lapse (the clock does not move)."""
    connector.roster["29:karin"] = {"id": "29:karin", "name": "Karin Lund", "aadObjectId": "aad-karin",
                                    "tenantId": teams.TENANT}
    assert "känner inte igen dig som medlem" in await say(server, connector, "vem är jag", aad="aad-karin")
    await server.post(mentioning("lägg till @ som medlem, kommunen, fritidsledare", "Karin Lund", "29:karin",
                                 connector.url))
    assert connector.sent[-1].text == "Karin Lund är nu medlem (Älmhults kommun, fritidsledare)."
    assert (await say(server, connector, "vem är jag", aad="aad-karin")).startswith(
        "Du är Karin Lund, Älmhults kommun, fritidsledare.")
