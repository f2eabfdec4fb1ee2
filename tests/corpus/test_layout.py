"""The shared corpus built as A4 leaflets, measured as a print designer would: sheets of paper,
blank space at the foot of the pages, and the smallest type."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest

from leaflets.config.defaults import CLINIC_FILE, PROJECT_ROOT

from ..conftest import Run
from ..layout import MM, blank_at_bottom, lowest_ink, smallest_type

SITE = "davidbograd+fysfinder-next"
BOTTOM_MM = 19  # the A4 leaflet's bottom margin before fitting
MOST_BLANK = 0.15


@pytest.fixture(scope="module")
def corpus_pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from ..conftest import CORPUS

    if not (CORPUS / SITE).is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS} (it ships with CI, not with the repo)")
    from leaflets.cli.main import main

    folder = tmp_path_factory.mktemp("corpus-layout")
    articles = folder / "articles"
    articles.mkdir()
    for article in sorted((CORPUS / SITE).glob("*.md")):
        (articles / article.name).symlink_to(article)
    profile = CLINIC_FILE.read_text(encoding="utf-8")
    profile = profile.replace('logo = "', f'logo = "{PROJECT_ROOT}/')
    profile = profile.replace('site_root = ""', f'site_root = "{CORPUS / SITE / "public"}"')
    clinic = folder / "clinic.toml"
    clinic.write_text(profile, encoding="utf-8")
    out = folder / "out"
    assert main(["build", str(articles), "-o", str(out), "--clinic", str(clinic), "-j", "2"]) == 0
    return sorted(path for path in out.glob("*.pdf") if path.stem != "index")


def page_counts(pdfs: list[Path]) -> list[int]:
    counts = []
    for pdf in pdfs:
        with pdfplumber.open(pdf) as document:
            counts.append(len(document.pages))
    return counts


@pytest.mark.slow
@pytest.mark.corpus
def test_three_in_four_corpus_leaflets_take_one_duplex_sheet(corpus_pdfs: list[Path]) -> None:
    counts = page_counts(corpus_pdfs)
    assert len(counts) >= 60
    assert sum(count <= 2 for count in counts) >= 0.75 * len(counts), sorted(counts)


def next_block_is_taller(pdf: Path, page_index: int, blank: float) -> bool:
    """Whether the page after `page_index` opens with a picture or table taller than `blank`."""
    with pdfplumber.open(pdf) as document:
        page = document.pages[page_index + 1]
        body_top = 12 * MM
        first = min(
            (item for item in [*page.images, *page.rects] if item["top"] >= body_top),
            key=lambda item: item["top"],
            default=None,
        )
        text_top = min(
            (char["top"] for char in page.chars if char["top"] >= body_top), default=page.height
        )
        if first is None or first["top"] > text_top:
            return False
        return (
            bool(first["bottom"] - first["top"] > blank * page.height) or page.find_tables() != []
        )


@pytest.mark.slow
@pytest.mark.corpus
def test_no_page_but_the_last_is_left_blank_at_its_foot(corpus_pdfs: list[Path]) -> None:
    gaps = []
    for pdf in corpus_pdfs:
        for index, blank in enumerate(blank_at_bottom(pdf, BOTTOM_MM)):
            if blank > MOST_BLANK and not next_block_is_taller(pdf, index, blank):
                gaps.append(f"{pdf.stem} page {index + 1}: {blank:.0%}")
    assert gaps == []


@pytest.mark.slow
@pytest.mark.corpus
def test_no_corpus_character_is_under_12pt(corpus_pdfs: list[Path]) -> None:
    assert min(smallest_type(pdf) for pdf in corpus_pdfs) >= 12


def test_lowest_ink_leaves_out_the_footer(example_pdf: Path, cli: Callable[..., Run]) -> None:
    with pdfplumber.open(example_pdf) as document:
        page = document.pages[0]
        assert lowest_ink(page, page.height - BOTTOM_MM * MM) < page.height - 14 * MM
