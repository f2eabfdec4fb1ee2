"""Paper formats, booklets, large print and bleed, measured in the real PDFs."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2
import pytest

from leaflets.builder.edition import variant_suffix
from leaflets.cli.main import main
from leaflets.config.defaults import CLINIC_FILE
from leaflets.config.options import BuildOptions
from leaflets.config.profile import load_profile
from leaflets.press.prepress import settle

from ..conftest import EXAMPLE
from ..layout import MM, body_lines, squeeze

VARIANTS = {
    "a4": [],
    "a5": ["--format", "a5"],
    "letter": ["--format", "letter"],
    "booklet": ["--booklet"],
    "letter-booklet": ["--booklet", "--format", "letter"],
    "large-print": ["--large-print"],
    "bleed": ["--bleed", "3mm"],
    "bleed-marks": ["--bleed", "3mm", "--crop-marks"],
    "marks": ["--crop-marks"],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The example leaflet built in one of the variants, each once."""
    folder = tmp_path_factory.mktemp("variants")
    done: dict[str, Path] = {}

    def build(variant: str) -> Path:
        if variant not in done:
            target = folder / f"{variant}.pdf"
            # Without fitting, so that every variant has its format's own margins and type.
            command = ["build", str(EXAMPLE), "-o", str(target), "--no-fit", *VARIANTS[variant]]
            assert main(command) == 0
            done[variant] = target
        return done[variant]

    return build


def page_sizes(path: Path) -> set[tuple[int, int]]:
    with pikepdf.open(path) as pdf:
        return {tuple(round(float(v)) for v in page.trimbox[2:]) for page in pdf.pages}  # type: ignore[misc]


def box(page: pikepdf.Page, name: str) -> list[float]:
    return [round(float(value), 2) for value in page.obj[name]]


@pytest.mark.parametrize(
    ("variant", "size"),
    [
        ("a4", (595, 842)),
        ("a5", (420, 595)),
        ("letter", (612, 792)),
        ("booklet", (842, 595)),
        ("letter-booklet", (792, 612)),
        ("large-print", (595, 842)),
    ],
)
def test_each_format_has_its_page_size_in_points(
    built: Callable[[str], Path], variant: str, size: tuple[int, int]
) -> None:
    assert page_sizes(built(variant)) == {size}


def test_a_booklet_has_a_whole_number_of_folded_sheets(built: Callable[[str], Path]) -> None:
    with pikepdf.open(built("a5")) as a5, pikepdf.open(built("booklet")) as booklet:
        assert len(booklet.pages) * 2 % 4 == 0
        assert len(booklet.pages) * 2 >= len(a5.pages)
        assert str(booklet.docinfo["/Title"]) == "Bækkensmerter"
        assert str(booklet.Root.Lang) == "da"


def body_chars(path: Path) -> list[dict[str, object]]:
    with pdfplumber.open(path) as pdf:
        return [char for page in pdf.pages for char in page.chars if char["text"].strip()]


def median_size(path: Path) -> float:
    return statistics.median(float(char["size"]) for char in body_chars(path))  # type: ignore[arg-type]


@pytest.mark.parametrize("variant", ["a4", "a5", "letter", "booklet"])
def test_standard_body_text_is_12pt_or_more(built: Callable[[str], Path], variant: str) -> None:
    assert median_size(built(variant)) >= 12


def test_large_print_body_text_is_18pt(built: Callable[[str], Path]) -> None:
    assert median_size(built("large-print")) >= 16
    assert median_size(built("large-print")) == pytest.approx(18, abs=0.1)


def test_large_print_headings_are_larger_than_its_body_text(
    built: Callable[[str], Path],
) -> None:
    sizes = sorted({round(float(char["size"])) for char in body_chars(built("large-print"))})  # type: ignore[arg-type]
    assert sizes[-1] >= 36  # the title
    assert 26 in sizes and 22 in sizes  # section headings and questions


def text_lines(path: Path) -> list[tuple[int, dict[str, object]]]:
    with pdfplumber.open(path) as pdf:
        return [
            (number, line)
            for number, page in enumerate(pdf.pages, 1)
            for line in page.extract_text_lines()
        ]


