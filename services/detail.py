"""A shared channel's detail level: read for every answer that could carry the log's text, set by an admin.

The level is stored on the channel's conversation references (every thread of a Teams channel), so the
scheduler's agenda post and an answer in any of the channel's threads read the same level. Setting it is
audited; reading it is part of the look it decides (which that use case audits).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.collaboration import Collaboration
from domain.places import Place
from domain.rules.detail import DetailLevel, default_level, detail_level
from domain.situation import Situation
from services.channels import Refused, channel_references, require_admin
from storage import ConversationReferenceRepository
from storage.models import ConversationReference


def place_of_reference(reference: ConversationReference) -> Place:
    """Where a stored conversation reference posts, as a ``Place`` (for the scheduler's posts)."""
    return Place(reference.channel_id, reference.key, reference.conversation_type, reference.teams_channel_id)


async def chosen_level(session, place: Place) -> str | None:
    """What an admin set for this conversation's channel, if anything (this thread's row first)."""
    rows = await channel_references(session, place)
    rows.sort(key=lambda row: row.key != place.key)
    return next((row.detail_level for row in rows if row.detail_level), None)


async def channel_detail(session, collaboration: Collaboration, place: Place | None) -> DetailLevel:
    """The level in force where this message was written (full in a personal chat, without a query)."""
    if place is None or not place.shared:
        return DetailLevel.FULL
    return detail_level(collaboration, place, await chosen_level(session, place))


@dataclass(frozen=True)
class DetailSetting:
    level: DetailLevel
    chosen: bool  # set by an admin for this channel; False: the collaboration file's default
    default: DetailLevel  # the collaboration file's level for this kind of channel


async def detail_setting(uow, situation: Situation, place: Place) -> DetailSetting:
    """The channel's level and where it comes from: "vilken detaljnivå har den här kanalen"."""
    chosen = await chosen_level(uow.session, place) if place.shared else None
    level = detail_level(situation.collaboration, place, chosen)
    return DetailSetting(level, chosen is not None, default_level(situation.collaboration, place))


async def set_detail_level(uow, situation: Situation, place: Place, level: DetailLevel,
                           reference_fields: dict[str, Any] | None = None) -> DetailLevel:
    """An admin sets the channel's level; returns the level before. Refused in a personal chat."""
    require_admin(situation, "ändra detaljnivån för en kanal")
    if not place.shared:
        raise Refused("En personlig chatt har alltid full detaljnivå: den läses bara av dig. Detaljnivån ställs "
                      "in i en Teams-kanal, en gruppchatt eller ett Matrix-rum.")
    session = uow.session
    rows = await channel_references(session, place)
    previous = detail_level(situation.collaboration, place,
                            next((row.detail_level for row in rows if row.detail_level), None))
    if not any(row.key == place.key for row in rows):
        current, _ = await ConversationReferenceRepository(session).upsert(place.key, **(reference_fields or {}))
        rows.append(current)
    for row in rows:  # every thread of a Teams channel: the agenda post and each answer read the same level
        row.detail_level = level.value
    await uow.record("channel.detail_level", "conversation", place.key, level=level.value, previous=previous.value)
    await uow.commit()
    return previous
