"""The example leaflet, read back from the real PDF."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from leaflets.article.model import load_article

from ..conftest import EXAMPLE


def pdf_text(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def flat(text: str) -> str:
    # Hyphenation may split a word across lines; join lines to compare phrases.
    return " ".join(text.replace("-\n", "").split())


def test_every_heading_question_and_date_is_printed(example_pdf: Path) -> None:
    article = load_article(EXAMPLE)
    text = flat("\n".join(pdf_text(example_pdf)))
    assert "Bækkensmerter" in text
    for section in article.outline.sections:
        assert section.heading in text
    assert "Ofte stillede spørgsmål om bækkensmerter" in text
    for entry in article.faq:
        assert entry.question in text
    assert "Udgivet 19. februar 2025" in text
    assert "Senest opdateret 24. november 2026" in text


def test_every_page_has_its_page_label(example_pdf: Path) -> None:
    pages = pdf_text(example_pdf)
    assert len(pages) >= 2
    for number, text in enumerate(pages, 1):
        assert f"Side {number} af {len(pages)}" in text


def test_the_bundled_font_is_embedded_and_subset(example_pdf: Path) -> None:
    with pikepdf.open(example_pdf) as pdf:
        fonts = {
            str(font.get("/BaseFont")): font
            for page in pdf.pages
            for font in page.Resources.Font.values()
        }
        assert any("Atkinson-Hyperlegible-Next" in name for name in fonts)
        for name, font in fonts.items():
            descriptor = font.DescendantFonts[0].FontDescriptor
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, name
            assert "+" in name, f"{name} is not subset"


def test_body_text_is_the_bundled_font_at_12pt_or_more(example_pdf: Path) -> None:
    with pdfplumber.open(example_pdf) as pdf:
        body = [c for page in pdf.pages for c in page.chars if c["text"].strip()]
    sizes = sorted(c["size"] for c in body)
    assert sizes[len(sizes) // 2] >= 12
    assert all("Atkinson" in c["fontname"] for c in body)


def test_metadata_comes_from_the_article(example_pdf: Path) -> None:
    with pikepdf.open(example_pdf) as pdf:
        info = pdf.docinfo
        assert str(info["/Title"]) == "Bækkensmerter"
        assert str(info["/Subject"]) == "Bækkensmerter – Hvad er smerter i bækken?"
        assert str(info["/CreationDate"]).startswith("D:20250219")
        assert str(info["/ModDate"]).startswith("D:20261124")
        assert str(pdf.Root.Lang) == "da"


def test_building_twice_gives_identical_bytes(cli, tmp_path: Path) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert cli("build", EXAMPLE, "-o", first).code == 0
    assert cli("build", EXAMPLE, "-o", second).code == 0
    assert first.read_bytes() == second.read_bytes()


def test_html_preview_is_written_next_to_the_pdf(cli, tmp_path: Path) -> None:
    target = tmp_path / "leaflet.pdf"
    assert cli("build", EXAMPLE, "-o", target, "--html").code == 0
    html = (tmp_path / "leaflet.html").read_text(encoding="utf-8")
    assert "<h1>Bækkensmerter</h1>" in html
    assert 'rel="stylesheet"' in html


@pytest.mark.engine_warnings
def test_a_css_typo_is_reported_not_passed_over(cli, tmp_path: Path) -> None:
    # Every other test fails on such a warning (see the engine_warnings fixture).
    theme = tmp_path / "theme"
    (theme / "styles").mkdir(parents=True)
    (theme / "styles" / "theme.css").write_text("h1 { colr: red; }\n", encoding="utf-8")
    clinic = tmp_path / "clinic.toml"
    clinic.write_text(f'[clinic]\nname = "K"\n\n[style]\ntheme = "{theme}"\n', encoding="utf-8")
    result = cli("build", EXAMPLE, "-o", tmp_path / "x.pdf", "--clinic", clinic)
    assert result.code == 0, result.err
    assert any("weasyprint:" in line and "colr" in line for line in result.warnings), result.err
