"""The example read as a screen reader meets it: the tagged text in reading order, compared
with the article it came from."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pdfplumber

from leaflets.api import load_profile

from ..conftest import EXAMPLE


def read_aloud(pdf: Path) -> list[tuple[str, str]]:
    """(structure type, text) of every tagged element that carries content, in reading order."""
    with pdfplumber.open(pdf) as document:
        marked: dict[tuple[int, int], str] = defaultdict(str)
        for page in document.pages:
            for char in page.chars:
                if char.get("mcid") is not None:
                    marked[(page.page_number, char["mcid"])] += char["text"]
        spoken: list[tuple[str, str]] = []
        for element in document.structure_tree:
            _speak(element, marked, spoken, "")
    return spoken


def _speak(
    element: dict[str, Any],
    marked: dict[tuple[int, int], str],
    spoken: list[tuple[str, str]],
    block: str,
) -> None:
    kind = element["type"]
    block = kind if kind in {"H1", "H2", "H3", "P", "Lbl", "LBody", "TH", "TD", "Figure"} else block
    if kind == "Figure" and element.get("alt_text"):
        spoken.append(("Figure", element["alt_text"]))
    for mcid in element.get("mcids", []):
        spoken.append((block, marked[(element["page_number"], mcid)]))
    for child in element.get("children", []):
        _speak(child, marked, spoken, block)


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def test_a_screen_reader_meets_every_section_in_the_articles_order(example_pdf: Path) -> None:
    spoken = read_aloud(example_pdf)
    headings = [
        _words(text) for kind, text in spoken if kind in {"H1", "H2", "H3"} and text.strip()
    ]
    article = EXAMPLE.read_text(encoding="utf-8")
    written = [_words(line.lstrip("#")) for line in article.splitlines() if line.startswith("## ")]
    merged = " | ".join(headings)
    position = 0
    for heading in written:
        found = merged.find(heading, position)
        assert found >= 0, f"not read, or read out of order: {heading!r} in {headings}"
        position = found


def test_the_body_text_is_read_in_the_articles_order(example_pdf: Path) -> None:
    said = _words(" ".join(text for _kind, text in read_aloud(example_pdf)))
    body = EXAMPLE.read_text(encoding="utf-8").split("---", 2)[2]
    paragraphs = [
        _words(" ".join(line.split()[:6]))
        for line in body.splitlines()
        if line.strip() and line[0].isalpha() and len(line.split()) >= 8
    ]
    assert paragraphs
    # Hyphenation and line breaks may split a word; the first few words of a paragraph are
    # enough to place it. Each is looked for after the one before: the order is the point.
    position = 0
    for paragraph in paragraphs:
        found = said.find(" ".join(paragraph.split()[:3]), position)
        assert found >= 0, f"not read, or read out of order: {paragraph!r}"
        position = found


def test_running_headers_footers_are_not_read_but_the_logo_is_named(example_pdf: Path) -> None:
    spoken = read_aloud(example_pdf)
    said = " ".join(text for _kind, text in spoken)
    assert "Side 1 af" not in said
    clinic = load_profile().clinic.name
    assert any(kind == "Figure" and clinic in text for kind, text in spoken)
