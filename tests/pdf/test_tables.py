"""Tables on paper, read back from real PDFs: within the text area in every edition, as wide
as they need, an unhyphenated label column, kept with their heading and introduction, and
label-value blocks where a narrow page would squeeze a column."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest

from ..conftest import Run

MM = 72 / 25.4
HEAD = "---\ntitle: Ankelskader\n---\n\nEn kort indledning om ankler.\n\n"
WIDE = """\
## Hvordan vurderes alvoren?

Graderne ser sådan ud:

| Grad | Typiske tegn | Hvad du bør gøre |
|---|---|---|
| Bækkenbundsmusklerne | Let smerte, lidt hævelse, belastning mulig med ubehag | Hvile kortvarigt, is, let støtte og gradvis genoptræning hos fysioterapeuten |
| Grad III (svær) | Kraftig smerte, ustabilitet, ofte manglende belastningsmulighed | Søg læge i akutmodtagelse eller vagtlæge; røntgen/udredning kan være nødvendig |
"""  # noqa: E501
NARROW = """\
## Restitution

| Intensitet | Gentagelser | Restitution |
|-|-|-|
| Moderat | 12-15 | 6-48 timer |
| Meget høj | 1-5 | 3-6 døgn |
"""
# Words no page could hold side by side in four columns: the table must become blocks.
LONG = "Langtidskompressionsbehandlingsforløbene"
LONG_WORDS = f"""
## Behandlingsforløb

| {LONG} | {LONG} | {LONG} | {LONG} |
|-|-|-|-|
| {LONG} | {LONG} | {LONG} | {LONG} |
"""
FILLER = (
    "Smerter i anklen efter et vrid går som regel over af sig selv i løbet af nogle uger, "
    "men det hjælper at holde foden i bevægelse, at lægge den højt og at øve balancen hver "
    "dag, så leddet bliver stærkt igen og ikke vrider om en gang til.\n\n"
)
# (build options, the page's side margin in mm, unfitted: tokens.css, small-page.css)
EDITIONS = {
    "a4": ([], 18),
    "a5": (["--format", "a5"], 12),
    "letter": (["--format", "letter"], 18),
    "large-print": (["--large-print"], 18),
    "large-print-a5": (["--large-print", "--format", "a5"], 12),
}


def build(cli: Callable[..., Run], folder: Path, text: str, *options: str) -> Path:
    source = folder / "ankel.md"
    source.write_text(text, encoding="utf-8")
    target = folder / f"ankel{''.join(options)}.pdf"
    run = cli("build", source, "-o", target, "--no-fit", *options)
    assert run.code == 0, run.err
    return target


def tables_holding(page: pdfplumber.page.Page, words: str) -> list[pdfplumber.table.Table]:
    """The tables on `page` with `words` in a cell (the closing panel is a table, too)."""
    return [
        table
        for table in page.find_tables()
        if any(words in (cell or "") for row in table.extract() for cell in row)
    ]


@pytest.mark.parametrize("edition", sorted(EDITIONS))
def test_no_table_and_no_word_runs_past_the_text_area(
    cli: Callable[..., Run], tmp_path: Path, edition: str
) -> None:
    options, side = EDITIONS[edition]
    target = build(cli, tmp_path, HEAD + WIDE + NARROW + LONG_WORDS, *options)
    with pdfplumber.open(target) as pdf:
        tables = 0
        for page in pdf.pages:
            right = float(page.width) - side * MM + 0.5
            for table in page.find_tables():
                tables += bool(tables_holding(page, "Intensitet"))
                assert table.bbox[2] <= right, (edition, page.page_number, table.bbox)
            beyond = [char["text"] for char in page.chars if char["x1"] > right]
            assert not beyond, (edition, page.page_number, "".join(beyond))
    assert tables >= 1  # the narrow table at least is printed as a table


def test_a_table_takes_the_width_it_needs(cli: Callable[..., Run], tmp_path: Path) -> None:
    target = build(cli, tmp_path, HEAD + NARROW)
    with pdfplumber.open(target) as pdf:
        (table,) = tables_holding(pdf.pages[0], "Intensitet")
        text_width = float(pdf.pages[0].width) - 2 * 18 * MM
        assert table.bbox[2] - table.bbox[0] < text_width / 2


def test_the_label_column_is_never_hyphenated(cli: Callable[..., Run], tmp_path: Path) -> None:
    for options in ([], ["--format", "a5"]):
        target = build(cli, tmp_path, HEAD + WIDE, *options)
        with pdfplumber.open(target) as pdf:
            words = [word["text"] for page in pdf.pages for word in page.extract_words()]
        assert "Bækkenbundsmusklerne" in words, options
        assert not any(word.startswith("Bækken") and word.endswith("-") for word in words)


def test_a_squeezed_table_in_large_print_on_a5_is_printed_as_label_value_blocks(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    target = build(cli, tmp_path, HEAD + WIDE, "--large-print", "--format", "a5")
    with pdfplumber.open(target) as pdf:
        text = " ".join(page.extract_text() or "" for page in pdf.pages)
        assert not any(tables_holding(page, "Typiske tegn") for page in pdf.pages)
    assert "Typiske tegn: Let smerte" in " ".join(text.split())


def test_a_table_stays_with_its_heading_and_introduction(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    moved = 0
    for fillers in range(6, 13):
        folder = tmp_path / str(fillers)
        folder.mkdir()
        text = HEAD + "## Om ankler\n\n" + FILLER * fillers + WIDE
        with pdfplumber.open(build(cli, folder, text)) as pdf:
            pages = [" ".join((page.extract_text() or "").split()) for page in pdf.pages]
        heading, intro, first_row = (
            _page_of(pages, words)
            for words in ("Hvordan vurderes alvoren?", "Graderne ser sådan ud:", "Let smerte")
        )
        assert heading == intro == first_row, (fillers, heading, intro, first_row)
        moved += heading > _page_of(pages, "bliver stærkt igen", last=True)
    assert moved  # at least one of the texts put the table at a page break


def _page_of(pages: list[str], words: str, last: bool = False) -> int:
    found = [number for number, text in enumerate(pages) if words in text]
    assert found, words
    return found[-1] if last else found[0]
