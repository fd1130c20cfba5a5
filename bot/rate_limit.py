"""A per-member message limit: someone (or a script with their account) writing faster than a person
reads gets one Swedish answer and is then ignored until the minute has passed.

Memory-only and per process: a restart forgets, and two webhook processes each allow the limit. That is enough
for its purpose, which is to keep a loop or a pasted flood from filling the log, the audit and the outbound
queue; it is not an access control. Time comes from the injected clock, so tests step it instead of sleeping.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from bot.channels.recent import Recent
from domain.clock import Clock

WINDOW = timedelta(minutes=1)
DEFAULT_PER_MINUTE = 30
MEMORY = 10_000  # writers remembered; one forgotten starts afresh, which only ever allows more


class Verdict(Enum):
    ADMITTED = "admitted"
    REFUSED = "refused"  # the first refusal in a burst: say why
    IGNORED = "ignored"  # later ones: silence, so a flood does not get a flood of answers


@dataclass
class _Writer:
    times: deque[datetime] = field(default_factory=deque)
    told: bool = False


class RateLimit:
    def __init__(self, clock: Clock, per_minute: int = DEFAULT_PER_MINUTE, memory: int = MEMORY):
        self.clock = clock
        self.per_minute = per_minute
        self._writers: Recent[str, _Writer] = Recent(memory)

    def check(self, key: str) -> Verdict:
        """Counts one message from ``key`` (a member's identity) unless it is over the limit."""
        now = self.clock.now()
        writer = self._writers.get(key)
        if writer is None:
            writer = self._writers[key] = _Writer()
        while writer.times and writer.times[0] <= now - WINDOW:
            writer.times.popleft()
        if len(writer.times) < self.per_minute:
            writer.times.append(now)
            writer.told = False
            return Verdict.ADMITTED
        if writer.told:
            return Verdict.IGNORED
        writer.told = True
        return Verdict.REFUSED


def too_fast_text(per_minute: int) -> str:
    return (f"Du skriver snabbare än jag hinner med – högst {per_minute} meddelanden i minuten. Vänta en minut och "
            "skriv sedan igen. Det du skickade nyss har inte lästs, och inget av det har sparats.")
