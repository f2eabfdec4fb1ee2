"""The FAQ's tinted panel, read back from real PDFs: wherever the page breaks, no page ends or
begins with a piece of the panel that holds no text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pdfplumber

from ..conftest import Run

PARAGRAPH = (
    "Smerter i anklen efter et vrid går som regel over af sig selv i løbet af nogle uger, men "
    "det hjælper at holde foden i bevægelse og at øve balancen hver dag, så leddet bliver "
    "stærkt igen.\n\n"
)
SHORT = "Hvil foden.\n\n"
FAQ = (
    "## Ofte stillede spørgsmål\n\n### Hvor længe varer det?\n\nSom regel nogle uger, men det "
    "kan vare længere, hvis du ikke træner.\n\n### Skal jeg have is på?\n\nIs kan lindre de "
    "første dage.\n"
)
TINT = (0.929, 0.953, 0.957)  # --tint in tokens.css, #edf3f4


def is_tint(colour: tuple[float, ...]) -> bool:
    return len(colour) == 3 and all(abs(a - b) < 0.01 for a, b in zip(colour, TINT, strict=True))


def panel_pieces(path: Path) -> list[tuple[int, int]]:
    """(page, characters inside) for each piece of tinted panel in the PDF."""
    pieces = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for rect in page.rects:
                if not is_tint(rect.get("non_stroking_color") or ()):
                    continue
                inside = [
                    char
                    for char in page.chars
                    if rect["top"] - 1 <= char["top"] and char["bottom"] <= rect["bottom"] + 1
                    and rect["x0"] <= char["x0"] <= rect["x1"]
                ]  # fmt: skip
                pieces.append((page.page_number, len(inside)))
    return pieces


def test_no_piece_of_the_faq_panel_is_empty(cli: Callable[..., Run], tmp_path: Path) -> None:
    split = 0
    for paragraphs in range(17, 21):
        for shorts in range(2):
            source = tmp_path / f"ankel-{paragraphs}-{shorts}.md"
            body = PARAGRAPH * paragraphs + SHORT * shorts
            source.write_text(f"---\ntitle: Ankel\n---\n\nOm ankler.\n\n## Råd\n\n{body}{FAQ}")
            target = source.with_suffix(".pdf")
            assert cli("build", source, "-o", target, "--no-fit").code == 0
            pieces = panel_pieces(target)
            assert pieces and all(chars > 0 for _page, chars in pieces), (source.name, pieces)
            split += len({page for page, _chars in pieces}) > 1
    assert split  # the page break fell inside the panel at least once
