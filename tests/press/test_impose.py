"""Booklet imposition, checked by stamping page numbers and reading them back from the sheets."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from weasyprint import HTML

from leaflets.press.impose import impose_booklet, padded_count, saddle_stitch_sides
from leaflets.press.paper import PAPERS

A4_LANDSCAPE = PAPERS["a4"].landscape


def numbered_pages(count: int) -> bytes:
    """An A5 PDF whose pages show nothing but their own number."""
    pages = "".join(
        f'<p style="break-after: page; font-size: 40pt; margin: 0">{number}</p>'
        for number in range(1, count + 1)
    )
    html = f"<style>@page {{ size: A5; margin: 20mm }}</style>{pages}"
    data = HTML(string=html).write_pdf()
    assert isinstance(data, bytes)
    return data


def read_sides(data: bytes) -> list[tuple[int | None, int | None]]:
    """(left, right) page numbers printed on each side of each sheet; None where blank."""
    sides = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            assert (round(page.width), round(page.height)) == (842, 595)
            halves: list[int | None] = [None, None]
            for word in page.extract_words():
                half = 0 if word["x1"] <= page.width / 2 else 1
                assert halves[half] is None, "two pages stamped on one half"
                halves[half] = int(word["text"])
            sides.append((halves[0], halves[1]))
    return sides


def reading_order(sides: list[tuple[int | None, int | None]]) -> list[int | None]:
    """The order a reader meets the pages after folding the stacked sheets in the middle.

    Sheet k's front is side 2k and its back side 2k+1 (short-edge flip keeps left and right).
    Going in, each sheet shows its front's right half, then its back's left half; coming out
    of the centre, each sheet (innermost first) shows its back's right half, then its front's
    left half.
    """
    sheets = [(sides[i], sides[i + 1]) for i in range(0, len(sides), 2)]
    going_in = [page for front, back in sheets for page in (front[1], back[0])]
    coming_out = [page for front, back in reversed(sheets) for page in (back[1], front[0])]
    return going_in + coming_out


@pytest.mark.parametrize("count", range(1, 10))
def test_a_folded_booklet_reads_in_order(count: int) -> None:
    sides = read_sides(impose_booklet(numbered_pages(count), A4_LANDSCAPE, back_cover=False))
    total = padded_count(count)
    assert len(sides) == total // 2
    assert reading_order(sides) == [*range(1, count + 1), *[None] * (total - count)]


@pytest.mark.parametrize("count", range(2, 10))
def test_the_back_cover_stays_last_with_the_blank_pages_before_it(count: int) -> None:
    sides = read_sides(impose_booklet(numbered_pages(count), A4_LANDSCAPE))
    blanks = [None] * (padded_count(count) - count)
    assert reading_order(sides) == [*range(1, count), *blanks, count]


@pytest.mark.parametrize(("count", "padded"), [(1, 4), (4, 4), (5, 8), (8, 8), (9, 12)])
def test_pages_are_padded_to_a_multiple_of_four(count: int, padded: int) -> None:
    assert padded_count(count) == padded
    assert len(saddle_stitch_sides(count)) == padded // 2


def test_an_eight_page_booklet_has_the_usual_imposition() -> None:
    assert saddle_stitch_sides(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]


def stamped_page(text: str) -> bytes:
    """A one-page A5 PDF that shows `text`, standing in for the notes page."""
    html = f'<style>@page {{ size: A5; margin: 20mm }}</style><p style="font-size: 40pt">{text}</p>'
    data = HTML(string=html).write_pdf()
    assert isinstance(data, bytes)
    return data


def read_halves(data: bytes) -> list[tuple[str, str]]:
    """The words on the left and right half of each side, joined."""
    sides = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            halves = ["", ""]
            for word in page.extract_words():
                halves[0 if word["x1"] <= page.width / 2 else 1] += word["text"]
            sides.append((halves[0], halves[1]))
    return sides


@pytest.mark.parametrize("pages", [5, 6, 7, 8])
def test_every_page_left_over_is_the_notes_page(pages: int) -> None:
    imposed = impose_booklet(numbered_pages(pages), A4_LANDSCAPE, notes=stamped_page("Noter"))
    halves = [half for side in read_halves(imposed) for half in side]
    expected = [
        str(index + 1) if index is not None else "Noter"
        for side in saddle_stitch_sides(pages, back_cover=True)
        for index in side
    ]
    assert halves == expected
    assert halves.count("Noter") == padded_count(pages) - pages
