"""Every real article builds, in one run through the worker pool, with no web leftovers printed."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from ..conftest import Run

SITE = "davidbograd+fysfinder-next"
# What Liquid and kramdown look like when they survive into print.
LEFTOVER = re.compile(r"\{%|%\}|\{\{\s*[A-Za-z_][\w.]*\s*(\|[^}]*)?\}\}|\{:[^}\n]*\}")


def _linked(corpus: Path, folder: Path) -> Path:
    """One folder of links to every corpus article; the files themselves stay where they are."""
    folder.mkdir()
    for article in sorted(corpus.glob("*/*.md")):
        (folder / article.name).symlink_to(article)
    return folder


@pytest.mark.slow
@pytest.mark.corpus
def test_every_corpus_article_builds_cleanly(
    cli: Callable[..., Run], corpus: Path, tmp_path: Path
) -> None:
    corpus_articles = _linked(corpus, tmp_path / "articles")
    clinic = tmp_path / "clinic.toml"
    clinic.write_text(
        f'[clinic]\nname = "Klinik"\n\n[leaflets]\nsite_root = "{corpus / SITE / "public"}"\n'
    )
    out = tmp_path / "out"
    result = cli("build", corpus_articles, "-o", out, "--clinic", clinic, "-j", "2")
    assert "Traceback" not in result.err
    assert result.errors == []
    assert result.code == 0
    articles = sorted(path.stem for path in corpus_articles.glob("*.md"))
    assert len(result.out.splitlines()) == len(articles) + 1  # and the catalogue index
    assert sorted(path.stem for path in out.glob("*.pdf")) == sorted([*articles, "index"])
    assert any(
        "fitness.md" in line and "fitness_hold.png" in line and "no such file" in line
        for line in result.warnings
    ), result.warnings
    leftovers = {name: _leftovers(out / f"{name}.pdf") for name in articles}
    assert {name: found for name, found in leftovers.items() if found} == {}


def _leftovers(pdf: Path) -> list[str]:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
    return [match.group(0) for match in LEFTOVER.finditer(text)]
