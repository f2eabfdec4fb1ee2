"""Fit to paper and clear print, read back from the real PDFs of the example in each variant."""

from __future__ import annotations

import io
import itertools
import subprocess
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pdfplumber
import pikepdf
import pytest
from PIL import Image

from leaflets.builder.job import Job
from leaflets.builder.make import Prepared, prepare_leaflet, stylesheets
from leaflets.config.defaults import CLINIC_FILE, PROJECT_ROOT
from leaflets.config.errors import collect_warnings
from leaflets.config.options import BuildOptions
from leaflets.config.profile import Profile, load_profile
from leaflets.html.printed import (
    DANISH_BREAKS,
    SOFT_HYPHEN,
    hyphenate_exceptions,
    spell_out_links,
)
from leaflets.pdf.closing import COMPACT, closing_alone
from leaflets.pdf.engine import render_document
from leaflets.pdf.fit import (
    DENSITY_KEY,
    Measure,
    first_layout,
    fitted_pdf,
    gentler_would_fit,
    gentlest_expected,
    layouts_to_save_a_sheet,
    sheets,
    with_step,
)
from leaflets.pdf.fit import measure as measured
from leaflets.press.prepress import generated_css

from ..coded import CORPUS_ARTICLES
from ..conftest import EXAMPLE, Run
from ..layout import MM, smallest_type
from ..variants import build_variant

PAGE = 260 * 96 / 25.4  # a page's height for content, in CSS pixels


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("fit")
    variants = ("a4", "a5", "booklet", "large-print", "high-contrast")
    found = {variant: build_variant(variant, folder) for variant in variants}
    (folder / "no-fit").mkdir()
    found["a4-no-fit"] = build_variant("a4", folder / "no-fit", "--no-fit")
    return found


