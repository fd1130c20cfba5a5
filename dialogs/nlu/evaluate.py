"""How well understanding does on a labelled corpus: per-intent precision and recall, slots, safety.

    python -m dialogs.nlu.evaluate tests/data/nlu/heldout_intents.tsv        # intents and slots
    python -m dialogs.nlu.evaluate --safety tests/data/nlu/heldout_safety.tsv
    python -m dialogs.nlu.evaluate --times tests/data/nlu/heldout_times.tsv
    python -m dialogs.nlu.evaluate --cv 5                                   # the training corpus, folds

Intent corpora have the columns of the shared corpus (``now``, ``utterance``, ``intent``, ``slots``); a slot
expected as null must be absent. ``--cv`` trains on four fifths of the repository's corpus and scores the
fifth it did not see, five times: the figure to tune on, since the held-out files are never tuned on.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

from dialogs.nlu import model, safety
from dialogs.nlu.intents import (
    _default_collaboration,
    decide_safety,
    featurize_intent,
    featurize_safety,
    understand,
)


def slots_match(expected: dict, actual: dict) -> bool:
    """The shared corpus's rule: every expected key, intervals by their given ends, texts case-insensitively."""
    for key, want in expected.items():
        got = actual.get(key)
        if want is None:
            ok = got is None
        elif isinstance(want, dict):
            ok = isinstance(got, dict) and all(str(got.get(k, ""))[:16] == str(v)[:16] for k, v in want.items())
        else:
            ok = isinstance(got, str | int | bool) and " ".join(str(want).lower().split()) == " ".join(
                str(got).lower().split())
        if not ok:
            return False
    return True


def report(pairs: list[tuple[str, str]], title: str) -> float:
    """Print precision and recall per label for (wanted, got) pairs; returns the accuracy."""
    labels = sorted({w for w, _ in pairs} | {g for _, g in pairs})
    true_pos, wanted, got = Counter(), Counter(), Counter()
    for want, have in pairs:
        wanted[want] += 1
        got[have] += 1
        true_pos[want] += want == have
    print(f"\n{title}\n{'label':<22}{'n':>5}{'precision':>11}{'recall':>9}")
    for label in labels:
        precision = true_pos[label] / got[label] if got[label] else float("nan")
        recall = true_pos[label] / wanted[label] if wanted[label] else float("nan")
        print(f"{label:<22}{wanted[label]:>5}{precision:>11.2f}{recall:>9.2f}")
    accuracy = sum(true_pos.values()) / len(pairs) if pairs else 0.0
    print(f"{'all':<22}{len(pairs):>5}{'':>11}{accuracy:>9.3f}")
    return accuracy


def stop_summary(pairs: list[tuple[str, str]]) -> str:
    """What matters to a user: was a danger or a concern stopped, was an ordinary message let through."""
    alarming = [got for want, got in pairs if want != safety.NONE]
    ordinary = [got for want, got in pairs if want == safety.NONE]
    stopped = sum(got != safety.NONE for got in alarming)
    kept = sum(got == safety.NONE for got in ordinary)
    return (f"danger or concern stopped: {stopped}/{len(alarming)}; "
            f"ordinary messages let through: {kept}/{len(ordinary)}")


def evaluate_intents(path: Path, verbose: bool) -> None:
    rows = model.read_rows(path)
    config = _default_collaboration()
    pairs, slots_ok, unsure = [], 0, 0
    for row in rows:
        expected = json.loads(row.get("slots") or "{}")
        reading = understand(row["utterance"], datetime.fromisoformat(row["now"]), config)
        pairs.append((row["intent"], reading.intent))
        whole = reading.intent == row["intent"] and slots_match(expected, reading.slots)
        slots_ok += whole
        unsure += reading.unsure
        if verbose and not whole:
            print(f"MISS {row['utterance']!r}\n  want {row['intent']} {json.dumps(expected, ensure_ascii=False)}"
                  f"\n  got  {reading.intent} {json.dumps(reading.slots, ensure_ascii=False)} {reading.alternatives}")
    report(pairs, f"Intents: {path.name}")
    print(f"intent with its slots right: {slots_ok}/{len(rows)} ({100 * slots_ok / len(rows):.1f} %); "
          f"readings offered as choices: {unsure}")


def evaluate_times(path: Path, verbose: bool) -> None:
    """A times corpus (now, expression, direction, start, end); empty start and end: no reading is right."""
    from dialogs.nlu.time import read_time

    rows = model.read_rows(path)
    right = null_right = nulls = 0
    for row in rows:
        interval = read_time(row["expression"], datetime.fromisoformat(row["now"]), row["direction"])
        got = interval.as_json() if interval else None
        want = {"start": row["start"], "end": row["end"]} if row.get("start") else None
        ok = got == want
        right += ok
        nulls += want is None
        null_right += ok and want is None
        if verbose and not ok:
            print(f"MISS [{row['direction']}] {row['expression']!r} at {row['now']}: want {want} got {got}")
    print(f"\nTimes: {path.name}: {right}/{len(rows)} ({100 * right / len(rows):.1f} %); "
          f"of them with no reading: {null_right}/{nulls}")


