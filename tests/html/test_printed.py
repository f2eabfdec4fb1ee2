"""Typography for paper in the HTML: a title never ends in a lone word on its last line."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from pathlib import Path

import pdfplumber

from leaflets.html.printed import NO_BREAK_SPACE, keep_last_words

from ..conftest import Run

TITLE = "Gode råd om smerter i lænden når du sover dårligt om natten og om morgenen"
WORDS = TITLE.split(" ")


def test_the_last_two_words_of_a_title_are_joined() -> None:
    assert keep_last_words("Ondt i ryggen") == f"Ondt i{NO_BREAK_SPACE}ryggen"
    assert keep_last_words("Bækkensmerter") == "Bækkensmerter"
    assert keep_last_words("Forstuvet ankel") == "Forstuvet ankel"  # two words: free to wrap


def test_two_long_last_words_stay_free_to_wrap() -> None:
    title = "Om belastningsmuligheder efter forstuvningsskader"
    assert keep_last_words(title) == title


def title_lines(path: Path) -> list[str]:
    """The lines of the title on page 1: the largest type there is."""
    with pdfplumber.open(path) as pdf:
        chars = pdf.pages[0].chars
        largest = max(char["size"] for char in chars)
        title = [char for char in chars if abs(char["size"] - largest) < 0.1]
    rows = groupby(
        sorted(title, key=lambda c: (round(c["top"]), c["x0"])), lambda c: round(c["top"])
    )
    return ["".join(char["text"] for char in row).replace(NO_BREAK_SPACE, " ") for _, row in rows]


def test_a_title_that_wraps_never_leaves_its_last_word_alone(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    wrapped = 0
    # Growing a word at a time, the first title that wraps is the one that would put its
    # last word alone on the second line.
    for count in range(5, len(WORDS) + 1):
        title = " ".join(WORDS[:count])
        source = tmp_path / f"titel-{count}.md"
        source.write_text(f"---\ntitle: {title}\n---\n\nOm ryggen.\n", encoding="utf-8")
        target = tmp_path / f"titel-{count}.pdf"
        assert cli("build", source, "-o", target).code == 0
        lines = title_lines(target)
        if len(lines) > 1:
            wrapped += 1
            assert len(lines[-1].split()) >= 2, lines
    assert wrapped
