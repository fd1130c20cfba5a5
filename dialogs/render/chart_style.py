"""What every chart shares: colours readable with colour-vision deficiencies, axes style, labels, PNG output.

Charts use ``Figure`` and ``FigureCanvasAgg`` directly, never pyplot (global state, not thread-safe), and
write PNGs without timestamps or versions, so the same data gives the same bytes.
"""

from __future__ import annotations

import io
import textwrap

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# Okabe–Ito: distinguishable with the common colour-vision deficiencies and in greyscale.
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
SKY_BLUE = "#56B4E9"
VERMILION = "#D55E00"
GREY = "#999999"
TEXT_COLOUR = "#333333"
GRID_COLOUR = "#DDDDDD"
MONTHS = ("jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec")


def style_axes(axes: Axes, heading: str, *, title_y: float = 1.02) -> None:
    # An explicit y skips the automatic title placement, which measures the whole axes (~10 ms each).
    axes.set_title(heading, fontsize=12, loc="left", color=TEXT_COLOUR, y=title_y)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=9, colors=TEXT_COLOUR)
    axes.set_axisbelow(True)


def wrap_label(name: str, width: int, *, lines: int = 2) -> str:
    """At most ``lines`` lines of ``width`` characters, the rest cut with '…'; '$' escaped, since matplotlib
    reads text between two of them as mathematics."""
    wrapped = textwrap.wrap(name, width=width, break_long_words=True) or [""]
    if len(wrapped) > lines:
        rest = " ".join(wrapped[lines - 1:])
        wrapped = wrapped[: lines - 1] + [textwrap.shorten(rest, width=width, placeholder="…")]
    return "\n".join(wrapped).replace("$", r"\$")


def png_bytes(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    # No "Software" (matplotlib version) and no creation time: the bytes depend on the data only.
    FigureCanvasAgg(figure).print_png(buffer, metadata={"Software": None})
    return buffer.getvalue()
