"""Fit to paper: the fewest sheets, with nothing below clear print.

A leaflet is first laid out at the density step (html.fit-1 to fit-3 in the stylesheets) that
casting off its text (pdf/castoff.py) expects to be the gentlest giving the fewest sheets; on
papers and editions the cast-off was not measured on, at the stylesheets' own step. It is laid
out again only when that layout shows another would do better:
- when a tighter step could save its last sheet: at the gentlest layout expected to do it,
  estimated from this layout, then at the next gentlest, then at the tightest;
- when a gentler step would give the same sheets, as far as this layout shows: at the gentlest
  such step not tried yet, and again from each layout kept;
- when the contact panel is left on a last page of its own: at each tighter step with the panel
  in its full and then its compact form, until one joins it to the text;
- when a page before the last ends blank at its foot, above a block kept whole and with no
  picture to move there: at each tighter step, until one takes no more sheets and leaves no
  page so.
Whatever the fitting, a layout whose page ends in a hyphenated compound, or on a blank foot
before a picture, is made once more with that compound kept whole (pdf/turns.py) and that picture
moved among its paragraphs (pdf/floats.py).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leaflets.article.assets import AssetRoots
from leaflets.config.errors import WarningSink
from leaflets.config.options import BuildOptions
from leaflets.pdf.castoff import cast_off, room
from leaflets.pdf.closing import COMPACT, COMPACT_SAVES, closing_alone
from leaflets.pdf.engine import content_height, pictures_height, render_document, write_document
from leaflets.pdf.floats import blank_feet, moved, pictures_after_blank_feet
from leaflets.pdf.turns import TRIES, hyphenated_at_turns, kept_whole
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
# A gentler step is laid out only when its text is expected to fill no more than this share of
# the sheets' room: a block kept whole leaves some room unused at a page's foot. On the shared
# corpus no gentler step above 98.5% took the same sheets, and 17 of the 414 estimates were
# misses above it (benchmarks/PAGES.md).
GENTLER_FILL = 0.985
DENSITY_KEY = "LeafletDensity"  # the PDF document information key that records the step


@dataclass(frozen=True)
class Measure:
    """What a first layout tells about saving a sheet."""

    pages: int
    filled: list[float]  # how far down each page its content reaches, in CSS pixels
    room: list[float]  # the height each page has for content
    pictured: list[float] = field(default_factory=list)  # the height its pictures take on each

    @property
    def pictures(self) -> float:
        """The height the pictures take, which no density step changes (at most the content)."""
        return min(sum(self.pictured), self.content)

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
        return Measure(self.pages - 1, self.filled[:-1], self.room[:-1], self.pictured[:-1])


# A layout: a density step, and the classes set with it on <html> (the compact contact panel).
Layout = tuple[int, tuple[str, ...]]
FIRST: Layout = (0, ())
# Layouts laid out at most in one search: the estimate, the next gentlest, the tightest.
SEARCH_TRIES = 3


def fitted_pdf(
    html: str,
    stylesheets: list[Path],
    extra_css: list[str],
    roots: AssetRoots,
    options: BuildOptions,
    report: WarningSink,
    private: bool = False,
) -> tuple[bytes, Written]:
    """The leaflet's PDF, laid out tighter when that saves a sheet or keeps the contact panel
    from a last page of its own; what it holds. `private`: a copy with a patient's note or name
    (see `render_document`)."""
    layout = (stylesheets, extra_css, roots, options, once_each(report), private)
    chosen = first_layout(html, options)
    document = render_document(with_layout(html, chosen), *layout)
    if options.fit:
        document, chosen, missed = fewer_sheets(document, chosen, html, layout, options)
        if panel_alone(document, options):
            document, chosen = panel_not_alone(document, html, chosen, layout, missed)
        if unfinished(document, options):
            document, chosen = no_unfinished_page(document, html, chosen, layout, missed, options)
    document = finished(document, with_layout(html, chosen), layout, options)
    document.metadata.custom[DENSITY_KEY] = str(chosen[0]) if options.fit else "off"
    return write_document(document, options, report, private)


def first_layout(html: str, options: BuildOptions) -> Layout:
    """The layout to lay the leaflet out at first: the gentlest step that its cast-off expects
    to give the fewest sheets; the stylesheets' own where the cast-off does not apply."""
    if not options.fit or not cast_off_applies(options):
        return FIRST
    expected = cast_off(html)
    saved = {0: 0.0, **STEP_SAVINGS}
    fewest = next(
        count
        for count in itertools.count(1)
        if expected.at(saved[max(saved)]) <= room(count * pages_per_sheet(options))
    )
    pages = fewest * pages_per_sheet(options)
    step = next(step for step in saved if expected.at(saved[step]) <= room(pages))
    return (step, ())


