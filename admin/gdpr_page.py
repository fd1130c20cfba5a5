"""The register extract as a page a person can read: Swedish, self-contained (no external resources), and
every value escaped, since most of it is text people wrote."""

from __future__ import annotations

import json
import re
from html import escape
from typing import Any

from domain.vocabulary import KIND_NAMES, PARTY_NAMES, STATUS_NAMES

# A moment as the JSON has it (local, with its offset), shown as people read it: "2026-11-26 10:00".
_MOMENT = re.compile(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}):\d{2}[+-]\d{2}:\d{2}")
CHANNEL_NAMES = {"msteams": "Teams", "matrix": "Matrix", "console": "konsolen"}

# (key in the document, heading, columns: (field, label))
SECTIONS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("identities", "Inloggningar som boten känner igen dig på", (
        ("channel", "Kanal"), ("user_key", "Användar-id"), ("tenant", "Organisation"), ("created_at", "Tillagd"))),
    ("observations", "Observationer du har loggat", (
        ("number", "Nummer"), ("focus_area", "Fokusområde"), ("kind", "Typ"), ("place", "Plats"),
        ("occurred_start", "Inträffade från"), ("occurred_end", "Inträffade till"), ("description", "Beskrivning"),
        ("sensitive", "Känslig"), ("source_party", "Källa"), ("created_at", "Loggad"), ("undone_at", "Ångrad"),
        ("replaced_at", "Ersatt av en rättelse"))),
    ("actions_created", "Åtgärder du har skapat", (
        ("number", "Nummer"), ("title", "Rubrik"), ("status", "Status"), ("focus_area", "Fokusområde"),
        ("due_date", "Klart senast"), ("created_at", "Skapad"))),
    ("actions_responsible", "Åtgärder du ansvarar för", (
        ("number", "Nummer"), ("title", "Rubrik"), ("status", "Status"), ("focus_area", "Fokusområde"),
        ("due_date", "Klart senast"), ("completed_at", "Klar"))),
    ("action_updates", "Det du har skrivit eller ändrat i åtgärdernas historik", (
        ("action", "Åtgärd"), ("kind", "Vad"), ("text", "Text"), ("old_value", "Från"), ("new_value", "Till"),
        ("created_at", "När"))),
    ("meeting_series", "Återkommande möten du har lagt in", (
        ("forum", "Forum"), ("rule", "Regel"), ("start_time", "Klockan"), ("location", "Plats"),
        ("created_at", "Inlagd"))),
    ("reminders", "Dina personliga påminnelser", (("at", "När"), ("text", "Text"), ("created_at", "Skapad"))),
    ("conversations", "Konversationer där boten kan skriva till dig", (
        ("channel", "Kanal"), ("type", "Typ"), ("conversation", "Konversations-id"), ("active", "Aktiv"),
        ("created_at", "Först sedd"), ("last_activity_at", "Senast"))),
    ("messages", "Meddelanden boten har skickat eller planerat till dig", (
        ("kind", "Slag"), ("state", "Läge"), ("due_at", "Planerat"), ("sent_at", "Skickat"))),
    ("audit", "Granskningsloggen: det du har gjort", (
        ("at", "När"), ("action", "Händelse"), ("channel", "Kanal"), ("subject_type", "Gäller"),
        ("subject_id", "Id"), ("detail", "Detaljer"))),
)

_NAMES = {"kind": {**KIND_NAMES, "created": "skapad", "comment": "kommentar", "status": "status",
                   "postponed": "flyttad", "reassigned": "ny ansvarig", "cancelled": "inställd"},
          "status": STATUS_NAMES, "source_party": PARTY_NAMES, "channel": CHANNEL_NAMES}

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1a1a1a; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; } td { white-space: pre-wrap; } .empty { color: #666; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; } dt { font-weight: bold; }
"""


def subject_page(document: dict[str, Any]) -> str:
    member = document["member"]
    settings = member["settings"]
    facts = (("Namn", member["name"]), ("Id", member["id"]),
             ("Part", PARTY_NAMES.get(member["party"], member["party"])),
             ("Roll", member["role"]), ("Administratör", member["admin"]), ("Behörighet", member["access"]),
             ("Aktiv", member["active"]),
             ("Påminnelser tidigast", settings["reminders_not_before"] or "08:00 (standard)"),
             ("Veckosammanfattning", settings["weekly_digest"]), ("Medlem sedan", member["created_at"]),
             ("Senast ändrad", member["updated_at"]))
    parts = [
        "<!DOCTYPE html>", '<html lang="sv">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Registerutdrag: {_e(member['name'])}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
        f"<h1>Registerutdrag från Samverkansboten: {_e(member['name'])}</h1>",
        f"<p>Allt boten har sparat om dig eller som du har skrivit, den {_value(document['generated_at'])}. "
        "Samma uppgifter finns maskinläsbart i JSON-filen bredvid.</p>",
        "<h2>Du som medlem</h2>", "<dl>",
        *(f"<dt>{_e(label)}</dt><dd>{_value(value)}</dd>" for label, value in facts),
        "</dl>",
    ]
    for key, heading, columns in SECTIONS:
        parts.append(f"<h2>{_e(heading)}</h2>")
        rows = document.get(key) or []
        if not rows:
            parts.append('<p class="empty">Inget.</p>')
            continue
        parts.append("<table><thead><tr>" + "".join(f"<th>{_e(label)}</th>" for _, label in columns)
                     + "</tr></thead><tbody>")
        for row in rows:
            cells = "".join(f"<td>{_value(row.get(field), _NAMES.get(field))}</td>" for field, _ in columns)
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</tbody></table>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _value(value: Any, names: dict[str, str] | None = None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dict | list):
        return _e(json.dumps(value, ensure_ascii=False, sort_keys=True))
    text = str(value)
    moment = _MOMENT.fullmatch(text)
    if moment:
        return _e(f"{moment[1]} {moment[2]}")
    return _e(names.get(text, text) if names else text)


def _e(value: Any) -> str:
    return escape(str(value), quote=True)
