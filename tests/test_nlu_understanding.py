"""Understanding as a whole: the safety screen, the trained classifiers, what is named when it cannot be read,
and the figures on the held-out corpus that nothing was tuned on (tests/data/nlu), kept from sliding back."""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from dialogs.nlu import model, safety_verdict, understand
from dialogs.nlu.evaluate import slots_match
from dialogs.nlu.intents import featurize_intent
from dialogs.nlu.time import read_time

NOW = datetime(2026, 11, 26, 10, 0)  # a Thursday
HELD_OUT = Path(__file__).parent / "data" / "nlu"


def day(iso: str) -> dict[str, str]:
    return {"start": f"{iso}T00:00", "end": datetime.fromordinal(datetime.fromisoformat(iso).toordinal() + 1)
            .strftime("%Y-%m-%dT00:00")}


@pytest.mark.parametrize("text", [
    "logga: en elev i 9an berättade idag att hans pappa slår honom",  # "logga" does not make it a log entry
    "jag är orolig för en tjej i 8:an som verkar ha det jobbigt hemma, vad gör jag?",
    "jag misstänker att ett barn far illa hemma",
    "jag vill göra en orosanmälan om en elev",
    "en kille i nian säger att han inte vågar gå hem efter skolan",
    "jag är orolig för en tjej i 8:an, ska jag skriva en orosanmälan?",
])
def test_a_concern_about_one_child_is_an_orosanmalan(text):
    assert understand(text, NOW).intent == "individual_case"


@pytest.mark.parametrize("text", [
    "det brinner i skolans soprum",  # present tense, no "nu"
    "två killar slåss utanför ICA",
    "någon blir misshandlad utanför stationen nu!",
    "logga att det brinner på Haganässkolan nu",
    "en man ligger medvetslös vid resecentrum",
    "det brinner för fullt i förrådet",  # "brinner för" is a fire when it burns fully
    "ungdomar skjuter raketer mot folk vid torget just nu",
    "en mamma ringde precis, grannen skriker och det låter som nån blir slagen därinne, vad gör jag",
    "de kastar sten på oss!",
])
def test_acute_danger_is_112_even_without_the_word_nu(text):
    assert understand(text, NOW).intent == "emergency"


@pytest.mark.parametrize("text", [
    "det brann i en papperskorg på Linnéskolan igår",  # past events with alarming words belong in the log
    "slagsmål vid stationen i lördags, polisen var på plats",
    "hot mot personal på fritidsgården igår kl 21",
    "ungdomar brukar samlas och bråka vid resecentrum på fredagar",
    "skjut upp #12 en vecka",
    "jag brinner verkligen för det här projektet",
    "hur många misshandelsfall hade vi i höstas?",
    "nu brinner jag verkligen för det här projektet",
    "jag håller på att drunkna i mejl",
    "bränn inte ut dig nu innan jul",
    "#14 skjuts till nästa månad",
    "#36 skjuts till 1/2 på grund av sjukdom",
    "boende klagar på ungdomar som skjuter raketer mot husen",
    "socialtjänsten ser fler orosanmälningar från skolorna i år",  # a count, not one child
    "ny siffra: 8 orosanmälningar om unga och droger i september",
    "kan jag skriva namnet på killen som var inblandad? han är 15",  # a question to the privacy rules
    "eleven har adhd, ska jag skriva det?",
    "någon kastade en sten genom rutan i kiosken vid stationen",  # damage, not danger or a child at risk
    # From a trial: a pupil who tells about a place is the source, not the subject; a trend over many pupils
    "en elev berättade att det säljs tabletter på bussen till eneryda",
    "elevhälsan har märkt att fler elever berättar om våld hemma, typ 5-6 fall den här terminen",
])
def test_ordinary_messages_with_alarming_words_are_not_turned_away(text):
    assert safety_verdict(text) == "none"


def test_the_held_out_safety_corpus():
    rows = model.read_rows(HELD_OUT / "heldout_safety.tsv")
    verdicts = [(row["label"], understand(row["utterance"], NOW).intent) for row in rows]
    needing = [got for want, got in verdicts if want != "none"]
    ordinary = [got for want, got in verdicts if want == "none"]
    stopped = sum(got in ("emergency", "individual_case", "unclear_concern") for got in needing)
    kept = sum(got not in ("emergency", "individual_case", "unclear_concern") for got in ordinary)
    assert stopped / len(needing) >= 0.95, "danger and concerns must reach their answer"
    assert kept / len(ordinary) >= 0.93, "ordinary log entries must reach the log"


def test_the_held_out_intent_corpus():
    rows = model.read_rows(HELD_OUT / "heldout_intents.tsv")
    intent_right = whole_right = 0
    for row in rows:
        reading = understand(row["utterance"], datetime.fromisoformat(row["now"]))
        intent_right += reading.intent == row["intent"]
        whole_right += reading.intent == row["intent"] and slots_match(json.loads(row["slots"]), reading.slots)
    assert intent_right / len(rows) >= 0.95
    assert whole_right / len(rows) >= 0.82


