"""Page breaks in a long leaflet, read back from the real PDF in each layout.

No page ends with a heading, no FAQ question is parted from the first lines of its answer,
no paragraph or list item leaves a lone line at the bottom or top of a page, and no page but
the last is left with much blank space at its foot.
"""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import pytest

from leaflets.cli.main import main

from ..layout import Block, blank_at_bottom, body_lines, html_blocks, place_blocks
from ..paths import TESTS

LONG_ARTICLE = TESTS / "fixtures" / "long-article.md"

# name: (build options, page margin top and bottom in mm, as tokens.css and the format and
# large-print stylesheets set them; without fitting, which would tighten them)
LAYOUTS = {
    "a4": ([], 15, 19),
    "a5": (["--format", "a5"], 14, 20),
    "letter": (["--format", "letter"], 15, 19),
    "large-print": (["--large-print"], 15, 26),
}
# A page but the last may leave at most this share of its height blank at the bottom.
MOST_BLANK = 0.15


@pytest.fixture(scope="module", params=sorted(LAYOUTS))
def placed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> list[Block]:
    """The long article's blocks, each with the pages its lines were printed on."""
    options, top, bottom = LAYOUTS[request.param]
    target = tmp_path_factory.mktemp(request.param) / "long.pdf"
    command = ["build", str(LONG_ARTICLE), "-o", str(target), "--html", "--no-fit", *options]
    assert main(command) == 0
    blocks = html_blocks(target.with_suffix(".html").read_text(encoding="utf-8"))
    return place_blocks(blocks, body_lines(target, top, bottom))


@pytest.fixture(scope="module", params=sorted(LAYOUTS))
def long_pdf(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, float]:
    """The long article built in one layout (fitted, as a user builds it), and its bottom margin."""
    options, _top, bottom = LAYOUTS[request.param]
    target = tmp_path_factory.mktemp(f"blank-{request.param}") / "long.pdf"
    assert main(["build", str(LONG_ARTICLE), "-o", str(target), *options]) == 0
    return target, bottom


def test_the_long_article_runs_to_six_pages_or_more(placed: list[Block]) -> None:
    assert placed[-1].pages[-1] >= 6


def test_a_heading_keeps_the_first_two_lines_of_its_text(placed: list[Block]) -> None:
    for heading, following in itertools.pairwise(placed):
        if heading.is_heading and not following.is_heading:
            first_lines = following.pages[:2]
            assert set(first_lines) == {heading.pages[-1]}, f"stranded: {heading.text!r}"
        elif heading.is_heading:
            assert following.pages[0] == heading.pages[-1], f"stranded: {heading.text!r}"
    assert not placed[-1].is_heading


def test_headings_are_never_split(placed: list[Block]) -> None:
    for block in placed:
        if block.is_heading:
            assert len(set(block.pages)) == 1, block.text


def test_each_faq_question_shares_its_page_with_the_start_of_its_answer(
    placed: list[Block],
) -> None:
    questions = 0
    for question, answer in itertools.pairwise(placed):
        if question.is_question:
            questions += 1
            first_lines = answer.pages[:2]
            assert answer.question == question.question
            assert set(first_lines) == {question.pages[-1]}, f"parted: {question.text!r}"
    assert questions == 8


def test_faq_answers_may_run_on_to_the_next_page(placed: list[Block]) -> None:
    # Keeping every answer whole left gaps; the FAQ now flows, so some entry may break.
    entries: dict[int, set[int]] = {}
    for block in placed:
        if block.question is not None:
            entries.setdefault(block.question, set()).update(block.pages)
    assert len(entries) == 8


def test_no_lone_line_at_the_bottom_or_top_of_a_page(placed: list[Block]) -> None:
    for block in placed:
        lines_on = Counter(block.pages)
        if len(lines_on) > 1:
            assert min(lines_on.values()) >= 2, f"{block.text[:50]!r}: {dict(lines_on)}"


# On A4 the long article's paragraphs happen to end at the page breaks; on these, some do not.
@pytest.mark.parametrize("placed", ["a5", "large-print", "letter"], indirect=True)
def test_some_paragraph_does_break_across_pages(placed: list[Block]) -> None:
    # Otherwise the widow and orphan check above would have nothing to look at.
    assert any(len(set(block.pages)) > 1 for block in placed)


def test_no_page_but_the_last_is_left_blank_at_the_bottom(long_pdf: tuple[Path, float]) -> None:
    target, bottom = long_pdf
    shares = blank_at_bottom(target, bottom)
    assert len(shares) >= 4
    assert max(shares) <= MOST_BLANK, [f"{share:.0%}" for share in shares]


def test_the_example_leaves_no_page_half_empty(example_pdf: Path) -> None:
    assert max(blank_at_bottom(example_pdf, 19), default=0) <= MOST_BLANK
