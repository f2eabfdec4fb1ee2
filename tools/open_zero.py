"""Give the bundled Atkinson Hyperlegible Next an open zero, in place.

The font's slashed zero reads as the letter Ø in Danish ("8ØØØ Aarhus C"). This replaces the
two counters of the slashed zero by one oval counter, the zero's own outline scaled to the
counters' extent (upright for the italic), and keeps every other glyph as it is. The font
has no Reserved Font Name (styles/fonts/OFL.txt), so the modified font keeps its name; its
version string says it was modified. Run once with `python tools/open_zero.py`; the fonts
are committed, the script is kept to show how they were made.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from pathlib import Path

from fontTools.pens.recordingPen import RecordingPen
from fontTools.pens.reverseContourPen import ReverseContourPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parent.parent / "styles" / "fonts"
MARK = "open zero"

Point = tuple[float, float]
Contour = list[tuple[str, tuple[Point | None, ...]]]


def contours(font: TTFont, name: str) -> list[Contour]:
    """The glyph's outline, one list of pen operations per contour."""
    pen = RecordingPen()
    font.getGlyphSet()[name].draw(pen)
    found: list[Contour] = []
    current: Contour = []
    for operation, points in pen.value:
        current.append((operation, points))
        if operation in ("closePath", "endPath"):
            found.append(current)
            current = []
    return found


def bounds(contour: Contour, upright: Callable[[Point], Point]) -> tuple[float, ...]:
    points = [upright(point) for _op, args in contour for point in args if point is not None]
    xs, ys = [x for x, _y in points], [y for _x, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def open_zero(font: TTFont) -> None:
    """Replace the slashed zero's counters by one open oval counter."""
    slant = math.tan(math.radians(-font["post"].italicAngle))

    def upright(point: Point) -> Point:
        return point[0] - slant * point[1], point[1]

    def slanted(point: Point) -> Point:
        return point[0] + slant * point[1], point[1]

    outer, *counters = sorted(contours(font, "zero"), key=lambda c: -_area(bounds(c, upright)))
    ox0, oy0, ox1, oy1 = bounds(outer, upright)
    inner = [bounds(counter, upright) for counter in counters]
    ix0, iy0 = min(b[0] for b in inner), min(b[1] for b in inner)
    ix1, iy1 = max(b[2] for b in inner), max(b[3] for b in inner)
    sx, sy = (ix1 - ix0) / (ox1 - ox0), (iy1 - iy0) / (oy1 - oy0)

    def to_counter(point: Point) -> Point:
        x, y = upright(point)
        return slanted((ix0 + (x - ox0) * sx, iy0 + (y - oy0) * sy))

    glyph_pen = TTGlyphPen(font.getGlyphSet())
    _replay(outer, glyph_pen, lambda point: point)
    _replay(outer, ReverseContourPen(glyph_pen), to_counter)
    font["glyf"]["zero"] = glyph_pen.glyph()


def _area(box: tuple[float, ...]) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _replay(contour: Contour, pen: object, move: Callable[[Point], Point]) -> None:
    for operation, points in contour:
        moved = tuple(None if point is None else move(point) for point in points)
        getattr(pen, operation)(*moved)


def mark_version(font: TTFont) -> None:
    for record in font["name"].names:
        if record.nameID == 5 and MARK not in record.toUnicode():
            record.string = f"{record.toUnicode()}; {MARK}"


def main() -> None:
    for path in sorted(FONTS.glob("AtkinsonHyperlegibleNext-*.ttf")):
        font = TTFont(path)
        if any(MARK in record.toUnicode() for record in font["name"].names if record.nameID == 5):
            print(f"{path.name}: already has an open zero", file=sys.stderr)
            continue
        open_zero(font)
        mark_version(font)
        font.save(path)
        print(f"{path.name}: open zero", file=sys.stderr)


if __name__ == "__main__":
    main()
