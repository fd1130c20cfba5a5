"""The lägesbild as a PNG: counts per focus area against the previous period, and observations per day.

Drawn with ``Figure`` and ``FigureCanvasAgg`` directly, never pyplot: pyplot keeps global state and is not
thread-safe, and charts are rendered in a worker thread (``asyncio.to_thread``) so the bot keeps answering.
The output is deterministic (no timestamps or version in the PNG) so the same picture gives the same bytes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from zoneinfo import ZoneInfo

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from dialogs.render.chart_style import (
    BLUE,
    GRID_COLOUR,
    MONTHS,
    ORANGE,
    TEXT_COLOUR,
    png_bytes,
    style_axes,
    wrap_label,
)
from storage.situation import Picture

_SIZE_INCHES = (10.0, 4.5)  # 1000 × 450 px at _DPI: fits a Teams card and a phone screen
_DPI = 100
_EMPTY_TEXT = "Inga observationer under perioden"
_BARS_UP_TO_DAYS = 92  # longer periods get a line: a year of one-pixel bars reads as noise
_LABEL_WIDTH = 22  # characters per line of a focus area name
# A fixed layout instead of layout="tight", which measures every text twice and costs about a third of the
# render time. Names are wrapped to _LABEL_WIDTH characters, so the left margin always fits them.
_GRID = {"width_ratios": (1, 1.25), "left": 0.16, "right": 0.985, "bottom": 0.15, "top": 0.83, "wspace": 0.2}


@dataclass(frozen=True)
class _Area:
    name: str
    count: int
    previous: int


def situation_chart(picture: Picture, *, title: str, zone: tzinfo | None = None) -> bytes:
    """Render ``picture`` as a PNG of about 1000 × 450 px titled ``title``.

    ``zone`` turns the UTC period into the local dates that ``picture.per_day`` is counted in: by default
    the zone the picture was counted in (the collaboration's), never a fixed one.
    """
    zone = zone or ZoneInfo(picture.timezone)
    figure = Figure(figsize=_SIZE_INCHES, dpi=_DPI, facecolor="white")
    figure.suptitle(textwrap.shorten(title, width=110, placeholder=" …"), fontsize=14, color=TEXT_COLOUR)
    if not picture.tallies or (picture.total == 0 and picture.previous_total == 0):
        _draw_empty(figure)
    else:
        by_area, per_day = figure.subplots(1, 2, gridspec_kw=_GRID)
        _draw_areas(by_area, _areas(picture), picture)
        _draw_days(per_day, _days(picture, zone), picture.total)
    return png_bytes(figure)


def _areas(picture: Picture) -> list[_Area]:
    """Sum the kinds per focus area; most observations first, ties by name so the order is stable."""
    sums: dict[str, tuple[str, int, int]] = {}
    for tally in picture.tallies:
        name, count, previous = sums.get(tally.focus_area, (tally.focus_name, 0, 0))
        sums[tally.focus_area] = (name, count + tally.count, previous + tally.previous)
    areas = [_Area(name, count, previous) for name, count, previous in sums.values()]
    return sorted(areas, key=lambda area: (-area.count, -area.previous, area.name.casefold()))


def _days(picture: Picture, zone: tzinfo) -> list[tuple[date, int]]:
    """Every local date of the period with its count; ``per_day`` only holds days that had observations."""
    first = picture.start.astimezone(zone).date()
    last = (picture.end - timedelta(microseconds=1)).astimezone(zone).date()
    counts = dict(picture.per_day)
    if counts:  # never drop a counted day, even one the period bounds would leave out
        first, last = min(first, *counts), max(last, *counts)
    return [(day, counts.get(day, 0)) for day in _date_range(first, last)]


def _date_range(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def _draw_empty(figure: Figure) -> None:
    figure.text(0.5, 0.45, _EMPTY_TEXT, ha="center", va="center", fontsize=16, color=TEXT_COLOUR)


def _draw_areas(axes: Axes, areas: Sequence[_Area], picture: Picture) -> None:
    style_axes(axes, "Antal per fokusområde")
    rows = range(len(areas))
    height = 0.4
    current = axes.barh([row - height / 2 for row in rows], [area.count for area in areas], height,
                        color=BLUE, label=f"Perioden ({picture.total})")
    previous = axes.barh([row + height / 2 for row in rows], [area.previous for area in areas], height,
                         color=ORANGE, label=f"Föregående period ({picture.previous_total})")
    crowded = len(areas) > 8
    axes.bar_label(current, padding=2, fontsize=7 if crowded else 8, color=TEXT_COLOUR)
    axes.bar_label(previous, padding=2, fontsize=7 if crowded else 8, color=TEXT_COLOUR)
    names = [wrap_label(area.name, _LABEL_WIDTH, lines=1 if crowded else 2) for area in areas]
    axes.set_yticks(list(rows), names, fontsize=8 if crowded else 9)
    # Largest on top; at least four rows of room so one or two focus areas do not become slabs.
    axes.set_ylim(max(len(areas), 4) - 0.5, -0.5)
    highest = max(max(area.count, area.previous) for area in areas)
    axes.set_xlim(0, max(highest * 1.15, 1))  # room for the value labels at the bar ends
    axes.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    axes.grid(axis="x", color=GRID_COLOUR, linewidth=0.8)
    # Below the axis rather than inside it, where it would cover bars.
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.07), ncols=2, fontsize=8, frameon=False,
                handlelength=1.2, columnspacing=1.2)


def _draw_days(axes: Axes, days: Sequence[tuple[date, int]], total: int) -> None:
    style_axes(axes, "Per dag")
    positions = range(len(days))
    counts = [count for _, count in days]
    if len(days) <= _BARS_UP_TO_DAYS:
        axes.bar(positions, counts, width=0.8, color=BLUE)
    else:
        axes.plot(positions, counts, color=BLUE, linewidth=1.2)
        axes.fill_between(positions, counts, color=BLUE, alpha=0.2, linewidth=0)
    axes.set_xlim(-0.6, len(days) - 0.4)
    axes.set_ylim(0, max(max(counts, default=0) * 1.1, 1))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    axes.set_ylabel("Antal", fontsize=9, color=TEXT_COLOUR)
    axes.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
    ticks = _ticks([day for day, _ in days])
    year = days[-1][0].year
    axes.set_xticks([index for index, _ in ticks], [_short_date(day, year) for _, day in ticks])
    if total == 0:
        axes.text(0.5, 0.5, _EMPTY_TEXT, transform=axes.transAxes, ha="center", va="center", fontsize=11,
                  color=TEXT_COLOUR)


def _ticks(days: Sequence[date]) -> list[tuple[int, date]]:
    """Which days get a label: every day, Mondays, or the first of every n:th month, by period length.

    Chosen by hand rather than by matplotlib's date locators so the labels are calendar-aligned,
    Swedish and never crowd on the ~550 px of the panel.
    """
    indexed = list(enumerate(days))
    if len(days) <= 10:
        return indexed
    if len(days) <= 70:
        return [(index, day) for index, day in indexed if day.weekday() == 0]
    firsts = [(index, day) for index, day in indexed if day.day == 1]
    step = -(-len(firsts) // 7)  # at most 7 labels
    return firsts[::step]


def _short_date(day: date, year: int) -> str:
    """'3 nov'; the year is added only when it differs from the period's last year, e.g. '1 dec 2025'."""
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return text if day.year == year else f"{text} {day.year}"

