"""The contact panel never has the last page to itself: read back from real PDFs of articles
whose length leaves it alone on a page of its own when laid out without fitting."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pikepdf

from leaflets.pdf.fit import MARGIN, Measure, layouts_to_join_the_panel

from ..conftest import Run
from ..layout import panel_only_last_page

HEAD = "---\ntitle: Ankelskader\ndatePublished: 19/02/2025\n---\n\n"
SECTION = (
    "## Gode råd {n}\n\nSmerter i anklen efter et vrid går som regel over af sig selv i løbet "
    "af nogle uger, men det hjælper at holde foden i bevægelse, at lægge den højt og at øve "
    "balancen hver dag, så leddet bliver stærkt igen.\n\n"
)
PAGE = 994.0  # an A4 page's height for content at step 0, in CSS pixels


def pages(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def test_a_panel_left_alone_joins_the_text_on_the_page_before(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    alone = 0
    for sections in range(8, 22):
        source = tmp_path / f"ankel-{sections}.md"
        text = HEAD + "".join(SECTION.format(n=n) for n in range(sections))
        source.write_text(text, encoding="utf-8")
        plain, fitted = tmp_path / f"plain-{sections}.pdf", tmp_path / f"fitted-{sections}.pdf"
        assert cli("build", source, "-o", plain, "--no-fit").code == 0
        if not panel_only_last_page(plain):
            continue
        alone += 1
        assert cli("build", source, "-o", fitted).code == 0
        assert not panel_only_last_page(fitted), sections
        assert pages(fitted) < pages(plain), sections
    assert alone, "no length left the panel alone: the test proves nothing"


def test_the_gentlest_layout_expected_to_bring_the_panel_back_is_tried_first() -> None:
    # Two full pages, and a third holding a panel of a quarter of a page, which the second
    # page has a tenth of a page left for: 15% of a page must move back.
    found = Measure(3, [PAGE, PAGE * 0.9, PAGE / 4], [PAGE] * 3)
    # 18% must go: step 1 with the compact panel is expected to be enough; the next gentlest
    # in case it is not, and the tightest when all else fails.
    assert layouts_to_join_the_panel(found, (0, ())) == [
        (1, ("compact-closing",)),
        (2, ()),
        (3, ("compact-closing",)),
    ]
    # A panel that only just misses needs no more than the compact form.
    close = Measure(3, [PAGE, PAGE * 0.98, PAGE * 0.06 / MARGIN], [PAGE] * 3)
    assert layouts_to_join_the_panel(close, (0, ()))[0] == (0, ("compact-closing",))
    # When the estimate misses, the next gentlest layout comes before the tightest.
    assert layouts_to_join_the_panel(close, (0, ())) == [
        (0, ("compact-closing",)),
        (1, ()),
        (3, ("compact-closing",)),
    ]
    # After a tighter step was chosen, only layouts tighter still are tried.
    assert layouts_to_join_the_panel(close, (1, ()))[0] == (1, ("compact-closing",))
    assert layouts_to_join_the_panel(close, (3, ("compact-closing",))) == []
