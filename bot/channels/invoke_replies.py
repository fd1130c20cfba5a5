"""The documented answers to Teams invokes this bot refuses, so Teams shows its own fallback, not an error.

``adaptiveCard/action`` (Universal Actions): a malformed request is answered with HTTP 400 and an
``application/vnd.microsoft.error`` body, as botbuilder's ``ActivityHandler`` does. ``signin/tokenExchange``
(Teams SSO): this bot has no SSO connection, so every exchange fails with 412 and a
``TokenExchangeInvokeResponse``, as botbuilder's ``TeamsSSOTokenExchangeMiddleware`` answers a failed
exchange; Teams then falls back to its regular sign-in.
"""

from __future__ import annotations

from typing import Any

CARD_ACTION = "adaptiveCard/action"
TOKEN_EXCHANGE = "signin/tokenExchange"
TOKEN_EXCHANGE_REFUSED_STATUS = 412


class MalformedInvoke(ValueError):
    """An invoke whose value no client sends; ``body`` is the invoke's documented error answer."""

    def __init__(self, message: str, body: dict[str, Any]):
        super().__init__(message)
        self.body = body


def card_action_error(status: int, code: str, message: str) -> dict[str, Any]:
    """An ``AdaptiveCardInvokeResponse`` carrying an error (code ``BadRequest``, ``NotSupported``, …)."""
    return {"statusCode": status, "type": "application/vnd.microsoft.error",
            "value": {"code": code, "message": message}}


def card_action_problem(value: Any) -> MalformedInvoke | None:
    """Why an ``adaptiveCard/action`` value is not an ``Action.Execute`` with object data, or None."""
    action = value.get("action") if isinstance(value, dict) else None
    if not isinstance(action, dict) or not isinstance(action.get("data", {}), dict):
        message = "adaptiveCard/action needs value.action as an object with object data"
        return MalformedInvoke(message, card_action_error(400, "BadRequest", message))
    if action.get("type") != "Action.Execute":
        message = f"The action '{action.get('type')}' is not supported."
        return MalformedInvoke(message, card_action_error(400, "NotSupported", message))
    return None


def token_exchange_problem(value: Any) -> MalformedInvoke | None:
    """A ``signin/tokenExchange`` without the request id its answer must echo, or None."""
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return None
    message = "signin/tokenExchange needs value.id as a string"
    return MalformedInvoke(message, {"error": message})


def token_exchange_refused(value: dict[str, Any]) -> dict[str, Any]:
    """The ``TokenExchangeInvokeResponse`` for an exchange this bot cannot make."""
    connection = value.get("connectionName")
    return {"id": value["id"], "connectionName": connection if isinstance(connection, str) else "",
            "failureDetail": "The bot does not use single sign-on. Proceed with regular login."}
