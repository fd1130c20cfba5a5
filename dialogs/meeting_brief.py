"""The pre-meeting summary on demand: "underlag inför operativa BRÅ", "vad står på agendan till SSPF".

The same post the bot sends to a bound channel two working days before each meeting (``dialogs.meeting_post``):
overdue actions, actions due before the meeting, the lägesbild since the forum's previous meeting, and the
agreement's deadlines. Asked in a bound channel, the channel's forum is meant. Every look is audited, since
it reads the log (``services.situation.meeting_brief``).
"""

from __future__ import annotations

from botbuilder.dialogs import DialogContext

from dialogs.context import unit_of_work
from dialogs.meeting_post import meeting_post_of, meeting_post_reply
from dialogs.meeting_words import forum_list
from dialogs.nlu import Understanding
from dialogs.place import place_of
from dialogs.registry import handles
from dialogs.replies import send, shows_images
from domain.situation import Situation
from services.detail import channel_detail
from services.situation import meeting_brief as brief_of


@handles("meeting_brief")
async def meeting_brief(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    context = dc.context
    place = place_of(context).place
    async with unit_of_work(context, situation) as uow:
        brief = await brief_of(uow, situation, forum_code=understanding.slots.get("forum"), place=place)
        detail = await channel_detail(uow.session, situation.collaboration, place)
    if brief is None:
        await send(context, "Inför vilket forum? Skriv till exempel ”underlag inför Operativa BRÅ”.\n"
                            f"{forum_list(situation)}")
        return
    post = await meeting_post_of(brief.material, situation.collaboration, forum_name=brief.forum_name,
                                 now=situation.now, chart=shows_images(context), detail=detail)
    if brief.upcoming is None:
        rest = post.text.partition("\n\n")[2]
        post = meeting_post_reply(f"Inget möte för {brief.forum_name} är inlagt, men så här ser underlaget ut i "
                                  f"dag.\n\n{rest}", post.image)
    # The same post as the scheduled one: in Teams the whole summary in one card, the chart inside.
    await send(context, post)
