"""Questions about the action plan: "försenade", "mina åtgärder", by party, focus area, period, done, "visa #12".

Replies are sorted by due date, name the owner and the days overdue, and are paged: the question is kept
in the user's conversation state, so "mer" shows the next page. In Teams the list is a card with "Klar" and
"Skjut upp" on each open action; elsewhere a short hint says what to write.
"""

from __future__ import annotations

import re
from dataclasses import asdict, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import snowballstemmer
from botbuilder.dialogs import DialogContext

from dialogs.context import listing_of, mention_action, unit_of_work
from dialogs.format import bullet_list, interval_text, short_date
from dialogs.nlu import Understanding, fold
from dialogs.registry import handles
from dialogs.render.actions import action_line, due_text, list_card, list_summary, list_text, owner_text
from dialogs.replies import Reply, send
from domain.rules.actions import PAGE_SIZE, STATUS_NAMES
from domain.situation import Situation
from services import actions
from services.actions import ActionRefused
from storage.actions import ActionQuery, plain_text
from storage.models import Action

if TYPE_CHECKING:
    from botbuilder.core import TurnContext

_BY = re.compile(r"\b(?:fore|innan|senast|till|by|before)\b")
_KIND_NAMES = {"created": "skapad", "comment": "kommentar", "status": "status", "postponed": "uppskjuten",
               "reassigned": "ny ansvarig", "cancelled": "inställd"}


