"""Declarative intent handlers: a conversation module says which intent it answers, the router finds it.

Borrowed from maubot's command decorators, so adding a conversation is adding a module, not editing
a chain of ifs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.dialogs import DialogContext

from dialogs.nlu import Understanding
from domain.situation import Situation

Handler = Callable[[DialogContext, Understanding, Situation], Awaitable[Any]]

_handlers: dict[str, Handler] = {}


def handles(*intents: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        for intent in intents:
            if intent in _handlers and _handlers[intent] is not func:
                raise ValueError(f"intent {intent!r} already handled by {_handlers[intent].__qualname__}")
            _handlers[intent] = func
        return func

    return register


def handler_for(intent: str) -> Handler | None:
    return _handlers.get(intent)
