""""medborgarlöften": each citizen promise with the state of the actions that carry it out."""

from __future__ import annotations

from botbuilder.core import MessageFactory
from botbuilder.dialogs import DialogContext

from bot.rules.actions import OPEN, is_overdue
from dialogs.context import Situation, database_of
from dialogs.format import bullet_list
from dialogs.nlu import Understanding
from dialogs.registry import handles
from dialogs.render.actions import action_line
from storage.actions import PromiseRepository


@handles("show_promises")
async def show_promises(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    async with database_of(dc.context).session() as session:
        states = await PromiseRepository(session).states()
        if not states:
            await dc.context.send_activity(MessageFactory.text(
                "Det finns inga medborgarlöften i åtgärdsplanen ännu. En administratör lägger in dem när "
                "åtgärdsplanen läses in från kalkylbladet (kolumnen Medborgarlöfte)."))
            return
        sections = []
        today = situation.today
        for state in states:
            done = sum(1 for a in state.actions if a.status == "klar")
            late = sum(1 for a in state.actions if is_overdue(a.status, a.due_date, today))
            open_count = sum(1 for a in state.actions if a.status in OPEN)
            summary = (f"{len(state.actions)} åtgärder: {done} klara, {open_count} pågår eller planeras"
                       + (f", varav {late} försenade" if late else "")) if state.actions else "inga åtgärder kopplade"
            lines = [f"Medborgarlöfte {state.promise.number}: {state.promise.title} – {summary}."]
            if state.actions:
                lines.append(bullet_list([action_line(a, today) for a in state.actions]))
            sections.append("\n".join(lines))
    await dc.context.send_activity(MessageFactory.text("\n\n".join(sections)))