@handles("list_actions")
async def list_actions(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    built = await _query(dc.context, understanding.slots, situation)
    if isinstance(built, str):
        await send(dc.context, built)
        return
    title, query = built
    await _show_page(dc.context, situation, title, query)


@handles("more")
async def more(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    listing = await listing_of(dc.context).get(dc.context, None)
    if not listing:
        await send(dc.context,
            "Det finns ingen lista att visa mer av. Fråga till exempel ”vilka åtgärder är försenade”.")
        return
    query = _query_from_state(listing["query"])
    query = replace(query, offset=query.offset + query.limit)
    await _show_page(dc.context, situation, listing["title"], query)


async def _show_page(context: TurnContext, situation: Situation, title: str, query: ActionQuery) -> None:
    async with unit_of_work(context, situation) as uow:
        page = await actions.page_actions(uow, query)
    listing = listing_of(context)
    if page.has_more:
        await listing.set(context, {"title": title, "query": _query_to_state(query)})
    else:
        await listing.set(context, None)
    if not page.total:
        await send(context, f"{title}: inga.")
        return
    if query.offset >= page.total:
        await send(context, f"{title}: det finns inga fler.")
        return
    await send(context, Reply(text=list_text(title, page, situation.today, hint=True),
                              card=list_card(title, page, situation.today), summary=list_summary(title, page)))


async def _query(context: TurnContext, slots: dict, situation: Situation) -> tuple[str, ActionQuery] | str:
    """The question as a query and its Swedish title, or a reply when a name matches nobody."""
    # "vem är ansvarig för trygghetsvandringen": the action by what it is about, whatever its status.
    status = slots.get("status") or ("all" if slots.get("about") else "open")
    query = ActionQuery(status=status, today=situation.today, limit=PAGE_SIZE)
    whose, whom = "", ""
    owner = slots.get("owner")
    if owner == "me":
        query = replace(query, member_id=situation.asker.member_id)
        whose = "dina"
    elif owner in ("kommun", "polis"):
        query = replace(query, party=owner)
        whose = _GENITIVE[owner]
    elif owner:
        async with unit_of_work(context, situation) as uow:
            found = await actions.members_named(uow, owner)
        if not found:
            return f"Jag hittar ingen medlem som heter {owner}."
        query = replace(query, member_id=found[0].id)
        whom = f" för {found[0].name}"
    if slots.get("about"):
        query = replace(query, title_stems=title_stems(slots["about"]))
        whom += f" om ”{slots['about']}”"
    if slots.get("focus_area"):
        query = replace(query, focus_area=slots["focus_area"])
        whom += f" inom {situation.collaboration.focus_area(slots['focus_area']).name}"
    period = ""
    due = slots.get("due")
    if due:
        start, end = datetime.fromisoformat(due["start"]), datetime.fromisoformat(due["end"])
        if end == start:  # "kl 9 på fredag": the day
            start = datetime.combine(start.date(), time())
            end = start + timedelta(days=1)
        now = situation.local_now.replace(tzinfo=None)
        if status == "done":
            zone = ZoneInfo(situation.collaboration.timezone)
            query = replace(query, done_from=start.replace(tzinfo=zone), done_to=end.replace(tzinfo=zone))
            period = f", {interval_text(start, end, now=now)}"
        elif _BY.search(fold(context.activity.text or "")):
            query = replace(query, due_to=end.date())
            period = f", slutdatum senast {short_date(end.date() - timedelta(days=1), situation.today)}"
        else:
            query = replace(query, due_from=start.date(), due_to=end.date())
            period = f", slutdatum {interval_text(start, end, now=now)}"
    head = {"overdue": "försenade åtgärder", "done": "klara åtgärder", "open": "öppna åtgärder",
            "all": "åtgärder"}[status]
    title = f"{whose} {head}".strip() + whom + period
    return title[:1].upper() + title[1:], query


_GENITIVE = {"kommun": "kommunens", "polis": "polisens"}
_STEMMER = snowballstemmer.stemmer("swedish")


def title_stems(about: str) -> tuple[str, ...]:
    """'trygghetsvandringarna' → ('trygghetsvandring',): what a title must hold, by Swedish stems."""
    return tuple(plain_text(_STEMMER.stemWord(word)) for word in about.casefold().split())


def _query_to_state(query: ActionQuery) -> dict:
    return {key: value.isoformat() if isinstance(value, date | datetime) else value
            for key, value in asdict(query).items()}


def _query_from_state(state: dict) -> ActionQuery:
    values = dict(state)
    for key in ("today", "due_from", "due_to"):
        if values.get(key):
            values[key] = date.fromisoformat(values[key])
    for key in ("done_from", "done_to"):
        if values.get(key):
            values[key] = datetime.fromisoformat(values[key])
    values["title_stems"] = tuple(values.get("title_stems") or ())
    return ActionQuery(**values)


@handles("show_action")
async def show_action(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    number = int(understanding.slots["ref"])
    try:
        async with unit_of_work(dc.context, situation) as uow:
            shown = await actions.show_action(uow, number)
    except ActionRefused as refused:
        await send(dc.context, str(refused))
        return
    await mention_action(dc.context, number)
    await send(dc.context, action_details(shown.action, shown.history, situation))


def action_details(action: Action, history: list, situation: Situation) -> str:
    today = situation.today
    lines = [f"#{action.number} {action.title}",
             f"Status: {STATUS_NAMES[action.status]} · {due_text(action, today)}",
             f"Ansvarig: {owner_text(action)}"]
    if action.focus_area is not None:
        lines.append(f"Fokusområde: {action.focus_area.name}")
    if action.promise is not None:
        lines.append(f"Medborgarlöfte {action.promise.number}: {action.promise.title}")
    if action.forum is not None:
        lines.append(f"Forum: {action.forum.name}")
    if action.deadline_code:
        lines.append("Tidsgräns i samverkansöverenskommelsen.")
    zone = ZoneInfo(situation.collaboration.timezone)
    entries = []
    for update in history:
        when = short_date(update.created_at.astimezone(zone).date(), today)
        who = update.author.name if update.author else "boten"
        what = _KIND_NAMES.get(update.kind, update.kind)
        if update.kind == "postponed":
            what += f" till {short_date(date.fromisoformat(update.new_value), today)}" if update.new_value else ""
        elif update.kind in ("status", "cancelled") and update.new_value:
            what += f": {STATUS_NAMES.get(update.new_value, update.new_value)}"
        elif update.kind == "comment" and (update.old_value or update.new_value):
            what = "ändrad"  # a field changed (a promise linked, an import's change), not a comment
        elif update.kind == "reassigned" and update.new_value:
            what += f": {update.new_value}"
        entries.append(f"{when} {who}: {what}" + (f" – {update.text}" if update.text else ""))
    if entries:
        lines.append("Historik:\n" + bullet_list(entries))
    return "\n".join(lines)


__all__ = ["action_line", "list_actions", "more", "show_action"]
