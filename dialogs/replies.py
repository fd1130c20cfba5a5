"""What the bot says, in a type of its own: text, a card, an image. The channels turn it into their format.

A conversation builds a ``Reply`` and calls ``send``; it never builds a botbuilder ``Activity``. Which
channel shows what (Teams shows Adaptive Cards, Matrix and Teams show images, the console shows text) is
the channel's business (``bot.channels.replies``), so a reply carries everything a channel may need: the
full ``text`` for a channel without cards, the ``card`` for one with, and the one-line ``summary`` that
notifications and screen readers show beside a card.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

OUTLET_KEY = "samverkan.outlet"


@dataclass(frozen=True)
class Image:
    """A picture (a chart): PNG bytes, a file name and what it shows, for those who cannot see it."""

    png: bytes
    name: str = "bild.png"
    alt: str = ""

    @property
    def data_uri(self) -> str:
        """The picture inline, as Teams shows images in chats, channels and inside cards."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass(frozen=True)
class Reply:
    text: str = ""
    card: Mapping[str, Any] | None = None  # an Adaptive Card, shown instead of ``text`` where cards render
    summary: str | None = None  # one line beside a card (notifications, screen readers)
    image: Image | None = None

    def __post_init__(self) -> None:
        if self.summary is not None and "\n" in self.summary:
            raise ValueError("a reply's summary is one line")


@dataclass(frozen=True)
class Capabilities:
    """What the channel of this turn shows, so a conversation need not build what nobody will see."""

    cards: bool = False
    images: bool = False


TEXT_ONLY = Capabilities()


class Outlet:
    """How this turn's replies reach the user; the channel puts one in the turn state."""

    def __init__(self, deliver: Callable[[Any, Reply], Awaitable[None]], capabilities: Capabilities = TEXT_ONLY):
        self.deliver = deliver
        self.capabilities = capabilities


def outlet_of(context) -> Outlet:
    return context.turn_state[OUTLET_KEY]


async def send(context, reply: Reply | str) -> None:
    """Send one reply in this turn (a plain string is a text reply)."""
    await outlet_of(context).deliver(context, reply if isinstance(reply, Reply) else Reply(text=reply))


def shows_cards(context) -> bool:
    return outlet_of(context).capabilities.cards


def shows_images(context) -> bool:
    return outlet_of(context).capabilities.images


__all__ = ["Capabilities", "Image", "Outlet", "Reply", "TEXT_ONLY", "outlet_of", "send", "shows_cards",
           "shows_images"]
