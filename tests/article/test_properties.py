"""Random text never breaks the loader or the Markdown stage with anything but LeafletError."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from leaflets.article.assets import AssetRoots
from leaflets.article.model import load_article
from leaflets.article.source import load_source
from leaflets.config.errors import LeafletError, collect_warnings
from leaflets.html.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown

from ..hostile import huge_png

YAML_ALPHABET = st.sampled_from(list("ab1:-_ []{}&*!|>'\"#%@?,.\n\t\\/0\u00e6\u200d~=<"))
MARKDOWN_ALPHABET = st.sampled_from(
    [
        *"ab1 \n\t#>*-_`[](){}!<>/=\"':|.\\&;~\u00f8",
        *("<img src=", "](", "![x](", "file:///etc/passwd", "../", "<!--", "![p](a.png)"),
        "<a rel=attachment href=",
    ]
)
yaml_text = st.lists(YAML_ALPHABET, max_size=120).map("".join)
markdown_text = st.lists(MARKDOWN_ALPHABET, max_size=200).map("".join)
front_matter_files = st.one_of(
    st.text(max_size=300),
    st.builds(lambda front, body: f"---\n{front}\n---\n{body}", yaml_text, st.text(max_size=50)),
    st.builds(lambda front: f"---\ntitle: T\n{front}\n---\nBody.\n", yaml_text),
)
SETTINGS = settings(max_examples=300, deadline=None)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A content folder with one small picture in it."""
    path = tmp_path_factory.mktemp("properties")
    huge_png(path / "a.png", 2)
    return path


def _article_file(folder: Path, text: str) -> Path:
    path = folder / "article.md"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


KNOWN_TRAPS = (
    "---\nday: 2025-02-31\n---\nx",  # PyYAML builds dates itself, and raises ValueError
    "---\nday: !!timestamp x\n---\nx",  # an explicit tag crashes its constructor
    "---\ntitle: " + "[" * 3000 + "\n---\nx",  # the composer recurses once per level
    "---\n? [a]\n: b\n---\nx",  # an unhashable key
)


def _with_traps(test: Callable[..., None]) -> Callable[..., None]:
    for trap in KNOWN_TRAPS:
        test = example(text=trap)(test)
    return test


@SETTINGS
@given(front_matter_files)
@_with_traps
def test_the_front_matter_loader_fails_only_cleanly(folder: Path, text: str) -> None:
    path = _article_file(folder, text)
    try:
        load_source(path)
    except LeafletError as error:
        assert str(error).startswith(f"{path}: ")


@SETTINGS
@given(front_matter_files)
@_with_traps
def test_the_article_model_fails_only_cleanly(folder: Path, text: str) -> None:
    path = _article_file(folder, text)
    with collect_warnings():
        try:
            load_article(path)
        except LeafletError as error:
            assert str(error).startswith(f"{path}: ")


@SETTINGS
@given(st.one_of(markdown_text, st.text(max_size=300)))
def test_markdown_to_html_fails_only_cleanly(folder: Path, text: str) -> None:
    warnings: list[str] = []
    try:
        html = render_markdown(text, folder, AssetRoots(content=folder), warnings.append)
    except LeafletError:
        return
    assert _disallowed(html, folder) == []


class _Audit(HTMLParser):
    """Every element and attribute outside the allow-list, and every image outside the folder."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.images = folder.as_uri() + "/"
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.found.append(tag)
        for name, value in attrs:
            if name not in ALLOWED_ATTRIBUTES.get(tag, set()):
                self.found.append(f"{tag} {name}")
            if (tag, name) == ("img", "src") and not (value or "").startswith(self.images):
                self.found.append(f"img {value}")


def _disallowed(html: str, folder: Path) -> list[str]:
    audit = _Audit(folder)
    audit.feed(html)
    return audit.found
