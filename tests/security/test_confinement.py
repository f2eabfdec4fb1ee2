"""Smaller promises about untrusted values: address characters, link checks, image formats."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from PIL import EpsImagePlugin, Image

from leaflets.article.assets import AssetRefusedError, AssetRoots, check_asset, resolve_image
from leaflets.article.links import check_web_url, web_url
from leaflets.checks.run import check_files
from leaflets.checks.settings import CheckSettings
from leaflets.config.errors import LeafletError
from leaflets.config.profile import load_profile
from leaflets.pdf.fetcher import ConfinedFetcher
from leaflets.pdf.images import compact_image

from ..conftest import Run

TODAY = dt.date(2026, 1, 1)
EPS = (
    b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 120 80\n%%EndComments\n"
    b"newpath 10 10 moveto 110 70 lineto stroke showpage\n%%EOF\n"
)
NOT_AN_IMAGE = "not a PNG, JPEG, GIF, WebP or SVG image"


@pytest.mark.parametrize(
    "character",
    [
        "\x85",  # next line, a C1 control
        "\x9b",  # the one-byte CSI
        "\u2028",
        "\u2029",
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\u200b",  # zero width space, a format character
        "\u200e",  # left-to-right mark
        "\ufeff",
        "\u00a0",
        "\u3000",
    ],
)
def test_an_address_with_an_invisible_character_is_refused(character: str) -> None:
    url = f"https://klinik.dk/{character}exe.pdf"
    assert web_url(url) == ""
    with pytest.raises(ValueError, match="control or invisible formatting characters"):
        check_web_url(url)


def test_letters_beyond_ascii_stay_allowed_in_an_address() -> None:
    assert web_url("https://fysio-søndergade.dk/bækken") == "https://fysio-søndergade.dk/bækken"


def test_the_clinic_profile_uses_the_same_rule(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.toml"
    clinic.write_text('[clinic]\nname = "K"\nwebsite = "https://k.dk/\u202efdp.exe"\n')
    with pytest.raises(LeafletError, match=r"clinic\.website"):
        load_profile(clinic)


def link_findings(folder: Path, target: str) -> list[str]:
    article = folder / "links.md"
    article.write_text(f"---\ntitle: Links\n---\nSe [filen]({target}).\n", encoding="utf-8")
    report = check_files([article], CheckSettings(), TODAY)
    return [finding.message for finding in report.findings if finding.rule == "link-missing"]


def test_link_missing_tells_nothing_about_files_outside_the_folders(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text("x")
    up = "../" * len(folder.parts)
    existing = link_findings(folder, f"{up}{outside.relative_to('/')}")
    missing = link_findings(folder, f"{up}{outside.relative_to('/')}-not-there")
    shadow = link_findings(folder, f"{up}etc/shadow")
    assert [message.split(": ", 1)[1] for message in existing + missing + shadow] == [
        "outside the project's folders"
    ] * 3


def test_link_missing_still_finds_missing_files_inside(tmp_path: Path) -> None:
    (tmp_path / "there.md").write_text("x")
    assert link_findings(tmp_path, "there.md") == []
    assert link_findings(tmp_path, "gone.md") == ["link to 'gone.md': no such file"]


@pytest.fixture
def ghostscript_switched_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pillow as it is before WeasyPrint switches Ghostscript off, or if it were imported first."""
    gs = shutil.which("gs")
    monkeypatch.setattr(EpsImagePlugin, "gs_binary", gs or None, raising=False)


@pytest.mark.usefixtures("ghostscript_switched_on")
def test_an_eps_file_named_png_is_refused_by_its_first_bytes(tmp_path: Path) -> None:
    disguised = tmp_path / "picture.png"
    disguised.write_bytes(EPS)
    roots = AssetRoots(content=tmp_path, extra=())
    with pytest.raises(AssetRefusedError, match=NOT_AN_IMAGE):
        resolve_image("picture.png", tmp_path, roots)
    assert compact_image(disguised, EPS + b" " * 100_000) is None


@pytest.mark.usefixtures("ghostscript_switched_on")
@pytest.mark.parametrize(
    ("name", "problem"),
    [("picture.png", NOT_AN_IMAGE), ("picture.svg", NOT_AN_IMAGE), ("style.css", "style sheet")],
)
def test_the_fetcher_serves_no_postscript_under_any_name(
    tmp_path: Path, name: str, problem: str
) -> None:
    disguised = tmp_path / name
    disguised.write_bytes(EPS)
    said: list[str] = []
    fetcher = ConfinedFetcher(AssetRoots(content=tmp_path, extra=()), said.append)
    with pytest.raises(ValueError, match=problem):
        fetcher.fetch(disguised.as_uri())
    assert said and problem in said[0]


def test_a_raster_image_named_svg_is_refused(tmp_path: Path) -> None:
    # It would pass the pixel limit unread, which reads only files named as raster images.
    disguised = tmp_path / "picture.svg"
    disguised.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    with pytest.raises(AssetRefusedError, match=NOT_AN_IMAGE):
        check_asset(disguised, AssetRoots(content=tmp_path, extra=()))


def test_a_leaflet_with_a_disguised_eps_is_built_without_it(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    (tmp_path / "picture.png").write_bytes(EPS)
    Image.new("RGB", (40, 30), "teal").save(tmp_path / "real.png")
    article = tmp_path / "eps.md"
    article.write_text(
        "---\ntitle: EPS\n---\n![Et billede](picture.png)\n\n![Et andet](real.png)\n",
        encoding="utf-8",
    )
    run = cli("build", article, "-o", tmp_path / "eps.pdf")
    assert run.code == 0, run.err
    assert any("picture.png" in line and NOT_AN_IMAGE in line for line in run.warnings)
    with pikepdf.open(tmp_path / "eps.pdf") as pdf:
        sizes = [
            (int(image.Width), int(image.Height))
            for page in pdf.pages
            for image in page.get_images().values()
        ]
    assert sizes == [(40, 30)]  # the real picture only
