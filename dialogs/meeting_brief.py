"""The pre-meeting summary on demand: "underlag inför operativa BRÅ", "vad står på agendan till SSPF".

The same post the bot sends to a bound channel two working days before each meeting (``dialogs.meeting_post``):
overdue actions, actions due before the meeting, the lägesbild since the forum's previous meeting, and the
agreement's deadlines. Asked in a bound channel, the channel's forum is meant. Every look is audited, since
it reads the log (``services.situation.meeting_brief``).
"""

from __future__ import annotations

from botbuilder.dialogs import DialogContext

from bot.channels.references import reference_key, teams_ids
from dialogs.context import unit_of_work
from dialogs.format import bullet_list
from dialogs.meeting_post import meeting_post_of, meeting_post_reply
from dialogs.nlu import Understanding
from dialogs.registry import handles
from dialogs.replies import send, shows_images
from domain.situation import Situation
from services.situation import Conversation
from services.situation import meeting_brief as brief_of


def conversation_of(activity) -> Conversation:
    """Where the question was asked, for the channel's own forum."""
    conversation = activity.conversation
    return Conversation(channel_id=activity.channel_id, key=reference_key(activity),
                        kind=conversation.conversation_type or ("channel" if conversation.is_group else "personal"),
                        teams_channel=teams_ids(activity)[1])


@handles("meeting_brief")
async def meeting_brief(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    async with unit_of_work(context, situation) as uow:
        brief = await brief_of(uow, situation, forum_code=understanding.slots.get("forum"),
                               conversation=conversation_of(context.activity))
    if brief is None:
        await send(context, "Inför vilket forum? Skriv till exempel ”underlag inför Operativa BRÅ”.\n"
                            f"{bullet_list([forum.name for forum in situation.collaboration.forums])}")
        return
    post = await meeting_post_of(brief.material, situation.collaboration, forum_name=brief.forum_name,
                                 now=situation.now, chart=shows_images(context))
    if brief.upcoming is None:
        rest = post.text.partition("\n\n")[2]
        post = meeting_post_reply(f"Inget möte för {brief.forum_name} är inlagt, men så här ser underlaget ut i "
                                  f"dag.\n\n{rest}", post.image)
    # The same post as the scheduled one: in Teams the whole summary in one card, the chart inside.
    await send(context, post)
