"""Binding a shared conversation to a forum: where the bot posts the forum's agenda, and which forum
"mötet" means when a message in that channel names none.

In Teams each thread of a channel is a conversation of its own, but the channel is what gets bound: one row
per channel carries the binding, so an agenda is posted once. Only admins bind or unbind, and both are audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from domain.places import Place
from domain.situation import Situation
from storage import ConversationReferenceRepository
from storage.models import ConversationReference, Forum


@dataclass(frozen=True)
class ForumRef:
    """A forum as a conversation names it: usable after the unit of work has ended (rows are not)."""

    id: int
    code: str
    name: str


def _ref(forum: Forum | None) -> ForumRef | None:
    return None if forum is None else ForumRef(forum.id, forum.code, forum.name)


class Refused(Exception):
    """A request not carried out; the message is the Swedish answer."""


def require_admin(situation: Situation, what: str) -> None:
    """Refuses (in Swedish, naming the contact) when the asker is not an admin."""
    if not situation.asker.is_admin:
        raise Refused(f"Bara en administratör kan {what}. Kontakta {situation.collaboration.contact} om något "
                      "behöver ändras.")


async def channel_references(session, place: Place) -> list[ConversationReference]:
    """This conversation's reference, and in Teams those of the channel's other threads."""
    conditions = [ConversationReference.key == place.key]
    if place.channel == "msteams" and place.teams_channel:
        conditions.append((ConversationReference.channel_id == "msteams")
                          & (ConversationReference.teams_channel_id == place.teams_channel))
    return list(await session.scalars(select(ConversationReference).options(
        selectinload(ConversationReference.forum)).where(or_(*conditions)).order_by(ConversationReference.id)))


async def bound_forum(session, place: Place | None) -> ForumRef | None:
    """The forum this shared conversation (or its Teams channel) is bound to; None in a personal chat."""
    if place is None or not place.shared:
        return None
    rows = await channel_references(session, place)
    rows.sort(key=lambda row: row.key != place.key)
    return _ref(next((row.forum for row in rows if row.forum is not None), None))


async def forum_by_code(session, code: str) -> ForumRef | None:
    return _ref(await session.scalar(select(Forum).where(Forum.code == code)))


async def named_or_bound_forum(session, code: str | None, place: Place | None) -> ForumRef | None:
    """The forum the message names, else the one this channel is bound to."""
    if code:
        return await forum_by_code(session, code)
    return await bound_forum(session, place)


@dataclass(frozen=True)
class Binding:
    forum: ForumRef  # bound now (bind) or until now (unbind)
    previous: ForumRef | None = None  # what the channel was bound to before binding


async def bind_channel(uow, situation: Situation, place: Place, code: str,
                       reference_fields: dict[str, Any] | None = None) -> Binding:
    """Binds this conversation's channel to the forum ``code``; the reference is stored if the handler has
    not (normally it has, before any dialog runs)."""
    require_admin(situation, "koppla en kanal till ett forum")
    session = uow.session
    forum = await forum_by_code(session, code)
    rows = await channel_references(session, place)
    previous = next((row.forum for row in rows if row.forum is not None), None)
    current = next((row for row in rows if row.key == place.key), None)
    if current is None:
        current, _ = await ConversationReferenceRepository(session).upsert(place.key, **(reference_fields or {}))
    for row in rows:  # one row per channel carries the binding, so an agenda is posted once
        row.forum_id = None
    current.forum_id = forum.id
    await uow.record("channel.bound", "conversation", place.key, forum=forum.code,
                     previous=previous.code if previous else None)
    await uow.commit()
    return Binding(forum, _ref(previous))


async def unbind_channel(uow, situation: Situation, place: Place, code: str | None) -> Binding | None:
    """Unbinds this conversation's channel; None when it was bound to nothing. Refused when ``code`` names
    another forum than the bound one (nothing changes then)."""
    require_admin(situation, "koppla bort en kanal från ett forum")
    session = uow.session
    rows = await channel_references(session, place)
    bound = next((row.forum for row in rows if row.forum is not None), None)
    if bound is None:
        return None
    if code and code != bound.code:
        raise WrongForum(_ref(bound))
    for row in rows:
        row.forum_id = None
    await uow.record("channel.unbound", "conversation", place.key, forum=bound.code)
    await uow.commit()
    return Binding(_ref(bound))


class WrongForum(Exception):
    """Unbinding named another forum than the one the channel is bound to."""

    def __init__(self, bound: ForumRef):
        super().__init__(bound.code)
        self.bound = bound
