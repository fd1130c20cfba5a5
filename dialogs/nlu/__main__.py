"""``python -m dialogs.nlu``: one utterance a line on stdin, one JSON reading a line on stdout."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from dialogs.nlu import understand
from dialogs.nlu.time import read_time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dialogs.nlu")
    parser.add_argument("--now", help="reference time, local, e.g. 2026-11-26T10:00")
    parser.add_argument("--times", action="store_true", help="each line is a bare time expression")
    parser.add_argument("--direction", choices=["past", "future"], default="future")
    args = parser.parse_args(argv)
    now = datetime.fromisoformat(args.now) if args.now else datetime.now()
    for line in sys.stdin:
        text = line.rstrip("\n")
        if args.times:
            interval = read_time(text, now, args.direction)
            answer = interval.as_json() if interval else None
        else:
            reading = understand(text, now)
            answer = {"intent": reading.intent, "slots": reading.slots}
        print(json.dumps(answer, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
