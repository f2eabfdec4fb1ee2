"""The pieces of the sandbox one by one: front-matter addresses, the fetcher, the limits."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from leaflets.article.assets import AssetRefusedError, AssetRoots, check_asset
from leaflets.article.links import check_web_url, front_matter_image, front_matter_url, web_url
from leaflets.article.source import load_source
from leaflets.config.errors import LeafletError
from leaflets.html.markup import nesting_depth, render_markdown

from ..conftest import Run
from ..hostile import huge_png


@pytest.mark.parametrize(
    "url",
    ["https://fysfinder.dk/ordbog/baekkensmerter", "http://example.org/a?b=c#d", " https://x.dk "],
)
def test_web_addresses_pass(url: str) -> None:
    assert check_web_url(url) == url.strip()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<b>x</b>",
        "ftp://example.org/x",
        "//example.org/x",
        "/relative/path",
        "https://",
        "https://user:secret@example.org/",
        'https://example.org/"onmouseover="x',
        "https://exa mple.org/",
        "https://[::1/",
        "https://example.org/" + "a" * 2000,
        42,
        ["https://example.org/"],
        None,
    ],
)
def test_other_addresses_are_refused(url: object) -> None:
    assert web_url(url) == ""


def test_a_refused_front_matter_url_is_reported() -> None:
    said: list[str] = []
    assert front_matter_url({"url": "javascript:alert(1)"}, "url", said.append) == ""
    assert said == ["'url' left out: only http and https addresses can be used"]
    assert front_matter_url({}, "url", said.append) == ""
    assert len(said) == 1


def test_a_front_matter_image_follows_the_rules_for_body_images(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    huge_png(content / "ok.png", 4)
    huge_png(tmp_path / "outside.png", 4)
    roots = AssetRoots(content=content)
    said: list[str] = []
    image = front_matter_image({"image": "ok.png"}, "image", content, roots, said.append)
    assert image == (content / "ok.png").as_uri()
    for hostile in ("../outside.png", (tmp_path / "outside.png").as_uri(), "http://x/y.png", 7):
        assert front_matter_image({"image": hostile}, "image", content, roots, said.append) == ""
    assert len(said) == 4 and all(line.startswith("'image' left out: ") for line in said)


def test_the_front_matter_image_is_printed_under_the_title(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    import pikepdf

    huge_png(tmp_path / "picture.png", 40)
    article = tmp_path / "a.md"
    article.write_text("---\ntitle: T\nimage: picture.png\nurl: https://x.dk/a\n---\nTekst.\n")
    result = cli("build", article, "-o", tmp_path / "a.pdf")
    assert result.code == 0, result.err
    with pikepdf.open(tmp_path / "a.pdf") as pdf:
        objects = pdf.pages[0].Resources.get("/XObject", {})
        images = [name for name, item in objects.items() if item.get("/Subtype") == "/Image"]
    assert len(images) == 1


def test_a_picture_too_large_to_decode_is_refused(tmp_path: Path) -> None:
    huge_png(tmp_path / "bomb.png", 8000)
    with pytest.raises(AssetRefusedError, match="8000 × 8000 pixels"):
        check_asset(tmp_path / "bomb.png", AssetRoots(content=tmp_path))


@pytest.mark.parametrize("name", ["a\x00b.png", "x" * 5000 + ".png", "../" * 50 + "etc/passwd"])
def test_hostile_file_names_are_refusals_not_crashes(tmp_path: Path, name: str) -> None:
    with pytest.raises(AssetRefusedError):
        check_asset(tmp_path / name, AssetRoots(content=tmp_path))


def test_the_fetcher_serves_only_allowed_files(tmp_path: Path) -> None:
    from leaflets.pdf.fetcher import ConfinedFetcher

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "style.css").write_text("p { color: red }")
    (tmp_path / "secret.css").write_text("p { color: blue }")
    said: list[str] = []
    fetcher = ConfinedFetcher(AssetRoots(content=tmp_path / "in", extra=()), said.append)
    assert fetcher.fetch((tmp_path / "in" / "style.css").as_uri()).read() == b"p { color: red }"
    refused = [
        (tmp_path / "secret.css").as_uri(),
        (tmp_path / "in" / ".." / "secret.css").as_uri(),
        "http://127.0.0.1:9/x.css",
        "data:text/css,p{}",
        "file://otherhost/etc/passwd",
        "file:///dev/urandom",
        "file:///proc/self/environ",
    ]
    for url in refused:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.refused == refused
    assert len(said) == len(refused)


def test_nesting_is_measured_and_limited(tmp_path: Path) -> None:
    assert nesting_depth("<p>a<br>b</p><ul><li><p>x</p></li></ul>") == 3
    roots = AssetRoots(content=tmp_path)
    assert "<blockquote>" in render_markdown("> > > x", tmp_path, roots, print)
    with pytest.raises(LeafletError, match=r"nested \d+ deep"):
        render_markdown(">" * 200 + " x", tmp_path, roots, print, tmp_path / "a.md")


@pytest.mark.parametrize(
    ("front", "accepted"),
    [
        ("title: &t Løb\ncaption: *t", True),
        ("a: &a x\nb: [" + ", ".join(["*a"] * 16) + "]", True),
        ("a: &a x\nb: [" + ", ".join(["*a"] * 17) + "]", False),
        ("a: &a [x, y]\nb: [*a, *a]", False),
        ("a: &a {x: 1}\nb: *a", False),
        ("a: !!str x", False),
        ("a: !!python/name:os.system", False),
        ("a: 2025-02-31", False),
    ],
)
def test_front_matter_yaml_rules(tmp_path: Path, front: str, accepted: bool) -> None:
    path = tmp_path / "a.md"
    path.write_text(f"---\n{front}\n---\nx\n")
    if accepted:
        assert load_source(path).meta
    else:
        with pytest.raises(LeafletError):
            load_source(path)


def test_a_leaflet_with_only_an_update_date(cli: Callable[..., Run], tmp_path: Path) -> None:
    article = tmp_path / "a.md"
    article.write_text("---\ntitle: T\nlastUpdated: 01/02/2024\n---\nx\n")
    result = cli("build", article, "-o", tmp_path / "a.pdf")
    assert result.code == 0, result.err


def test_a_part_left_empty_by_the_sanitiser_is_empty(tmp_path: Path) -> None:
    said: list[str] = []
    html = render_markdown("<iframe src=x></iframe>\n\n<script>x</script>", tmp_path,
                           AssetRoots(content=tmp_path), said.append)  # fmt: skip
    assert html == ""
    assert said == ["raw HTML removed: <iframe>, <script>"]
