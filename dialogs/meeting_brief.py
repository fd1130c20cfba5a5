"""The pre-meeting summary on demand: "underlag inför operativa BRÅ", "vad står på agendan till SSPF".

The same post the bot sends to a bound channel two working days before each meeting (``dialogs.meeting_post``):
overdue actions, actions due before the meeting, the lägesbild since the forum's previous meeting, and the
agreement's deadlines. Asked in a bound channel, the channel's forum is meant. Every look is audited, since
it reads the log.
"""

from __future__ import annotations

from datetime import timedelta

from botbuilder.dialogs import DialogContext

from dialogs.context import database_of
from dialogs.meeting_post import meeting_post, meeting_post_reply
from dialogs.meetings import UPCOMING, _audit, _forum, _forum_by_code, _forum_list, _repository, _say
from dialogs.nlu import Understanding
from dialogs.registry import handles
from dialogs.replies import send, shows_images
from domain.situation import Situation

SOONEST = timedelta(days=60)  # with no forum named, the next meeting of any forum this close is meant


@handles("meeting_brief")
async def meeting_brief(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    async with database_of(context).session() as session:
        forum = await _forum(session, understanding, context)
        if forum is None:
            # "vad står på agendan till nästa möte": the forum that meets first
            soonest = await _repository(session, situation).next(None, situation.now, within=SOONEST)
            if soonest is not None:
                forum = await _forum_by_code(session, soonest.forum_code)
        if forum is None:
            await _say(context, "Inför vilket forum? Skriv till exempel ”underlag inför Operativa BRÅ”.\n"
                                f"{_forum_list(situation)}")
            return
        repository = _repository(session, situation)
        upcoming = await repository.next(forum.code, situation.now, within=UPCOMING)
        before = [o for o in await repository.occurrences(situation.now - timedelta(days=366), situation.now,
                                                          forum.code, include_cancelled=False)]
        since = before[-1].starts_at if before else None
        post = await meeting_post(
            session, situation.collaboration, forum_name=forum.name,
            starts_at=upcoming.starts_at if upcoming else situation.now, since=since, now=situation.now,
            chart=shows_images(context))
        await _audit(context, session, situation, "meeting_brief.viewed", "forum", forum.code,
                     meeting=upcoming.key if upcoming else None)
        await session.commit()
    if upcoming is None:
        rest = post.text.partition("\n\n")[2]
        post = meeting_post_reply(f"Inget möte för {forum.name} är inlagt, men så här ser underlaget ut i dag.\n\n"
                                  f"{rest}", post.image)
    # The same post as the scheduled one: in Teams the whole summary in one card, the chart inside.
    await send(context, post)
