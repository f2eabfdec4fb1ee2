"""Casting off: how many pages a leaflet's text will take, counted from its HTML before any layout.

A typesetter casts off copy to choose the type before setting it. Fitting does the same to choose
the density step of its first layout, so that a long leaflet is not first laid out at a step it
cannot keep. The count is an estimate; every step it chooses is still proven by a layout.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html.parser import HTMLParser

# Pages' worth of content at the stylesheets' own step of an A4 leaflet, from what its main text
# holds. Fitted on the 69 FysFinder articles of the shared corpus: it misses by 4.4% (standard
# deviation, each article left out of the fit in turn); see benchmarks/PAGES.md.
FURNITURE = 0.626  # the title block, the FAQ's heading and the contact panel
PER_LINE = 0.0284
PER_SECTION_HEADING = 0.0594
PER_QUESTION = 0.0123
PER_TABLE_ROW = 0.0474
PER_PICTURE = 0.431
# The characters a line of a paragraph and of a list item holds at that step.
LINE_LENGTH = {"p": 88, "li": 82}
# The first page has no running header: it holds this much more than the others.
FIRST_PAGE_EXTRA = 0.038

_BLOCKS = {"p", "li", "h2", "h3", "h4", "tr"}
_WHITESPACE = re.compile(r"\s+")


class _Counter(HTMLParser):
    """Lines of text, headings, table rows and pictures in a leaflet's <main>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_main = False
        self.block: str | None = None
        self.text: list[str] = []
        self.lines = 0
        self.counts = {"h2": 0, "h3": 0, "tr": 0, "img": 0}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self.in_main = True
        if not self.in_main:
            return
        if tag == "img":
            self.counts["img"] += 1
        # A paragraph inside a list item or a table cell belongs to that item or row.
        if tag in _BLOCKS and not (tag == "p" and self.block in ("li", "tr")):
            self.close_block()
            self.block = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self.block or tag == "main":
            self.close_block()
        if tag == "main":
            self.in_main = False

    def handle_data(self, data: str) -> None:
        if self.block:
            self.text.append(data)

    def close_block(self) -> None:
        if self.block in LINE_LENGTH:
            characters = len(_WHITESPACE.sub(" ", "".join(self.text)).strip().replace("\xad", ""))
            self.lines += math.ceil(characters / LINE_LENGTH[self.block])
        elif self.block is not None:
            self.counts["h3" if self.block == "h4" else self.block] += 1
        self.block = None
        self.text = []


@dataclass(frozen=True)
class CastOff:
    """The pages a leaflet is expected to take at the stylesheets' own step on A4, counted in
    page heights of a page after the first: its text, and its pictures, which a denser step
    does not make smaller."""

    text: float
    pictures: float

    def at(self, saving: float) -> float:
        """The pages expected at a step that makes text `saving` shorter."""
        return self.text * (1 - saving) + self.pictures


def cast_off(html: str) -> CastOff:
    """The pages the leaflet `html` is expected to take."""
    counter = _Counter()
    counter.feed(html)
    counter.close()
    counter.close_block()
    counts = counter.counts
    text = (
        FURNITURE
        + PER_LINE * counter.lines
        + PER_SECTION_HEADING * counts["h2"]
        + PER_QUESTION * counts["h3"]
        + PER_TABLE_ROW * counts["tr"]
    )
    return CastOff(text, PER_PICTURE * counts["img"])


def room(pages: int) -> float:
    """The content `pages` pages hold, in page heights of a page after the first."""
    return pages + FIRST_PAGE_EXTRA
