"""Fit to paper: the fewest sheets, with nothing below clear print.

A leaflet is laid out once. Only when a tighter density step (html.fit-1 to fit-3 in the
stylesheets) could save its last sheet is it laid out again: at the gentlest step expected to
save it, estimated from the first layout, and, when that step does not, at each tighter one in
turn. The first layout that saves the sheet is kept: the gentlest that does, as far as the
estimate is right.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leaflets.article.assets import AssetRoots
from leaflets.config.errors import WarningSink
from leaflets.config.options import BuildOptions
from leaflets.pdf.engine import render_document, write_document
from leaflets.pdf.written import Written

# How much shorter each step makes an A4 leaflet (the median, in pages' worth of content),
# measured on the 69 FysFinder articles of the shared corpus; see benchmarks/PAGES.md.
STEP_SAVINGS = {1: 0.047, 2: 0.085, 3: 0.184}
# A step is asked to save a fifth more than must go: a block kept whole wastes some room at the
# foot of a page.
MARGIN = 1.2
# The most the tightest step saved of any leaflet of the shared corpus was 23%: a leaflet
# that must lose more than this to save its last sheet is not laid out again.
REACH = 0.25
DENSITY_KEY = "LeafletDensity"  # the PDF document information key that records the step


@dataclass(frozen=True)
class Measure:
    """What a first layout tells about saving a sheet."""

    pages: int
    filled: list[float]  # how far down each page its content reaches, in CSS pixels
    room: list[float]  # the height each page has for content

    @property
    def page_height(self) -> float:
        return self.room[-1]

    @property
    def content(self) -> float:
        return sum(self.filled)

    def text_pages(self, back_cover: bool) -> Measure:
        """The pages the article runs over: a booklet's back cover holds only the contact panel."""
        if not back_cover:
            return self
        return Measure(self.pages - 1, self.filled[:-1], self.room[:-1])


def fitted_pdf(
    html: str,
    stylesheets: list[Path],
    extra_css: list[str],
    roots: AssetRoots,
    options: BuildOptions,
    report: WarningSink,
    private: bool = False,
) -> tuple[bytes, Written]:
    """The leaflet's PDF, laid out one step tighter when that saves a sheet; what it holds.
    `private`: a copy with a patient's note or name (see `render_document`)."""
    layout = (stylesheets, extra_css, roots, options, once_each(report), private)
    document = render_document(html, *layout)
    step = 0
    for wanted in steps_to_try(measure(document), options) if options.fit else []:
        tighter = render_document(with_step(html, wanted), *layout)
        if sheets(len(tighter.pages), options) < sheets(len(document.pages), options):
            document, step = tighter, wanted
            break
    document.metadata.custom[DENSITY_KEY] = str(step) if options.fit else "off"
    return write_document(document, options, report, private)


def once_each(report: WarningSink) -> WarningSink:
    """`report`, passing each message on only once: the tighter layout finds what the first
    one found (a missing glyph, a refused file) again."""
    seen: set[str] = set()

    def report_once(message: str) -> None:
        if message not in seen:
            seen.add(message)
            report(message)

    return report_once


def pages_per_sheet(options: BuildOptions) -> int:
    """Pages on one sheet of paper: two printed duplex, four in a folded booklet."""
    return 4 if options.booklet else 2


def sheets(pages: int, options: BuildOptions) -> int:
    """Sheets of paper a leaflet of `pages` pages takes."""
    return -(-pages // pages_per_sheet(options))


def steps_to_try(found: Measure, options: BuildOptions) -> list[int]:
    """The density steps worth a layout to save the last sheet, in order: the gentlest expected
    to save it, then each tighter one; none when no step can."""
    if found.pages <= 1 or sheets(found.pages, options) == sheets(found.pages - 1, options):
        return []
    text = found.text_pages(options.booklet)
    if text.content <= 0:
        return []
    # What must move back for the last page to go: the share of the content past the others.
    least = (text.content - sum(text.room[:-1])) / text.content
    if least > REACH:
        return []
    tightest = max(STEP_SAVINGS)
    wanted = next(
        (step for step, saves in STEP_SAVINGS.items() if saves >= least * MARGIN), tightest
    )
    return list(range(wanted, tightest + 1))


def with_step(html: str, step: int) -> str:
    """The leaflet HTML with density step `step` set on its root element."""
    return html.replace("<html ", f'<html class="fit-{step}" ', 1)


def measure(document: Any) -> Measure:
    """Page count and the height of content on each page of a rendered document."""
    filled = [_content_height(page._page_box) for page in document.pages]
    room = [page._page_box.height for page in document.pages]
    return Measure(len(document.pages), filled, room)


def _content_height(page_box: Any) -> float:
    """How far down the page's content area the lowest line or picture reaches."""
    from weasyprint.formatting_structure import boxes

    top = float(page_box.content_box_y())
    root = next(child for child in page_box.children if child.element_tag == "html")
    bottoms = [
        float(box.position_y + box.margin_height())
        for box in root.descendants()
        if isinstance(box, (boxes.LineBox, boxes.ReplacedBox))
    ]
    return max([top, *bottoms]) - top
