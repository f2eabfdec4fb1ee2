"""Leaflets joined for one print job: every leaflet starts on a new sheet."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pypdf

from leaflets.deliver.combine import combined


def leaflet(path: Path, pages: int, label: str, size: tuple[float, float] = (595, 842)) -> Path:
    """A PDF of `pages` pages, each with its label and number as text."""
    with pikepdf.new() as pdf:
        for number in range(1, pages + 1):
            pdf.add_blank_page(page_size=size)
            page = pdf.pages[-1]
            font = pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
            )
            page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
            text = f"BT /F1 24 Tf 72 720 Td ({label}-{number}) Tj ET".encode()
            page.Contents = pdf.make_stream(text)
        pdf.save(path)
    return path


def texts(path: Path) -> list[str]:
    return [page.extract_text().strip() for page in pypdf.PdfReader(path).pages]


def test_an_odd_leaflet_is_followed_by_a_blank_page(tmp_path: Path) -> None:
    pdfs = [
        leaflet(tmp_path / "a.pdf", 3, "A"),
        leaflet(tmp_path / "b.pdf", 2, "B"),
        leaflet(tmp_path / "c.pdf", 1, "C"),
    ]
    target = tmp_path / "joined.pdf"
    assert combined(pdfs, target) == 7
    assert texts(target) == ["A-1", "A-2", "A-3", "", "B-1", "B-2", "C-1"]
    assert target.stat().st_mode & 0o777 == 0o600


def test_the_blank_page_has_the_size_of_the_page_before(tmp_path: Path) -> None:
    pdfs = [leaflet(tmp_path / "a.pdf", 1, "A", (842, 595)), leaflet(tmp_path / "b.pdf", 1, "B")]
    target = tmp_path / "joined.pdf"
    assert combined(pdfs, target) == 3
    pages = pypdf.PdfReader(target).pages
    sizes = [tuple(round(float(v)) for v in page.mediabox[2:]) for page in pages]
    assert sizes == [(842, 595), (842, 595), (595, 842)]


def test_printed_on_one_side_nothing_is_added(tmp_path: Path) -> None:
    pdfs = [leaflet(tmp_path / "a.pdf", 3, "A"), leaflet(tmp_path / "b.pdf", 1, "B")]
    target = tmp_path / "joined.pdf"
    assert combined(pdfs, target, duplex=False) == 4
    assert texts(target) == ["A-1", "A-2", "A-3", "B-1"]