def evaluate_safety(path: Path, verbose: bool) -> None:
    config = _default_collaboration()
    pairs = []
    for row in model.read_rows(path):
        reading = understand(row["utterance"], datetime(2026, 11, 26, 10, 0), config)
        verdict = reading.intent if reading.intent in safety.VERDICTS else safety.NONE
        pairs.append((row["label"], verdict))
        if verbose and verdict != row["label"]:
            print(f"MISS want {row['label']:<16} got {verdict:<16} {row['utterance']}")
    report(pairs, f"Safety: {path.name}")
    print(stop_summary(pairs))


def cross_validate(folds: int, verbose: bool) -> None:
    """Train without one fold, read that fold with the whole pipeline (safety, rules, classifier, slots)."""
    from dialogs.nlu import intents

    config = _default_collaboration()
    paths = model.corpus_files()
    intent_rows = [row for path in paths if path.name != model.SAFETY_FILE for row in model.read_rows(path)]
    safety_rows = model.safety_examples(paths)
    speller = model.Speller(model.vocabulary_of([e.text for e in safety_rows]) | model.config_vocabulary(config))
    intent_features = [featurize_intent(row["utterance"], config, speller) for row in intent_rows]
    safety_features = [featurize_safety(e.text, config, speller) for e in safety_rows]
    rng = random.Random(0)
    intent_order, safety_order = list(range(len(intent_rows))), list(range(len(safety_rows)))
    rng.shuffle(intent_order)
    rng.shuffle(safety_order)
    pairs, safety_pairs, whole = [], [], 0
    trained_models = intents.models
    try:
        for fold in range(folds):
            test_intents = set(intent_order[fold::folds])
            test_safety = set(safety_order[fold::folds])
            fold_models = model.Models(
                speller,
                model.TextClassifier([f for i, f in enumerate(intent_features) if i not in test_intents],
                                     [r["intent"] for i, r in enumerate(intent_rows) if i not in test_intents],
                                     c=model.INTENT_C),
                model.TextClassifier([f for i, f in enumerate(safety_features) if i not in test_safety],
                                     [e.label for i, e in enumerate(safety_rows) if i not in test_safety],
                                     c=model.SAFETY_C),
                {slot: _slot_classifier(slot, intent_rows, intent_features, test_intents)
                 for slot in model.SLOT_MODELS})
            intents.models = lambda _config, m=fold_models: m
            for i in sorted(test_intents):
                row = intent_rows[i]
                reading = understand(row["utterance"], datetime.fromisoformat(row["now"]), config)
                pairs.append((row["intent"], reading.intent))
                expected = json.loads(row.get("slots") or "{}")
                expected = {k: v for k, v in expected.items() if k in _SCORED_SLOTS}
                ok = reading.intent == row["intent"] and slots_match(expected, reading.slots)
                whole += ok
                if verbose and not ok:
                    want = json.dumps(expected, ensure_ascii=False)
                    print(f"MISS {row['utterance']!r}\n  want {row['intent']} {want}"
                          f"\n  got  {reading.intent} {json.dumps(reading.slots, ensure_ascii=False)}")
            for i in sorted(test_safety):
                example = safety_rows[i]
                ranking = dict(fold_models.safety.rank(safety_features[i]))
                verdict = decide_safety(safety_features[i], ranking)
                safety_pairs.append((example.label, verdict))
                if verbose and verdict != example.label:
                    ruled = next((c[2:] for c in safety_features[i].cues if c.startswith("r_")), "none")
                    odds = " ".join(f"{k[:3]}={v:.2f}" for k, v in sorted(ranking.items()))
                    print(f"SAFETY want {example.label:<16} got {verdict:<16} rules={ruled:<16} {odds} "
                          f"{example.text}")
    finally:
        intents.models = trained_models
    report(pairs, f"Intents, whole pipeline, {folds}-fold cross-validation")
    print(f"intent with its slots right: {whole}/{len(pairs)} ({100 * whole / len(pairs):.1f} %)")
    report(safety_pairs, f"Safety verdict (rules and classifier), {folds}-fold cross-validation")
    print(stop_summary(safety_pairs))


def _slot_classifier(name: str, rows: list[dict], features: list, left_out: set[int]) -> model.TextClassifier:
    spec = model.SLOT_MODELS[name]
    chosen = [(i, label) for i, row in enumerate(rows) if i not in left_out and (label := spec.label(row))]
    return model.TextClassifier([features[i] for i, _ in chosen], [label for _, label in chosen], c=model.INTENT_C)


# Slots whose format the corpus and the readers agree on; the others are the conversation's business.
_SCORED_SLOTS = frozenset({"focus_area", "forum", "place", "kind", "status", "owner", "ref", "topic", "when", "due",
                           "period", "text", "title", "until", "from", "to", "owner_unit", "compare"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dialogs.nlu.evaluate")
    parser.add_argument("corpus", nargs="?", type=Path)
    parser.add_argument("--safety", action="store_true", help="the corpus is a safety corpus (utterance, label)")
    parser.add_argument("--times", action="store_true", help="the corpus is a times corpus (as the shared one)")
    parser.add_argument("--cv", type=int, metavar="FOLDS", help="cross-validate on the repository's corpus")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    if args.cv:
        cross_validate(args.cv, args.verbose)
    elif args.corpus and args.times:
        evaluate_times(args.corpus, args.verbose)
    elif args.corpus and args.safety:
        evaluate_safety(args.corpus, args.verbose)
    elif args.corpus:
        evaluate_intents(args.corpus, args.verbose)
    else:
        parser.print_usage(sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
