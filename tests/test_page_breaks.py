"""Page breaks in a long leaflet, read back from the real PDF in each layout.

No page ends with a heading, no FAQ question is parted from its answer, and no paragraph or
list item leaves a lone line at the bottom or top of a page.
"""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import pytest

from leaflets.cli.main import main

from .layout import Block, body_lines, html_blocks, place_blocks

LONG_ARTICLE = Path(__file__).parent / "fixtures" / "long-article.md"

# name: (build options, page margin top and bottom in mm, as the format stylesheets set them)
LAYOUTS = {
    "a4": ([], 20, 22),
    "a5": (["--format", "a5"], 15, 18),
    "letter": (["--format", "letter"], 20, 22),
    "large-print": (["--large-print"], 20, 28),
}


@pytest.fixture(scope="module", params=sorted(LAYOUTS))
def placed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> list[Block]:
    """The long article's blocks, each with the pages its lines were printed on."""
    options, top, bottom = LAYOUTS[request.param]
    target = tmp_path_factory.mktemp(request.param) / "long.pdf"
    assert main(["build", str(LONG_ARTICLE), "-o", str(target), "--html", *options]) == 0
    blocks = html_blocks(target.with_suffix(".html").read_text(encoding="utf-8"))
    return place_blocks(blocks, body_lines(target, top, bottom))


def test_the_long_article_runs_to_six_pages_or_more(placed: list[Block]) -> None:
    assert placed[-1].pages[-1] >= 6


def test_no_page_ends_with_a_heading(placed: list[Block]) -> None:
    for heading, following in itertools.pairwise(placed):
        if heading.is_heading:
            assert following.pages[0] == heading.pages[-1], f"stranded: {heading.text!r}"
    assert not placed[-1].is_heading


def test_headings_are_never_split(placed: list[Block]) -> None:
    for block in placed:
        if block.is_heading:
            assert len(set(block.pages)) == 1, block.text


def test_each_faq_question_shares_its_page_with_its_whole_answer(placed: list[Block]) -> None:
    entries: dict[int, set[int]] = {}
    for block in placed:
        if block.question is not None:
            entries.setdefault(block.question, set()).update(block.pages)
    assert len(entries) == 8
    for question, pages in entries.items():
        assert len(pages) == 1, f"FAQ entry {question + 1} is split over pages {sorted(pages)}"


def test_no_lone_line_at_the_bottom_or_top_of_a_page(placed: list[Block]) -> None:
    for block in placed:
        lines_on = Counter(block.pages)
        if len(lines_on) > 1:
            assert min(lines_on.values()) >= 2, f"{block.text[:50]!r}: {dict(lines_on)}"


def test_some_paragraph_does_break_across_pages(placed: list[Block]) -> None:
    # Otherwise the widow and orphan check above would have nothing to look at.
    assert any(len(set(block.pages)) > 1 for block in placed)
