"""The FysFinder articles printed without their adverts, and their reference lists without
addresses, read back from the built PDFs."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from ..conftest import Run

SITE = "davidbograd+fysfinder-next"
REFERENCE_HEADING = re.compile(r"^(?:#{1,6} |\*\*)(?:Referenc|Kilder|Litteratur)", re.MULTILINE)


def _text(pdf: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


def _sources_section(text: str) -> str:
    """What the leaflet prints from its 'Kilder' heading to the contact panel."""
    after = text.split("\nKilder\n", 1)[1]
    return after.split("Kontakt os", 1)[0]


@pytest.mark.slow
@pytest.mark.corpus
def test_no_leaflet_prints_the_site_or_an_address_among_its_sources(
    cli: Callable[..., Run], corpus: Path, tmp_path: Path
) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    advertising, listing = set(), set()
    for path in sorted((corpus / SITE).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if "fysfinder" in text.lower():
            advertising.add(path.stem)
        if REFERENCE_HEADING.search(text):
            listing.add(path.stem)
        if path.stem in advertising | listing:
            (articles / path.name).symlink_to(path)
    assert len(advertising) >= 15 and len(listing) >= 4
    clinic = tmp_path / "clinic.toml"
    clinic.write_text('[clinic]\nname = "Klinik"\n', encoding="utf-8")
    out = tmp_path / "out"
    run = cli("build", articles, "-o", out, "--clinic", clinic, "-j", "2")
    assert run.code == 0, run.err
    texts = {name: _text(out / f"{name}.pdf") for name in advertising | listing}
    assert {name for name, text in texts.items() if "fysfinder" in text.lower()} == set()
    sources = {name: _sources_section(texts[name]) for name in listing}
    assert {name: s for name, s in sources.items() if "http" in s or "www." in s} == {}
    assert all(len(section.split()) >= 5 for section in sources.values()), sources
