"""What the finisher reads from WeasyPrint's objects: the page count and embedded files."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from weasyprint import HTML

from leaflets.pdf.tagging import finisher
from leaflets.pdf.written import last_written


def finished(html: str) -> None:
    HTML(string=html).render(pdf_tags=True).write_pdf(finisher=finisher(False), pdf_tags=True)


@pytest.fixture
def picture(tmp_path: Path) -> str:
    path = tmp_path / "secret.png"
    Image.new("RGB", (4, 4)).save(path)
    return path.as_uri()


def test_the_page_count_comes_from_the_document() -> None:
    finished('<html lang="en"><body><p>one</p><p style="break-before: page">two</p></body></html>')
    assert last_written().pages == 2


@pytest.mark.parametrize(
    "html",
    [
        '<html lang="en"><head><link rel="attachment" href="{url}"></head><body>x</body></html>',
        '<html lang="en"><body><a rel="attachment" href="{url}">notes</a></body></html>',
    ],
)
def test_embedded_files_are_found_by_name(html: str, picture: str) -> None:
    finished(html.format(url=picture))
    assert last_written().embedded == ("secret.png",)


def test_a_plain_pdf_embeds_nothing_and_is_read_once() -> None:
    finished('<html lang="en"><body><p>plain</p></body></html>')
    assert last_written().embedded == ()
    with pytest.raises(RuntimeError):
        last_written()
