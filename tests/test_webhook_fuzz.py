"""A small deterministic fuzzer over POST /api/messages: valid Teams messages and card submits with one
field mutated. Whatever arrives, the bot answers 4xx or runs a turn that replies, and never logs a crash."""

from __future__ import annotations

import copy
import logging
import random

from tests.support import activities as teams
from tests.support.bot_server import add_teams_member, start_bot

SEED = 13
REQUESTS = 300
ODD_VALUES = [None, 0, -1, 1.5, True, 99999999999999999999, -(2**70), "", " ", "x" * 5000, [], {}, [None],
              {"id": 5}, "#99999999999999999999", "0001-01-01T00:00", "9999-12-31T23:59", "\u0000", "<at>x</at>",
              "ändra #99999999999999999999 klar", "visa #O99999999999999999999", "weird"]
TEXTS = ["hjälp", "#99999999999999999999 klar", "visa #O99999999999999999999",
         "skjut upp #18446744073709551616 en vecka", "kommentar #99999999999999999999: ok",
         "logga skadegörelse på torget igår kväll", "vilka åtgärder är försenade"]


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def _mutate(activity: dict, rng: random.Random) -> dict:
    mutated = copy.deepcopy(activity)
    path = rng.choice([p for p in _paths(mutated) if p and p[0] not in ("serviceUrl", "type")])
    target = mutated
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = copy.deepcopy(rng.choice(ODD_VALUES))
    return mutated


def _samples(service_url: str, rng: random.Random):
    card = {"samverkan": "observation.save", "draft": "a" * 32, "focus_area": "andts", "when": "igår kl 22",
            "when_start": "2026-11-25T22:00", "description": "ungdomar samlades vid torget", "place": "Torget"}
    for _ in range(REQUESTS):
        kind = rng.random()
        if kind < 0.4:
            yield _mutate(teams.message(rng.choice(TEXTS), service_url, mention=rng.random() < 0.3), rng)
        elif kind < 0.7:
            yield _mutate(teams.card_submit(card, service_url), rng)
        elif kind < 0.85:
            yield _mutate(teams.card_submit({"samverkan": "action.done", "number": 1}, service_url), rng)
        else:
            yield teams.message(rng.choice(TEXTS), service_url)


async def test_mutated_activities_never_crash_a_turn(database, connector, caplog):
    bot = await start_bot(database.url, SAMVERKAN_RATE_LIMIT="10000")  # hundreds of turns in one fixed minute
    try:
        await add_teams_member(bot.runtime, "Anna Andersson", "kommun", "aad-anna", teams.TENANT, admin=True)
        rng = random.Random(SEED)
        caplog.set_level(logging.INFO)
        failures = []
        for number, activity in enumerate(_samples(connector.url, rng)):
            activity["id"] = f"fuzz-{number}"
            before = len(connector.sent)
            caplog.clear()
            response = await bot.post(activity)
            crashes = [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]
            replies = [s.text for s in connector.sent[before:]]
            if response.status >= 500 or crashes:
                failures.append((response.status, activity, crashes and repr(crashes[0].exc_info[1])))
            elif response.status == 200 and activity.get("type") == "message" and not replies:
                failures.append((response.status, activity, "no reply"))
        assert failures == [], f"{len(failures)} of {REQUESTS} failed: {failures}"
    finally:
        await bot.stop()
