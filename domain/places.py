"""Where a message was written, in words any channel can fill in: what a forum binding is keyed by.

A Teams channel has one conversation per thread, so the channel (``teams_channel``) is what gets bound; a
Matrix room or a group chat is its own conversation. Shared conversations are those many people read, where an
agenda may be posted; a personal chat is one person's.
"""

from __future__ import annotations

from dataclasses import dataclass

SHARED_KINDS = frozenset({"channel", "groupChat", "room"})


@dataclass(frozen=True)
class Place:
    channel: str  # "msteams", "matrix", "console"
    key: str  # the conversation reference's key, "msteams:19:abc…"
    kind: str  # "personal", "channel", "groupChat", "room", "console"
    teams_channel: str | None = None  # the Teams channel id of a channel thread

    @property
    def shared(self) -> bool:
        return self.kind in SHARED_KINDS
