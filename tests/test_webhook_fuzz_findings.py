"""What a fuzzing run of POST /api/messages found, each kept from coming back: malformed requests get a 4xx
before any turn runs, odd input gets a Swedish answer instead of a crash, and nothing refused is stored."""

from __future__ import annotations

import asyncio
import copy
import json
import logging
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from bot.channels import teams as webhook
from storage import models
from tests.support import activities as teams
from tests.support.bot_server import BotServer, add_teams_member, start_bot


@pytest.fixture
async def server(database):
    bot = await start_bot(database.url)
    await add_teams_member(bot.runtime, "Anna Andersson", "kommun", "aad-anna", teams.TENANT, admin=True)
    yield bot
    await bot.stop()


async def count(server: BotServer, model) -> int:
    async with server.runtime.database.session() as session:
        return await session.scalar(select(func.count()).select_from(model))


def _with(activity: dict, **changes) -> dict:
    changed = copy.deepcopy(activity)
    for path, value in changes.items():
        target = changed
        *parents, last = path.split("__")
        for key in parents:
            target = target.setdefault(key, {})
        target[last] = value
    return changed


@pytest.mark.parametrize("change", [
    {"channelData__tenant": "x"},
    {"channelData__team": 5},
    {"channelData": ["x"]},
    {"conversation__conversationType": "weird"},
    {"entities": [{"type": "mention"}]},
    {"entities": [None]},
    {"recipient": None},
    {"from": "anna"},
])
async def test_an_activity_no_channel_sends_is_a_400_and_no_turn_runs(server, connector, change):
    activity = _with(teams.message("hjälp", connector.url), **change)
    response = await server.post(activity)
    assert response.status == 400
    assert connector.sent == [] and await count(server, models.BotStateRow) == 0


async def test_deep_nesting_and_lone_surrogates_are_400(server):
    assert (await server.post_raw(b"[" * 5000 + b"]" * 5000)).status == 400
    body = json.dumps(teams.message("x", "http://127.0.0.1:1")).replace('"x"', '"\\ud800"').encode()
    assert (await server.post_raw(body)).status == 400


async def test_a_body_that_cannot_be_decoded_is_400(server):
    async with server.http.post(f"{server.url}/api/messages", data=b"not gzip",
                                headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}) as response:
        assert response.status == 400


async def test_a_body_that_never_finishes_is_dropped_with_408(server, monkeypatch):
    monkeypatch.setattr(webhook, "READ_TIMEOUT_SECONDS", 0.2)
    host, port = urlsplit(server.url).hostname, urlsplit(server.url).port
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(b"POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 1000\r\n\r\n{\"type\":")
    await writer.drain()
    status_line = await asyncio.wait_for(reader.readline(), 5)
    writer.close()
    assert b" 408 " in status_line


async def _post_json(server: BotServer, activity: dict) -> tuple[int, object]:
    async with server.http.post(f"{server.url}/api/messages", json=activity) as response:
        return response.status, await response.json(content_type=None)


@pytest.mark.parametrize(("value", "code"), [
    ("x", "BadRequest"),
    (None, "BadRequest"),
    ({"action": "x"}, "BadRequest"),
    ({"action": {"type": "Action.Execute", "verb": "action.done", "data": "1"}}, "BadRequest"),
    ({"action": {"type": "Action.Execute", "verb": "action.done", "data": [1]}}, "BadRequest"),
    ({"action": {"type": "Action.Submit", "verb": "action.done", "data": {}}}, "NotSupported"),
])
async def test_a_malformed_card_action_is_a_universal_actions_400_without_a_turn(server, connector, value, code):
    bad = teams.card_execute("action.done", {}, connector.url)
    bad["value"] = value
    status, body = await _post_json(server, bad)
    assert status == 400
    assert body["statusCode"] == 400 and body["type"] == "application/vnd.microsoft.error"
    assert body["value"]["code"] == code and body["value"]["message"]
    assert connector.sent == [] and await count(server, models.BotStateRow) == 0


async def test_a_token_exchange_is_refused_as_documented_so_teams_falls_back_to_sign_in(server, connector):
    exchange = teams.of_type("invoke", connector.url, name="signin/tokenExchange",
                             value={"id": "exchange-1", "connectionName": "sso", "token": "eyJ0eXAi"})
    status, body = await _post_json(server, exchange)
    assert status == 412
    assert body["id"] == "exchange-1" and body["connectionName"] == "sso" and body["failureDetail"]
    exchange["value"] = "x"
    assert (await server.post(exchange)).status == 400
    assert connector.sent == []  # no apology in the chat


