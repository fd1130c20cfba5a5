"""After saving: show an observation with its history, remove it (the author, within 15 minutes), restore it,
correct it. ("ångra", the member's last change of any kind, is ``dialogs.undo``.)

A correction is a new version under the same number; the old one stays, so the log shows what was first
written and who changed it. Every read and change is audited (``services.observations``).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from botbuilder.dialogs import DialogContext

from dialogs.context import unit_of_work
from dialogs.format import bullet_list, interval_text
from dialogs.nlu import Understanding
from dialogs.observation_draft import (
    FIELD_NAMES,
    KIND_NAMES,
    Draft,
    Refusal,
    apply_answer,
    local_interval,
    parse_edit,
    to_storage,
    when_text,
)
from dialogs.place import is_shared, place_of
from dialogs.registry import handles
from dialogs.replies import send
from domain.rules.detail import DetailLevel
from domain.situation import Situation
from domain.vocabulary import PARTY_NAMES
from services import observations
from services.detail import channel_detail
from services.observations import CORRECTED_COLUMNS, ObservationRefused, missing
from storage.models import Observation

__all__ = ["CORRECTED_COLUMNS", "as_draft", "summary"]


def as_draft(row: Observation, situation: Situation) -> Draft:
    start, end = local_interval(row.occurred_start, row.occurred_end, situation)
    return Draft(focus_area=row.focus_area.code, kind=row.kind, place=row.place,
                 start=start.strftime("%Y-%m-%dT%H:%M"), end=end.strftime("%Y-%m-%dT%H:%M"),
                 description=row.description, source_party=row.source_party)


def summary(row: Observation, situation: Situation, detail: DetailLevel = DetailLevel.FULL) -> str:
    """One line for an entry; at the ``summary`` detail level of a shared channel without its text and place."""
    draft = as_draft(row, situation)
    kind = KIND_NAMES.get(row.kind, row.kind)
    head = f"#O{row.number} {row.focus_area.name} · {kind} · {when_text(draft, situation)}"
    if detail is DetailLevel.SUMMARY:
        return head
    place = f", {row.place}" if row.place else ""
    return f"{head}{place}: {row.description}"


SUMMARY_NOTE = ("(Texten och platsen visas inte här: kanalens detaljnivå är sammanfattning. Fråga mig i en "
                "personlig chatt.)")


async def _detail(dc: DialogContext, uow, situation: Situation) -> DetailLevel:
    return await channel_detail(uow.session, situation.collaboration, place_of(dc.context).place)


@handles("show_observation")
async def show_observation(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    number = int(understanding.slots["ref"])
    try:
        async with unit_of_work(dc.context, situation) as uow:
            versions = await observations.view_observation(uow, number, situation, shared=is_shared(dc.context))
            detail = await _detail(dc, uow, situation)
    except ObservationRefused as refused:
        await send(dc.context, str(refused))
        return
    if not versions:
        await send(dc.context, missing(number))
        return
    current = versions[-1]
    lines = [summary(current, situation, detail),
             f"Loggad av {versions[0].author.name} ({versions[0].author_party}) "
             f"{_local(versions[0].created_at, situation)}."]
    if current.deleted_at is not None:
        lines.append(f"Borttagen {_local(current.deleted_at, situation)}.")
    if len(versions) > 1:
        lines.append("Tidigare versioner:\n" + bullet_list(
            f"{summary(old, situation, detail)} (ersatt {_local(old.replaced_at, situation)} av "
            f"{_next_author(versions, index)})" for index, old in enumerate(versions[:-1])))
    if detail is DetailLevel.SUMMARY:
        lines.append(SUMMARY_NOTE)
    await send(dc.context, "\n".join(lines))


def _next_author(versions: list[Observation], index: int) -> str:
    return versions[index + 1].author.name


def _local(moment, situation: Situation) -> str:
    start, _ = local_interval(moment, None, situation)
    return when_text(Draft(start=start.strftime("%Y-%m-%dT%H:%M")), situation)


@handles("delete_observation")
async def delete_observation(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    """"ta bort #O12": the author, within 15 minutes; removed, not destroyed ("återställ #O12")."""
    try:
        async with unit_of_work(dc.context, situation) as uow:
            row = await observations.delete_observation(uow, situation, int(understanding.slots["ref"]))
            detail = await _detail(dc, uow, situation)
    except ObservationRefused as refused:
        await send(dc.context, str(refused))
        return
    await send(dc.context,
               f"Borttagen: {summary(row, situation, detail)}\nDen kan återställas med ”återställ #O{row.number}”.")


@handles("restore_observation")
async def restore_observation(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    """"återställ #O12": a removed observation back in lists and the lägesbild, by its author or an admin.

    Removed observations are kept (only marked removed), so one can be restored as long as it is kept."""
    try:
        async with unit_of_work(dc.context, situation) as uow:
            row = await observations.restore_observation(uow, situation, int(understanding.slots["ref"]))
            detail = await _detail(dc, uow, situation)
    except ObservationRefused as refused:
        await send(dc.context, str(refused))
        return
    await send(dc.context, f"Återställd: {summary(row, situation, detail)}\nDen finns åter i loggen och lägesbilden.")


@handles("mark_sensitive")
async def mark_sensitive(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    """"markera #O12 som känslig" (or "som inte känslig"): its author or an admin."""
    sensitive = understanding.slots.get("sensitive", True) is not False
    try:
        async with unit_of_work(dc.context, situation) as uow:
            row = await observations.mark_sensitive(uow, situation, int(understanding.slots["ref"]), sensitive)
    except ObservationRefused as refused:
        await send(dc.context, str(refused))
        return
    if sensitive:
        party = PARTY_NAMES.get(row.author_party, row.author_party)
        await send(dc.context, f"#O{row.number} är markerad som känslig: bara {party}s medlemmar och "
                               "administratörer ser den. Lägesbilden räknar den men visar inte plats eller text.")
    else:
        await send(dc.context, f"#O{row.number} är inte längre markerad som känslig.")


MY_LOGS_SHOWN = 10


@handles("list_observations")
async def list_observations(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    """"visa mina loggningar": the asker's own log entries, newest first (the lägesbild shows everyone's)."""
    slots = understanding.slots
    zone = ZoneInfo(situation.collaboration.timezone)
    period = slots.get("period")
    start = datetime.fromisoformat(period["start"]).replace(tzinfo=zone) if period else None
    end = datetime.fromisoformat(period["end"]).replace(tzinfo=zone) if period else None
    async with unit_of_work(dc.context, situation) as uow:
        rows, total = await observations.list_observations(
            uow, situation, start=start, end=end, focus_area=slots.get("focus_area"), limit=MY_LOGS_SHOWN)
        detail = await _detail(dc, uow, situation)
    lines = [summary(row, situation, detail) for row in rows]
    scope = ""
    if period:
        shown_period = interval_text(datetime.fromisoformat(period["start"]), datetime.fromisoformat(period["end"]),
                                     now=situation.local_now.replace(tzinfo=None))
        scope += f", {shown_period}"
    if slots.get("focus_area"):
        scope += f", {situation.collaboration.focus_area(slots['focus_area']).name}"
    if not rows:
        text = f"Du har inga loggade observationer{scope}. Skriv ”logga” för att logga en."
    else:
        shown = f" (de {len(rows)} senaste av {total})" if total > len(rows) else ""
        text = f"Det du har loggat{scope}{shown}:\n{bullet_list(lines)}\n\n”visa #O12” visar en med historik."
        if detail is DetailLevel.SUMMARY:
            text += f"\n{SUMMARY_NOTE}"
    await send(dc.context, text)


@handles("correct_observation")
async def correct_observation(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    number = int(understanding.slots["ref"])
    edit = parse_edit(understanding.slots.get("change") or "")
    if edit is None:
        await send(dc.context,
            f"Vad ska ändras? Skriv till exempel ”ändra #O{number} plats till Diö torg”, ”ändra #O{number} tid "
            f"till igår kl 22” eller ”ändra #O{number} typ till iakttagelse”.")
        return
    name, value = edit

    def revise(row: Observation):
        result = apply_answer(as_draft(row, situation), name, value, situation)
        return result.text if isinstance(result, Refusal) else to_storage(result, situation)

    try:
        async with unit_of_work(dc.context, situation) as uow:
            corrected = await observations.correct_observation(uow, situation, number, name, revise)
            detail = await _detail(dc, uow, situation)
    except ObservationRefused as refused:
        await send(dc.context, str(refused))
        return
    await send(dc.context, f"Rättat ({FIELD_NAMES[name]}): {summary(corrected, situation, detail)}\nDen tidigare "
                           f"versionen finns kvar i historiken (”visa #O{number}”).")
