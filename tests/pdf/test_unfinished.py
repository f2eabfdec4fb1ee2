"""No page before the last left blank at its foot where a tighter step of the same sheets fills
it: laid out by WeasyPrint on a small page, where a block kept whole misses the first page's
foot at the stylesheets' own step and fits it at step 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from leaflets.article.assets import AssetRoots
from leaflets.builder.job import Job
from leaflets.builder.make import prepare_leaflet
from leaflets.config.errors import collect_warnings
from leaflets.config.options import BuildOptions
from leaflets.config.profile import load_profile
from leaflets.pdf.engine import render_document
from leaflets.pdf.fit import (
    fitted_pdf,
    no_unfinished_page,
    sheets,
    unfinished,
    with_step,
)
from leaflets.pdf.floats import blank_foot

from ..coded import CORPUS_ARTICLES
from .test_fit import corpus_clinic, layout_of, step_and_pages

# A page 52 mm high for content; the block kept whole is 30 mm at step 0 and 20 mm at step 1,
# after about 27 mm of text.
PAGE_CSS = (
    "@page { size: 90mm 60mm; margin: 4mm } body { margin: 0 }"
    "html { font: 9pt/1.2 'DejaVu Sans' } p { margin: 0 0 2mm }"
    ".kept { break-inside: avoid; height: 30mm; border: 1pt solid teal }"
)
SHRINKS_AT_STEP_1 = "html.fit-1 .kept, html.fit-2 .kept, html.fit-3 .kept { height: 20mm }"
OPTIONS = BuildOptions(fit=True)


def leaflet() -> str:
    text = "".join(f"<p>{name} " + " ".join(["tekst"] * 24) + "</p>" for name in "AB")
    block = '<div class="kept"><p>C kept whole</p></div>'
    return f'<html lang="da"><body><section>{text}{block}<p>D efter</p></section></body></html>'


def layout(tmp_path: Path, *css: str) -> tuple[Any, ...]:
    return ([], [PAGE_CSS, *css], AssetRoots(content=tmp_path), OPTIONS, lambda _message: None)


def worst_foot(document: Any) -> float:
    return max(
        blank_foot(page._page_box) / float(page._page_box.height) for page in document.pages[:-1]
    )


def test_a_tighter_step_of_the_same_sheets_fills_a_page_left_blank(tmp_path: Path) -> None:
    html = leaflet()
    at_own = render_document(html, *layout(tmp_path, SHRINKS_AT_STEP_1))
    assert unfinished(at_own, OPTIONS) and worst_foot(at_own) > 0.3  # the block missed the foot
    data, _written = fitted_pdf(html, *layout(tmp_path, SHRINKS_AT_STEP_1))
    step, pages = step_and_pages(data)
    assert step == 1
    assert sheets(pages, OPTIONS) == sheets(len(at_own.pages), OPTIONS)
    at_one = render_document(with_step(html, 1), *layout(tmp_path, SHRINKS_AT_STEP_1))
    assert not unfinished(at_one, OPTIONS)


def test_a_page_no_step_fills_stays_at_the_gentlest_step(tmp_path: Path) -> None:
    html = leaflet()
    at_own = render_document(html, *layout(tmp_path))
    again, chosen = no_unfinished_page(at_own, html, (0, ()), layout(tmp_path), [], OPTIONS)
    assert (again, chosen) == (at_own, (0, ()))


def test_a_booklet_s_last_page_of_text_is_not_unfinished(tmp_path: Path) -> None:
    at_own = render_document(leaflet(), *layout(tmp_path))
    assert unfinished(at_own, OPTIONS)
    assert not unfinished(at_own, BuildOptions(booklet=True))


def test_the_corpus_page_left_blank_above_a_table_is_filled_at_step_1(
    corpus: Path, tmp_path: Path
) -> None:
    # Its heading, introduction and table of two rows, kept together, miss the foot of page 2
    # at the stylesheets' own step, which takes the same two sheets.
    site = corpus / CORPUS_ARTICLES
    profile = load_profile(corpus_clinic(tmp_path, site))
    with collect_warnings():
        job = Job(site / "fodsaal-anatomi-og-fysiologi.md", tmp_path / "out.pdf")
        prepared = prepare_leaflet(job, profile, BuildOptions())
        leaflet_layout = layout_of(prepared, profile)
        at_own = render_document(prepared.html, *leaflet_layout)
        data, _written = fitted_pdf(prepared.html, *leaflet_layout)
    assert unfinished(at_own, prepared.options)
    step, pages = step_and_pages(data)
    assert step == 1
    assert sheets(pages, prepared.options) == sheets(len(at_own.pages), OPTIONS)
