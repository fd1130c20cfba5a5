"""What a message asks for (the intent) and the details it gives (slots).

The order is the order of what matters most:
1. the safety screen (``dialogs.nlu.safety`` with its trained classifier): acute danger and a concern about
   one child win over everything, "logga" included;
2. exact rules (``dialogs.nlu.rules``): action and observation numbers, commands, settings;
3. the trained intent classifier (``dialogs.nlu.model``) for everything else, with the rules' reading as one
   of its cues; when it is unsure, the likely readings go along as ``alternatives`` so the bot can ask;
4. the chosen intent's slots, read by the rules, with what looked like a date but could not be read named
   in ``unread``.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any

from dialogs.nlu import catalog, model, safety
from dialogs.nlu.features import Features, featurize
from dialogs.nlu.lexicon import Speller
from dialogs.nlu.promises import asks_about_one_promise
from dialogs.nlu.reading import Understanding
from dialogs.nlu.rules import (
    asks_what_may_be_written,
    is_log_command,
    is_question_not_for_the_log,
    is_remind_command,
    rule_reading,
    says_what_happened,
    slots_for,
)
from dialogs.nlu.slots import Words, find_kind
from dialogs.nlu.unread import unread_parts
from dialogs.privacy_health import names_a_condition
from domain.text import fold

MAX_UNDERSTOOD_CHARS = 2000
CODE_VERSION = "intents-1"
TRAINING_NOW = datetime(2026, 11, 26, 10, 0)  # the rules' cue does not depend on the day; any fixed one will do

# Rule readings that are exact: a number (#12, #O3) or a command says what is meant.
EXACT = frozenset({
    "whoami", "who_is", "add_member", "set_admin", "remove_member", "list_members", "more", "undo_observation",
    "delete_observation", "restore_observation", "correct_observation", "mark_sensitive",
    "show_observation", "reminder_settings", "snooze_action", "bind_channel", "unbind_channel", "comment_action",
    "cancel_action", "reassign_action", "postpone_action", "complete_action", "show_action", "help", "thanks",
    "create_promise", "link_promise", "unlink_promise", "show_detail_level", "set_detail_level",
})
RULED_SAFETY = 0.5  # the safety classifier alone decides danger or a concern above this
# Danger, a concern and an unclear case together above this stop the message even when none of them alone is
# sure: a missed child at risk costs more than a question (cross-validated: 34 of 902 missed, 51 of 4 586
# ordinary messages stopped).
STOP_AT = 0.42
_CONCERNING = frozenset({"c_danger", "c_welfare", "c_suicide", "c_concern", "c_report", "c_victim",
                         "c_danger_situation"})
SURE = 0.55
DESTRUCTIVE = frozenset({"undo_observation", "delete_observation", "cancel_action", "cancel_meeting",
                         "cancel_reminder", "unbind_channel"})
ONE_WORD_SURE = 0.7  # the classifier's probability above which it decides alone
ASK_BELOW = 0.40  # below this, the likely readings are offered as choices
UNKNOWN_SURE = 0.8  # sure it is nothing for the bot ("har IKEA öppet på söndag"): a place named is no reason to ask
NOTHING_BELOW = 0.12  # below this for every intent, nothing usable was found
CHOICE_FLOOR = 0.08  # an alternative must be at least this likely to be offered
SECOND_FLOOR = 0.15  # ... and this likely when the best reading is only somewhat unsure


@lru_cache(maxsize=1)
def _default_collaboration():
    from domain.collaboration import load_collaboration

    return load_collaboration()


def models(config) -> model.Models:
    return model.load(config, featurize_intent, featurize_safety, CODE_VERSION)


def prepare_understanding(config) -> None:
    """Load (or train and keep) the classifiers for ``config`` now, so no message waits for it.

    One message is read too: the lemma dictionary and word frequencies load on first use (seconds of CPU),
    which would otherwise stall the first turns, and every turn waiting behind them on the event loop. It is
    typed without å/ä/ö, so the spelling path and its English word list load as well."""
    read_safety("eleven slog en kompis på skolgarden igar", config, models(config))


def featurize_intent(text: str, config, speller: Speller, ruled: Understanding | None = None) -> Features:
    ruled = ruled or rule_reading(" ".join(text.split()), TRAINING_NOW, config)
    cues = [f"rule_{ruled.intent}", *(f"slot_{name}" for name in ruled.slots)]
    return featurize(text, config, speller, tuple(cues))


def featurize_safety(text: str, config, speller: Speller) -> Features:
    return featurize(text, config, speller, tuple(sorted(safety.concepts(text, speller))))


def read_safety(text: str, config, trained: model.Models) -> str:
    features = featurize_safety(text, config, trained.speller)
    if asks_what_may_be_written(fold(text)) and not {"c_ongoing", "c_bang"} & set(features.cues):
        # "kan jag skriva namnet på killen? han är 15", "eleven har adhd, ska jag skriva det?": a question
        # about the rules of the log, answered by them, not a concern to refer
        return safety.NONE
    ranking = dict(trained.safety.rank(features))
    verdict = decide_safety(features, ranking)
    if verdict == safety.EMERGENCY and lasting_condition(text, features):
        # "pojken har adhd och bor på Ekvägen 3": a diagnosis and an address, nothing happening. Health data for
        # the privacy guard to refuse; a concern only when the words say one ("mår dåligt", "orolig").
        if not _CONCERNING & set(features.cues):
            return safety.NONE
        return decide_safety(features, {v: p for v, p in ranking.items() if v != safety.EMERGENCY})
    return verdict


# Words of a body in trouble now: an attack, a seizure, no air, blue lips, gone. With one of them a diagnosis is
# part of an emergency ("har fått ett epilepsianfall", "diabetiker som är helt borta och svarar inte").
_ACUTE_BODY = re.compile(
    r"anfall|attack|kramp|chock|kanning|svim|kollaps|krak|skakar|\bbla(?:tt)?\b|blodsocker|andas|andning|luft"
    r"|medvetslos|\bborta\b|ramla|\bont\b|svullna|tablett|overdos|sjalvmord|\blivet\b|hoppa|akut|\bnu\b"
    r"|\bring(?:a|er|de|t)?\b|112|vaken|vakna|blod|fastna|svalj|forgift")
_ACUTE_CUES = frozenset({"c_danger", "c_danger_strong", "c_danger_situation", "c_suicide", "c_ongoing", "c_bang"})


def lasting_condition(text: str, features: Features) -> bool:
    """A health condition named with nothing acute about it: no danger, urgency or "!" among the concepts and
    no word of a body in trouble now."""
    return not _ACUTE_CUES & set(features.cues) and not _ACUTE_BODY.search(fold(text)) and names_a_condition(text)


def decide_safety(features: Features, ranking: dict[str, float]) -> str:
    """The safety verdict from the rules' (a cue in ``features``) and the classifier's: danger wins when
    either is sure of it and the other is not sure of the opposite."""
    ruled = next((c[2:] for c in features.cues if c.startswith("r_")), safety.NONE)
    # What the words say outright is not outvoted: danger with "nu", "pågår" or "!", an orosanmälan named.
    if ruled == safety.EMERGENCY and {"c_ongoing", "c_bang"} & set(features.cues) and "c_danger_strong" in \
            features.cues:
        return safety.EMERGENCY
    if ruled == safety.INDIVIDUAL and "c_report" in features.cues:
        return safety.INDIVIDUAL
    for verdict in (safety.EMERGENCY, safety.INDIVIDUAL):
        if ranking.get(verdict, 0.0) >= RULED_SAFETY or (ruled == verdict and ranking.get(safety.NONE, 0.0) < 0.7):
            return verdict
    if ranking.get(safety.NONE, 0.0) < 1 - STOP_AT and _CONCERNING & set(features.cues):
        # not one verdict, but together more likely than an ordinary one, and the words say something worrying
        return max((safety.EMERGENCY, safety.INDIVIDUAL, safety.UNCLEAR), key=lambda v: ranking.get(v, 0.0))
    if ruled == safety.UNCLEAR or ranking.get(safety.UNCLEAR, 0.0) >= 0.5 or (
            ranking.get(safety.INDIVIDUAL, 0.0) + ranking.get(safety.UNCLEAR, 0.0) >= 0.45):
        return safety.UNCLEAR
    return safety.NONE


def safety_verdict(text: str, config: Any = None) -> str:
    """The safety screen alone: 'emergency', 'individual_case', 'unclear_concern' or 'none'."""
    clean = " ".join((text or "").split())
    if not clean:
        return safety.NONE
    config = config or _default_collaboration()
    return read_safety(clean[:MAX_UNDERSTOOD_CHARS], config, models(config))


def reading_for(intent: str, text: str, now: datetime, config: Any = None,
                member_names: tuple[str, ...] = ()) -> Understanding:
    """The message read as ``intent`` (a choice the user made among the likely readings)."""
    clean = " ".join((text or "").split())[:MAX_UNDERSTOOD_CHARS]
    config = config or _default_collaboration()
    now = now.replace(tzinfo=None)
    reading = slots_for(intent, clean, now, config, member_names)
    trained = models(config)
    reading = _learned_slots(reading, clean, featurize_intent(clean, config, trained.speller), trained, config)
    return _with_unread(reading, clean, now, config)


def understand(text: str, now: datetime | None = None, config: Any = None,
               member_names: tuple[str, ...] = (), *, screened: bool = False) -> Understanding:
    """Read one message at ``now`` (local time); ``config`` is the Collaboration (default: the packaged one);
    ``member_names`` are the bot's members beyond those in the configuration. ``screened``: the caller has
    already settled the safety question for this text (the user said it is not about one child)."""
    clean = " ".join((text or "").split())
    if not clean or len(clean) > MAX_UNDERSTOOD_CHARS:
        return Understanding("unknown", confidence=0.0)
    now = (now or datetime.now()).replace(tzinfo=None)
    config = config or _default_collaboration()
    trained = models(config)

    verdict = safety.NONE if screened else read_safety(clean, config, trained)
    if verdict in (safety.EMERGENCY, safety.INDIVIDUAL):
        return Understanding(verdict)
    ruled = rule_reading(clean, now, config, member_names)
    if ruled.slots.get("off_topic"):
        return Understanding("unknown", confidence=1.0)
    if ruled.intent in EXACT or ruled.intent == "log_observation" and is_log_command(fold(clean)) or \
            ruled.intent == "remind_me" and is_remind_command(fold(clean)) or \
            ruled.intent == "show_promises" and asks_about_one_promise(clean):
        if ruled.intent == "log_observation" and "focus_area" not in ruled.slots:  # "logga: berusade vid …"
            ruled = _learned_slots(ruled, clean, featurize_intent(clean, config, trained.speller, ruled), trained,
                                   config)
        return _with_unread(_without_school_area_elsewhere(ruled, clean, config), clean, now, config)

    if not any(ch.isalpha() for ch in clean):
        return Understanding("unknown", confidence=0.0)  # a date or a number alone says nothing to do
    features = featurize_intent(clean, config, trained.speller, ruled)
    ranking = trained.intents.rank(features)
    if is_question_not_for_the_log(fold(clean)) and ruled.intent != "log_observation":
        # asked, not told: never a log entry, and a question nothing else is likely for is not understood
        asked = [(intent, p) for intent, p in ranking if intent != "log_observation"]
        if asked[0][0] != ranking[0][0] and asked[0][1] < ASK_BELOW:
            return Understanding("unknown", confidence=asked[0][1])
        ranking = asked
    best, probability = ranking[0]
    usable = _usable(features, clean, config)
    if len(clean.split()) == 1 and probability < ONE_WORD_SURE and ruled.intent == "unknown" and not usable:
        return Understanding("unknown", confidence=probability)  # "ja", "ok": too little to guess from
    if verdict == safety.UNCLEAR and best in ("log_observation", "unknown", "show_situation"):
        return Understanding(safety.UNCLEAR, confidence=probability)
    if best == "unknown" and usable and probability < UNKNOWN_SURE:
        # Something the bot knows is named ("sspf", "Linnéskolan"): offer the likely readings, not "förstod inte".
        likely = [intent for intent, _ in ranking if intent != "unknown"][:3]
        reading = _learned_slots(slots_for(likely[0], clean, now, config, member_names), clean, features, trained,
                                 config)
        return _with_unread(Understanding(reading.intent, reading.slots, probability, tuple(likely[1:])), clean, now,
                            config)
    if probability < NOTHING_BELOW or (best == "unknown" and probability >= ASK_BELOW):
        return Understanding("unknown", confidence=probability)
    reading = ruled if ruled.intent == best else slots_for(best, clean, now, config, member_names)
    reading = _learned_slots(reading, clean, features, trained, config)
    alternatives: tuple[str, ...] = ()
    if probability < ASK_BELOW:
        alternatives = tuple(intent for intent, p in ranking[1:4] if p >= CHOICE_FLOOR and intent != "unknown")
    elif probability < SURE:
        alternatives = tuple(intent for intent, p in ranking[1:3] if p >= SECOND_FLOOR and intent != "unknown")
        if ruled.intent not in (best, "unknown", *alternatives):
            alternatives = (ruled.intent, *alternatives[:1])
    if best in DESTRUCTIVE and ruled.intent != best and not alternatives:
        # Removing something on the classifier's word alone ("nej logga" is not "ångra"): the user chooses.
        alternatives = tuple(intent for intent, _ in ranking[1:3] if intent != "unknown")
    understood = Understanding(reading.intent, reading.slots, probability, alternatives)
    return _with_unread(understood, clean, now, config)


_DOMAIN_TOKENS = frozenset({"xforum", "xfocus", "xref", "xoref"})


def _usable(features: Features, clean: str, config) -> bool:
    """Whether the message names something of the collaboration: a forum, a focus area, a number, a place."""
    if _DOMAIN_TOKENS & set(features.tokens.split()):
        return True
    from dialogs.nlu.places import find_place

    return find_place(Words.of(clean), set(), config) is not None


SLOT_SURE = 0.5  # a learned slot is filled only above this; below, the conversation asks
KEPT_SURE = 0.5  # a focus area guessed for what is shown back before it is kept (chosen by cross-validation)
NONE_DOUBT = 0.8  # ... only when the model that knows "no focus area" is less sure than this of none
KIND_SURE = 0.6  # the kind model overrules the rules' default above this
TIE_SURE = 0.6  # the share of the tied areas' probability one of them needs to be chosen (cross-validated)
# Where the focus area is shown back before anything is kept, a guess costs a glance, not a wrong record; a
# list or a lägesbild filtered on a guess would hide things without saying so, so those guess less.
_SHOWN_BACK = frozenset({"log_observation", "create_action"})


def _clear_choice(ranking: list[tuple[str, float]], named: set[str]) -> str | None:
    """Of two focus areas a message names equally ("unga" and "alkohol"), the one the slot classifier clearly
    prefers: "unga som dricker alkohol i parken" is ANDTS; "alkohol och våld" stays a question."""
    among = [(label, probability) for label, probability in ranking if label in named]
    total = sum(probability for _, probability in among)
    if not among or total <= 0 or among[0][1] / total < TIE_SURE:
        return None
    return among[0][0]


def _learned_focus(intent: str, current: str | None, clean: str, features: Features, trained: model.Models,
                   config) -> str | None:
    """The focus area when no configured word settles it: none named ("berusade vid stationen" is ANDTS), or
    two named equally ("unga som dricker alkohol"). Two models agree first: the one that knows "none" must see
    a focus area at all, so "lugnt vid stationen igår" is asked about, not filed under a guess."""
    folded = Words.of(clean).folded
    if "focus_area" not in trained.slots or not says_what_happened(folded):
        return current
    found = catalog.find(folded, catalog.focus_area_terms(config))
    if current is not None:
        return _unless_only_a_word(intent, current, found, features, trained)
    named = {match.code for match in found}
    if _joined(found, folded):
        return None
    ranking = trained.slots["focus_area"].rank(features)
    if intent in _SHOWN_BACK and "kept_focus_area" in trained.slots:
        kept = trained.slots["kept_focus_area"].rank(features)
        if named:
            return _clear_choice(kept, named)
        label, probability = kept[0]
        return label if probability >= KEPT_SURE and dict(ranking).get("none", 0.0) < NONE_DOUBT else None
    if named:
        return _clear_choice(ranking, named) if intent == "show_situation" else None
    label, probability = ranking[0]
    return label if label != "none" and probability >= SLOT_SURE else None


def _joined(found: list[catalog.Match], folded: list[str]) -> bool:
    """Two areas named side by side ("alkohol och våld", "droger, hot") are both the subject: ask which."""
    return any(first.code != second.code and second.start == first.end + 1
               and folded[first.end] in ("och", "eller", "and", "or", "samt", "/")
               for first in found for second in found)


def _unless_only_a_word(intent: str, current: str, found: list[catalog.Match], features: Features,
                        trained: model.Models) -> str:
    """A focus area named by one broad word ("ungdomar", "unga") gives way, for what is shown back before it is
    kept, to what the message is clearly about: "berusade ungdomar vid resecentrum" is ANDTS, "ungdomar
    klottrade på skolan" a school's damage. A name or a phrase of the area is never overruled."""
    if intent not in _SHOWN_BACK or "kept_focus_area" not in trained.slots or \
            any(match.code == current and match.score > _ONE_WORD_SCORE for match in found):
        return current
    label, probability = trained.slots["kept_focus_area"].rank(features)[0]
    return label if label != current and probability >= OVERRULE_SURE else current


