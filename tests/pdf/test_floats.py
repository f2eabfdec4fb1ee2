"""No blank foot before a picture that did not fit: laid out by WeasyPrint on a small page,
where a picture is made to miss the first page's foot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from leaflets.article.assets import AssetRoots
from leaflets.config.options import BuildOptions
from leaflets.pdf.engine import render_document
from leaflets.pdf.fit import finished
from leaflets.pdf.floats import Move, blank_foot, moved, pictures_after_blank_feet

PAGE_CSS = (
    "@page { size: 90mm 60mm; margin: 4mm } body { margin: 0 }"
    "html { font: 9pt/1.2 'DejaVu Sans' } p { margin: 0 0 2mm }"
    "img { display: block; height: 22mm; break-inside: avoid }"
)
OPTIONS = BuildOptions()


@pytest.fixture
def picture(tmp_path: Path) -> Path:
    path = tmp_path / "picture.png"
    Image.new("RGB", (60, 40), "teal").save(path)
    return path


def layout(tmp_path: Path) -> tuple[Any, ...]:
    return ([], [PAGE_CSS], AssetRoots(content=tmp_path), OPTIONS, lambda _message: None, False)


def text(words: int, name: str) -> str:
    return f"<p>{name} " + " ".join(["tekst"] * words) + "</p>"


def leaflet(before: list[str], picture: Path, after: list[str]) -> str:
    body = "".join(before) + f'<p><img alt="" src="{picture.as_uri()}"></p>' + "".join(after)
    return f'<html lang="da"><body><section>{body}</section></body></html>'


def blank_before_picture(document: Any) -> bool:
    """Whether a page (but the last) ends on a blank foot, the next opening with a picture."""
    return bool(pictures_after_blank_feet(document))


def worst_blank_foot(document: Any) -> float:
    return max(
        blank_foot(page._page_box) / float(page._page_box.height) for page in document.pages[:-1]
    )


def order(document: Any) -> list[str]:
    """The paragraphs' first words and 'picture', in the order they are laid out."""
    from weasyprint.formatting_structure import boxes

    seen: list[str] = []
    for page in document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.ReplacedBox):
                seen.append("picture")
            elif isinstance(box, boxes.TextBox) and box.text.split()[0] in ("A", "B", "C"):
                seen.append(box.text.split()[0])
    return list(dict.fromkeys(seen))


def floated(tmp_path: Path, leaflets: dict[int, str]) -> list[tuple[int, Any]]:
    """Of `leaflets` (by a filler's length), those whose layout leaves a blank foot before the
    picture, each laid out with the picture moved; checked to leave less blank and none before
    a picture."""
    found = []
    for words, html in leaflets.items():
        document = render_document(html, *layout(tmp_path))
        if not blank_before_picture(document):
            continue
        fixed = finished(document, html, layout(tmp_path), OPTIONS)
        assert not blank_before_picture(fixed), words
        assert worst_blank_foot(fixed) < worst_blank_foot(document), words
        found.append((words, fixed))
    assert found, "no layout left a blank foot before the picture: the test proves nothing"
    return found


def test_a_picture_missing_a_foot_goes_below_the_paragraph_after_it(
    tmp_path: Path, picture: Path
) -> None:
    after = [text(40, "B"), text(30, "C")]
    leaflets = {words: leaflet([text(words, "A")], picture, after) for words in range(40, 120, 4)}
    for words, fixed in floated(tmp_path, leaflets):
        assert order(fixed)[:3] == ["A", "B", "picture"], words


def test_a_picture_ending_its_section_goes_above_the_paragraph_before_it(
    tmp_path: Path, picture: Path
) -> None:
    leaflets = {
        words: leaflet([text(words, "A"), text(40, "B")], picture, [])
        for words in range(20, 100, 4)
    }
    for words, fixed in floated(tmp_path, leaflets):
        assert order(fixed) == ["A", "picture", "B"], words


def test_only_the_named_picture_moves_and_only_past_paragraphs_of_text() -> None:
    html = '<p><img alt="" src="a.png"></p><p>one</p><p><img alt="" src="b.png"></p><p>two</p>'
    assert moved(html, [Move("a.png", down=1)]) == (
        '<p>one</p><p><img alt="" src="a.png"></p><p><img alt="" src="b.png"></p><p>two</p>'
    )
    assert moved(html, [Move("a.png", down=2)]) == html  # the next one holds a picture
    assert moved(html, [Move("b.png", up=1)]) == (
        '<p><img alt="" src="a.png"></p><p><img alt="" src="b.png"></p><p>one</p><p>two</p>'
    )


def test_a_lead_in_stays_with_its_table_and_a_picture_shown_twice_stays() -> None:
    lead_in = '<p><img alt="" src="a.png"></p><p class="lead-in">Se her:</p><table></table>'
    assert moved(lead_in, [Move("a.png", down=1)]) == lead_in
    twice = '<p><img alt="" src="a.png"></p><p>one</p><p><img alt="" src="a.png"></p>'
    assert moved(twice, [Move("a.png", down=1)]) == twice
    assert moved(twice, [Move("a.png", up=1)]) == twice
