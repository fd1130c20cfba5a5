"""Teams-shaped activities as the Bot Connector posts them (field names and nesting as on the wire)."""

from __future__ import annotations

import itertools
from typing import Any

BOT_ID = "28:samverkansboten-app-id"
BOT_NAME = "Samverkansboten"
TENANT = "tenant-almhult"
TEAM = "19:team-samverkan@thread.tacv2"
CHANNEL = "19:operativa-bra@thread.tacv2"

_ids = itertools.count(1_764_150_000_000)


def _base(kind: str, service_url: str, conversation: dict, sender: dict, **extra: Any) -> dict[str, Any]:
    activity = {
        "type": kind,
        "id": str(next(_ids)),
        "timestamp": "2026-11-26T09:00:00.000Z",
        "localTimestamp": "2026-11-26T10:00:00.000+01:00",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": sender,
        "conversation": conversation,
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "locale": "sv-SE",
        "channelData": {"tenant": {"id": TENANT}},
    }
    activity.update(extra)
    return activity


def user(aad: str = "aad-anna", name: str = "Anna Andersson") -> dict[str, str]:
    return {"id": f"29:{aad}", "name": name, "aadObjectId": aad}


def personal_conversation(aad: str = "aad-anna") -> dict[str, Any]:
    return {"conversationType": "personal", "tenantId": TENANT, "id": f"a:personal-{aad}"}


def channel_conversation(thread: str = "1764150000000") -> dict[str, Any]:
    return {"isGroup": True, "conversationType": "channel", "tenantId": TENANT,
            "id": f"{CHANNEL};messageid={thread}"}


def message(text: str, service_url: str, *, aad: str = "aad-anna", conversation: dict | None = None,
            mention: bool = False) -> dict[str, Any]:
    conversation = conversation or personal_conversation(aad)
    entities: list[dict[str, Any]] = [{"type": "clientInfo", "locale": "sv-SE", "country": "SE",
                                       "platform": "Windows"}]
    if mention:
        tag = f"<at>{BOT_NAME}</at>"
        text = f"{tag} {text}"
        entities.append({"type": "mention", "text": tag, "mentioned": {"id": BOT_ID, "name": BOT_NAME}})
    activity = _base("message", service_url, conversation, user(aad), text=text, textFormat="plain",
                     entities=entities)
    if conversation.get("conversationType") == "channel":
        activity["channelData"].update({"teamsChannelId": CHANNEL, "teamsTeamId": TEAM,
                                        "channel": {"id": CHANNEL}, "team": {"id": TEAM}})
    return activity


def bot_added_to_team(service_url: str, *, aad: str = "aad-anna") -> dict[str, Any]:
    activity = _base("conversationUpdate", service_url,
                     {"isGroup": True, "conversationType": "channel", "tenantId": TENANT, "id": TEAM},
                     user(aad), membersAdded=[{"id": BOT_ID}])
    activity["channelData"].update({"eventType": "teamMemberAdded", "team": {"id": TEAM, "name": "Samverkan"},
                                    "channel": {"id": TEAM}})
    return activity


def installation_update(service_url: str, action: str = "add", *, aad: str = "aad-anna") -> dict[str, Any]:
    return _base("installationUpdate", service_url, personal_conversation(aad), user(aad), action=action)


def bot_added_personal(service_url: str, *, aad: str = "aad-anna") -> dict[str, Any]:
    return _base("conversationUpdate", service_url, personal_conversation(aad), user(aad),
                 membersAdded=[{"id": BOT_ID}, {"id": f"29:{aad}", "aadObjectId": aad}])


def of_type(kind: str, service_url: str, **extra: Any) -> dict[str, Any]:
    return _base(kind, service_url, personal_conversation(), user(), **extra)


def card_submit(value: dict[str, Any], service_url: str, *, aad: str = "aad-anna",
                reply_to: str | None = None) -> dict[str, Any]:
    """An Adaptive Card Action.Submit as Teams posts it: a message with ``value`` and no text."""
    activity = _base("message", service_url, personal_conversation(aad), user(aad), value=value,
                     entities=[{"type": "clientInfo", "locale": "sv-SE", "country": "SE", "platform": "Web"}])
    activity["channelData"]["postBack"] = True
    if reply_to:
        activity["replyToId"] = reply_to
    return activity


def card_execute(verb: str, data: dict[str, Any], service_url: str, *, aad: str = "aad-anna") -> dict[str, Any]:
    """An Adaptive Card Action.Execute as Teams posts it: an ``adaptiveCard/action`` invoke."""
    return _base("invoke", service_url, personal_conversation(aad), user(aad), name="adaptiveCard/action",
                 value={"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"})


def card_of(body: dict[str, Any]) -> dict[str, Any]:
    """The Adaptive Card in an activity the bot sent."""
    [card] = [a["content"] for a in body.get("attachments") or []
              if a.get("contentType") == "application/vnd.microsoft.card.adaptive"]
    return card


def submit_values(card: dict[str, Any], action: str = "Spara", **changes: Any) -> dict[str, Any]:
    """What Teams sends when ``action`` is pressed: every input's current value and the action's data;
    ``changes`` are what the user typed (or what a tampering client sent)."""
    values = {element["id"]: element.get("value", "") for element in card["body"] if "id" in element}
    [data] = [a["data"] for a in card["actions"] if a["title"] == action]
    return {**values, **data, **changes}


def card_texts(card: dict[str, Any]) -> list[str]:
    """What an Adaptive Card says, its text blocks in reading order (inside containers too)."""
    texts: list[str] = []
    for element in card.get("body") or card.get("items") or []:
        if element.get("type") == "TextBlock":
            texts.append(element["text"])
        texts += card_texts(element) if element.get("items") else []
    return texts


def card_text(body: dict[str, Any]) -> str:
    """What the Adaptive Card in an activity the bot sent says, one text block a line."""
    return "\n".join(card_texts(card_of(body)))
