"""A booklet's notes page, read back from real imposed booklets: where a page is left over, a
heading in the article's language and ruled lines; never where the pages fill the sheets."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pdfplumber

from ..conftest import Run

PARAGRAPH = (
    "Smerter i anklen efter et vrid går som regel over af sig selv i løbet af nogle uger, "
    "men det hjælper at holde foden i bevægelse og at øve balancen hver dag.\n\n"
)


def booklet(cli: Callable[..., Run], folder: Path, paragraphs: int, lang: str = "da") -> Path:
    source = folder / f"ankel-{paragraphs}.md"
    head = f"---\ntitle: Ankelskader\nlang: {lang}\n---\n\nOm ankler.\n\n## Gode råd\n\n"
    source.write_text(head + PARAGRAPH * paragraphs, encoding="utf-8")
    target = folder / f"ankel-{paragraphs}-{lang}.pdf"
    run = cli("build", source, "-o", target, "--booklet")
    assert run.code == 0, run.err
    return target


def notes_halves(path: Path, heading: str) -> list[int]:
    """How many ruled lines each half-page headed `heading` carries."""
    found = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for left in (0.0, float(page.width) / 2):
                half = page.crop((left, 0, left + float(page.width) / 2, float(page.height)))
                if heading in (half.extract_text() or "").split():
                    rules = [edge for edge in half.horizontal_edges if edge["width"] > 50]
                    found.append(len(rules))
    return found


def test_a_page_left_over_in_a_booklet_is_a_notes_page(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    # Two pages of text and the back cover: the last sheet has one page left over.
    halves = notes_halves(booklet(cli, tmp_path, 12), "Noter")
    assert halves, "no notes page"
    assert all(rules >= 12 for rules in halves), halves  # lines to the foot of an A5 page


def test_the_notes_page_speaks_the_articles_language(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    assert notes_halves(booklet(cli, tmp_path, 12, "en"), "Notes")


def test_each_page_left_over_is_a_notes_page(cli: Callable[..., Run], tmp_path: Path) -> None:
    # One page of text and the back cover: two pages left over between them.
    assert len(notes_halves(booklet(cli, tmp_path, 1), "Noter")) == 2


def test_a_booklet_that_fills_its_sheets_has_no_notes_page(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    path = booklet(cli, tmp_path, 20)  # three pages of text and the back cover
    assert notes_halves(path, "Noter") == []
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 2
        assert "Gode" in (pdf.pages[0].extract_text() or "")
