"""How much the bot says where many read: the detail level of a shared channel.

``full`` shows everything; ``summary`` shows counts, action numbers, titles and due dates, and never an
observation's text or place. A Teams channel is kept in a US cloud service, so a deployment can keep the log's
text out of it while the collaboration still sees its figures and its plan there. A personal chat with a member
always has full detail: it is that member's own view.
"""

from __future__ import annotations

from enum import StrEnum

from domain.collaboration import Collaboration
from domain.places import Place


class DetailLevel(StrEnum):
    FULL = "full"
    SUMMARY = "summary"


LEVEL_NAMES = {DetailLevel.FULL: "full", DetailLevel.SUMMARY: "sammanfattning"}
# The collaboration file's names for a kind of channel, by the channel's id.
CHANNEL_KINDS = {"msteams": "teams", "matrix": "matrix"}


def default_level(collaboration: Collaboration, place: Place) -> DetailLevel:
    """The collaboration file's level for a shared conversation on this channel (``[detail]``)."""
    kind = CHANNEL_KINDS.get(place.channel)
    if kind is None:
        return DetailLevel.FULL
    return DetailLevel(getattr(collaboration.detail, kind))


def detail_level(collaboration: Collaboration, place: Place | None, chosen: str | None) -> DetailLevel:
    """The level in force: full in a personal chat; else what an admin chose for the channel, else the default."""
    if place is None or not place.shared:
        return DetailLevel.FULL
    if chosen:
        return DetailLevel(chosen)
    return default_level(collaboration, place)
