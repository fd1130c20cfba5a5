"""The lägesbild: "lägesbild", "lägesbild ANDTS", "läget för skadegörelse i oktober", "lägesbild Diö".

Counts per focus area and kind for the period (default the last 30 days) against the period before, the
top places and the latest observations; in Teams and Matrix with the chart as an image. Every look is audited.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, time
from itertools import groupby
from zoneinfo import ZoneInfo

from botbuilder.dialogs import DialogContext

from dialogs.context import unit_of_work
from dialogs.format import bullet_list, interval_text
from dialogs.nlu import Understanding
from dialogs.observation_draft import KIND_NAMES, Draft, place_key, when_text
from dialogs.place import is_shared, place_of
from dialogs.registry import handles
from dialogs.replies import Image, Reply, send, shows_images
from domain.rules.detail import DetailLevel
from domain.rules.observations import clip_period, default_period, previous_period, year_before
from domain.situation import Situation
from services.detail import channel_detail
from services.situation import situation_picture
from storage.situation import Picture

LATEST_CHARS = 90
SUMMARY_NOTE = ("Observationernas text och platser visas inte här (kanalens detaljnivå är sammanfattning). "
                "Fråga mig i en personlig chatt för hela bilden.")


@handles("show_situation")
async def show_situation(dc: DialogContext, understanding: Understanding, situation: Situation) -> None:
    slots = understanding.slots
    now = situation.local_now.replace(tzinfo=None)
    period = slots.get("period")
    if period:
        start, end = clip_period(datetime.fromisoformat(period["start"]), datetime.fromisoformat(period["end"]), now)
    else:
        start, end = default_period(situation.today)
    previous, previous_end = previous_period(start, end), None
    # "i år" and "jämfört med förra året": the same dates a year earlier, not the stretch before
    year_to_date = start.month == 1 and start.day == 1 and start.time() == time() and end.year == start.year
    if slots.get("compare") == "previous_year" or year_to_date:
        previous, previous_end = year_before(start, end)
    place = slots.get("place")
    # the place by the municipality's name ("elme" is Elmeskolan), and as written, for rows saved before
    keys = tuple(dict.fromkeys(key for key in (place_key(place, situation.collaboration), place_key(place)) if key))
    async with unit_of_work(dc.context, situation) as uow:
        picture = await situation_picture(uow, situation, start=start, end=end, previous_start=previous,
                                          previous_end=previous_end, focus_area=slots.get("focus_area"),
                                          place=place, place_keys=keys, shared=is_shared(dc.context))
        detail = await channel_detail(uow.session, situation.collaboration, place_of(dc.context).place)
    text = situation_text(picture, situation, default=not period, detail=detail)
    if shows_images(dc.context) and picture.total:
        await send(dc.context, Reply(text=text, image=await chart_image(picture, situation)))
    else:
        await send(dc.context, text)


def title_of(picture: Picture, situation: Situation) -> str:
    config = situation.collaboration
    subject = "Lägesbild"
    if picture.focus_area:
        subject += f" {config.focus_area(picture.focus_area).name}"
    if picture.place:
        subject += f", {picture.place}"
    return f"{subject}, {_period_text(picture.start, picture.end, situation)}"


def situation_text(picture: Picture, situation: Situation, *, default: bool = False,
                   detail: DetailLevel = DetailLevel.FULL) -> str:
    """The lägesbild in words; at the ``summary`` detail level without the observations' text and places."""
    period = _period_text(picture.start, picture.end, situation)
    if default:
        period = f"senaste 30 dagarna ({period})"
    before = _period_text(picture.previous_start, picture.previous_end or picture.start, situation)
    title = title_of(picture, situation).split(",")[0]
    if picture.place:
        title += f" för platser som innehåller ”{picture.place}”"
    head = f"{title}, {period}, jämfört med {before}."
    if not picture.total:
        previous = f" (perioden före: {_count(picture.previous_total)})" if picture.previous_total else ""
        return f"{head}\nInga observationer i loggen under perioden{previous}."
    parts = [head, f"{_count(picture.total)}, {_change(picture.total, picture.previous_total)}."]
    rows = []
    for (_, name), group in groupby(sorted(picture.tallies, key=lambda t: (t.focus_name, t.focus_area)),
                                    key=lambda t: (t.focus_area, t.focus_name)):
        tallies = list(group)
        count, previous = sum(t.count for t in tallies), sum(t.previous for t in tallies)
        kinds = ", ".join(f"{KIND_NAMES.get(t.kind, t.kind)} {t.count}" for t in
                          sorted(tallies, key=lambda t: -t.count) if t.count)
        rows.append((count, f"{name}: {count} (förra perioden {previous})" + (f" – {kinds}" if kinds else "")))
    parts.append("Per fokusområde:\n" + bullet_list([line for _, line in sorted(rows, key=lambda r: -r[0])]))
    if detail is DetailLevel.SUMMARY:
        if picture.places or picture.latest:
            parts[-1] += f"\n{SUMMARY_NOTE}"
        return "\n\n".join(parts)
    if picture.places:
        parts.append("Platser: " + ", ".join(f"{p.place} {p.count}" for p in picture.places))
    if picture.latest:
        parts.append("Senaste:\n" + bullet_list([_latest_line(o, situation) for o in picture.latest]))
    return "\n\n".join(parts)


def _latest_line(observation, situation: Situation) -> str:
    zone = ZoneInfo(situation.collaboration.timezone)
    start = observation.occurred_start.astimezone(zone).replace(tzinfo=None)
    end = observation.occurred_end.astimezone(zone).replace(tzinfo=None) if observation.occurred_end else start
    when = when_text(Draft(start=start.isoformat(timespec="minutes"), end=end.isoformat(timespec="minutes")),
                     situation)
    description = observation.description
    if len(description) > LATEST_CHARS:
        description = description[:LATEST_CHARS - 1].rstrip() + "…"
    place = f" · {observation.place}" if observation.place else ""
    return f"#O{observation.number} {when} · {observation.focus_name}{place}: {description}"


def _period_text(start: datetime, end: datetime, situation: Situation) -> str:
    zone = ZoneInfo(situation.collaboration.timezone)
    return interval_text(start.astimezone(zone).replace(tzinfo=None), end.astimezone(zone).replace(tzinfo=None),
                         now=situation.local_now.replace(tzinfo=None))


def _count(n: int) -> str:
    return f"{n} observation" if n == 1 else f"{n} observationer"


def _change(count: int, previous: int) -> str:
    if previous == 0:
        return "mot inga under perioden före"
    percent = round((count - previous) * 100 / previous)
    sign = "+" if percent > 0 else "±" if percent == 0 else "−"
    return f"mot {previous} under perioden före ({sign}{abs(percent)}\u00a0%)"


async def chart_image(picture: Picture, situation: Situation) -> Image:
    """The chart as a PNG, drawn off the event loop (matplotlib takes tens of milliseconds)."""
    from dialogs.render.chart import situation_chart

    # The days are counted in the collaboration's zone, and the chart's axis must be too.
    png = await asyncio.to_thread(situation_chart, picture, title=title_of(picture, situation),
                                  zone=ZoneInfo(situation.collaboration.timezone))
    return Image(png, name="lagesbild.png", alt=title_of(picture, situation))
