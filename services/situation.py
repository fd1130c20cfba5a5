"""Reading the log as a whole: the lägesbild, and the material before a forum's meeting.

Both are reads a user asks for, so each look is audited and committed as one unit of work. Days and
periods are the collaboration's own (its configured ``timezone``), never a default zone: a period given
as local wall times is made aware here, and the lägesbild counts its days in that zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.collaboration import Collaboration
from domain.places import Place
from domain.rules.access import sensitive_parties
from domain.rules.observations import previous_period
from domain.situation import Situation
from domain.vocabulary import Party
from services.channels import forum_by_code, named_or_bound_forum
from services.unit_of_work import UnitOfWork
from storage.actions import ActionPage, ActionQuery, ActionRepository
from storage.meetings import Occurrence
from storage.models import Action
from storage.situation import Picture, load_picture

SOONEST = timedelta(days=60)  # with no forum named, the next meeting of any forum this close is meant
UPCOMING = timedelta(days=800)


async def situation_picture(uow: UnitOfWork, situation: Situation, *, start: datetime, end: datetime,
                            previous_start: datetime, previous_end: datetime | None = None,
                            focus_area: str | None = None, place: str | None = None,
                            place_keys: tuple[str, ...] = (), shared: bool = False) -> Picture:
    """The lägesbild for the local period ``[start, end)`` (naive wall times in the collaboration's zone)
    against the one before; the look is audited without the place itself. ``känslig`` observations show
    to their party and admins, and in a ``shared`` conversation (a channel, a room) to nobody."""
    zone = ZoneInfo(situation.collaboration.timezone)
    picture = await load_picture(
        uow.session, start=start.replace(tzinfo=zone), end=end.replace(tzinfo=zone),
        previous_start=previous_start.replace(tzinfo=zone), timezone=situation.collaboration.timezone,
        previous_end=previous_end.replace(tzinfo=zone) if previous_end else None,
        focus_area=focus_area, place=place, place_key=place_keys,
        sensitive_parties=() if shared else sensitive_parties(situation.asker, tuple(p.value for p in Party)))
    await uow.record("situation.viewed", "lagesbild", focus_area=focus_area, place_filter=bool(place),
                     start=start.isoformat(), end=end.isoformat())
    await uow.commit()
    return picture


@dataclass(frozen=True)
class PostMaterial:
    """What the post before a meeting shows: actions overdue and due before it, the agreement's deadlines,
    and the lägesbild since the forum's previous meeting (whole local days)."""

    starts_at: datetime
    today: date  # local
    since_previous: bool  # False: the last 30 days, there was no previous meeting
    overdue: ActionPage
    coming: ActionPage
    deadlines: list[Action]
    picture: Picture


async def post_material(session, collaboration: Collaboration, *, starts_at: datetime, since: datetime | None,
                        now: datetime) -> PostMaterial:
    """Reads the post's material in the caller's session (a use case's, or the scheduler's)."""
    zone = ZoneInfo(collaboration.timezone)
    local = starts_at.astimezone(zone)
    today = now.astimezone(zone).date()
    actions = ActionRepository(session)
    overdue = await actions.page(ActionQuery(status="overdue", today=today, limit=10))
    coming = await actions.page(ActionQuery(status="open", due_from=today, due_to=local.date() + timedelta(days=1),
                                            limit=10))
    deadlines = [a for a in (await actions.page(ActionQuery(status="open", due_from=today,
                                                            due_to=today + timedelta(days=90), limit=50))).actions
                 if a.deadline_code]
    # Whole days, as people say them ("4 nov–3 dec"): from the previous meeting's day, else 30 days back, up
    # to and including yesterday; a clock time in the label ("4 nov 08:59–4 dec 08:59") says nothing useful.
    start_local = datetime.combine(since.astimezone(zone).date() if since else today - timedelta(days=30), time())
    end_local = datetime.combine(today, time())
    start, end = start_local.replace(tzinfo=zone), end_local.replace(tzinfo=zone)
    picture = await load_picture(session, start=start, end=end,
                                 previous_start=previous_period(start_local, end_local).replace(tzinfo=zone),
                                 timezone=collaboration.timezone)
    return PostMaterial(starts_at, today, since is not None, overdue, coming, deadlines, picture)


@dataclass(frozen=True)
class MeetingBrief:
    forum_name: str
    upcoming: Occurrence | None  # None: no meeting is scheduled; the material is as of today
    material: PostMaterial


async def meeting_brief(uow: UnitOfWork, situation: Situation, *, forum_code: str | None,
                        place: Place | None) -> MeetingBrief | None:
    """The material before the forum's next meeting: the forum named, else this channel's, else the forum
    that meets first; None when no forum is meant. The look is audited, since it reads the log."""
    forum = await named_or_bound_forum(uow.session, forum_code, place)
    if forum is None:  # "vad står på agendan till nästa möte": the forum that meets first
        soonest = await uow.meetings.next(None, situation.now, within=SOONEST)
        if soonest is not None:
            forum = await forum_by_code(uow.session, soonest.forum_code)
    if forum is None:
        return None
    upcoming = await uow.meetings.next(forum.code, situation.now, within=UPCOMING)
    before = await uow.meetings.occurrences(situation.now - timedelta(days=366), situation.now, forum.code,
                                            include_cancelled=False)
    material = await post_material(
        uow.session, situation.collaboration, starts_at=upcoming.starts_at if upcoming else situation.now,
        since=before[-1].starts_at if before else None, now=situation.now)
    await uow.record("meeting_brief.viewed", "forum", forum.code, meeting=upcoming.key if upcoming else None)
    await uow.commit()
    return MeetingBrief(forum.name, upcoming, material)

