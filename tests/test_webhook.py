"""End to end through POST /api/messages: the real app on loopback, a real database, and a local
Bot Connector that records what the bot sends back."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import func, select

from storage import models
from tests.support import activities as teams
from tests.support.bot_server import BotServer, add_teams_member, start_bot


@pytest.fixture
async def server(database):
    bot = await start_bot(database.url)
    await add_teams_member(bot.runtime, "Anna Andersson", "kommun", "aad-anna", teams.TENANT,
                           role="brottsförebyggande samordnare")
    yield bot
    await bot.stop()


async def count(server: BotServer, model) -> int:
    async with server.runtime.database.session() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def test_help_in_a_personal_chat_is_answered_in_swedish(server, connector):
    activity = teams.message("hjälp", connector.url)
    response = await server.post(activity)
    assert response.status == 200
    [reply] = connector.sent
    assert reply.path == f"/v3/conversations/{activity['conversation']['id']}/activities/{activity['id']}"
    assert reply.body["replyToId"] == activity["id"]
    assert "Hej Anna!" in reply.text
    assert "Det här kan jag hjälpa till med" in reply.text
    assert "automatisk assistent" in reply.text


async def test_mention_in_a_channel_is_stripped_before_understanding(server, connector):
    activity = teams.message("vilka är fokusområdena?", connector.url, mention=True,
                             conversation=teams.channel_conversation())
    assert (await server.post(activity)).status == 200
    [reply] = connector.sent
    for name in ("Trygga unga", "Kommun fri från våld", "ANDTS", "Skadegörelser i skolmiljö"):
        assert name in reply.text


async def test_deadline_question_reads_the_agreement_and_the_clock(server, connector):
    await server.post(teams.message("när ska överenskommelsen förlängas", connector.url))
    [reply] = connector.sent
    assert "30 november 2026" in reply.text
    assert "om 4 dagar" in reply.text  # the injected clock stands on 26 November 2026


async def test_anything_else_gets_what_the_bot_can_do(server, connector):
    await server.post(teams.message("kan du beställa pizza", connector.url))
    [reply] = connector.sent
    assert reply.text.startswith("Det där förstod jag inte.")
    assert "Fokusområden" in reply.text


async def test_unknown_sender_is_refused_and_the_refusal_audited(server, connector):
    await server.post(teams.message("hjälp", connector.url, aad="aad-stranger"))
    [reply] = connector.sent
    assert "känner inte igen dig som medlem" in reply.text
    async with server.runtime.database.session() as session:
        entries = (await session.scalars(select(models.AuditEntry))).all()
    assert [e.action for e in entries] == ["access.denied"]
    assert "aad-stranger" in entries[0].actor
    assert "hjälp" not in json.dumps(entries[0].detail or {})
    assert await count(server, models.ConversationReference) == 0  # nothing else of a non-member is kept
    assert await count(server, models.BotStateRow) == 0


async def test_a_message_without_text_gets_a_plain_answer(server, connector):
    activity = teams.message("", connector.url)
    activity["attachments"] = [{"contentType": "image/png", "contentUrl": "https://example.invalid/a.png"}]
    assert (await server.post(activity)).status == 200
    [reply] = connector.sent
    assert "bara läsa textmeddelanden" in reply.text


async def test_installation_stores_the_reference_and_greets_once(server, connector):
    added = teams.bot_added_personal(connector.url)
    assert (await server.post(added)).status == 200
    assert (await server.post(teams.installation_update(connector.url))).status == 200
    [greeting] = connector.sent
    assert "automatisk assistent" in greeting.text and "ingen person" in greeting.text
    async with server.runtime.database.session() as session:
        [ref] = (await session.scalars(select(models.ConversationReference))).all()
    assert ref.key == f"msteams:{added['conversation']['id']}"
    assert ref.service_url == connector.url
    assert ref.tenant_id == teams.TENANT
    assert ref.bot_id == teams.BOT_ID
    assert ref.active
    assert ref.reference["conversation"]["id"] == added["conversation"]["id"]


async def test_team_installation_keeps_team_and_tenant(server, connector):
    assert (await server.post(teams.bot_added_to_team(connector.url))).status == 200
    async with server.runtime.database.session() as session:
        [ref] = (await session.scalars(select(models.ConversationReference))).all()
    assert (ref.team_id, ref.tenant_id, ref.conversation_type) == (teams.TEAM, teams.TENANT, "channel")
    assert len(connector.sent) == 1


async def test_removal_marks_the_reference_inactive(server, connector):
    await server.post(teams.installation_update(connector.url, "add"))
    await server.post(teams.installation_update(connector.url, "remove"))
    async with server.runtime.database.session() as session:
        [ref] = (await session.scalars(select(models.ConversationReference))).all()
    assert not ref.active


@pytest.mark.parametrize("kind,extra", [
    ("typing", {}),
    ("messageReaction", {"reactionsAdded": [{"type": "like"}]}),
    ("event", {"name": "application/vnd.microsoft.meetingStart"}),
    ("somethingNew", {}),
])
async def test_unhandled_activity_types_answer_200_and_store_nothing(server, connector, kind, extra):
    response = await server.post(teams.of_type(kind, connector.url, **extra))
    assert response.status == 200
    assert connector.sent == []
    for model in (models.ConversationReference, models.BotStateRow, models.AuditEntry):
        assert await count(server, model) == 0


async def test_adaptive_card_invoke_answers_with_a_body_not_500(server, connector):
    invoke = teams.of_type("invoke", connector.url, name="adaptiveCard/action",
                           value={"action": {"type": "Action.Execute", "verb": "okänd", "data": {}}})
    async with server.http.post(f"{server.url}/api/messages", json=invoke) as response:
        body = await response.json()
    assert response.status == 200
    assert body["statusCode"] == 200
    assert "känner jag inte igen" in body["value"]


async def test_bad_requests_get_http_errors_and_store_nothing(server, connector):
    assert (await server.post_raw(b"{not json")).status == 400
    assert (await server.post_raw(b"[1, 2]")).status == 400
    assert (await server.post_raw(json.dumps({"text": "no type"}).encode())).status == 400
    assert (await server.post_raw(json.dumps({"type": "message", "text": "x"}).encode())).status == 400
    assert (await server.post_raw(b"\xff\xfe", "application/json")).status == 400
    assert (await server.post_raw(b"{}", "text/plain")).status == 415
    too_big = teams.message("a" * (300 * 1024), connector.url)
    assert (await server.post_raw(json.dumps(too_big).encode())).status == 413
    assert connector.sent == []
    for model in (models.ConversationReference, models.BotStateRow, models.AuditEntry):
        assert await count(server, model) == 0


async def test_very_long_message_gets_a_clear_limit(server, connector):
    await server.post(teams.message("klotter " * 1250, connector.url))
    [reply] = connector.sent
    assert "för långt" in reply.text and "4\u00a0000" in reply.text


async def test_healthz_checks_the_database(server):
    async with server.http.get(f"{server.url}/healthz") as response:
        assert response.status == 200
        assert (await response.json())["database"] == "ok"


async def test_menu_choice_survives_a_restart_on_the_same_database(database, connector):
    first = await start_bot(database.url)
    await add_teams_member(first.runtime, "Anna Andersson", "kommun", "aad-anna", teams.TENANT)
    await first.post(teams.message("hjälp", connector.url))
    await first.stop()

    second = await start_bot(database.url)
    try:
        await second.post(teams.message("6", connector.url))
    finally:
        await second.stop()
    menu, choice = connector.texts()
    assert "6. Samverkansforum" in menu
    assert choice.startswith("Samverkansforum där båda parter")


async def test_menu_state_is_per_user_in_a_shared_channel(server, connector):
    await add_teams_member(server.runtime, "Per Polis", "polis", "aad-per", teams.TENANT)
    thread = teams.channel_conversation("42")
    await server.post(teams.message("hjälp", connector.url, conversation=thread, mention=True))
    await server.post(teams.message("3", connector.url, aad="aad-per", conversation=thread, mention=True))
    menu, other = connector.texts()
    assert "Det där förstod jag inte" in other  # Per never saw a menu; Anna's stays hers


async def test_twenty_concurrent_messages_in_one_chat_all_get_their_reply(server, connector):
    batch = [teams.message("vilka forum finns", connector.url) for _ in range(20)]
    responses = await asyncio.gather(*(server.post(activity) for activity in batch))
    assert [r.status for r in responses] == [200] * 20
    assert sorted(s.reply_to_id for s in connector.sent) == sorted(a["id"] for a in batch)
    assert all("Samverkansforum" in s.text for s in connector.sent)


async def test_twenty_concurrent_chats_all_get_their_reply(server, connector):
    aads = [f"aad-concurrent-{n}" for n in range(20)]
    for n, aad in enumerate(aads):
        await add_teams_member(server.runtime, f"Medlem {n}", "polis", aad, teams.TENANT)
    batch = [teams.message("hjälp", connector.url, aad=aad) for aad in aads]
    responses = await asyncio.gather(*(server.post(activity) for activity in batch))
    assert [r.status for r in responses] == [200] * 20
    assert sorted(s.reply_to_id for s in connector.sent) == sorted(a["id"] for a in batch)


@pytest.mark.parametrize("text,answer", [
    ("det brinner i skolan nu!", "Ring 112"),
    ("jag vill göra en orosanmälan om en elev", "orosanmälan till Socialtjänsten i Älmhults kommun"),
])
async def test_danger_and_individual_concerns_are_answered_and_not_stored(server, connector, text, answer):
    await server.post(teams.message(text, connector.url))
    [reply] = connector.sent
    assert answer in reply.text and "av det du skrev har sparats" in reply.text
    async with server.runtime.database.session() as session:
        documents = (await session.scalars(select(models.BotStateRow.document))).all()
        audit = (await session.scalars(select(models.AuditEntry))).all()
    assert not any("brinner" in d or "orosanm" in d for d in documents)
    assert audit == []


async def test_the_pre_meeting_summary_on_demand_is_a_card(server, connector):
    await server.post(teams.message("underlag inför operativa BRÅ", connector.url))
    [reply] = connector.sent
    card = teams.card_of(reply.body)
    texts = [block.get("text", "") for block in card["body"]]
    assert texts[0].startswith("Inget möte för Operativa BRÅ är inlagt") and "Försenade åtgärder" in " ".join(texts)
    assert not reply.text  # the summary is in the card, not also above it
    assert reply.body["summary"].startswith("Inget möte för Operativa BRÅ är inlagt")  # for notifications
