"""An edition of a leaflet: the way it is printed, and the name its PDF goes by.

Every edition of an article has its own PDF beside the others: `slug.pdf` for the clinic's
standard edition, `slug-large-print.pdf`, `slug-a5.pdf`, `slug-booklet.pdf` and so on.
"""

from __future__ import annotations

from dataclasses import replace

from leaflets.config.options import Settled
from leaflets.press.bleed import parse_length
from leaflets.press.paper import sheet_paper

STANDARD = ""


def variant_suffix(options: Settled) -> str:
    """'' for the standard edition; '-a5', '-booklet', '-large-print' and so on for others."""
    sheet = sheet_paper(options).name
    house = sheet_paper(replace(options, paper=options.house_paper)).name
    parts = [] if sheet == house else [sheet]
    parts += ["booklet"] if options.booklet else []
    parts += ["large-print"] if options.large_print else []
    parts += [f"bleed-{parse_length(options.bleed):g}mm"] if options.bleed is not None else []
    parts += ["crop-marks"] if options.crop_marks else []
    parts += ["pdfa"] if options.pdfa else []
    return "".join(f"-{part}" for part in parts)


def edition_name(variant: str) -> str:
    """How an edition is named in the manifest: 'standard', 'large-print', 'a5-booklet'."""
    return variant.removeprefix("-") or "standard"


def variant_of(name: str) -> str:
    """The suffix of an edition named in the manifest."""
    return "" if name == "standard" else f"-{name}"