def test_large_print_lines_are_spaced_at_one_and_a_half(built: Callable[[str], Path]) -> None:
    body = [
        (page, float(line["top"]))  # type: ignore[arg-type]
        for page, line in text_lines(built("large-print"))
        if round(float(line["chars"][0]["size"])) == 18  # type: ignore[index]
    ]
    pitches = [b[1] - a[1] for a, b in itertools.pairwise(body) if a[0] == b[0]]
    assert min(pitches) >= 1.5 * 18 - 0.5


def hyphenated_line_ends(path: Path) -> list[str]:
    return [
        str(line["text"])
        for _page, line in text_lines(path)
        if str(line["text"]).endswith("-") and str(line["text"])[-2:-1].isalpha()
    ]


def test_large_print_is_not_hyphenated_where_the_small_page_is(
    built: Callable[[str], Path],
) -> None:
    # An A5 page breaks the example's long compounds at their joins; large print never does.
    assert hyphenated_line_ends(built("a5")), "the check needs a hyphenated A5 leaflet"
    assert hyphenated_line_ends(built("large-print")) == []


def test_large_print_is_one_left_aligned_column(built: Callable[[str], Path]) -> None:
    with pdfplumber.open(built("large-print")) as pdf:
        width = float(pdf.pages[0].width)
    lines = [line for _page, line in text_lines(built("large-print"))]
    assert all(float(line["x0"]) < width / 2 for line in lines)  # type: ignore[arg-type]
    lefts = [round(float(line["x0"])) for line in lines]  # type: ignore[arg-type]
    rights = [round(float(line["x1"])) for line in lines]  # type: ignore[arg-type]
    assert statistics.mode(lefts) == min(lefts) or statistics.mode(lefts) < width / 6
    assert len(set(rights)) > len(rights) / 2  # a ragged right edge: not justified


def test_large_print_has_the_same_content(built: Callable[[str], Path]) -> None:
    standard = "".join(squeeze(text) for _page, text in body_lines(built("a4"), 15, 19))
    large = "".join(squeeze(text) for _page, text in body_lines(built("large-print"), 15, 26))
    # The article reads in the same order; the closing panel is laid out in one column in
    # large print and beside the QR code in the standard leaflet, so only its letters compare.
    standard_article, standard_panel = standard.split("kontaktos", 1)
    large_article, large_panel = large.split("kontaktos", 1)
    assert large_article == standard_article
    # Only the standard leaflet says it can also be had in large print.
    standard_panel = standard_panel.replace("fåsogsåmedstorskrift", "", 1)
    assert sorted(large_panel) == sorted(standard_panel)


TRIM = [0.0, 0.0, 595.28, 841.89]


def grown(rectangle: list[float], mm: float) -> list[float]:
    d = mm * MM
    left, bottom, right, top = rectangle
    return [round(left - d, 2), round(bottom - d, 2), round(right + d, 2), round(top + d, 2)]


@pytest.mark.parametrize(
    ("variant", "bleed_mm", "media_mm"),
    [("bleed", 3, 3), ("bleed-marks", 3, 8), ("marks", 3, 8)],
)
def test_bleed_gives_exact_trim_bleed_and_media_boxes(
    built: Callable[[str], Path], variant: str, bleed_mm: float, media_mm: float
) -> None:
    with pikepdf.open(built(variant)) as pdf:
        for page in pdf.pages:
            assert box(page, "/TrimBox") == TRIM
            assert box(page, "/BleedBox") == pytest.approx(grown(TRIM, bleed_mm), abs=0.02)
            assert box(page, "/MediaBox") == pytest.approx(grown(TRIM, media_mm), abs=0.02)


def test_the_title_band_runs_into_the_bleed(built: Callable[[str], Path]) -> None:
    scale = 2.0
    image = pypdfium2.PdfDocument(str(built("bleed-marks")))[0].render(scale=scale).to_pil()
    image = image.convert("RGB")

    def colour_at(x_mm: float, y_mm: float) -> tuple[int, int, int]:
        # Millimetres from the top left of the media box (5 mm marks + 3 mm bleed, then trim).
        pixel = image.getpixel((round(x_mm * MM * scale), round(y_mm * MM * scale)))
        assert isinstance(pixel, tuple)
        return pixel[0], pixel[1], pixel[2]

    primary = load_profile(CLINIC_FILE).style.primary_color.lstrip("#")
    band = (int(primary[0:2], 16), int(primary[2:4], 16), int(primary[4:6], 16))
    assert colour_at(105 + 8, 6.5) == band  # the top bleed, above the trim
    assert colour_at(6.5, 8 + 10) == band  # the left bleed, beside the band
    assert colour_at(210 + 8 + 1.5, 8 + 10) == band  # the right bleed
    assert colour_at(105 + 8, 2) == (255, 255, 255)  # outside the bleed: the mark zone
    assert colour_at(6.5, 8 + 150) == (255, 255, 255)  # beside the body text: no band


