"""No word hyphenated across a page turn: laid out by WeasyPrint on a small page, where a
listed compound is made to end the first page."""

from __future__ import annotations

from leaflets.article.assets import AssetRoots
from leaflets.config.options import BuildOptions
from leaflets.html.printed import SOFT_HYPHEN
from leaflets.pdf.engine import render_document
from leaflets.pdf.fit import finished
from leaflets.pdf.turns import hyphenated_at_turns, kept_whole

COMPOUND = f"bækken{SOFT_HYPHEN}bunds{SOFT_HYPHEN}musklerne"
PAGE_CSS = (
    "@page { size: 62mm 24mm; margin: 2mm } body { margin: 0 }"
    "html { font: 10pt/1.2 'DejaVu Sans'; hyphens: manual; hyphenate-character: '-' }"
)
OPTIONS = BuildOptions()


def page_html(fillers: int) -> str:
    words = " ".join(["ab"] * fillers)
    return f'<html lang="da"><body><p>{words} {COMPOUND} og mere tekst her</p></body></html>'


LAYOUT = ([], [PAGE_CSS], AssetRoots(), OPTIONS, lambda _message: None, False)


def laid_out(html: str) -> object:
    return render_document(html, *LAYOUT)


def test_kept_whole_takes_the_soft_hyphens_out_of_that_compound_only() -> None:
    other = f"skulder{SOFT_HYPHEN}smerter"
    html = f"<p>{COMPOUND} og {other}</p>"
    assert kept_whole(html, [f"bækken{SOFT_HYPHEN}"]) == f"<p>bækkenbundsmusklerne og {other}</p>"
    assert kept_whole(html, ["Bækken"]) == f"<p>bækkenbundsmusklerne og {other}</p>"


def test_a_compound_that_would_break_over_the_page_turn_is_kept_whole() -> None:
    turned = 0
    for fillers in range(20, 60):
        html = page_html(fillers)
        document = laid_out(html)
        if not hyphenated_at_turns(document):
            continue
        turned += 1
        fixed = finished(document, html, LAYOUT, OPTIONS)
        assert hyphenated_at_turns(fixed) == [], fillers
    assert turned, "no layout ended a page in the compound: the test proves nothing"
