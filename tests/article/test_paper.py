"""Web leftovers cleaned for paper, each removal named by line, checked in the built PDF."""

from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pikepdf

from leaflets.article.paper import drop_thematic_breaks, strip_tracking, unindent_prose

from ..conftest import Run

LONG_CODE = "print_leaflet(" + "x_" * 120 + ")"
ARTICLE = f"""---
title: Ondt i knæet
datePublished: 19/02/2025
---

## Øvelser

Læs [vejledningen](https://example.org/knae?utm_source=nyhedsbrev&side=2&gclid=abc&fbclid=1).

Gør sådan hver dag:

    - Bøj knæet **langsomt**
    - Stræk benet helt ud

Et program på skærmen:

```
{LONG_CODE}
```

---
"""


def build(article: Callable[[str, str], Path], cli: Callable[..., Run], text: str) -> Path:
    source = article(text, "knae.md")
    target = source.with_suffix(".pdf")
    run = cli("build", source, "-o", target)
    assert run.code == 0, run.err
    return target


def rules_drawn(target: Path) -> int:
    with pdfplumber.open(target) as pdf:
        return sum(len(page.lines) + len(page.rects) for page in pdf.pages)


def test_each_removal_is_a_warning_naming_its_line(
    article: Callable[[str, str], Path], cli: Callable[..., Run]
) -> None:
    source = article(ARTICLE, "knae.md")
    run = cli("build", source, "-o", source.with_suffix(".pdf"))
    assert run.code == 0, run.err
    found = "\n".join(run.warnings)
    assert f"{source}:8: tracking parameters fbclid, gclid, utm_source" in found
    assert f"{source}:12: indentation that would have printed the text as code" in found
    assert f"{source}:21: thematic break '---'" in found


def test_the_printed_leaflet_shows_no_leftovers(
    article: Callable[[str, str], Path], cli: Callable[..., Run]
) -> None:
    target = build(article, cli, ARTICLE)
    with pdfplumber.open(target) as pdf:
        page = pdf.pages[0]
        text = page.extract_text()
        code = [char for char in page.chars if char["text"] == "x"]
        width = page.width
    assert "**" not in text
    assert "Bøj knæet langsomt" in text
    # A list, not code: every item starts with a bullet, in the body font.
    assert "• Bøj knæet" in text
    assert "• Stræk benet" in text
    # The code wraps inside the paper in the bundled body font.
    assert code
    assert all(char["x1"] <= width - 10 for char in code)
    assert all("Atkinson" in char["fontname"] for char in code)
    with pikepdf.open(target) as pdf:
        links = [
            str(annot.A.URI)
            for page in pdf.pages
            for annot in page.get("/Annots", [])
            if "/A" in annot and "/URI" in annot.A
        ]
    assert "https://example.org/knae?side=2" in links
    assert not any("utm_" in link or "clid" in link for link in links)


def test_a_thematic_break_draws_no_rule(
    article: Callable[[str, str], Path], cli: Callable[..., Run]
) -> None:
    with_break = rules_drawn(build(article, cli, ARTICLE))
    without = rules_drawn(build(article, cli, ARTICLE.rsplit("---", 1)[0]))
    assert with_break == without


def report_into(found: list[tuple[int, str]]) -> Callable[[int, str], None]:
    return lambda line, what: found.append((line, what))


def test_a_heading_underline_and_list_continuations_are_left_alone() -> None:
    found: list[tuple[int, str]] = []
    text = "Overskrift\n---\n\n- punkt\n\n    fortsat i punktet\n\n    x = 1;\n"
    out = unindent_prose(
        drop_thematic_breaks(strip_tracking(text, report_into(found)), report_into(found)),
        report_into(found),
    )
    assert out == text
    assert found == []


def test_indented_text_after_a_paragraph_is_unindented_but_code_stays() -> None:
    found: list[tuple[int, str]] = []
    text = "Tekst.\n\n    Almindelig tekst\n    fortsætter\n\nKode:\n\n    if (a) { b(); }\n"
    out = unindent_prose(text, report_into(found))
    assert out == "Tekst.\n\nAlmindelig tekst\nfortsætter\n\nKode:\n\n    if (a) { b(); }\n"
    assert [line for line, _what in found] == [3]


def test_a_long_break_is_named_in_a_few_characters() -> None:
    said: list[tuple[int, str]] = []
    drop_thematic_breaks(
        "Tekst.\n\n" + "_" * 200_000 + "\n", lambda line, what: said.append((line, what))
    )
    assert said == [(3, "thematic break '" + "_" * 19 + "…'")]