def pages(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def density(path: Path) -> str:
    with pikepdf.open(path) as pdf:
        return str(pdf.docinfo[f"/{DENSITY_KEY}"])


def step_and_pages(data: bytes) -> tuple[int, int]:
    """The density step a fitted PDF records, and its pages."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return int(str(pdf.docinfo[f"/{DENSITY_KEY}"])), len(pdf.pages)


def test_the_example_fits_one_a4_sheet_and_says_how(built: dict[str, Path]) -> None:
    assert pages(built["a4-no-fit"]) == 3
    assert density(built["a4-no-fit"]) == "off"
    assert pages(built["a4"]) == 2
    assert density(built["a4"]) in ("1", "2", "3")


def test_the_example_booklet_is_one_folded_sheet(built: dict[str, Path]) -> None:
    assert pages(built["booklet"]) == 2  # two sides of one A4 sheet: four A5 pages


def test_the_example_in_large_print_takes_at_most_four_pages(built: dict[str, Path]) -> None:
    assert pages(built["large-print"]) <= 4


@pytest.mark.parametrize(
    ("variant", "floor"),
    [("a4", 12), ("a5", 12), ("booklet", 12), ("large-print", 16), ("high-contrast", 14)],
)
def test_no_character_is_below_clear_print(
    built: dict[str, Path], variant: str, floor: float
) -> None:
    assert smallest_type(built[variant]) >= floor


def test_a_fitted_build_is_reproducible(built: dict[str, Path], tmp_path: Path) -> None:
    again = build_variant("a4", tmp_path)
    assert again.read_bytes() == built["a4"].read_bytes()


def furniture_chars(path: Path) -> list[dict[str, object]]:
    """The characters of the running header and footer, on every page."""
    with pdfplumber.open(path) as pdf:
        return [
            char
            for number, page in enumerate(pdf.pages)
            for char in page.chars
            if char["text"].strip()
            and (char["top"] > page.height - 16 * MM or (number > 0 and char["bottom"] < 12 * MM))
        ]


def test_the_high_contrast_header_and_footer_are_black(built: dict[str, Path]) -> None:
    chars = furniture_chars(built["high-contrast"])
    assert len(chars) > 40
    assert {tuple(char["non_stroking_color"]) for char in chars} <= {(0.0, 0.0, 0.0), (0,), (0.0,)}  # type: ignore[arg-type]


def test_the_standard_header_and_footer_take_the_muted_colour(built: dict[str, Path]) -> None:
    colours = {tuple(char["non_stroking_color"]) for char in furniture_chars(built["a4"])}  # type: ignore[arg-type]
    assert any(colour != (0.0, 0.0, 0.0) for colour in colours)


def middle_of_glyph(page: Image.Image, char: dict[str, object], scale: float) -> int:
    """The darkest grey level in the middle of the glyph drawn for `char` (0 is black ink)."""
    edges = (char["x0"], char["top"], char["x1"], char["bottom"])
    cell = page.crop(tuple(round(float(value) * scale) for value in edges))  # type: ignore[arg-type]
    ink = cell.point(lambda level: 255 if level < 128 else 0).getbbox()
    assert ink is not None, f"nothing drawn for {char['text']!r}"
    left, top, right, bottom = ink
    across, down = (right - left) * 0.35, (bottom - top) * 0.35
    middle = cell.crop((left + across, top + down, right - across, bottom - down))
    darkest = middle.getextrema()[0]
    assert isinstance(darkest, int)
    return darkest


def rendered_page(pdf_path: Path, number: int, dpi: int, folder: Path) -> Image.Image:
    command = ["pdftoppm", "-r", str(dpi), "-f", str(number), "-l", str(number), "-gray"]
    subprocess.run(
        [*command, "-png", "-singlefile", str(pdf_path), str(folder / "page")], check=True
    )
    return Image.open(folder / "page.png").convert("L")


def test_every_zero_printed_is_open(built: dict[str, Path], tmp_path: Path) -> None:
    """The glyph drawn for "0" has no slash: the middle of its counter is paper."""
    with pdfplumber.open(built["a4"]) as pdf:
        number = len(pdf.pages)
        zeros = [char for char in pdf.pages[-1].chars if char["text"] == "0"]
    assert len(zeros) >= 8  # the postcode, the phone number, the opening hours, the dates
    page = rendered_page(built["a4"], number, 600, tmp_path)
    for zero in zeros:
        assert middle_of_glyph(page, zero, 600 / 72) > 160, f"a slashed zero in {zero['fontname']}"


def test_a_slashed_zero_would_be_seen(tmp_path: Path) -> None:
    # The same measure finds ink in the middle of the letter Ø: the test above can fail.
    from weasyprint import HTML

    from leaflets.config.defaults import STYLES_DIR

    font = (STYLES_DIR / "fonts" / "AtkinsonHyperlegibleNext-400-normal.ttf").as_uri()
    style = f'@font-face {{ font-family: A; src: url("{font}") }} p {{ font: 40pt A }}'
    HTML(string=f"<style>{style}</style><p>Ø0</p>").write_pdf(tmp_path / "glyphs.pdf")
    page = rendered_page(tmp_path / "glyphs.pdf", 1, 150, tmp_path)
    with pdfplumber.open(tmp_path / "glyphs.pdf") as pdf:
        chars = {char["text"]: char for char in pdf.pages[0].chars}
    assert (
        middle_of_glyph(page, chars["Ø"], 150 / 72)
        < 100
        < middle_of_glyph(page, chars["0"], 150 / 72)
    )


def measure(*filled: float) -> Measure:
    return Measure(len(filled), [PAGE * share for share in filled], [PAGE] * len(filled))


def test_a_third_page_with_a_little_on_it_is_worth_a_tighter_step() -> None:
    a4 = BuildOptions(fit=True)
    # The gentlest step expected to save the sheet first, the next gentlest in case the
    # estimate misses, then the tightest. (A last page holding only the contact panel is
    # the panel's search, tests/pdf/test_closing.py.)
    assert layouts_to_save_a_sheet(measure(0.97, 0.95, 0.04), a4) == [(1, ()), (2, ()), (3, ())]
    assert layouts_to_save_a_sheet(measure(0.97, 0.95, 0.2), a4) == [(2, ()), (3, ())]
    assert layouts_to_save_a_sheet(measure(0.97, 0.95, 0.35), a4) == [(3, ())]
    assert layouts_to_save_a_sheet(measure(0.97, 0.95, 0.8), a4) == []  # no step saves that
    assert layouts_to_save_a_sheet(measure(0.97, 0.95), a4) == []  # ends on a whole sheet
    assert layouts_to_save_a_sheet(measure(0.97, 0.95, 0.97, 0.2), a4) == []  # no new sheet


def test_a_step_that_saved_a_sheet_with_room_left_asks_for_the_gentler_one() -> None:
    a4 = BuildOptions(fit=True)
    assert gentler_would_fit(measure(0.97, 0.8), 2, a4)  # about 4% longer still fits
    assert not gentler_would_fit(measure(0.97, 0.97), 2, a4)  # would run onto a third page
    assert gentler_would_fit(measure(0.97, 0.95, 0.97), 3, a4)  # a fourth page is on the sheet
    assert gentler_would_fit(measure(0.97, 0.5), 1, a4)  # the stylesheets' own step
    # Two steps back the text is longer still: 12% more fits the sheet, 22% more does not.
    assert gentler_would_fit(measure(0.97, 0.75), 3, a4, 2)
    assert not gentler_would_fit(measure(0.97, 0.75), 3, a4, 0)
    # Expected to fill 99% of the sheet: a block kept whole would likely push it over.
    assert not gentler_would_fit(measure(1.0, 0.89), 1, a4)
    # Pictures keep their size at every step: only the text grows.
    pictured = Measure(2, [PAGE * 0.95] * 2, [PAGE] * 2, [PAGE * 0.6, PAGE * 0.5])
    assert gentler_would_fit(pictured, 1, a4)
    assert not gentler_would_fit(measure(0.95, 0.95), 1, a4)
    booklet = BuildOptions(fit=True, booklet=True)
    # The back cover holds only the contact panel: neither its room nor the panel is text.
    assert gentler_would_fit(measure(0.97, 0.97, 0.5, 0.6), 3, booklet)
    assert not gentler_would_fit(measure(0.97, 0.97, 0.97, 0.6), 3, booklet)


def test_no_step_gentler_than_one_that_took_more_sheets_is_laid_out() -> None:
    a4 = BuildOptions(fit=True)
    roomy = measure(0.97, 0.5)  # at step 3: any gentler step is expected to fit two pages
    assert gentlest_expected(roomy, (3, ()), [], a4) == (0, ())
    three_pages = SimpleNamespace(pages=[None] * 3)
    # Step 1 took a second sheet: steps 0 and 1 are out, step 2 is the one left to try.
    assert gentlest_expected(roomy, (3, ()), [((1, ()), three_pages)], a4) == (2, ())
    assert gentlest_expected(roomy, (3, ()), [((2, ()), three_pages)], a4) is None
    # The compact panel at a step took more sheets: the step without it would too.
    assert gentlest_expected(roomy, (3, ()), [((1, (COMPACT,)), three_pages)], a4) == (2, ())


def corpus_clinic(folder: Path, site: Path) -> Path:
    """The shipped clinic profile, reading pictures from the corpus site's public folder."""
    profile = CLINIC_FILE.read_text(encoding="utf-8")
    profile = profile.replace('logo = "', f'logo = "{PROJECT_ROOT}/')
    profile = profile.replace('site_root = ""', f'site_root = "{site / "public"}"')
    clinic = folder / "clinic.toml"
    clinic.write_text(profile, encoding="utf-8")
    return clinic


def layout_of(prepared: Prepared, profile: Profile) -> tuple[Any, ...]:
    """What `render_document` and `fitted_pdf` take besides the HTML, for a prepared leaflet."""
    options = prepared.options
    return (
        stylesheets(profile, options),
        generated_css(options),
        prepared.roots,
        options,
        lambda _message: None,
    )


# A corpus article whose first layout says a step is not enough that is (the only one since
# column heads stay on one line: `intermitterende-faste.md` was another).
@pytest.mark.parametrize("name", ["lyske.md"])
def test_a_leaflet_is_laid_out_no_tighter_than_the_gentlest_step_giving_its_sheets(
    corpus: Path, tmp_path: Path, name: str
) -> None:
    site = corpus / CORPUS_ARTICLES
    profile = load_profile(corpus_clinic(tmp_path, site))
    with collect_warnings():
        prepared = prepare_leaflet(Job(site / name, tmp_path / "out.pdf"), profile, BuildOptions())
        layout = layout_of(prepared, profile)
        at = {
            step: render_document(with_step(prepared.html, step), *layout) for step in (0, 1, 2, 3)
        }
        data, _written = fitted_pdf(prepared.html, *layout)
    chosen, fitted = step_and_pages(data)
    a4 = BuildOptions()
    giving = [
        step
        for step, document in at.items()
        if sheets(len(document.pages), a4) == sheets(fitted, a4)
    ]
    assert sheets(len(at[0].pages), a4) > sheets(fitted, a4)  # a sheet saved
    # The estimate from the first layout passed over the step chosen: the test proves something.
    assert layouts_to_save_a_sheet(measured(at[0]), prepared.options)[0][0] > chosen
    assert chosen == min(giving), {step: len(document.pages) for step, document in at.items()}


def test_the_panel_joins_the_text_at_the_gentlest_layout_that_does_it(
    corpus: Path, tmp_path: Path
) -> None:
    # Cast off long for its pictures, this leaflet is laid out first at the tightest step; the
    # stylesheets' own step takes the same sheets but leaves the contact panel alone.
    site = corpus / CORPUS_ARTICLES
    profile = load_profile(corpus_clinic(tmp_path, site))
    with collect_warnings():
        job = Job(site / "migraene.md", tmp_path / "out.pdf")
        prepared = prepare_leaflet(job, profile, BuildOptions())
        layout = layout_of(prepared, profile)
        assert first_layout(prepared.html, prepared.options) == (3, ())
        data, _written = fitted_pdf(prepared.html, *layout)
        chosen, fitted = step_and_pages(data)
        joined = [
            step
            for step in range(chosen + 1)
            for classes in ((), (COMPACT,))
            if joins(render_document(with_step(prepared.html, step, *classes), *layout), fitted)
        ]
    assert joined and joined[0] == chosen < 3


def joins(document: Any, pages: int) -> bool:
    """Whether `document` takes the sheets of `pages` pages, its contact panel beside text."""
    a4 = BuildOptions()
    return sheets(len(document.pages), a4) == sheets(pages, a4) and not closing_alone(document)


def test_a_booklet_saves_its_second_sheet_on_the_fifth_page() -> None:
    booklet = BuildOptions(fit=True, booklet=True)
    # Four pages of text and the back cover: a fifth page opens a second folded sheet.
    assert layouts_to_save_a_sheet(measure(0.97, 0.97, 0.97, 0.12, 0.3), booklet) == [
        (1, ()),
        (2, ()),
        (3, ()),
    ]
    assert layouts_to_save_a_sheet(measure(0.97, 0.97, 0.2, 0.3), booklet) == []


def test_listed_compounds_break_only_between_their_parts() -> None:
    html = '<p>Lav strækøvelser <a href="https://x.dk/Strækøvelser">Strækøvelser</a></p>'
    marked = hyphenate_exceptions(html, "da")
    assert f"stræk{SOFT_HYPHEN}øvelser" in marked
    assert f">Stræk{SOFT_HYPHEN}øvelser<" in marked
    assert 'href="https://x.dk/Strækøvelser"' in marked  # never inside a tag
    assert hyphenate_exceptions(html, "en") == html


def test_a_link_prints_its_address_only_where_its_words_do_not_show_it() -> None:
    html = (
        '<a href="https://www.sundhed.dk/borger/">Sundhed.dk om smerter</a> '
        '<a href="https://sundhed.dk/x">sundhed.dk/x</a> '
        '<a href="https://klinik.dk/artikler/ryg">læs her</a>'
    )
    marked = spell_out_links(html, own_address="https://klinik.dk/artikler/ryg")
    assert marked.count("data-print-url") == 1
    assert 'data-print-url="sundhed.dk/borger"' in marked


def test_a_printed_address_is_where_the_link_goes() -> None:
    html = (
        '<a href="http://e.com/\u202eexe.pdf">sixteen</a> '
        '<a href="https://user:secret@sundhed.dk/x">her</a>'
    )
    marked = spell_out_links(html)
    # A right-to-left override would print 'exe.pdf' as 'fdp.exe'; a name before the host
    # would print as if it were the site.
    assert 'data-print-url="e.com/%E2%80%AEexe.pdf"' in marked
    assert 'data-print-url="sundhed.dk/x"' in marked


LINKED = """---
title: Ondt i ryggen
datePublished: 2025-01-10
---
Læs mere hos [Sundhedsstyrelsen](https://www.sst.dk/da/viden/ryg) eller på
[sundhed.dk](https://www.sundhed.dk/). Strækøvelser og styrkeøvelser hjælper mange.

## Hvad kan jeg selv gøre?

Bliv ved med at bevæge dig, og tal med en fysioterapeut om øvelser, der passer til dig.
"""


def test_links_print_as_words_with_the_address_where_it_is_not_shown(
    article: Callable[[str, str], Path], tmp_path: Path
) -> None:
    from leaflets.cli.main import main

    target = tmp_path / "linked.pdf"
    assert main(["build", str(article(LINKED, "ryg.md")), "-o", str(target)]) == 0
    with pdfplumber.open(target) as pdf:
        page = pdf.pages[0]
        text = " ".join((page.extract_text() or "").split())
        words = {
            word["text"]: word for word in page.extract_words(extra_attrs=["non_stroking_color"])
        }
        rules = [*page.lines, *page.rects]
    assert "Sundhedsstyrelsen (sst.dk/da/viden/ryg)" in text
    assert "sundhed.dk." in text and "(sundhed.dk)" not in text  # the words show the address
    link, before = words["Sundhedsstyrelsen"], words["hos"]
    assert link["non_stroking_color"] == before["non_stroking_color"]  # the colour of the text
    under = [
        rule
        for rule in rules
        if (link["top"] + link["bottom"]) / 2 <= rule["top"] <= link["bottom"] + 4
        and rule["x0"] < link["x1"]
        and rule["x1"] > link["x0"]
    ]
    assert under == []  # no underline


def hyphenated_words(path: Path) -> list[tuple[str, str]]:
    """(before, after) for every word hyphenated at a line end: the two parts."""
    found = []
    with pdfplumber.open(path) as pdf:
        lines = [line["text"] for page in pdf.pages for line in page.extract_text_lines()]
    for line, following in itertools.pairwise(lines):
        if line.endswith("-") and line[-2:-1].isalpha() and following:
            before = line.rsplit(" ", 1)[-1].rstrip("-")
            after = "".join(itertools.takewhile(str.isalpha, following.split(" ", 1)[0]))
            found.append((before, after))
    return found


def compound_joins() -> set[tuple[str, str]]:
    """(before, after) for each join of each listed Danish compound."""
    joins = set()
    for written in DANISH_BREAKS:
        parts = written.split("-")
        for cut in range(1, len(parts)):
            joins.add(("".join(parts[:cut]), "".join(parts[cut:])))
    return joins


@pytest.mark.parametrize("variant", ["a4", "a5", "high-contrast"])
def test_a_word_is_hyphenated_only_at_the_join_of_a_listed_compound(
    built: dict[str, Path], variant: str
) -> None:
    written = EXAMPLE.read_text(encoding="utf-8")
    joins = compound_joins()
    for before, after in hyphenated_words(built[variant]):
        if f"{before}-{after}" in written:
            continue  # a hyphen of the text itself, as in MR-scanning
        assert (before.lower(), after.lower()) in joins, (before, after)


def test_no_listed_compound_is_split_inside_a_part(built: dict[str, Path]) -> None:
    for before, after in hyphenated_words(built["a5"]):
        assert (before + after).lower() not in ("strækøvelser", "bækkensmerter") or (
            before.lower() in ("stræk", "strækøvel", "bækken", "bækkensmer")
        ), (before, after)


def test_the_high_contrast_leaflet_has_no_grey_text(built: dict[str, Path]) -> None:
    with pdfplumber.open(built["high-contrast"]) as pdf:
        colours = {
            tuple(round(float(value), 3) for value in char["non_stroking_color"])
            for page in pdf.pages
            for char in page.chars
            if char["text"].strip()
        }
    assert colours <= {(0.0, 0.0, 0.0), (1.0, 1.0, 1.0), (0.0,), (1.0,)}, colours


def test_the_clinic_profile_can_switch_fitting_off(cli: Callable[..., Run], tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.toml"
    clinic.write_text('[clinic]\nname = "Klinik"\n\n[print]\nfit = false\n', encoding="utf-8")
    target = tmp_path / "plain.pdf"
    assert cli("build", EXAMPLE, "-o", target, "--clinic", clinic).code == 0
    assert density(target) == "off"
    assert cli("build", EXAMPLE, "-o", target, "--clinic", clinic, "--fit").code == 0
    assert density(target) != "off"


def test_a_fit_that_is_not_true_or_false_is_named(cli: Callable[..., Run], tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.toml"
    clinic.write_text('[clinic]\nname = "Klinik"\n\n[print]\nfit = "yes"\n', encoding="utf-8")
    result = cli("build", EXAMPLE, "-o", tmp_path / "x.pdf", "--clinic", clinic)
    assert result.code == 1
    assert "fit" in result.err and "true or false" in result.err
    assert not (tmp_path / "x.pdf").exists()
