"""After saving: show an observation with its history, remove it (the author, within 15 minutes), restore it,
correct it. ("ångra", the member's last change of any kind, is ``dialogs.undo``.)

A correction is a new version under the same number; the old one stays, so the log shows what was first
written and who changed it. Every read and change is audited.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from botbuilder.core import TurnContext
from botbuilder.dialogs import DialogContext

from dialogs.context import database_of
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
from dialogs.registry import handles
from dialogs.replies import send
from domain.rules.observations import may_correct, may_restore, may_undo
from domain.situation import Situation
from storage import AuditLog
from storage.models import Member, Observation
from storage.observations import ObservationRepository


def as_draft(row: Observation, situation: Situation) -> Draft:
    start, end = local_interval(row.occurred_start, row.occurred_end, situation)
    return Draft(focus_area=row.focus_area.code, kind=row.kind, place=row.place,
                 start=start.strftime("%Y-%m-%dT%H:%M"), end=end.strftime("%Y-%m-%dT%H:%M"),
                 description=row.description, source_party=row.source_party)


def summary(row: Observation, situation: Situation) -> str:
    draft = as_draft(row, situation)
    place = f", {row.place}" if row.place else ""
    return (f"#O{row.number} {row.focus_area.name} · {KIND_NAMES.get(row.kind, row.kind)} · "
            f"{when_text(draft, situation)}{place}: {row.description}")


async def _audit(context: TurnContext, session, situation: Situation, action: str, number: int, **detail) -> None:
    await AuditLog(session).record(
        action, actor_member_id=situation.asker.member_id, channel=context.activity.channel_id,
        subject_type="observation", subject_id=f"O{number}", detail=detail or None, at=situation.now)


def _missing(number: int | str) -> str:
    return f"Det finns ingen observation #O{number}."


@handles("show_observation")
async def show_observation(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    number = int(understanding.slots["ref"])
    async with database_of(dc.context).session() as session:
        versions = await ObservationRepository(session).history(number)
        if versions:
            await _audit(dc.context, session, situation, "observation.viewed", number)
        await session.commit()
        if not versions:
            await send(dc.context, _missing(number))
            return
        current = versions[-1]
        lines = [summary(current, situation),
                 f"Loggad av {versions[0].author.name} ({versions[0].author_party}) "
                 f"{_local(versions[0].created_at, situation)}."]
        if current.deleted_at is not None:
            lines.append(f"Borttagen {_local(current.deleted_at, situation)}.")
        if len(versions) > 1:
            lines.append("Tidigare versioner:\n" + bullet_list(
                f"{summary(old, situation)} (ersatt {_local(old.replaced_at, situation)} av "
                f"{_next_author(versions, index)})" for index, old in enumerate(versions[:-1])))
    await send(dc.context, "\n".join(lines))


def _next_author(versions: list[Observation], index: int) -> str:
    return versions[index + 1].author.name


def _local(moment, situation: Situation) -> str:
    start, _ = local_interval(moment, None, situation)
    return when_text(Draft(start=start.strftime("%Y-%m-%dT%H:%M")), situation)


@handles("delete_observation")
async def delete_observation(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    """"ta bort #O12": the author, within 15 minutes; removed, not destroyed ("återställ #O12")."""
    ref = understanding.slots["ref"]
    async with database_of(dc.context).session() as session:
        repo = ObservationRepository(session)
        row = await repo.current(int(ref))
        if row is None or row.deleted_at is not None:
            await send(dc.context,
                _missing(ref) if row is None else f"#O{ref} är redan borttagen.")
            return
        if not may_undo(row.created_at, row.author_member_id, situation.asker.member_id, situation.now):
            await send(dc.context,
                f"#O{row.number} kan bara tas bort av den som loggade den, inom 15 minuter. Rätta den i stället "
                f"med till exempel ”ändra #O{row.number} plats till …” – rättelsen sparas som historik.")
            return
        await repo.delete(row, at=situation.now)
        await _audit(dc.context, session, situation, "observation.deleted", row.number, version=row.id)
        text = f"Borttagen: {summary(row, situation)}\nDen kan återställas med ”återställ #O{row.number}”."
        await session.commit()
    await send(dc.context, text)


@handles("restore_observation")
async def restore_observation(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    """"återställ #O12": a removed observation back in lists and the lägesbild, by its author or an admin.

    Removed observations are kept (only marked removed), so one can be restored as long as it is kept."""
    number = int(understanding.slots["ref"])
    async with database_of(dc.context).session() as session:
        repo = ObservationRepository(session)
        versions = await repo.history(number)
        if not versions:
            await send(dc.context, _missing(number))
            return
        current = versions[-1]
        if current.deleted_at is None:
            await send(dc.context,
                f"#O{number} är inte borttagen, så det finns inget att återställa (”visa #O{number}” visar den).")
            return
        if not may_restore(versions[0].author_member_id, situation.asker.member_id, situation.asker.is_admin):
            await send(dc.context,
                f"Bara den som loggade #O{number} eller en administratör kan återställa den.")
            return
        await repo.restore(current)
        await _audit(dc.context, session, situation, "observation.restored", number, version=current.id)
        text = f"Återställd: {summary(current, situation)}\nDen finns åter i loggen och lägesbilden."
        await session.commit()
    await send(dc.context, text)


MY_LOGS_SHOWN = 10


@handles("list_observations")
async def list_observations(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    """"visa mina loggningar": the asker's own log entries, newest first (the lägesbild shows everyone's)."""
    slots = understanding.slots
    zone = ZoneInfo(situation.collaboration.timezone)
    period = slots.get("period")
    start = datetime.fromisoformat(period["start"]).replace(tzinfo=zone) if period else None
    end = datetime.fromisoformat(period["end"]).replace(tzinfo=zone) if period else None
    async with database_of(dc.context).session() as session:
        rows, total = await ObservationRepository(session).by_author(
            situation.asker.member_id, start=start, end=end, focus_area=slots.get("focus_area"), limit=MY_LOGS_SHOWN)
        await AuditLog(session).record("observations.listed", actor_member_id=situation.asker.member_id,
                                       channel=dc.context.activity.channel_id, subject_type="observation",
                                       detail={"count": len(rows), "own": True})
        await session.commit()
        lines = [summary(row, situation) for row in rows]
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
    async with database_of(dc.context).session() as session:
        repo = ObservationRepository(session)
        row = await repo.current(number)
        if row is None or row.deleted_at is not None:
            await send(dc.context, _missing(number))
            return
        if not may_correct(row.author_member_id, situation.asker.member_id, situation.asker.is_admin):
            await send(dc.context,
                f"Bara den som loggade #O{number} eller en administratör kan rätta den.")
            return
        result = apply_answer(as_draft(row, situation), name, value, situation)
        if isinstance(result, Refusal):
            await send(dc.context, result.text)
            return
        new = to_storage(result, situation)
        changes = {key: getattr(new, key) for key in CORRECTED_COLUMNS[name]}
        author = await session.get(Member, situation.asker.member_id)
        corrected = await repo.correct(row, changes, author, at=situation.now)
        await _audit(dc.context, session, situation, "observation.corrected", number, field=name,
                     version=corrected.id)
        text = f"Rättat ({FIELD_NAMES[name]}): {summary(corrected, situation)}\nDen tidigare versionen finns kvar " \
               f"i historiken (”visa #O{number}”)."
        await session.commit()
    await send(dc.context, text)


CORRECTED_COLUMNS = {
    "focus_area": ("focus_area",),
    "when": ("occurred_start", "occurred_end"),
    "place": ("place", "place_key"),
    "description": ("description",),
    "kind": ("kind",),
    "source_party": ("source_party",),
}
