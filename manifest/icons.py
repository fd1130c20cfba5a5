"""Draw the Teams app icons, color.png (192×192) and outline.png (32×32), from code.

The PNGs are committed so a package can be built without drawing; this script is kept so the mark can
be changed and regenerated (``.venv/bin/python manifest/icons.py``). The mark is a shield with an "S",
drawn from geometry rather than a font, so the result does not depend on which fonts a machine has.
Shapes are drawn at 8× and scaled down, which gives smooth edges without any antialiasing switch.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

HERE = Path(__file__).resolve().parent
# The same blue as accentColor in manifest.template.json, so the tile and the icon match in Teams.
ACCENT = (0x1F, 0x4E, 0x8C)
WHITE = (255, 255, 255)
SCALE = 8


def _shield(size: int, top: float, bottom: float, half_width: float) -> list[tuple[float, float]]:
    """A heraldic shield outline: flat top, straight sides, two curves meeting in a point at the bottom."""
    centre = size / 2
    left, right = centre - half_width, centre + half_width
    shoulder = top + (bottom - top) * 0.45
    points = [(left, top), (right, top), (right, shoulder)]
    steps = 24
    for i in range(1, steps + 1):  # right side curving in to the point (quadratic Bézier)
        t = i / steps
        control = (right, bottom - (bottom - shoulder) * 0.25)
        x = (1 - t) ** 2 * right + 2 * (1 - t) * t * control[0] + t**2 * centre
        y = (1 - t) ** 2 * shoulder + 2 * (1 - t) * t * control[1] + t**2 * bottom
        points.append((x, y))
    mirrored = [(2 * centre - x, y) for x, y in reversed(points[2:-1])]
    return points + mirrored + [(left, shoulder)]


def _letter_s(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], stroke: float, fill: int) -> None:
    """An "S" from two arcs that meet in the middle; the inner edges of the bands line up at the junction."""
    x0, y0, x1, y1 = box
    middle = (y0 + y1) / 2
    width = round(stroke)
    draw.arc((x0, y0, x1, middle + stroke / 2), start=90, end=330, fill=fill, width=width)
    draw.arc((x0, middle - stroke / 2, x1, y1), start=270, end=150, fill=fill, width=width)


def _mark(size: int, *, shield: tuple[float, ...], letter: tuple[float, ...]) -> Image.Image:
    """The mark as an 8-bit mask at ``size``: 255 for the shield, 0 outside it and where the S is cut out.

    ``shield`` is (top, bottom, half width) and ``letter`` is the S's box and stroke (x0, y0, x1, y1, stroke),
    in pixels of the final size.
    """
    big = size * SCALE
    top, bottom, half_width = (v * SCALE for v in shield)
    shield_mask = Image.new("L", (big, big), 0)
    ImageDraw.Draw(shield_mask).polygon(_shield(big, top, bottom, half_width), fill=255)
    s_mask = Image.new("L", (big, big), 0)
    x0, y0, x1, y1, stroke = (v * SCALE for v in letter)
    _letter_s(ImageDraw.Draw(s_mask), (x0, y0, x1, y1), stroke, 255)
    mark = ImageChops.subtract(shield_mask, s_mask)
    return mark.resize((size, size), Image.Resampling.LANCZOS)


def color_icon() -> Image.Image:
    """192×192, full colour: a white shield with a blue S on an accent-blue square (Teams rounds the corners)."""
    size = 192
    mark = _mark(size, shield=(36, 160, 50), letter=(72, 56, 120, 126, 13))
    icon = Image.new("RGB", (size, size), ACCENT)
    icon.paste(Image.new("RGB", (size, size), WHITE), mask=mark)
    return icon


def outline_icon() -> Image.Image:
    """32×32, white on transparent: the same shield, the S cut out; every pixel is white, only alpha varies."""
    size = 32
    mark = _mark(size, shield=(1.5, 30.5, 12.5), letter=(11, 6.5, 21, 20.5, 3))
    icon = Image.new("RGBA", (size, size), (*WHITE, 0))
    icon.putalpha(mark)
    return icon


def write_icons(folder: Path = HERE) -> tuple[Path, Path]:
    color, outline = folder / "color.png", folder / "outline.png"
    color_icon().save(color, optimize=True)
    outline_icon().save(outline, optimize=True)
    return color, outline


if __name__ == "__main__":
    for path in write_icons():
        print(f"Skrev {path}")
