"""Health data about one person (a diagnosis, a dependence, medication, psychiatric care, a pregnancy, a disability,
an injury) is refused like the other personal data, naming "uppgifter om hälsa" and storing nothing; health words
in general, substances, intoxication and places pass. Two corpora in tests/data: the tuning part, every line of
which must hold, and a held-out part written once and never tuned on, whose figures are held above a floor.
The guard is checked end to end where free text is written: a one-sentence log, a guided answer, a correction,
an action's comment."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import select

from dialogs.privacy import refusal_text, screen
from dialogs.privacy_health import has_health_data, is_health_word, names_a_condition
from storage import models
from tests.test_observations_console import console  # noqa: F401  (the fixture)

DATA = Path(__file__).parent / "data"
TUNE, HELD_OUT = DATA / "privacy_health_tune.tsv", DATA / "privacy_health_heldout.tsv"


def corpus(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            expected, text = line.split("\t")
            assert expected in ("refuse", "pass"), line
            rows.append((expected, text))
    return rows


def right(expected: str, text: str) -> bool:
    kinds = [finding.kind for finding in screen(text)]
    return "halsa" in kinds if expected == "refuse" else kinds == []


@pytest.mark.parametrize(("expected", "text"), corpus(TUNE), ids=[text for _, text in corpus(TUNE)])
def test_the_health_corpus(expected, text):
    assert right(expected, text), text


def test_the_held_out_health_corpus():
    """Written before it was first run and never tuned on: at that first run 26 of 27 were refused and 31 of 32
    passed ("Liv och hälsa ung", a survey, read as a name). "utvecklingsstörd", the one refusal missed, was later
    added to the word list, so that line no longer counts as unseen. The floors keep it from sliding back."""
    rows = corpus(HELD_OUT)
    refused = [right(e, t) for e, t in rows if e == "refuse"]
    passed = [right(e, t) for e, t in rows if e == "pass"]
    assert sum(refused) / len(refused) >= 0.9, "health data about a person must be refused"
    assert sum(passed) / len(passed) >= 0.9, "ordinary log text must pass"


def test_the_corpora_have_both_kinds_in_numbers_and_a_held_out_third():
    tune, held = corpus(TUNE), corpus(HELD_OUT)
    every = [expected for expected, _ in tune + held]
    assert every.count("refuse") >= 60 and every.count("pass") >= 80
    assert 0.28 <= len(held) / len(every) <= 0.4


@pytest.mark.parametrize("word", [
    "adhd", "diagnosen", "missbrukaren", "alkoholister", "medicinerar", "narkotikamissbruk", "ätstörningar",
    "epilepsianfall", "adhd-medicin", "bup-kontakt", "funktionsnedsättningar", "panikångest", "bipolar",
])
def test_health_words_are_known_in_their_forms_and_compounds(word):
    from dialogs.privacy_health import _fold

    assert is_health_word(_fold(word))


@pytest.mark.parametrize("word", [
    "ordningsstörning", "maktmissbruk", "skadegörelse", "fönsterskador", "vattenskada", "alkohol", "droger",
    "narkotika", "berusad", "migrant", "psykosocialt", "trafikstörning", "bidragsberoende",
])
def test_everyday_words_are_not_health_words(word):
    from dialogs.privacy_health import _fold

    assert not is_health_word(_fold(word))


def test_a_health_word_about_no_one_is_a_condition_but_not_health_data():
    assert names_a_condition("elever med diabetes behöver äta på rasten")
    assert not has_health_data("elever med diabetes behöver äta på rasten")
    assert has_health_data("eleven har diabetes. Hon måste äta på rasten")
    assert not has_health_data("Eleven klottrade. Diabetes är vanligt")  # not one sentence


def test_the_refusal_names_health_and_says_how_to_write_instead():
    findings = screen("pojken har adhd och bor på Ekvägen 3")
    assert [f.kind for f in findings] == ["halsa"]
    text = refusal_text(findings)
    assert text.startswith("Jag hittade uppgifter om hälsa i texten.") and "Inget har sparats." in text
    assert "i stället för diagnosen eller hälsouppgiften" in text


PATHOLOGICAL = ["a" * 10000, "adhd han " * 1100, "om " * 3000 + "adhd", "psykiskt " * 1100, "missbruk" * 1250,
                "en av " * 1600, "13-åringen " * 900, "Anna, " * 1600]


@pytest.mark.parametrize("text", PATHOLOGICAL, ids=[f"{t[:12]!r}x{len(t)}" for t in PATHOLOGICAL])
def test_pathological_input_stays_fast(text):
    """As tests/test_privacy.py's: best of three, far above the usual few milliseconds."""
    assert len(text) <= 10000
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        has_health_data(text)
        best = min(best, time.perf_counter() - start)
    assert best < 0.25


async def state_text(console) -> str:  # noqa: F811
    async with console.runtime.database.session() as session:
        return " ".join((await session.scalars(select(models.BotStateRow.document))).all())


async def test_health_data_in_a_one_sentence_log_is_refused_and_nothing_kept(console):  # noqa: F811
    reply = await console.say("logga skadegörelse på Haganässkolan igår, killen som gjorde det har adhd")
    assert "uppgifter om hälsa" in reply and "Inget har sparats" in reply and "Så här läser jag det" not in reply
    assert await console.observations() == []
    assert "adhd" not in (await state_text(console)).casefold()


async def test_health_data_in_a_correction_is_refused_and_the_draft_kept_as_it_was(console):  # noqa: F811
    await console.say("logga skadegörelse på Haganässkolan igår kväll")
    reply = await console.say("ändra beskrivning till klotter på väggen, eleven är inlagd på psyk")
    assert "uppgifter om hälsa" in reply and "Så här läser jag det" in reply
    assert "psyk" not in (await state_text(console)).casefold()
    assert (await console.say("ja")).startswith("Sparat som #O1")
    [row] = await console.observations()
    assert "psyk" not in (row.description or "").casefold()


async def test_health_data_in_an_actions_comment_is_refused(console):  # noqa: F811
    assert (await console.say("ny åtgärd: trygghetsvandring i centrum, polisen, senast 15/1, ANDTS")) \
        .startswith("Skapade #")
    reply = await console.say("kommentar #1: hon som bokade är gravid")
    assert "uppgifter om hälsa" in reply
    assert "gravid" not in (await state_text(console)).casefold()
    async with console.runtime.database.session() as session:  # where a comment would have been kept
        history = (await session.execute(select(models.ActionUpdate.kind, models.ActionUpdate.text))).all()
    assert history and "comment" not in [kind for kind, _text in history]
    assert not any("gravid" in (text or "").casefold() for _kind, text in history)
