"""Booklet imposition: pages two to a landscape sheet, in saddle-stitch order."""

from __future__ import annotations

import io
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pikepdf

Side = tuple[int | None, int | None]


def padded_count(pages: int) -> int:
    """The page count rounded up to a whole number of folded sheets (4 pages each)."""
    return max(4, -(-pages // 4) * 4)


def saddle_stitch_sides(pages: int, back_cover: bool = False) -> list[Side]:
    """(left, right) page indexes for each printed side; None is a blank page.

    Printed duplex (short-edge flip), stacked and folded in the middle, the sheets read in order.
    With a back cover, the last page stays last and the blank pages go just before it.
    """
    order = booklet_order(pages, back_cover)
    total = len(order)
    sides: list[Side] = []
    for sheet in range(total // 4):
        low, high = 2 * sheet, total - 1 - 2 * sheet
        sides += [(order[high], order[low]), (order[low + 1], order[high - 1])]
    return sides


def blank_pages(pages: int) -> int:
    """Pages a booklet of `pages` pages has left over on its last sheet."""
    return padded_count(pages) - pages


def booklet_order(pages: int, back_cover: bool = False) -> list[int | None]:
    """The booklet's pages in reading order, padded with blank pages (None) to whole sheets."""
    blanks: list[int | None] = [None] * blank_pages(pages)
    if back_cover and pages > 1:
        return [*range(pages - 1), *blanks, pages - 1]
    return [*range(pages), *blanks]


def impose_booklet(
    data: bytes, sheet: tuple[float, float], back_cover: bool = True, notes: bytes | None = None
) -> bytes:
    """The PDF `data` imposed for a saddle-stitched booklet on landscape sheets of `sheet` size;
    its last page is the back cover. Each page left over is the first page of `notes` (a page
    to write on), or blank without it."""
    import pikepdf

    width, height = sheet
    halves = (
        pikepdf.Rectangle(0, 0, width / 2, height),
        pikepdf.Rectangle(width / 2, 0, width, height),
    )
    with (
        pikepdf.open(io.BytesIO(data)) as source,
        pikepdf.new() as booklet,
        _notes_source(notes) as notes_pdf,
    ):
        _copy_document_info(source, booklet)
        right_to_left = reads_right_to_left(source)
        notes_page = notes_pdf.pages[0] if notes_pdf is not None and notes_pdf.pages else None
        for side in saddle_stitch_sides(len(source.pages), back_cover):
            if right_to_left:
                side = (side[1], side[0])  # bound on the right: every spread mirrored
            printed = booklet.add_blank_page(page_size=(width, height))
            for index, area in zip(side, halves, strict=True):
                if index is not None:
                    _place(booklet, printed, source.pages[index], f"/Page{index + 1}", area)
                elif notes_page is not None:
                    _place(booklet, printed, notes_page, "/Notes", area)
        out = io.BytesIO()
        booklet.save(out, deterministic_id=True)
    return out.getvalue()


def _notes_source(notes: bytes | None) -> AbstractContextManager[pikepdf.Pdf | None]:
    """The notes page's PDF, opened; nothing when there is none."""
    import pikepdf

    return pikepdf.open(io.BytesIO(notes)) if notes is not None else nullcontext()


def reads_right_to_left(pdf: pikepdf.Pdf) -> bool:
    """Whether the PDF's viewer preferences say it reads right to left (Arabic, say)."""
    preferences = pdf.Root.get("/ViewerPreferences")
    return preferences is not None and str(preferences.get("/Direction", "")) == "/R2L"


def _place(
    booklet: pikepdf.Pdf,
    sheet: pikepdf.Page,
    page: pikepdf.Page,
    name: str,
    area: pikepdf.Rectangle,
) -> None:
    """Draw `page` into `area` of the sheet, under a fixed `name` so that builds are
    reproducible."""
    import pikepdf

    form = booklet.copy_foreign(page.as_form_xobject())
    placed = sheet.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(name))
    sheet.contents_add(sheet.calc_form_xobject_placement(form, placed, area))


def _copy_document_info(source: pikepdf.Pdf, target: pikepdf.Pdf) -> None:
    """Title, language and dates survive imposition."""
    import pikepdf

    target.docinfo = target.copy_foreign(source.docinfo)  # type: ignore[assignment]
    if "/Lang" in source.Root:
        target.Root.Lang = source.Root.Lang
    preferences = pikepdf.Dictionary(DisplayDocTitle=True, Duplex=pikepdf.Name.DuplexFlipShortEdge)
    if reads_right_to_left(source):
        preferences.Direction = pikepdf.Name.R2L
    target.Root.ViewerPreferences = preferences
