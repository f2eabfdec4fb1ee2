"""Page furniture on one line, and every mark well inside the paper, in every edition."""

import itertools
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest

from leaflets.config.labels import labels_for

from ..conftest import Run
from ..layout import (
    EDGE,
    HEADER_BAND,
    Word,
    as_float,
    footer_rule,
    ink_near_edge,
    lines_of,
    words,
)
from ..variants import VARIANTS, high_contrast_clinic

TITLE = (
    "Langvarige lændesmerter hos voksne: årsager, undersøgelser, behandling, "
    "genoptræning samt forebyggelse efter operation"
)
PARAGRAPH = "Træning styrker musklerne. Gå en tur hver dag, gerne udenfor, når vejret tillader."


def article_text(language: str) -> str:
    sections = "\n".join(f"## Råd {n}\n\n{PARAGRAPH}\n\n{PARAGRAPH}\n" for n in range(14))
    return (
        f'---\ntitle: "{TITLE}"\nlang: {language}\ndatePublished: 19/02/2024\n'
        f"lastUpdated: 3/03/2025\n---\n\n{sections}"
    )


def header_words(page: pdfplumber.page.Page, vocabulary: set[str]) -> list[Word]:
    """The words of the running header: the title's and the publisher's, near the top."""
    return [
        word
        for word in words(page)
        if as_float(word["bottom"]) < HEADER_BAND and is_cut_from(str(word["text"]), vocabulary)
    ]


def is_cut_from(text: str, vocabulary: set[str]) -> bool:
    """Whether `text` is a word of `vocabulary`, or its start before an ellipsis."""
    start = text.rstrip("…")
    return bool(start) and any(word.startswith(start) for word in vocabulary)


def footer_words(page: pdfplumber.page.Page) -> list[Word]:
    """The words under the footer's rule."""
    rule = footer_rule(page)
    return [word for word in words(page) if as_float(word["top"]) > rule]


EDITIONS = [
    ("a4", "da"),
    ("a5", "da"),
    ("letter", "da"),
    ("booklet", "da"),
    ("large-print", "da"),
    ("high-contrast", "da"),
    ("a4", "pl"),
    ("large-print", "pl"),
    ("a4", "uk"),
    ("large-print", "uk"),
]


@pytest.mark.parametrize(("edition", "language"), EDITIONS)
def test_header_and_footer_are_one_line_and_inside_the_printable_area(
    article: Callable[[str, str], Path],
    cli: Callable[..., Run],
    tmp_path: Path,
    edition: str,
    language: str,
) -> None:
    source = article(article_text(language), "laend.md")
    target = tmp_path / f"{edition}.pdf"
    options = list(VARIANTS[edition])
    if edition == "high-contrast":
        options += ["--clinic", str(high_contrast_clinic(tmp_path))]
    run = cli("build", source, "-o", target, *options)
    assert run.code == 0, run.err
    labels = labels_for(language)
    vocabulary = set(TITLE.replace(":", " ").replace(",", " ").split())
    vocabulary |= set(f"{labels['leaflet_from']} Fysioterapi Søndergade".split())
    # No ink at all, the title band's included, in the 5 mm an office printer cannot reach.
    assert ink_near_edge(target) == []
    with pdfplumber.open(target) as pdf:
        assert len(pdf.pages) >= 2
        for number, page in enumerate(pdf.pages, 1):
            footer = footer_words(page)
            assert footer, f"page {number}: no footer"
            assert len(lines_of(footer)) == 1, f"page {number}: footer {footer}"
            for char in page.chars:
                assert char["x0"] >= EDGE and char["x1"] <= page.width - EDGE, char["text"]
                assert char["top"] >= EDGE and char["bottom"] <= page.height - EDGE, char["text"]
        for number, page in enumerate(pdf.pages[1:], 2):
            header = header_words(page, vocabulary)
            if edition == "booklet" and not header:
                continue  # the back cover has no header
            assert header, f"page {number}: no header"
            assert len(lines_of(header)) == 1, f"page {number}: header {header}"
            # Shortened, not overprinted: the title ends before the clinic's name begins.
            placed = sorted(header, key=lambda word: as_float(word["x0"]))
            assert all(
                as_float(after["x0"]) >= as_float(before["x1"]) - 0.5
                for before, after in itertools.pairwise(placed)
            ), f"page {number}: header {header}"