def cast_off_applies(options: BuildOptions) -> bool:
    """Whether the cast-off was measured on leaflets laid out with `options`: the standard
    edition on A4."""
    return options.paper == "a4" and not options.large_print and not options.booklet


def panel_alone(document: Any, options: BuildOptions) -> bool:
    """Whether the contact panel has the last page to itself; a booklet's back cover is
    its own by design."""
    return not options.booklet and closing_alone(document)


# Layouts already laid out, with their documents, from the gentlest.
Tried = list[tuple[Layout, Any]]


def fewer_sheets(
    document: Any, chosen: Layout, html: str, layout: tuple[Any, ...], options: BuildOptions
) -> tuple[Any, Layout, Tried]:
    """`document`, laid out at `chosen`, laid out again at the first of the tighter layouts
    worth trying that saves a sheet, and then at the gentlest step before it that gives the
    same sheets; with that layout and the other layouts tried."""
    missed: Tried = []
    for tried in layouts_to_save_a_sheet(measure(document), options, chosen):
        tighter = render_document(with_layout(html, tried), *layout)
        if sheets(len(tighter.pages), options) < sheets(len(document.pages), options):
            return gentlest(tighter, tried, html, layout, options, [*missed, (chosen, document)])
        missed.append((tried, tighter))
    return gentlest(document, chosen, html, layout, options, missed)


def gentlest(
    document: Any,
    chosen: Layout,
    html: str,
    layout: tuple[Any, ...],
    options: BuildOptions,
    tried: Tried,
) -> tuple[Any, Layout, Tried]:
    """`document`, laid out at `chosen`, or at the gentlest step before it that gives the same
    sheets: each time at the gentlest step not tried that the latest layout shows would fit;
    with the layouts tried besides."""
    while (gentler := gentlest_expected(measure(document), chosen, tried, options)) is not None:
        again = render_document(with_layout(html, gentler), *layout)
        if sheets(len(again.pages), options) > sheets(len(document.pages), options):
            tried = [*tried, (gentler, again)]
        else:
            tried = [*tried, (chosen, document)]
            document, chosen = again, gentler
    return document, chosen, tried


def gentlest_expected(
    found: Measure, chosen: Layout, tried: Tried, options: BuildOptions
) -> Layout | None:
    """The gentlest step before `chosen`, not tried yet, that `found` (laid out at `chosen`)
    shows would take the same sheets; None when there is none."""
    made = {layout for layout, _document in tried}
    steps = (step for step in range(chosen[0]) if (step, ()) not in made)
    # A step gentler than one that took more sheets takes more too: each step only tightens.
    taken = sheets(found.pages, options)
    longer = [at[0] for at, laid in tried if sheets(len(laid.pages), options) > taken]
    steps = (step for step in steps if step > max(longer, default=-1))
    return next(
        ((step, ()) for step in steps if gentler_would_fit(found, chosen[0], options, step)), None
    )


