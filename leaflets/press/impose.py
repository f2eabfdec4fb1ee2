"""Booklet imposition: pages two to a landscape sheet, in saddle-stitch order."""

from __future__ import annotations

import io
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


def booklet_order(pages: int, back_cover: bool = False) -> list[int | None]:
    """The booklet's pages in reading order, padded with blank pages (None) to whole sheets."""
    blanks: list[int | None] = [None] * (padded_count(pages) - pages)
    if back_cover and pages > 1:
        return [*range(pages - 1), *blanks, pages - 1]
    return [*range(pages), *blanks]


def impose_booklet(data: bytes, sheet: tuple[float, float], back_cover: bool = True) -> bytes:
    """The PDF `data` imposed for a saddle-stitched booklet on landscape sheets of `sheet` size;
    its last page is the back cover."""
    import pikepdf

    width, height = sheet
    halves = (
        pikepdf.Rectangle(0, 0, width / 2, height),
        pikepdf.Rectangle(width / 2, 0, width, height),
    )
    with pikepdf.open(io.BytesIO(data)) as source, pikepdf.new() as booklet:
        _copy_document_info(source, booklet)
        right_to_left = reads_right_to_left(source)
        for side in saddle_stitch_sides(len(source.pages), back_cover):
            if right_to_left:
                side = (side[1], side[0])  # bound on the right: every spread mirrored
            printed = booklet.add_blank_page(page_size=(width, height))
            for index, area in zip(side, halves, strict=True):
                if index is not None:
                    _place(booklet, printed, source.pages[index], index, area)
        out = io.BytesIO()
        booklet.save(out, deterministic_id=True)
    return out.getvalue()


def reads_right_to_left(pdf: pikepdf.Pdf) -> bool:
    """Whether the PDF's viewer preferences say it reads right to left (Arabic, say)."""
    preferences = pdf.Root.get("/ViewerPreferences")
    return preferences is not None and str(preferences.get("/Direction", "")) == "/R2L"


def _place(
    booklet: pikepdf.Pdf,
    sheet: pikepdf.Page,
    page: pikepdf.Page,
    index: int,
    area: pikepdf.Rectangle,
) -> None:
    """Draw `page` into `area` of the sheet, under a fixed name so that builds are reproducible."""
    import pikepdf

    form = booklet.copy_foreign(page.as_form_xobject())
    name = sheet.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(f"/Page{index + 1}"))
    sheet.contents_add(sheet.calc_form_xobject_placement(form, name, area))


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
