"""Casting off a leaflet's text before it is laid out, and the step of the first layout."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from leaflets.builder.job import Job
from leaflets.builder.make import prepare_leaflet
from leaflets.config.errors import collect_warnings
from leaflets.config.options import BuildOptions
from leaflets.config.profile import load_profile
from leaflets.pdf.castoff import FURNITURE, LINE_LENGTH, PER_LINE, cast_off
from leaflets.pdf.engine import render_document
from leaflets.pdf.fit import FIRST, first_layout
from leaflets.pdf.fit import measure as measured

from ..coded import CORPUS_ARTICLES
from .test_fit import corpus_clinic, layout_of

A4 = BuildOptions(fit=True, paper="a4")


def leaflet(main: str, aside: str = "") -> str:
    return f'<html lang="da"><body><main>{main}</main><aside>{aside}</aside></body></html>'


def lines(count: int) -> str:
    """`count` paragraphs of one full line each."""
    return "".join(f"<p>{'x' * LINE_LENGTH['p']}</p>" for _ in range(count))


def test_a_paragraph_takes_a_line_for_each_line_length_of_its_characters() -> None:
    one = cast_off(leaflet(f"<p>{'x' * LINE_LENGTH['p']}</p>")).text
    two = cast_off(leaflet(f"<p>{'x' * (LINE_LENGTH['p'] + 1)}</p>")).text
    assert two - one == pytest.approx(PER_LINE)
    assert one == pytest.approx(FURNITURE + PER_LINE)


def test_a_paragraph_inside_a_list_item_or_a_table_row_is_counted_once() -> None:
    # Longer than a list item's line, not than a paragraph's: counted as a paragraph, it
    # would take a line less.
    item = "x" * (LINE_LENGTH["li"] + 1)
    assert len(item) <= LINE_LENGTH["p"]
    plain = cast_off(leaflet(f"<ul><li>{item}</li></ul>"))
    wrapped = cast_off(leaflet(f"<ul><li><p>{item}</p></li></ul>"))
    assert wrapped == plain
    assert plain.text == pytest.approx(FURNITURE + 2 * PER_LINE)
    row = cast_off(leaflet("<table><tr><td>Knæ</td></tr></table>"))
    wrapped_row = cast_off(leaflet("<table><tr><td><p>Knæ</p></td></tr></table>"))
    assert wrapped_row == row


def test_only_the_main_text_is_counted() -> None:
    contact = "<table><tr><th>Telefon</th><td>86 12 34 56</td></tr></table><p>Åbent</p>"
    assert cast_off(leaflet(lines(3), aside=contact)) == cast_off(leaflet(lines(3)))


def test_soft_hyphens_and_spacing_take_no_room() -> None:
    word = "knæ\xadsmerter " * 8
    spaced = "knæsmerter    \n  " * 8
    assert cast_off(leaflet(f"<p>{word}</p>")) == cast_off(leaflet(f"<p>{spaced}</p>"))


def test_headings_rows_and_pictures_each_take_room() -> None:
    bare = cast_off(leaflet(lines(2)))
    for more in ("<h2>Behandling</h2>", "<h3>Gør det ondt?</h3>", "<table><tr><td>1</td></tr>"):
        assert cast_off(leaflet(lines(2) + more)).text > bare.text, more
    pictured = cast_off(leaflet(lines(2) + '<img src="x.png" alt="">'))
    assert pictured.text == bare.text and pictured.pictures > 0


def test_a_denser_step_shortens_the_text_but_not_the_pictures() -> None:
    pictured = cast_off(leaflet(lines(20) + '<img src="x.png" alt="">'))
    assert pictured.at(0.1) == pytest.approx(pictured.text * 0.9 + pictured.pictures)


def about(pages: float) -> str:
    """A leaflet cast off at about `pages` pages."""
    return leaflet(lines(round((pages - FURNITURE) / PER_LINE)))


@pytest.mark.parametrize(
    ("pages", "step"),
    [
        (1.5, 0),  # one sheet as the stylesheets set it
        (2.1, 1),  # a little over: the gentlest step that keeps it on one sheet
        (2.3, 3),  # only the tightest step keeps it on one sheet
        (2.6, 0),  # two sheets at every step: the stylesheets' own
        (4.35, 2),  # over two sheets, brought back to two
    ],
)
def test_the_first_layout_is_the_gentlest_step_expected_to_give_the_fewest_sheets(
    pages: float, step: int
) -> None:
    assert first_layout(about(pages), A4) == (step, ())


@pytest.mark.parametrize(
    "options",
    [
        BuildOptions(fit=True, paper="letter"),
        BuildOptions(fit=True, paper="a4", large_print=True),
        BuildOptions(fit=True, paper="a4", booklet=True),
        BuildOptions(fit=False, paper="a4"),
    ],
    ids=["letter", "large-print", "booklet", "no-fit"],
)
def test_where_the_cast_off_was_not_measured_the_first_layout_is_the_stylesheets_own(
    options: BuildOptions,
) -> None:
    assert first_layout(about(2.3), options) == FIRST


def test_the_cast_off_agrees_with_the_layout_of_real_articles(corpus: Path, tmp_path: Path) -> None:
    site = corpus / CORPUS_ARTICLES
    profile = load_profile(corpus_clinic(tmp_path, site))
    misses = {}
    for source in sorted(site.glob("*.md"))[::6]:
        with collect_warnings():
            job = Job(source, tmp_path / "out.pdf")
            prepared = prepare_leaflet(job, profile, BuildOptions())
            document = render_document(prepared.html, *layout_of(prepared, profile))
        laid_out = measured(document)
        expected = cast_off(prepared.html)
        pages = laid_out.content / laid_out.page_height
        misses[source.name] = (expected.text + expected.pictures) / pages - 1
    assert len(misses) >= 10
    assert statistics.mean(abs(miss) for miss in misses.values()) <= 0.05, misses
    assert max(abs(miss) for miss in misses.values()) <= 0.15, misses
