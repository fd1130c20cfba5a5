"""Reading a draft observation from a sentence and from answers: no chat, no database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dialogs.observation_draft import Draft, Refusal, apply_answer, from_sentence, parse_edit, to_storage
from domain.collaboration import load_collaboration
from domain.situation import Asker, Situation

SITUATION = Situation(load_collaboration(), Asker(1, "Anna Andersson", "kommun", "samordnare"),
                      datetime(2026, 11, 26, 9, 0, tzinfo=UTC))


@pytest.mark.parametrize("text,edit", [
    ("ändra tid till kl 22", ("when", "kl 22")),
    ("Ändra platsen till Diö torg", ("place", "Diö torg")),
    ("plats: Stortorget", ("place", "Stortorget")),
    ("ändra fokusområde till ANDTS", ("focus_area", "ANDTS")),
    ("andra typ till iakttagelse", ("kind", "iakttagelse")),
    ("ändra beskrivningen till Klotter på gaveln", ("description", "Klotter på gaveln")),
    ("källa: polisen", ("source_party", "polisen")),
    ("platsen ska vara Stortorget", ("place", "Stortorget")),
    ("tiden ska va kl 21", ("when", "kl 21")),
    ("ändra något", None),
])
def test_parse_edit(text, edit):
    assert parse_edit(text) == edit


@pytest.mark.parametrize("text,description,guided", [
    ("logga skadegörelse på Haganässkolan igår kväll", "Skadegörelse på Haganässkolan igår kväll", False),
    ("Jag vill logga en ny iakttagelse: ungdomar samlas vid kiosken", "Ungdomar samlas vid kiosken", False),
    ("logga ANDTS igår", None, False),  # a focus area and a time say too little: asked for
    ("logga", None, True),
    ("ny observation", None, True),
])
def test_description_and_guided_mode_from_a_sentence(text, description, guided):
    from dialogs.nlu import understand

    reading = understand(text, SITUATION.local_now.replace(tzinfo=None), SITUATION.collaboration)
    draft = from_sentence(text, reading.slots, SITUATION)
    assert (draft.description, draft.guided) == (description, guided)


def test_a_bare_clock_time_keeps_the_drafts_day_and_now_is_now():
    draft = Draft(start="2026-11-20T18:00", end="2026-11-21T00:00")
    later = apply_answer(draft, "when", "kl 22", SITUATION)
    assert (later.start, later.end) == ("2026-11-20T22:00", "2026-11-20T22:00")
    assert apply_answer(draft, "when", "nu", SITUATION).start == "2026-11-26T10:00"
    assert isinstance(apply_answer(draft, "when", "den trettionde februari", SITUATION), Refusal)


def test_answers_are_screened_and_checked():
    draft = Draft()
    refusal = apply_answer(draft, "description", "Kalle Andersson klottrade", SITUATION)
    assert isinstance(refusal, Refusal) and not refusal.stop and "namn" in refusal.text
    danger = apply_answer(draft, "description", "det brinner i skolan nu", SITUATION)
    assert isinstance(danger, Refusal) and danger.stop and danger.text.startswith("Ring 112")
    assert apply_answer(draft, "focus_area", "3", SITUATION).focus_area == "andts"
    assert apply_answer(draft, "focus_area", "skadegörelse", SITUATION).focus_area == "skadegorelse-skola"
    assert apply_answer(draft, "kind", "medborgardialog", SITUATION).kind == "medborgardialog"
    assert apply_answer(draft, "source_party", "polisen", SITUATION).source_party == "polis"
    skipped = apply_answer(draft, "place", "-", SITUATION)
    assert skipped.place is None and "place" in skipped.asked


def test_to_storage_converts_local_time_to_utc_and_folds_the_place():
    draft = Draft(focus_area="andts", kind="iakttagelse", start="2026-07-01T22:00", end="2026-07-01T22:00",
                  description="Ungdomar samlas", place="  Diö   Torg ", source_party="polis")
    saved = to_storage(draft, SITUATION)
    assert saved.occurred_start.astimezone(UTC) == datetime(2026, 7, 1, 20, 0, tzinfo=UTC)  # summer time
    assert saved.occurred_end is None
    assert (saved.place, saved.place_key) == ("Diö Torg", "dio torg")


def test_a_place_is_keyed_by_the_municipalitys_name_for_it():
    """'toan på elme' is saved as written, and grouped and found as Elmeskolan's."""
    draft = Draft(focus_area="andts", kind="iakttagelse", start="2026-07-01T22:00", end="2026-07-01T22:00",
                  description="Vejp på toaletten", place="toan på elme", source_party="kommun")
    saved = to_storage(draft, SITUATION)
    assert (saved.place, saved.place_key) == ("toan på elme", "toan pa elmeskolan")
