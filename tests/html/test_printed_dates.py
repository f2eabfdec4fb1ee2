"""The dates a patient reads: one date when the update is not after publication."""

from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest

from tests.conftest import Run

BODY = "\n## Om smerterne\n\nSmerterne går ofte over af sig selv.\n"


def built_text(
    article: Callable[[str, str], Path], cli: Callable[..., Run], dates: str
) -> tuple[Run, str]:
    source = article(f"---\ntitle: Ondt i ryggen\n{dates}---\n{BODY}", "ryg.md")
    target = source.with_suffix(".pdf")
    run = cli("build", source, "-o", target)
    assert run.code == 0, run.err
    with pdfplumber.open(target) as pdf:
        return run, "\n".join(page.extract_text() or "" for page in pdf.pages)


@pytest.mark.parametrize(
    "dates",
    [
        "datePublished: 19/02/2025\nlastUpdated: 24/02/2024\n",
        "datePublished: 19/02/2025\nlastUpdated: 19/02/2025\n",
    ],
)
def test_an_update_not_after_publication_prints_one_date(
    article: Callable[[str, str], Path], cli: Callable[..., Run], dates: str
) -> None:
    _run, text = built_text(article, cli, dates)
    # Under the title and in the footer: the newest date, once per place, and nothing else.
    assert text.count("Opdateret 19. februar 2025") == 2
    assert "Udgivet" not in text
    assert "Senest opdateret" not in text
    assert "2024" not in text


def test_an_update_after_publication_prints_both(
    article: Callable[[str, str], Path], cli: Callable[..., Run]
) -> None:
    _run, text = built_text(article, cli, "datePublished: 19/02/2024\nlastUpdated: 3/03/2025\n")
    # Under the title; the footer keeps to the newest, so that it stays one line.
    assert text.count("Udgivet 19. februar 2024") == 1
    assert text.count("Senest opdateret 3. marts 2025") == 2


def test_the_editor_is_still_told_about_the_order(
    article: Callable[[str, str], Path], cli: Callable[..., Run]
) -> None:
    dates = "datePublished: 19/02/2025\nlastUpdated: 24/02/2024\n"
    source = article(f"---\ntitle: Ondt i ryggen\n{dates}---\n{BODY}", "ryg.md")
    run = cli("check", source)
    assert "date-order" in run.out + run.err