@pytest.mark.parametrize("name", ["signin/verifyState", "task/fetch", "composeExtension/query", 5, None])
async def test_an_invoke_the_bot_does_not_offer_is_501_without_a_word_in_the_chat(server, connector, name):
    unknown = teams.of_type("invoke", connector.url, name=name, value={"data": {}})
    assert (await server.post(unknown)).status == 501
    assert connector.sent == []


@pytest.mark.parametrize("number", [9223372036854775808, True, -1, "3"])
async def test_a_card_button_with_a_number_the_bot_never_sent_is_refused_plainly(server, connector, number):
    await server.post(teams.card_submit({"samverkan": "action.done", "number": number}, connector.url))
    assert connector.sent[0].text.startswith("Den här knappen känner jag inte igen")


@pytest.mark.parametrize("text", ["ange ansvarig", "#1.5 klar", "visa #O-1"])
async def test_an_action_request_without_a_usable_number_asks_for_one(server, connector, text):
    await server.post(teams.message(text, connector.url))
    reply = " ".join(json.dumps(sent.body, ensure_ascii=False) for sent in connector.sent)  # text and cards
    assert "Något gick fel" not in reply
    assert "Skriv numret" in reply or "förstod" in reply or "Vill du" in reply or "inte säker" in reply


@pytest.mark.parametrize("text", ["#9223372036854775808 klar", "snooza #99999999999999999999 till måndag",
                                  "kommentar #99999999999999999999: klart", "visa #99999999999999999999"])
async def test_a_number_too_large_for_any_action_is_answered_plainly_and_logged_without_a_traceback(
        server, connector, caplog, text):
    caplog.set_level(logging.INFO)
    assert (await server.post(teams.message(text, connector.url))).status == 200
    number = text.split("#")[1].split()[0].rstrip(":")
    assert [sent.text for sent in connector.sent] == [f"Det finns ingen åtgärd #{number}."]
    assert any(r.levelno == logging.INFO and "out of range" in r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


@pytest.mark.parametrize("text", ["visa #O99999999999999999999", "ta bort #o123456789012",
                                  "ändra #O88888888888 plats till torget"])
async def test_an_observation_number_too_large_is_answered_as_one_not_read_as_a_place(server, connector, caplog,
                                                                                      text):
    caplog.set_level(logging.INFO)
    assert (await server.post(teams.message(text, connector.url))).status == 200
    number = text.split("#")[1].split()[0][1:]
    assert [sent.text for sent in connector.sent] == [f"Det finns ingen observation #O{number}."]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


@pytest.mark.parametrize("text", ["påminn mig imorgon kl 9 om att kolla 811218+9876",
                                  "påminn mig imorgon kl 9 om att maila anna.berg@skola.se",
                                  "påminn mig imorgon kl 9 om att ringa ８１１２１８-９８７６"])
async def test_a_reminder_is_screened_as_written(server, connector, text):
    await server.post(teams.message(text, connector.url))
    assert await count(server, models.PersonalReminder) == 0


async def test_an_action_title_is_screened_with_the_whole_sentence(server, connector):
    await server.post(teams.message("ny åtgärd: kontakta kalle@example.com, kommunen, senast 15/1", connector.url))
    assert "e-postadress" in connector.sent[0].text
    assert await count(server, models.Action) == 3  # only the agreement's own deadlines


async def test_the_card_draft_id_and_times_are_not_taken_on_trust(server, connector):
    values = {"samverkan": "observation.save", "draft": "811218-9876", "focus_area": "andts",
              "when": "igår kl 22", "description": "ungdomar samlades vid torget", "place": "Torget"}
    await server.post(teams.card_submit(values, connector.url))
    async with server.runtime.database.session() as session:
        [row] = (await session.scalars(select(models.Observation))).all()
    assert row.idempotency_key != "811218-9876"
    connector.clear()
    odd = {**values, "draft": "a" * 32, "when": "S", "when_shown": "S", "when_start": "0999-01-01T00:00"}
    await server.post(teams.card_submit(odd, connector.url))
    card = teams.card_of(connector.sent[0].body)
    assert any("tiden förstår jag inte" in (b.get("text") or "") for b in card["body"])


async def test_a_meeting_is_not_scheduled_from_part_of_an_impossible_date(server, connector):
    await server.post(teams.message("nästa SSPF är 30 februari kl 13", connector.url))
    assert "Det finns inget datum ”30 februari”" in " ".join(sent.text or "" for sent in connector.sent)
    assert await count(server, models.Meeting) == 0
