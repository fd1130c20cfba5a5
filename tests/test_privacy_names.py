"""Names in any case: a full name typed in lower case or capitals, and a first name next to a class, an age, a
school or "eleven", are refused; places, streets, schools, weekdays and ordinary words that are also first names
pass. The cases are a corpus in tests/data/privacy_names.tsv, and the guard is checked end to end in the console."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from dialogs.privacy import refusal_text, screen
from dialogs.privacy_names import surnames
from storage import models
from tests.test_observations_console import console  # noqa: F401  (the fixture)

CORPUS = Path(__file__).parent / "data" / "privacy_names.tsv"


def corpus() -> list[tuple[str, str]]:
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            expected, text = line.split("\t")
            assert expected in ("refuse", "pass"), line
            rows.append((expected, text))
    return rows


@pytest.mark.parametrize(("expected", "text"), corpus(), ids=[text for _, text in corpus()])
def test_the_names_corpus(expected, text):
    found = [finding.kind for finding in screen(text)]
    if expected == "refuse":
        assert {"namn", "namn_barn"} & set(found), text
    else:
        assert found == [], text


def test_the_corpus_has_both_kinds_in_numbers():
    kinds = [expected for expected, _ in corpus()]
    assert kinds.count("refuse") >= 30 and kinds.count("pass") >= 40


def test_the_surname_list_is_loaded_case_folded():
    assert {"karlsson", "andersson", "lind", "hassan", "yilmaz"} <= surnames()
    assert "ek" not in surnames() and "strand" not in surnames()  # everyday words after a first name


def test_a_member_written_in_lower_case_is_allowed():
    assert screen("anna svensson och per lindqvist gick trygghetsvandring", ["Anna Svensson", "Per Lindqvist"]) == []


def test_a_child_named_is_refused_with_a_way_to_say_it():
    text = refusal_text(screen("elias i 7b klottrade"))
    assert "ett förnamn som kan peka ut ett barn" in text
    assert "”en elev i årskurs 7” i stället för namnet" in text and "Inget har sparats." in text


async def state_text(console) -> str:  # noqa: F811
    async with console.runtime.database.session() as session:
        return " ".join((await session.scalars(select(models.BotStateRow.document))).all())


@pytest.mark.parametrize("sentence", [
    "logga skadegörelse elsa karlsson i 7B klottrade på toaletten igår",
    "logga skadegörelse eleven elsa klottrade på haganässkolan igår",
])
async def test_a_lower_case_name_in_a_one_sentence_log_is_refused_and_nothing_kept(console, sentence):  # noqa: F811
    reply = await console.say(sentence)
    assert "Inget har sparats" in reply and "Så här läser jag det" not in reply
    assert await console.observations() == []
    assert "elsa" not in (await state_text(console)).casefold()
    assert "Det finns inget pågående" in await console.say("avbryt")  # no draft was started


async def test_a_lower_case_name_in_a_correction_is_refused_and_the_draft_kept_as_it_was(console):  # noqa: F811
    await console.say("logga skadegörelse på Haganässkolan igår kväll")
    reply = await console.say("ändra beskrivning till elias i 7b sprejade på väggen")
    assert "ett förnamn som kan peka ut ett barn" in reply and "Så här läser jag det" in reply
    assert "elias" not in (await state_text(console)).casefold()
    assert (await console.say("ja")).startswith("Sparat som #O1")
    [row] = await console.observations()
    assert "elias" not in (row.description or "").casefold()
