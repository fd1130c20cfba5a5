"""The pre-meeting summary on demand: "underlag inför operativa BRÅ", "vad står på agendan till SSPF".

The same post the bot sends to a bound channel two working days before each meeting (``dialogs.meeting_post``):
overdue actions, actions due before the meeting, the lägesbild since the forum's previous meeting, and the
agreement's deadlines. Asked in a bound channel, the channel's forum is meant. Every look is audited, since
it reads the log.
"""

from __future__ import annotations

from datetime import timedelta

from botbuilder.core import MessageFactory
from botbuilder.dialogs import DialogContext

from dialogs.context import Situation, database_of
from dialogs.meeting_post import meeting_post, meeting_post_card, meeting_post_summary
from dialogs.meetings import UPCOMING, _audit, _forum, _forum_by_code, _forum_list, _repository, _say
from dialogs.nlu import Understanding
from dialogs.registry import handles

CARD_CHANNELS = frozenset({"msteams"})
SOONEST = timedelta(days=60)  # with no forum named, the next meeting of any forum this close is meant
IMAGE_CHANNELS = frozenset({"matrix"})


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
        text, attachments = await meeting_post(
            session, situation.collaboration, forum_name=forum.name,
            starts_at=upcoming.starts_at if upcoming else situation.now, since=since, now=situation.now,
            chart=context.activity.channel_id in CARD_CHANNELS | IMAGE_CHANNELS)
        await _audit(context, session, situation, "meeting_brief.viewed", "forum", forum.code,
                     meeting=upcoming.key if upcoming else None)
        await session.commit()
    if upcoming is None:
        head, _, rest = text.partition("\n\n")
        text = (f"Inget möte för {forum.name} är inlagt, men så här ser underlaget ut i dag.\n\n{rest}")
    if context.activity.channel_id in CARD_CHANNELS:
        # The whole summary in the card, as the scheduled post; no text beside it, which Teams would show as a
        # message of its own above the card. Its heading is the summary notifications show.
        activity = MessageFactory.attachment(meeting_post_card(text, attachments[0] if attachments else None))
        activity.summary = meeting_post_summary(text)
        await context.send_activity(activity)
    elif attachments:
        await context.send_activity(MessageFactory.attachment(attachments[0], text=text))
    else:
        await context.send_activity(MessageFactory.text(text))
