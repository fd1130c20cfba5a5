"""Time per utterance of the Swedish reader against plain dateparser, on the same expressions in one run.

    .venv/bin/python bench/nlu.py [--corpus ../shared/corpus] [--rounds 5]

Prints median and p99 per expression for ``dialogs.nlu.time.read_time`` (times corpus),
``dialogs.nlu.understand`` (the shared queries corpus and the repository's held-out corpus, classifiers
included, with the per-message memo cleared before every call so repeated rounds are not cache hits),
the safety screen alone, and ``dateparser.parse`` (times corpus, languages pinned to Swedish and English,
and with language detection as most reminder bots call it), and the ratios to pinned dateparser.
The goal for ``understand``: median at most 2 ms and p99 at most 10 ms.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import dateparser  # noqa: E402

from dialogs.nlu import catalog, safety_verdict, understand  # noqa: E402
from dialogs.nlu.time import read_time  # noqa: E402

HELD_OUT = ROOT / "tests" / "data" / "nlu" / "heldout_intents.tsv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _timed(calls, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        for call in calls:
            start = time.perf_counter()
            call()
            samples.append(time.perf_counter() - start)
    return sorted(samples)


def _line(name: str, samples: list[float]) -> tuple[float, float]:
    median = statistics.median(samples) * 1000
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))] * 1000
    print(f"{name:<44}{median:>10.3f}{p99:>10.3f}{len(samples):>8}")
    return median, p99


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    corpus = Path(args.corpus)
    times = _rows(corpus / "sv_times_dev.tsv")
    queries = _rows(corpus / "sv_queries_dev.tsv")
    now = datetime.fromisoformat(times[0]["now"])

    ours = [lambda r=r: read_time(r["expression"], datetime.fromisoformat(r["now"]), r["direction"]) for r in times]
    messages = queries + _rows(HELD_OUT)

    def fresh(call):
        def run():
            catalog._find.cache_clear()  # each message is new to the reader
            return call()
        return run

    nlu = [fresh(lambda r=r: understand(r["utterance"], datetime.fromisoformat(r["now"]))) for r in messages]
    screen = [fresh(lambda r=r: safety_verdict(r["utterance"])) for r in messages]
    pinned = [lambda r=r: dateparser.parse(r["expression"], languages=["sv", "en"],
                                           settings={"RELATIVE_BASE": now}) for r in times]
    detecting = [lambda r=r: dateparser.parse(r["expression"], settings={"RELATIVE_BASE": now}) for r in times]
    for warm in (ours, nlu[:50], pinned, detecting[:3]):
        for call in warm:
            call()

    print(f"{'per expression':<44}{'median ms':>10}{'p99 ms':>10}{'n':>8}")
    ours_median, _ = _line("read_time (times corpus)", _timed(ours, args.rounds))
    nlu_median, _ = _line("understand (queries + held-out corpus)", _timed(nlu, args.rounds))
    _line("  of which the safety screen", _timed(screen, args.rounds))
    pinned_median, _ = _line("dateparser.parse, languages sv+en", _timed(pinned, args.rounds))
    detect_median, _ = _line("dateparser.parse, language detection", _timed(detecting, 1))
    print(f"read_time is {pinned_median / ours_median:.1f}x faster than pinned dateparser, "
          f"{detect_median / ours_median:.0f}x faster than detecting dateparser (medians)")
    print(f"understand (safety screen, rules, two classifiers, slots) takes {nlu_median / pinned_median:.1f}x "
          "the time of one pinned dateparser call (medians)")


if __name__ == "__main__":
    main()
