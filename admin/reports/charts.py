"""The follow-up report's charts as PNG, and as ``data:`` URIs so the HTML file needs nothing beside it.

Same house style as the lägesbild chart (``dialogs.render.chart``): ``Figure`` on the Agg canvas, never pyplot
(global state, not thread-safe), Okabe–Ito colours that survive colour-vision deficiencies and greyscale
printing, a fixed layout instead of ``layout="tight"`` (which measures every text twice), and no timestamp or
version in the PNG, so the same data gives the same bytes.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import date
from typing import Protocol

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from dialogs.render.chart_style import (
    BLUE,
    GREEN,
    GREY,
    GRID_COLOUR,
    MONTHS,
    ORANGE,
    SKY_BLUE,
    TEXT_COLOUR,
    VERMILION,
    png_bytes,
    style_axes,
    wrap_label,
)

_DPI = 100
_WIDTH_INCHES = 10.0  # 1000 px: sharp on screen and across an A4 page
_LABEL_WIDTH = 24  # characters per line of a focus area name


class AreaCounts(Protocol):
    """What the stacked bars need of a focus area (``follow_up.AreaSummary`` has it)."""

    @property
    def name(self) -> str: ...
    @property
    def done(self) -> int: ...
    @property
    def on_time(self) -> int: ...
    @property
    def late(self) -> int: ...
    @property
    def cancelled(self) -> int: ...


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def observations_by_month_chart(year: int, months: Sequence[int], previous_months: Sequence[int], *,
                                until: date | None = None) -> bytes:
    """Grouped bars per month, the year beside the year before; ``until`` marks a year still running."""
    figure = Figure(figsize=(_WIDTH_INCHES, 3.8), dpi=_DPI, facecolor="white")
    if not any(months) and not any(previous_months):
        return _empty(figure, f"Inga observationer under {year - 1} eller {year}")
    axes = figure.subplots(gridspec_kw={"left": 0.06, "right": 0.99, "bottom": 0.2, "top": 0.88})
    style_axes(axes, "Observationer per månad", title_y=1.03)
    width = 0.4
    shown = f"{year} ({sum(months)}, t.o.m. {until.day} {MONTHS[until.month - 1]})" if until else \
        f"{year} ({sum(months)})"
    previous = axes.bar([m - width / 2 for m in range(12)], previous_months, width, color=ORANGE,
                        label=f"{year - 1} ({sum(previous_months)})")
    current = axes.bar([m + width / 2 for m in range(12)], months, width, color=BLUE, label=shown)
    for bars, values in ((previous, previous_months), (current, months)):
        axes.bar_label(bars, labels=[str(v) if v else "" for v in values], padding=2, fontsize=8,
                       color=TEXT_COLOUR)
    axes.set_xticks(range(12), MONTHS)
    axes.set_xlim(-0.6, 11.6)
    axes.set_ylim(0, max(max(months), max(previous_months)) * 1.15 or 1)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    axes.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=2, fontsize=9, frameon=False)
    return png_bytes(figure)


def actions_by_area_chart(areas: Sequence[AreaCounts]) -> bytes:
    """One stacked bar per focus area: done, open on time, late and cancelled, with the total at its end."""
    rows = len(areas)
    figure = Figure(figsize=(_WIDTH_INCHES, max(3.2, 0.5 * rows + 1.6)), dpi=_DPI, facecolor="white")
    totals = [area.done + area.on_time + area.late + area.cancelled for area in areas]
    if not any(totals):
        return _empty(figure, "Inga åtgärder under året")
    # Margins in inches, so title and legend keep their room whatever the number of areas.
    height = figure.get_figheight()
    bottom, top = 0.9 / height, 1 - 0.5 / height
    axes = figure.subplots(gridspec_kw={"left": 0.22, "right": 0.97, "bottom": bottom, "top": top})
    style_axes(axes, "Åtgärder per fokusområde", title_y=1.03)
    segments = (("Klara", "done", GREEN, "white"), ("Öppna i tid", "on_time", SKY_BLUE, "black"),
                ("Försenade", "late", VERMILION, "white"), ("Inställda", "cancelled", GREY, "black"))
    left = [0] * rows
    for label, field, colour, text_colour in segments:
        values = [getattr(area, field) for area in areas]
        bars = axes.barh(range(rows), values, 0.6, left=left, color=colour, label=f"{label} ({sum(values)})")
        axes.bar_label(bars, labels=[str(v) if v else "" for v in values], label_type="center", fontsize=8,
                       color=text_colour)
        left = [start + value for start, value in zip(left, values, strict=True)]
    highest = max(totals)
    for index, total in enumerate(totals):
        axes.text(total + highest * 0.01, index, str(total), va="center", fontsize=9, color=TEXT_COLOUR)
    axes.set_yticks(range(rows), [wrap_label(area.name, _LABEL_WIDTH) for area in areas], fontsize=9)
    axes.set_ylim(max(rows, 3) - 0.5, -0.5)  # first area on top; a few rows of room so bars stay bars
    axes.set_xlim(0, highest * 1.08)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    axes.grid(axis="x", color=GRID_COLOUR, linewidth=0.8)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35 / (height * (top - bottom))), ncols=4, fontsize=9,
                frameon=False)
    return png_bytes(figure)


def _empty(figure: Figure, text: str) -> bytes:
    figure.text(0.5, 0.5, text, ha="center", va="center", fontsize=14, color=TEXT_COLOUR)
    return png_bytes(figure)
