"""How actions look in a reply: one compact line each, and in Teams a card with "Klar" and "Skjut upp"."""

from __future__ import annotations

from datetime import date
from typing import Any

from dialogs.format import short_date
from domain.rules.actions import OPEN, PARTY_NAMES, STATUS_NAMES, days_overdue, is_overdue
from storage.actions import ActionPage, responsible_label
from storage.models import Action

SUBMIT_DONE = "action.done"
SUBMIT_POSTPONE = "action.postpone"


def owner_text(action: Action) -> str:
    who = responsible_label(action)
    party = PARTY_NAMES.get(action.responsible_party, action.responsible_party)
    return party if who == action.responsible_party else f"{who} ({party})"


def due_text(action: Action, today: date) -> str:
    if action.due_date is None:
        return "inget slutdatum"
    text = f"senast {short_date(action.due_date, today)}"
    if is_overdue(action.status, action.due_date, today):
        late = days_overdue(action.due_date, today)
        text += f", {late} {'dag' if late == 1 else 'dagar'} sen"
    return text


def owner_line(action: Action) -> str:
    """Who answers for it; one of the agreement's own deadlines says so as a person would: 'gemensamt enligt
    överenskommelsen'."""
    agreement = " enligt överenskommelsen" if action.deadline_code else ""
    return f"{owner_text(action)}{agreement}"


def action_heading(action: Action) -> str:
    """'#1 Förlängning av överenskommelsen [klar]': the number, the title and a status other than open."""
    status = "" if action.status in OPEN else f" [{STATUS_NAMES[action.status]}]"
    return f"#{action.number} {action.title}{status}"


def action_line(action: Action, today: date) -> str:
    """'#12 Trygghetsvandring i centrum – Anna Andersson (kommunen), senast 15 nov, 11 dagar sen'."""
    return f"{action_heading(action)} – {owner_line(action)}, {due_text(action, today)}"


def page_footer(page: ActionPage) -> str:
    first, last = page.offset + 1, page.offset + len(page.actions)
    if page.has_more:
        return f"Visar {first}–{last} av {page.total}. Skriv ”mer” för nästa sida."
    if page.offset:
        return f"Visar {first}–{last} av {page.total}."
    return ""


def list_text(title: str, page: ActionPage, today: date, *, hint: bool) -> str:
    lines = [f"{title} ({page.total}):"]
    lines += [f"- {action_line(action, today)}" for action in page.actions]
    footer = page_footer(page)
    if footer:
        lines += ["", footer]
    if hint and any(a.status in OPEN for a in page.actions):
        number = next(a.number for a in page.actions if a.status in OPEN)
        lines.append(f"Nästa steg: ”#{number} klar”, ”skjut upp #{number} till …” eller ”visa #{number}”.")
    return "\n".join(lines)


def list_summary(title: str, page: ActionPage) -> str:
    """The one line beside a list card: 'Försenade åtgärder (12), visar 1–5'."""
    first, last = page.offset + 1, page.offset + len(page.actions)
    shown = f", visar {first}–{last}" if page.has_more or page.offset else ""
    return f"{title} ({page.total}){shown}"


def done_card(text: str, *, done: bool) -> dict[str, Any]:
    """What replaces a list card after 'Klar': the outcome, so nobody presses it again."""
    return {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "version": "1.5", "body": [{"type": "TextBlock", "text": ("✔ " if done else "") + text, "wrap": True,
                                        "weight": "Bolder" if done else "Default"}]}


def list_card(title: str, page: ActionPage, today: date) -> dict[str, Any]:
    """An Adaptive Card: each action with its buttons; the footer says how far the list goes."""
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": f"{title} ({page.total})", "weight": "Bolder", "size": "Medium", "wrap": True}]
    for action in page.actions:
        late = is_overdue(action.status, action.due_date, today)
        body.append({"type": "Container", "separator": True, "items": [
            {"type": "TextBlock", "text": action_heading(action), "wrap": True, "weight": "Bolder"},
            {"type": "TextBlock", "text": f"{owner_line(action)} · {due_text(action, today)}", "wrap": True,
             "isSubtle": not late, "color": "Attention" if late else "Default", "spacing": "None"},
        ]})
        if action.status in OPEN:
            body[-1]["items"].append({"type": "ActionSet", "actions": [
                # Action.Execute: Teams answers with the refreshed card in place of this one.
                {"type": "Action.Execute", "title": "Klar", "verb": SUBMIT_DONE,
                 "data": {"samverkan": SUBMIT_DONE, "number": action.number}},
                {"type": "Action.Submit", "title": "Skjut upp",
                 "data": {"samverkan": SUBMIT_POSTPONE, "number": action.number}},
            ]})
    footer = page_footer(page)
    if footer:
        body.append({"type": "TextBlock", "text": footer, "wrap": True, "isSubtle": True})
    return {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "version": "1.5", "body": body}
