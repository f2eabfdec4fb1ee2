"""Bleed and crop marks for a print shop: WeasyPrint's `@page { bleed; marks }`, exact boxes."""

from __future__ import annotations

import io
import re

from leaflets.config.errors import LeafletError
from leaflets.config.options import BuildOptions

MM = 72 / 25.4
DEFAULT_BLEED_MM = 3.0
MAX_BLEED_MM = 10.0
# WeasyPrint draws crop marks in the outer half of the CSS bleed. Widening the CSS bleed by
# this much keeps the marks (then at least 2.5 mm long) off the artwork that runs into the bleed.
MARK_ZONE_MM = 5.0

_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)?\s*$", re.IGNORECASE)
_UNIT_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72}


def bleed_mm(options: BuildOptions) -> float | None:
    """The bleed asked for, in millimetres; crop marks alone get the usual 3 mm."""
    if options.bleed is None:
        return DEFAULT_BLEED_MM if options.crop_marks else None
    return parse_length(options.bleed)


def parse_length(text: str) -> float:
    """'3mm', '0.125in', '9pt' or a bare number of millimetres, as millimetres."""
    match = _LENGTH.match(text)
    if not match:
        raise LeafletError(None, f"--bleed {text!r} is not a length such as 3mm")
    value = float(match.group(1)) * _UNIT_MM[(match.group(2) or "mm").lower()]
    if value > MAX_BLEED_MM:
        raise LeafletError(None, f"--bleed {text} is more than {MAX_BLEED_MM:g} mm")
    return value


def check_bleed(options: BuildOptions) -> None:
    """Refuse bleed settings that cannot be printed."""
    if options.booklet and (options.bleed is not None or options.crop_marks):
        raise LeafletError(
            None, "--bleed and --crop-marks are for single pages; a print shop imposes booklets"
        )
    bleed_mm(options)


def bleed_css(options: BuildOptions) -> str | None:
    """The generated page rules for bleed and crop marks; bleed.css reads `--bleed`."""
    bleed = bleed_mm(options)
    if bleed is None:
        return None
    page_bleed = bleed + MARK_ZONE_MM if options.crop_marks else bleed
    marks = "crop" if options.crop_marks else "none"
    return (
        f"@page {{ bleed: {page_bleed:.3f}mm; marks: {marks}; }}\n"
        f":root {{ --bleed: {bleed:.3f}mm; }}\n"
    )


def exact_bleed_boxes(data: bytes, options: BuildOptions) -> bytes:
    """Set each page's BleedBox to its TrimBox plus the bleed asked for."""
    bleed = bleed_mm(options)
    if bleed is None:
        return data
    import pikepdf

    margin = bleed * MM
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            left, bottom, right, top = (float(value) for value in page.obj["/TrimBox"])
            page.obj["/BleedBox"] = pikepdf.Array(
                [left - margin, bottom - margin, right + margin, top + margin]
            )
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()