def test_the_held_out_time_corpus():
    rows = model.read_rows(HELD_OUT / "heldout_times.tsv")
    right = 0
    for row in rows:
        interval = read_time(row["expression"], datetime.fromisoformat(row["now"]), row["direction"])
        want = {"start": row["start"], "end": row["end"]} if row["start"] else None
        right += (interval.as_json() if interval else None) == want
    assert right / len(rows) >= 0.95


@pytest.mark.parametrize("text,slot,unread,why", [
    ("påminn mig 30 februari om att ringa skolan", "when", "30 februari", "no_such_date"),
    ("ny åtgärd: nattvandring, polisen, senast 31/11", "due", "31/11", "no_such_date"),
    ("ny åtgärd: trygghetsvandring i centrum, kommunen, klart efter jul", "due", "efter jul", "vague"),
    ("lägesbild sen sportlovet", "period", "sen sportlovet", "no_break"),  # not configured here
])
def test_what_looks_like_a_date_but_cannot_be_read_is_named_and_never_replaced(text, slot, unread, why):
    reading = understand(text, NOW)
    assert slot not in reading.slots  # not the 30th of this month, not 31 July, not the default period
    assert [(u.slot, u.text, u.why) for u in reading.unread] == [(slot, unread, why)]


def test_a_word_that_only_begins_a_vague_time_is_not_named_as_one():
    """"någon gång" is vague; "någon" alone is not a time at all."""
    assert understand("finns det någon åtgärd?", NOW).unread == ()
    assert [u.text for u in understand("påminn mig så småningom om rapporten", NOW).unread] == ["så småningom"]


def test_a_readable_time_said_apart_stands_but_an_impossible_date_is_always_asked_about():
    reading = understand("ny åtgärd: föräldravandring under jullovet, fältassistenterna, senast 8/1", NOW)
    assert reading.slots["due"] == day("2027-01-08") and reading.unread == ()
    reading = understand("påminn mig 30 februari om mötet på fredag", NOW)
    assert "when" not in reading.slots and [u.text for u in reading.unread] == ["30 februari"]


def test_a_count_after_today_is_not_an_hour():
    reading = understand("idag 3 elever bråkade vid kiosken", NOW)
    assert reading.slots["when"] == day("2026-11-26")


def test_a_school_class_is_never_a_date():
    reading = understand("logga klotter på toaletten hos 9an på Haganässkolan", NOW)
    assert "when" not in reading.slots and not reading.unread


