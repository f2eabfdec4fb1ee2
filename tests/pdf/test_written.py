"""What the finisher reads from WeasyPrint's objects: the page count and embedded files."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from weasyprint import HTML

from leaflets.pdf.tagging import Finisher
from leaflets.pdf.written import Written


def finished(html: str) -> Written:
    finish = Finisher(False)
    HTML(string=html).render(pdf_tags=True).write_pdf(finisher=finish, pdf_tags=True)
    assert finish.written is not None
    return finish.written


@pytest.fixture
def picture(tmp_path: Path) -> str:
    path = tmp_path / "secret.png"
    Image.new("RGB", (4, 4)).save(path)
    return path.as_uri()


def test_the_page_count_comes_from_the_document() -> None:
    html = '<html lang="en"><body><p>one</p><p style="break-before: page">two</p></body></html>'
    assert finished(html).pages == 2


@pytest.mark.parametrize(
    "html",
    [
        '<html lang="en"><head><link rel="attachment" href="{url}"></head><body>x</body></html>',
        '<html lang="en"><body><a rel="attachment" href="{url}">notes</a></body></html>',
    ],
)
def test_embedded_files_are_found_by_name(html: str, picture: str) -> None:
    assert finished(html.format(url=picture)).embedded == ("secret.png",)


def test_a_plain_pdf_embeds_nothing() -> None:
    assert finished('<html lang="en"><body><p>plain</p></body></html>').embedded == ()


def test_each_finisher_keeps_its_own_findings(picture: str) -> None:
    carrier, plain = Finisher(False), Finisher(False)
    attached = f'<html lang="en"><body><a rel="attachment" href="{picture}">n</a></body></html>'
    HTML(string=attached).render(pdf_tags=True).write_pdf(finisher=carrier, pdf_tags=True)
    HTML(string="<p>plain</p>").render(pdf_tags=True).write_pdf(finisher=plain, pdf_tags=True)
    assert carrier.written == Written(1, ("secret.png",))
    assert plain.written == Written(1, ())
