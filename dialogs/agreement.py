"""Answers about the collaboration agreement itself: its period, focus areas, forums and own deadlines."""

from __future__ import annotations

from botbuilder.dialogs import DialogContext

from dialogs.format import bullet_list, days_from_today, long_date, recurrence
from dialogs.meetings import planned_meetings
from dialogs.nlu import Understanding
from dialogs.registry import handles
from dialogs.replies import send
from domain.collaboration import Collaboration, Deadline
from domain.rules.deadlines import agreement_state, deadline_status
from domain.situation import Situation


def _forum_name(collaboration: Collaboration, code: str | None) -> str | None:
    try:
        return collaboration.forum(code).name if code else None
    except KeyError:
        return None


def deadline_line(collaboration: Collaboration, deadline: Deadline, situation: Situation) -> str:
    status = deadline_status(deadline, situation.today)
    when = f"senast {long_date(status.due)} ({days_from_today(status.days_left)})"
    if status.passed:
        when = f"senast {long_date(status.due)} – passerat {days_from_today(status.days_left)}"
    owner = _forum_name(collaboration, deadline.responsible_forum)
    return f"{deadline.title}: {when}" + (f", ansvar: {owner}" if owner else "")


def focus_areas_text(situation: Situation) -> str:
    c = situation.collaboration
    lines = [f.name if not f.description else f"{f.name} ({f.description})" for f in c.focus_areas]
    return f"Fokusområden i {c.name}:\n{bullet_list(lines)}"


def forums_text(situation: Situation) -> str:
    c = situation.collaboration
    lines = []
    for forum in c.forums:
        line = forum.name if not forum.description else f"{forum.name} – {forum.description}"
        if forum.decision_mandate:
            line += " (båda parter ska ha representant med beslutsmandat)"
        lines.append(line)
    return f"Samverkansforum där båda parter ska vara representerade:\n{bullet_list(lines)}"


def period_text(situation: Situation) -> str:
    """'gäller 1 januari 2025 – 31 december 2026, och därefter tills vidare tills en ny tecknas'."""
    c = situation.collaboration
    text = f"{c.name} gäller {long_date(c.period_start)} – {long_date(c.period_end)}"
    if c.extends_until_replaced:
        text += ", och därefter tills vidare tills en ny överenskommelse tecknas"
    return text + "."


def deadline_text(situation: Situation, code: str) -> str:
    c = situation.collaboration
    try:
        deadline = c.deadline(code)
    except KeyError:
        return "Överenskommelsen anger ingen sådan tidsgräns i den här konfigurationen."
    text = deadline_line(c, deadline, situation)
    if code == "renewal":  # "när går den ut", "hur länge gäller den": the period, then what must happen before
        text = f"{period_text(situation)}\n{text}"
    if deadline.every_months:
        text += f"\nÅterkommer {recurrence(deadline.every_months)}."
    if deadline.quote:
        text += f"\n\nÖverenskommelsen: ”{deadline.quote}”"
    return text


def agreement_text(situation: Situation) -> str:
    c = situation.collaboration
    state = agreement_state(c, situation.today)
    period = f"{long_date(c.period_start)} – {long_date(c.period_end)}"
    status = {
        "not_started": "Den har ännu inte börjat gälla.",
        "in_force": "Den gäller nu.",
        "extended": "Perioden har gått ut, men överenskommelsen gäller tills vidare tills en ny tecknas.",
        "expired": "Perioden har gått ut.",
    }[state]
    deadlines = [deadline_line(c, d, situation) for d in c.deadlines]
    parts = [
        f"{c.name} mellan {c.municipality} och {c.police_area}, {period}. {status}",
        f"Fokusområden: {', '.join(f.name for f in c.focus_areas)}.",
        f"Forum: {', '.join(f.name for f in c.forums)}.",
    ]
    if deadlines:
        parts.append("Tidsgränser i överenskommelsen:\n" + bullet_list(deadlines))
    return "\n\n".join(parts)


def parties_text(situation: Situation) -> str:
    c = situation.collaboration
    lines = []
    for party in c.parties:
        units = f" (till exempel {', '.join(party.units[:4])})" if party.units else ""
        lines.append(f"{party.name}{units}")
    return (f"Parterna i {c.name} är:\n{bullet_list(lines)}\n\nBåda parter ska vara representerade i varje "
            "samverkansforum.")


def forum_text(situation: Situation, code: str | None) -> str:
    c = situation.collaboration
    try:
        forum = c.forum(code) if code else None
    except KeyError:
        forum = None
    if forum is None:
        return forums_text(situation)
    text = forum.name + (f" – {forum.description}" if forum.description else "")
    if forum.decision_mandate:
        text += "\nBåda parter ska ha en representant med beslutsmandat."
    deadlines = [d.title for d in c.deadlines if d.responsible_forum == forum.code]
    if deadlines:
        text += "\nAnsvarar enligt överenskommelsen för:\n" + bullet_list(deadlines)
    return text


async def _planned(dc: DialogContext, situation: Situation, code: str, *, how_often: bool) -> str:
    """The forum's next meetings from its calendar; the agreement itself sets no rhythm for any forum."""
    lines = await planned_meetings(dc.context, situation, code, count=3)
    text = "\n\nÖverenskommelsen anger inte hur ofta forumet ska träffas." if how_often else ""
    if lines:
        return text + "\nInplanerade möten:\n" + bullet_list(lines)
    return text + "\nInga möten är inplanerade ännu."


def focus_area_text(situation: Situation, code: str | None) -> str:
    c = situation.collaboration
    try:
        area = c.focus_area(code) if code else None
    except KeyError:
        area = None
    if area is None:
        return focus_areas_text(situation)
    text = f"{area.name}" + (f": {area.description}" if area.description else "")
    return text + f"\n\nSkriv ”lägesbild {area.name}” för vad loggen visar, eller ”åtgärder för {area.name}”."


def deadlines_text(situation: Situation) -> str:
    """'vilka tidsgränser finns i överenskommelsen': every date the agreement itself sets."""
    c = situation.collaboration
    if not c.deadlines:
        return "Överenskommelsen anger inga tidsgränser i den här konfigurationen."
    lines = [deadline_line(c, deadline, situation) for deadline in c.deadlines]
    return "Tidsgränser i överenskommelsen:\n" + bullet_list(lines)


TOPIC_TEXTS = {
    "agreement": agreement_text,
    "deadlines": deadlines_text,
    "focus_areas": focus_areas_text,
    "forums": forums_text,
    "renewal": lambda s: deadline_text(s, "renewal"),
    "follow_up": lambda s: deadline_text(s, "follow_up"),
    "lagesbild_update": lambda s: deadline_text(s, "lagesbild_update"),
    "parties": parties_text,
}


@handles("agreement_info")
async def answer_agreement(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    slots = understanding.slots
    topic = slots.get("topic", "agreement")
    if topic == "forum":
        text = forum_text(situation, slots.get("forum"))
        if slots.get("forum") in {f.code for f in situation.collaboration.forums}:
            text += await _planned(dc, situation, slots["forum"], how_often=bool(slots.get("how_often")))
    elif topic == "focus_area":
        text = focus_area_text(situation, slots.get("focus_area"))
    else:
        text = TOPIC_TEXTS.get(topic, agreement_text)(situation)
    await send(dc.context, text)
