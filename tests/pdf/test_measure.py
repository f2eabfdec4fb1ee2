"""Line length, read back from real PDFs: the whole text area by default, and the 60-75
characters of clear print at every density step when a theme sets a measure, not by smaller
type."""

from __future__ import annotations

import statistics
from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest

from leaflets.builder.job import Job
from leaflets.builder.make import prepare_leaflet, stylesheets
from leaflets.config.defaults import CLINIC_FILE
from leaflets.config.options import BuildOptions
from leaflets.config.profile import load_profile
from leaflets.pdf.engine import render_document, write_document
from leaflets.pdf.fit import with_step
from leaflets.press.prepress import generated_css, settle

from ..layout import squeeze

PARAGRAPH = (
    "Når du har ondt i ryggen, er det en god idé at holde dig i gang med rolige gåture og "
    "lette øvelser, som du kan lave derhjemme. Smerterne bliver som regel mindre i løbet af "
    "nogle uger, og de fleste kan passe deres arbejde, mens de kommer sig. Tal med os, hvis "
    "smerterne bliver værre, eller hvis du får nye symptomer, som du ikke kender.\n\n"
)
ARTICLE = "---\ntitle: Ondt i ryggen\n---\n\nKort om ryg.\n\n## Gode råd\n\n" + PARAGRAPH * 8
STEPS = (0, 1, 2, 3)


def body_line_lengths(data: bytes) -> list[int]:
    """Characters in each full line of the article's paragraphs (not the last, shorter line of
    a paragraph)."""
    with pdfplumber.open(BytesIO(data)) as pdf:
        lines = [line for page in pdf.pages for line in page.extract_text_lines()]
    body_lines = [line for line in lines if squeeze(line["text"]) in squeeze(PARAGRAPH * 2)]
    widest = max(line["x1"] - line["x0"] for line in body_lines)
    return [len(line["text"]) for line in body_lines if line["x1"] - line["x0"] > 0.8 * widest]


def measured_clinic(folder: Path) -> Path:
    """The shipped clinic profile with a theme that sets the clear-print measure."""
    styles = folder / "theme" / "styles"
    styles.mkdir(parents=True)
    (styles / "theme.css").write_text(":root { --measure: 33em; }\n", encoding="utf-8")
    clinic = folder / "clinic.toml"
    text = CLINIC_FILE.read_text(encoding="utf-8").replace('theme = ""', 'theme = "theme"', 1)
    clinic.write_text(text.replace('logo = "', f'logo = "{CLINIC_FILE.parent}/', 1), "utf-8")
    return clinic


def laid_out(folder: Path, options: BuildOptions, step: int, clinic: Path = CLINIC_FILE) -> bytes:
    """The article's PDF at density step `step` (0: none), as fitting would write it."""
    source = folder / "ryg.md"
    source.write_text(ARTICLE, encoding="utf-8")
    profile = load_profile(clinic)
    settled = settle(options, profile)
    prepared = prepare_leaflet(Job(source, target=folder / "ryg.pdf"), profile, settled)
    html = with_step(prepared.html, step) if step else prepared.html
    sheets = stylesheets(profile, settled)
    css = generated_css(settled)
    document = render_document(html, sheets, css, prepared.roots, settled, print)
    data, _written = write_document(document, settled, print)
    return data


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("step", STEPS)
def test_a_themes_measure_holds_60_to_75_characters_at_every_step(
    tmp_path: Path, paper: str, step: int
) -> None:
    clinic = measured_clinic(tmp_path)
    lengths = body_line_lengths(laid_out(tmp_path, BuildOptions(paper=paper), step, clinic))
    assert len(lengths) >= 20
    assert 60 <= statistics.median(lengths) <= 75, sorted(lengths)


def test_by_default_a_line_fills_the_text_area(tmp_path: Path) -> None:
    lengths = body_line_lengths(laid_out(tmp_path, BuildOptions(), 0))
    assert statistics.median(lengths) > 80, sorted(lengths)


def test_an_a5_line_is_as_long_as_the_small_page_allows(tmp_path: Path) -> None:
    lengths = body_line_lengths(laid_out(tmp_path, BuildOptions(paper="a5"), 0))
    assert 55 <= statistics.median(lengths) <= 75, sorted(lengths)
