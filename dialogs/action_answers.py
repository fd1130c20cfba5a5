"""Reading what people answer while an action is created or postponed: a due date, free text screened for
personal data, and a new request that should leave the question instead of being read as its answer."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from botbuilder.dialogs import DialogTurnResult, WaterfallStepContext

from dialogs.context import SITUATION_KEY
from dialogs.help import Reroute
from dialogs.interruptions import new_request
from dialogs.nlu import fold
from dialogs.nlu.time import read_time
from dialogs.observation_draft import screen_text
from dialogs.privacy import refusal_text, screen
from dialogs.replies import send
from domain.rules.actions import shift
from domain.situation import Situation

_RELATIVE = re.compile(r"^(?:med )?(?P<n>\d{1,3}|en|ett|tva|tre|fyra|fem|sex|sju|atta|nio|tio)\s+"
                       r"(?P<unit>dag|dagar|vecka|veckor|manad|manader)(?: till)?$")
_NUMBERS = {"en": 1, "ett": 1, "tva": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "atta": 8, "nio": 9,
            "tio": 10}


async def rerouted(step: WaterfallStepContext, answer: str, what: str, *, free_text: bool = True,
                   finish=None) -> DialogTurnResult | None:
    """An answer that is clearly a new request leaves the question instead of being read as the answer.
    ``finish``: when only an optional answer was missing, what to do instead of dropping the request (it
    returns the reply that says what was done)."""
    situation: Situation = step.context.turn_state[SITUATION_KEY]
    if not new_request(answer, situation, free_text=free_text):
        return None  # an answer that only might be a request is read as the answer
    said = f"({await finish()})" if finish is not None else f"(Jag lämnar {what}; inget av den har sparats.)"
    await send(step.context, said)
    return await step.end_dialog(Reroute(answer))


def screened(text: str, situation: Situation, *, names_allowed: bool = False) -> str | None:
    """A refusal for free text that would put a person in the plan (names allowed for a responsible person)."""
    refusal = screen_text(text, situation)
    if refusal is None:
        return None
    if names_allowed:
        findings = [f for f in screen(text, [m.name for m in situation.collaboration.members]) if f.kind != "namn"]
        return refusal_text(findings) if findings else None
    return refusal.text


def read_due(answer: str, situation: Situation, current: date | None) -> date | None:
    """A new due date: a Swedish date ('nästa fredag', '15/1', 'vecka 3' – its last weekday) or a shift
    from the current one ('en vecka', '2 månader')."""
    folded = fold(answer).strip(" .!")
    relative = _RELATIVE.match(folded)
    if relative is not None:
        count = int(relative["n"]) if relative["n"].isdigit() else _NUMBERS[relative["n"]]
        base = current or situation.today
        if relative["unit"].startswith("man"):
            return shift(base, months=count)
        return shift(base, days=count * (7 if relative["unit"].startswith("veck") else 1))
    now = situation.local_now.replace(tzinfo=None)
    interval = read_time(answer, now, "future", situation.collaboration.school_break_weeks())
    return last_day(interval.start, interval.end) if interval else None


def last_day(start: datetime, end: datetime) -> date:
    """The day a read interval ends on: 'vecka 3' is its Sunday, 'före jul' 23 December, 'kl 9 fredag' Friday."""
    return start.date() if end <= start else (end - timedelta(microseconds=1)).date()