_ONE_WORD_SCORE = 11  # catalog's score of a one-word synonym (strength 1, one word); a who-word scores 1
OVERRULE_SURE = 0.7  # how sure the model must be of another area to overrule one broad word


def _learned_slots(reading: Understanding, clean: str, features: Features, trained: model.Models,
                   config) -> Understanding:
    """A focus area or an agreement topic no word settles, from the slot classifiers, only when sure."""
    slots = dict(reading.slots)
    if reading.intent in model.SLOT_MODELS["focus_area"].intents:
        focus = _learned_focus(reading.intent, slots.get("focus_area"), clean, features, trained, config)
        slots.pop("focus_area", None)
        if focus:
            slots["focus_area"] = focus
    if reading.intent == "log_observation" and slots.get("kind") and "kind" in trained.slots and \
            find_kind(fold(clean)) is None:
        # No word names the kind ("medborgardialog", "statistik"): the model's reading of the whole message,
        # when it is sure, rather than the rules' default of one incident unless a pattern word is seen.
        label, probability = trained.slots["kind"].rank(features)[0]
        if probability >= KIND_SURE:
            slots["kind"] = label
    if reading.intent == "agreement_info" and slots.get("topic") in (None, "agreement") and "topic" in trained.slots:
        label, probability = trained.slots["topic"].rank(features)[0]
        if label not in ("none", "agreement", "forum", "focus_area") and probability >= SLOT_SURE:
            slots["topic"] = label
    if slots != reading.slots:
        reading = Understanding(reading.intent, slots, reading.confidence, reading.alternatives, reading.unread)
    return _without_school_area_elsewhere(reading, clean, config)


