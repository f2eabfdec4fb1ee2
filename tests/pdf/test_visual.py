"""Page 1 and the last page of the example in every variant, compared with reference images.

The references are 70 dpi palette PNGs under tests/visual/; `make golden` rewrites them after
an intended change. A failing comparison writes the new page and a diff image to tmp_path.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from ..paths import TESTS
from ..variants import VARIANTS, build_variant

REFERENCES = TESTS / "visual"
DPI = 70
# Antialiasing and font hinting differ a little between machines: a pixel counts as changed
# only when a channel moves by more than LEVEL, and a page may have SHARE of its pixels changed.
LEVEL = 64
SHARE = 0.004


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Image.Image]]:
    folder = tmp_path_factory.mktemp("visual")
    found = {}
    for variant in VARIANTS:
        pdf = build_variant(variant, folder)
        subprocess.run(
            ["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(folder / variant)], check=True
        )
        rendered = sorted(folder.glob(f"{variant}-*.png"))
        found[variant] = [
            Image.open(rendered[0]).convert("RGB"),
            Image.open(rendered[-1]).convert("RGB"),
        ]
    return found


def changed_share(reference: Image.Image, page: Image.Image) -> tuple[float, Image.Image]:
    """The share of pixels that changed by more than LEVEL, and the difference image."""
    difference = ImageChops.difference(reference, page)
    mask = difference.convert("L").point(lambda level: 255 if level > LEVEL else 0)
    histogram = mask.histogram()
    return histogram[255] / (page.width * page.height), difference


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("which", ["first", "last"])
def test_the_page_looks_as_its_reference(
    pages: dict[str, list[Image.Image]], variant: str, which: str, tmp_path: Path
) -> None:
    page = pages[variant][0 if which == "first" else 1]
    reference_path = REFERENCES / f"{variant}-{which}.png"
    if os.environ.get("UPDATE_GOLDEN"):
        page.convert("P", palette=Image.Palette.ADAPTIVE, colors=32).save(
            reference_path, optimize=True
        )
    reference = Image.open(reference_path).convert("RGB")
    assert reference.size == page.size, f"{variant} page size changed"
    share, difference = changed_share(reference, page)
    if share > SHARE:
        page.save(tmp_path / f"{variant}-{which}-new.png")
        difference.point(lambda level: min(255, level * 4)).save(
            tmp_path / f"{variant}-{which}-diff.png"
        )
    assert share <= SHARE, f"{share:.2%} of the page changed; see {tmp_path}"


def test_a_real_change_is_seen(pages: dict[str, list[Image.Image]]) -> None:
    # The comparison must fail when a page does change: page 1 against the last page.
    share, _difference = changed_share(pages["a4"][0], pages["a4"][1])
    assert share > SHARE