def gentler_would_fit(
    found: Measure, step: int, options: BuildOptions, gentler: int | None = None
) -> bool:
    """Whether the content of `found`, laid out at `step`, is expected to take the same sheets
    at the step `gentler` (by default the step before): its text grown by what that step saves
    less, its pictures as they are, with a little room to spare (GENTLER_FILL)."""
    before = step - 1 if gentler is None else gentler
    kept = (1 - STEP_SAVINGS[step]) / (1 - STEP_SAVINGS.get(before, 0.0))
    text = found.text_pages(options.booklet)
    grown = (text.content - text.pictures) / kept + text.pictures
    return grown <= GENTLER_FILL * capacity(found, options)


def capacity(found: Measure, options: BuildOptions) -> float:
    """The text that the sheets `found` takes can hold: the pages of its text, and those left
    blank on its last sheet (a booklet's back cover holds only the contact panel)."""
    blank = sheets(found.pages, options) * pages_per_sheet(options) - found.pages
    return sum(found.text_pages(options.booklet).room) + blank * found.page_height


def panel_not_alone(
    document: Any, html: str, chosen: Layout, layout: tuple[Any, ...], made: Tried
) -> tuple[Any, Layout]:
    """`document` (laid out at `chosen`), whose last page holds only the contact panel, laid
    out so that the panel joins the text, with that layout: the gentlest of the layouts worth
    trying and those already made (`made`, used again) that does it. None does: `document` as
    it was."""
    laid_out = dict(made)
    worth_trying = layouts_to_join_the_panel(measure(document), chosen)
    for tried in sorted({*worth_trying, *(each for each in laid_out if each > chosen)}):
        again = (
            laid_out[tried]
            if tried in laid_out
            else render_document(with_layout(html, tried), *layout)
        )
        if panel_joins(again, document):
            return again, tried
    return document, chosen


def panel_joins(again: Any, document: Any) -> bool:
    """Whether `again` has a page fewer than `document` and no page for the panel alone."""
    return len(again.pages) < len(document.pages) and not closing_alone(again)


def unfinished(document: Any, options: BuildOptions) -> bool:
    """Whether a page before the last ends blank at its foot with no picture to move there (a
    block kept whole did not fit); in a booklet, the last page of text comes before its notes
    and back cover by design."""
    return (
        not options.booklet and blank_feet(document) > 0 and not pictures_after_blank_feet(document)
    )


def no_unfinished_page(
    document: Any,
    html: str,
    chosen: Layout,
    layout: tuple[Any, ...],
    made: Tried,
    options: BuildOptions,
) -> tuple[Any, Layout]:
    """`document` (laid out at `chosen`), a page of which ends blank at its foot, laid out at the
    gentlest tighter step that takes no more sheets and leaves no page so, with that layout (the
    layouts in `made` used again). None does: `document` as it was."""
    laid_out = dict(made)
    for tried in [(step, chosen[1]) for step in range(chosen[0] + 1, max(STEP_SAVINGS) + 1)]:
        again = (
            laid_out[tried]
            if tried in laid_out
            else render_document(with_layout(html, tried), *layout)
        )
        if still_fits(again, document, options) and not unfinished(again, options):
            return again, tried
    return document, chosen


def layouts_to_save_a_sheet(
    found: Measure, options: BuildOptions, chosen: Layout = FIRST
) -> list[Layout]:
    """The layouts tighter than `chosen` worth trying to save the last sheet, in order; none
    when none can."""
    if found.pages <= 1 or sheets(found.pages, options) == sheets(found.pages - 1, options):
        return []
    text = found.text_pages(options.booklet)
    if text.content <= 0:
        return []
    # What must move back for the last page to go: the content past the others.
    needed = text.content - sum(text.room[:-1])
    if needed > REACH * text.content:
        return []
    return layouts_to_try(text, chosen, needed, compact=False)


def layouts_to_join_the_panel(found: Measure, chosen: Layout) -> list[Layout]:
    """The layouts worth trying to bring a panel back from a page of its own, in order."""
    # What must move back: everything past the other pages, and at least what the room left
    # on the page before cannot take (a block kept whole leaves room unused at a page's foot).
    overflow = found.content - sum(found.room[:-1])
    needed = max(overflow, found.filled[-1] - (found.room[-2] - found.filled[-2]))
    return layouts_to_try(found, chosen, needed, compact=True)