_SCHOOL_WORDS = re.compile(r"\b(?:\w*skol\w*|elev\w*|rast\w*|lar[ae]r\w*|rektor\w*|klassrum\w*|vaktmast\w*"
                           r"|mentor\w*|fritidshem\w*|korridor\w*|skap\w*|school\w*|pupils?|teachers?)\b")


def _without_school_area_elsewhere(reading: Understanding, clean: str, config) -> Understanding:
    """A log entry's focus area bound to schools ("Skadegörelser i skolmiljö") for damage at a place that is no
    school ("klotter vid stationen") would skew the schools' figures: it is dropped, and the user is asked."""
    code, place = reading.slots.get("focus_area"), reading.slots.get("place")
    if reading.intent != "log_observation" or not code or not place:
        return reading
    area = next((a for a in config.focus_areas if a.code == code), None)
    if area is None or "skol" not in fold(area.name) or _SCHOOL_WORDS.search(fold(clean)) or _is_school(place, config):
        return reading
    slots = {key: value for key, value in reading.slots.items() if key != "focus_area"}
    return Understanding(reading.intent, slots, reading.confidence, reading.alternatives, reading.unread)


def _is_school(place: str, config) -> bool:
    """A configured school, or a word a school's name begins with: "på Haganäs" is where Haganässkolan is."""
    words = [word for word in Words.of(place).folded if len(word) >= 5]
    schools = [Words.of(p.name).folded for p in getattr(config, "places", ()) if p.kind == "skola"]
    return any(school and school[0].startswith(word) for school in schools for word in words)


def _with_unread(reading: Understanding, clean: str, now: datetime, config) -> Understanding:
    """Name what could not be read, and drop a time read from a part of it: "30 februari kl 13" is not 13:00
    today, it is a question."""
    unread = unread_parts(reading, clean, now, config)
    if not unread:
        return reading
    slots = {key: value for key, value in reading.slots.items() if key not in {part.slot for part in unread}}
    return Understanding(reading.intent, slots, reading.confidence, reading.alternatives, unread)