def test_the_clinic_profile_sets_the_default_format(cli, tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.toml"
    clinic.write_text('[clinic]\nname = "K"\n[print]\nformat = "letter"\n', encoding="utf-8")
    target = tmp_path / "leaflet.pdf"
    assert cli("build", EXAMPLE, "-o", target, "--clinic", clinic).code == 0
    assert page_sizes(target) == {(612, 792)}
    assert cli("build", EXAMPLE, "-o", target, "--clinic", clinic, "--format", "a5").code == 0
    assert page_sizes(target) == {(420, 595)}


def test_an_unknown_clinic_format_is_an_error_naming_the_field(cli, tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.toml"
    clinic.write_text('[clinic]\nname = "K"\n[print]\nformat = "a3"\n', encoding="utf-8")
    run = cli("build", EXAMPLE, "-o", tmp_path / "x.pdf", "--clinic", clinic)
    assert run.code == 1
    assert run.errors == [f"error: {clinic}: print.format: must be one of a4, a5, letter, not 'a3'"]
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--booklet", "--bleed", "3mm"], "--bleed and --crop-marks are for single pages"),
        (["--booklet", "--crop-marks"], "--bleed and --crop-marks are for single pages"),
        (["--bleed", "three"], "--bleed 'three' is not a length such as 3mm"),
        (["--bleed", "30mm"], "--bleed 30mm is more than 10 mm"),
    ],
)
def test_impossible_print_options_are_clean_errors(
    cli, tmp_path: Path, options: list[str], message: str
) -> None:
    run = cli("build", EXAMPLE, "-o", tmp_path / "x.pdf", *options)
    assert run.code == 1
    assert len(run.errors) == 1 and message in run.errors[0]
    assert "Traceback" not in run.err
    assert not (tmp_path / "x.pdf").exists()


def test_bleed_lengths_in_other_units(cli, tmp_path: Path) -> None:
    target = tmp_path / "x.pdf"
    assert cli("build", EXAMPLE, "-o", target, "--bleed", "0.125in").code == 0
    with pikepdf.open(target) as pdf:
        assert box(pdf.pages[0], "/BleedBox") == pytest.approx(grown(TRIM, 3.175), abs=0.02)


def test_a_clinic_theme_replaces_a_print_stylesheet_by_name(cli, tmp_path: Path) -> None:
    styles = tmp_path / "theme" / "styles"
    styles.mkdir(parents=True)
    (styles / "large-print.css").write_text("html { font-size: 16pt; line-height: 1.5; }\n")
    clinic = tmp_path / "clinic.toml"
    clinic.write_text('[clinic]\nname = "K"\n[style]\ntheme = "theme"\n', encoding="utf-8")
    target = tmp_path / "leaflet.pdf"
    assert cli("build", EXAMPLE, "-o", target, "--large-print", "--clinic", clinic).code == 0
    assert median_size(target) == pytest.approx(16, abs=0.1)


@pytest.mark.parametrize("variant", ["booklet", "bleed-marks"])
def test_imposed_and_bled_leaflets_are_reproducible(
    built: Callable[[str], Path], tmp_path: Path, variant: str
) -> None:
    again = tmp_path / "again.pdf"
    assert main(["build", str(EXAMPLE), "-o", str(again), "--no-fit", *VARIANTS[variant]]) == 0
    assert again.read_bytes() == built(variant).read_bytes()


@pytest.mark.parametrize(
    "given",
    [
        BuildOptions(crop_marks=True),
        BuildOptions(bleed="0.3cm", crop_marks=True),
        BuildOptions(bleed="3", crop_marks=True),
    ],
)
def test_one_bleed_is_one_edition_however_it_is_written(given: BuildOptions) -> None:
    settled = settle(given, load_profile(CLINIC_FILE))
    assert settled.bleed == "3mm"
    assert variant_suffix(settled) == "-bleed-3mm-crop-marks"
