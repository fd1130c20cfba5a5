"""Adaptive Cards (schema 1.5, the newest Teams renders) for the replies that need a form or buttons."""

from __future__ import annotations

from typing import Any

from dialogs.observation_draft import KIND_NAMES, Draft, is_future, when_text
from domain.rules.observations import MAX_DESCRIPTION_CHARS, MAX_PLACE_CHARS
from domain.situation import Situation

CARD_VERSION = "1.5"


def _card(body: list[dict[str, Any]], actions: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "version": CARD_VERSION, "body": body, "actions": actions}


def _choices(pairs) -> list[dict[str, str]]:
    return [{"title": title, "value": value} for value, title in pairs]


def observation_form(draft: Draft, situation: Situation, problems: list[str] | None = None) -> dict[str, Any]:
    """One card with the reading pre-filled; 'Spara' submits every field plus the draft id (idempotency)."""
    config = situation.collaboration
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": "Logga observation", "weight": "Bolder", "size": "Medium"},
        {"type": "TextBlock", "wrap": True, "isSubtle": True, "spacing": "None",
         "text": "Beskriv platser och situationer – inga namn, personnummer eller andra personuppgifter."},
    ]
    for problem in problems or []:
        body.append({"type": "TextBlock", "text": problem, "wrap": True, "color": "Attention"})
    shown = when_text(draft, situation) if draft.start else ""
    body += [
        {"type": "Input.ChoiceSet", "id": "focus_area", "label": "Fokusområde", "isRequired": True,
         "errorMessage": "Välj ett fokusområde", "value": draft.focus_area or "",
         "choices": _choices((f.code, f.name) for f in config.focus_areas)},
        {"type": "Input.Text", "id": "when", "label": "När", "isRequired": True, "value": shown,
         "placeholder": "t.ex. nu, igår kväll, i fredags kl 22", "errorMessage": "Skriv när det hände"},
        {"type": "Input.Text", "id": "place", "label": "Var", "value": draft.place or "",
         "placeholder": "t.ex. Haganässkolan, Diö torg", "maxLength": MAX_PLACE_CHARS},
        {"type": "Input.Text", "id": "description", "label": "Vad hände", "isMultiline": True, "isRequired": True,
         "value": draft.description or "", "maxLength": MAX_DESCRIPTION_CHARS,
         "errorMessage": "Beskriv kort vad som hände"},
        {"type": "Input.ChoiceSet", "id": "kind", "label": "Typ", "value": draft.kind or "handelse",
         "choices": _choices(KIND_NAMES.items())},
        {"type": "Input.ChoiceSet", "id": "source_party", "label": "Källa",
         "value": draft.source_party or situation.asker.party,
         "choices": _choices((p.code, p.name) for p in config.parties)},
    ]
    body.append({"type": "Input.Toggle", "id": "sensitive", "title": "Känslig: visas bara för min part och "
                 "administratörer", "value": "true" if draft.sensitive else "false"})
    if is_future(draft, situation):
        body.append({"type": "Input.Toggle", "id": "future_ok", "title": "Tiden stämmer, trots att den ligger "
                     "i framtiden", "value": "false"})
    data = {"samverkan": "observation.save", "draft": draft.id, "when_shown": shown,
            "when_start": draft.start or "", "when_end": draft.end or ""}
    return _card(body, [
        {"type": "Action.Submit", "title": "Spara", "style": "positive", "data": data},
        {"type": "Action.Submit", "title": "Avbryt", "associatedInputs": "none",
         "data": {"samverkan": "observation.discard", "draft": draft.id}},
    ])


CHOICE = "choice"


def choice_card(question: str, labels: list[str]) -> dict[str, Any]:
    """A question with one button per reading; a press arrives as ``{"samverkan": "choice", "choice": n}`` and
    continues the turn as if the number had been typed."""
    body = [{"type": "TextBlock", "text": question, "wrap": True, "weight": "Bolder"}]
    actions = [{"type": "Action.Submit", "title": label, "data": {"samverkan": CHOICE, "choice": number}}
               for number, label in enumerate(labels, start=1)]
    actions.append({"type": "Action.Submit", "title": "Inget av dem", "data": {"samverkan": CHOICE, "choice": 0}})
    card = _card(body, actions)
    card["fallbackText"] = question + " " + " / ".join(labels)
    return card
