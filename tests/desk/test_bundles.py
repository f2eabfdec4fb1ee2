"""Named bundles from bundles.toml: read and checked, offered on the basket page, added whole."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from leaflets.config.errors import LeafletError
from leaflets.desk.bundles import MAX_BUNDLES_BYTES, Bundle, bundles_file, load_bundles
from leaflets.desk.state import Desk
from leaflets.desk.texts import desk_texts

from .conftest import Site, csrf_of

TEXTS = desk_texts("da")
AFTER_KNEE = """\
[[bundle]]
name = "Efter knæoperation"
leaflets = ["knaesmerter", "baekkensmerter"]
"""


def test_bundles_are_read_in_order(tmp_path: Path) -> None:
    path = tmp_path / "bundles.toml"
    path.write_text(AFTER_KNEE, encoding="utf-8")
    assert load_bundles(path) == [Bundle("Efter knæoperation", ("knaesmerter", "baekkensmerter"))]
    assert bundles_file(tmp_path / "clinic.toml") == path


def test_no_file_means_no_bundles(tmp_path: Path) -> None:
    assert load_bundles(tmp_path / "bundles.toml") == []
    assert load_bundles(None) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[[bundle]\n", "is not TOML"),
        ('[[bundle]]\nleaflets = ["a"]\n', "bundle 1 needs a name"),
        ('[[bundle]]\nname = "A"\nleaflets = []\n', "bundle 1 needs a list of leaflets"),
        ('[[bundle]]\nname = "A"\nleaflets = "a"\n', "bundle 1 needs a list of leaflets"),
        ('bundle = "A"\n', "[[bundle]] tables"),
    ],
)
def test_a_wrong_file_is_one_line_naming_it(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "bundles.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LeafletError) as refused:
        load_bundles(path)
    assert problem in str(refused.value) and str(path) in str(refused.value)
    assert "\n" not in str(refused.value)


def test_a_huge_file_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "bundles.toml"
    path.write_text("# " + "x" * MAX_BUNDLES_BYTES + "\n", encoding="utf-8")
    with pytest.raises(LeafletError, match="larger than"):
        load_bundles(path)


@pytest.fixture
def bundles(site: Site) -> Iterator[Path]:
    """The site's bundles.toml, removed after the test."""
    path = site.built.paths.users.parent / "bundles.toml"
    yield path
    path.unlink(missing_ok=True)


def test_a_named_bundle_goes_into_the_basket_whole(
    logged_in: TestClient, desk: Desk, bundles: Path
) -> None:
    bundles.write_text(AFTER_KNEE, encoding="utf-8")
    page = logged_in.get("/basket").text
    assert "Efter knæoperation" in page and "Knæsmerter · " in page
    form = {"csrf": csrf_of(page), "name": "Efter knæoperation"}
    assert logged_in.post("/basket/bundle", data=form).status_code == 303
    basket = [pair for session in desk.sessions._live.values() for pair in session.basket]
    assert basket == [("knaesmerter", "standard"), ("baekkensmerter", "standard")]


def test_a_bundle_naming_an_unknown_leaflet_adds_nothing(
    logged_in: TestClient, desk: Desk, bundles: Path
) -> None:
    bundles.write_text(AFTER_KNEE.replace('"baekkensmerter"', '"ingen"'), encoding="utf-8")
    form = {"csrf": csrf_of(logged_in.get("/basket").text), "name": "Efter knæoperation"}
    answer = logged_in.post("/basket/bundle", data=form)
    assert answer.status_code == 422
    assert html.escape(TEXTS["error_bundle_unknown"].format(slug="ingen")) in answer.text
    assert all(not session.basket for session in desk.sessions._live.values())


def test_a_broken_file_is_a_calm_notice(logged_in: TestClient, bundles: Path) -> None:
    bundles.write_text("[[bundle]\n", encoding="utf-8")
    page = logged_in.get("/basket")
    assert page.status_code == 200
    assert html.escape(TEXTS["bundles_broken"]) in page.text