@pytest.mark.parametrize("text,intent,slots", [
    ("påminn mig imorgon ca 7.30 om att ringa rektorn", "remind_me",
     {"when": {"start": "2026-11-27T07:30", "end": "2026-11-27T07:30"}, "text": "ringa rektorn"}),
    ("ny åtgärd: föräldramöte, gemensamt, senast 20 dec", "create_action",
     {"owner": "gemensam", "due": day("2026-12-20"), "title": "Föräldramöte"}),
    ("ny åtgärd: samtalsgrupp, socialtjänsten, senast 15/1", "create_action",
     {"owner": "kommun", "owner_unit": "socialtjänsten"}),
    ("ny åtgärd: rastvakter ansvarig rektor Maria Lind senast 15/1", "create_action",
     {"owner": "Maria Lind", "owner_role": "rektor", "title": "Rastvakter"}),
    ("klotter vid ica maxi parkeringen igår", "log_observation", {"place": "ica maxi parkeringen"}),
    ("krossat glas vid busshållplatsen i diö i morse", "log_observation", {"place": "busshållplatsen i diö"}),
    ("hur många skadegörelser senaste 14 dagarna", "show_situation",
     {"focus_area": "skadegorelse-skola", "period": {"start": "2026-11-13T00:00", "end": "2026-11-27T00:00"}}),
    ("lägesbild ANDTS sista 3 mån", "show_situation",
     {"period": {"start": "2026-08-27T00:00", "end": "2026-11-27T00:00"}}),
    ("skadegörelse i oktober jämfört med förra året", "show_situation",
     {"compare": "previous_year", "period": {"start": "2026-10-01T00:00", "end": "2026-11-01T00:00"}}),
    ("läget i diö", "show_situation", {"place": "diö"}),
    ("medborgardialog i Diö igår: många tycker att busstationen känns otrygg", "log_observation",
     {"kind": "medborgardialog", "place": "Diö"}),  # a plain description, no "logga"
    ("mina påminnelser", "list_reminders", {}),
    ("ta bort påminnelsen om rektorn", "cancel_reminder", {"text": "rektorn"}),
    ("visa mina loggningar", "list_observations", {"owner": "me"}),
    ("när är nästa möte?", "next_meeting", {"forum": None}),
    ("flytta operativa brå 5/1 till 7/1 kl 10", "move_meeting",
     {"forum": "operativa-bra", "from": day("2027-01-05"),
      "to": {"start": "2027-01-07T10:00", "end": "2027-01-07T10:00"}}),
    ("vad är SSPF?", "agreement_info", {"topic": "forum", "forum": "sspf"}),
    ("vilka är parterna", "agreement_info", {"topic": "parties"}),
    ("tack!", "thanks", {}),
    ("integritet", "help", {"topic": "privacy"}),
    ("om boten", "help", {"topic": "about"}),
    ("#O8 var i Diö, inte Älmhult", "correct_observation", {"ref": "8", "change": "plats till Diö"}),
    ("klarmarkera 7:an", "complete_action", {"ref": "7"}),
    ("påminn mig imorrn 8 om att ringa rektorn", "remind_me",  # an hour right after a day ahead
     {"when": {"start": "2026-11-27T08:00", "end": "2026-11-27T08:00"}, "text": "ringa rektorn"}),
    ("påminn mig fredag 14 om mötet", "remind_me", {"when": {"start": "2026-11-27T14:00",
                                                              "end": "2026-11-27T14:00"}}),
    ("logga", "log_observation", {"focus_area": None, "kind": None}),  # the guided questions ask both
    # From a trial by people who had not seen the corpora: a weekday and its part in one word, ages that
    # are not hours, what is still to be finished, and closed as done.
    ("nån har eldat i en papperskorg på skolgården, hände under tisdagskvällen", "log_observation",
     {"when": {"start": "2026-11-24T18:00", "end": "2026-11-25T00:00"}}),
    ("bråk på torget under lördagsnatten", "log_observation",
     {"when": {"start": "2026-11-22T00:00", "end": "2026-11-22T06:00"}}),
    ("fritidsledarna säger att det langas snus till 13-14 åringar", "log_observation", {"when": None}),
    ("snatteri på ica av 15-16-åringar igår", "log_observation", {"when": day("2026-11-25")}),
    ("vad ska kommunen göra klart nästa vecka", "list_actions",
     {"status": None, "owner": "kommun", "due": {"start": "2026-11-30T00:00", "end": "2026-12-07T00:00"}}),
    ("vad har vi stängt", "list_actions", {"status": "done"}),
    ("10-15 ungdomar samlades vid torget i måndags", "log_observation", {"when": day("2026-11-23")}),  # a count
    # A dialogue in substance: whom the writer talked with, or whose words they pass on
    ("pratade med grannarna på Haganäs igår, de upplever att mopedåkandet ökat", "log_observation",
     {"kind": "medborgardialog"}),
    ("kuratorn säger att fler elever pratar om snus på rasterna", "log_observation", {"kind": "medarbetardialog"}),
    ("två föräldrar bråkade högljutt vid skolans parkering igår", "log_observation", {"kind": "handelse"}),
])
def test_everyday_requests_and_slots_as_people_write_them(text, intent, slots):
    reading = understand(text, NOW)
    assert reading.intent == intent
    for key, value in slots.items():
        assert reading.slots.get(key) == value, key


def test_text_with_nothing_to_act_on_is_unknown_and_a_bare_yes_is_not_a_command():
    for text in ("ja", "0/0", "👍", "asdf qwerty"):
        assert understand(text, NOW).intent == "unknown", text


def test_training_is_reproducible():
    """Two trainings on the same rows rank alike (a part of the corpus, to keep the test short)."""
    from domain.collaboration import load_collaboration

    config = load_collaboration()
    examples = model.intent_examples(model.corpus_files())
    sample = random.Random(7).sample(examples, 900)
    labels = Counter(e.label for e in sample)
    sample = [e for e in sample if labels[e.label] >= 5]
    speller = model.Speller(model.vocabulary_of([e.text for e in sample]))
    features = [featurize_intent(e.text, config, speller) for e in sample]
    first = model.TextClassifier(features, [e.label for e in sample], c=model.INTENT_C)
    second = model.TextClassifier(features, [e.label for e in sample], c=model.INTENT_C)
    probe = featurize_intent("vilka åtgärder är försenade", config, speller)
    assert first.rank(probe) == second.rank(probe)
    assert model.fingerprint(config, model.corpus_files(), "x") == model.fingerprint(config, model.corpus_files(), "x")


def test_the_fast_ranking_is_scikit_learns_own():
    from dialogs.nlu.intents import _default_collaboration, models

    config = _default_collaboration()
    trained = models(config)
    for text in ("vilka åtgärder är försenade", "logga klotter vid Linnéskolan igår", "hej"):
        features = featurize_intent(text, config, trained.speller)
        fast = dict(trained.intents.rank(features))
        slow = trained.intents._classifier.predict_proba(trained.intents._matrix([features]))[0]
        assert all(abs(fast[label] - slow[i]) < 1e-6 for i, label in enumerate(trained.intents.labels))