def layouts_to_try(found: Measure, chosen: Layout, needed: float, compact: bool) -> list[Layout]:
    """Of the layouts tighter than `chosen`, in order from the gentlest: the first expected to
    take `needed` off the content of `found` (with a fifth to spare), the next one, since a
    block kept whole makes the estimate miss either way, and the tightest."""
    tighter = tighter_than(chosen, compact)
    first = next(
        (at for at, tried in enumerate(tighter) if saving(found, chosen, tried) >= needed * MARGIN),
        len(tighter) - 1,
    )
    return list(dict.fromkeys(tighter[first : first + SEARCH_TRIES - 1] + tighter[-1:]))


def tighter_than(chosen: Layout, compact: bool) -> list[Layout]:
    """The layouts after `chosen`, from the gentlest: each step plain, then with the compact
    panel (when `compact`)."""
    forms: tuple[tuple[str, ...], ...] = ((), (COMPACT,)) if compact else ((),)
    every = [(step, classes) for step in range(max(STEP_SAVINGS) + 1) for classes in forms]
    return every[every.index(chosen) + 1 :] if chosen in every else []


def saving(found: Measure, chosen: Layout, tried: Layout) -> float:
    """How much shorter (CSS pixels) the content of `found`, laid out at `chosen`, is expected
    to be at `tried`."""
    kept = (1 - STEP_SAVINGS.get(tried[0], 0.0)) / (1 - STEP_SAVINGS.get(chosen[0], 0.0))
    panel = COMPACT_SAVES * found.page_height if COMPACT in tried[1] and not chosen[1] else 0.0
    return found.content * (1 - kept) + panel


def finished(document: Any, html: str, layout: tuple[Any, ...], options: BuildOptions) -> Any:
    """`document`, laid out again with each compound hyphenated across a page turn kept whole
    and each picture that leaves a blank foot moved among its paragraphs; a layout that takes
    another sheet or leaves the contact panel alone is refused, and so are moved pictures that
    leave no less blank."""
    for _try in range(TRIES):
        whole = kept_whole(html, hyphenated_at_turns(document))
        floated = moved(whole, pictures_after_blank_feet(document))
        for touched in dict.fromkeys((floated, whole)):
            if touched == html:  # nothing to do, or a word with a hyphen of its own, which stays
                continue
            again = render_document(touched, *layout)
            if still_fits(again, document, options) and (
                touched == whole or blank_feet(again) < blank_feet(document)
            ):
                html, document = touched, again
                break
        else:
            break
    return document


def still_fits(again: Any, document: Any, options: BuildOptions) -> bool:
    """Whether `again` takes no more sheets than `document`, and leaves the contact panel
    alone only where `document` did."""
    if sheets(len(again.pages), options) > sheets(len(document.pages), options):
        return False
    return not panel_alone(again, options) or panel_alone(document, options)


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


def with_step(html: str, step: int, *more: str) -> str:
    """The leaflet HTML with density step `step` (and the classes `more`) set on its root
    element; step 0 is the stylesheets' own."""
    classes = [f"fit-{step}"] if step else []
    classes += more
    if not classes:
        return html
    return html.replace("<html ", f'<html class="{" ".join(classes)}" ', 1)


def with_layout(html: str, layout: Layout) -> str:
    """The leaflet HTML laid out at `layout`."""
    step, classes = layout
    return with_step(html, step, *classes)


def measure(document: Any) -> Measure:
    """Page count and the height of content on each page of a rendered document."""
    filled = [content_height(page._page_box) for page in document.pages]
    room = [page._page_box.height for page in document.pages]
    pictured = [pictures_height(page._page_box) for page in document.pages]
    return Measure(len(document.pages), filled, room, pictured)
