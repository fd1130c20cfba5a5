"""What a conversation may ask the channel of this turn, without knowing the channel's library.

The channel (``bot.channels.place``) puts a ``TurnPlace`` in the turn state: where the message was written
(a ``domain.places.Place``), who wrote it as the channel knows them, the columns to store to message this
conversation later (for binding a channel to a forum), and, in Teams, the roster lookup that turns an
@mentioned user's Teams id into the Entra object id members are known by.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from domain.places import Place

PLACE_KEY = "samverkan.place"


@dataclass(frozen=True)
class Sender:
    """The writer as the channel identifies them: a Teams Entra object id and tenant, else the channel's id."""

    channel: str
    user_key: str
    tenant_id: str = ""


async def _no_roster(user_id: str) -> str | None:
    return None


@dataclass(frozen=True)
class TurnPlace:
    place: Place
    sender: Sender | None = None
    tenant: str = ""
    reference_fields: Callable[[], dict[str, Any]] = dict  # conversation_references columns, made when needed
    object_id_of: Callable[[str], Awaitable[str | None]] = field(default=_no_roster)  # Teams roster lookup


def place_of(context) -> TurnPlace:
    return context.turn_state[PLACE_KEY]


def is_shared(context) -> bool:
    """Whether others read this conversation (a Teams channel or group chat, a Matrix room): no ``känslig``
    observation is shown here, whoever asks."""
    place = context.turn_state.get(PLACE_KEY)
    return place is not None and place.place.kind != "personal"


__all__ = ["PLACE_KEY", "Sender", "TurnPlace", "is_shared", "place_of"]
