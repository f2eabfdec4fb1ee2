"""Reading built leaflets for the desk: their records and page images.

This is text work on untrusted articles and rendering of PDFs, so it runs in a worker of the
desk's pool, under its memory ceiling and a time limit (see `catalogue.py`), never in the
server process.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from leaflets.api import (
    Article,
    file_digest,
    leaflet_codes,
    linear,
    load_article,
    online_address,
    reference,
    review_date,
    shared_meta,
    translation_fields,
    version,
    write_atomically,
)
from leaflets.config.errors import LeafletError, collect_warnings
from leaflets.config.profile import Profile
from leaflets.desk.records import LeafletRecord

PAGES_DIR_NAME = ".desk-pages"
PAGE_WIDTH_PX = 620
PREVIEW_WIDTH_PX = 420
MAX_BODY = 20_000
MAX_PAGES_SHOWN = 24
# RE2: on Python's `re` each `[` or `<` without its closing mark scans to the end (quadratic).
_MARKUP = linear(r"!?\[([^\]]*)\]\([^)]*\)|<[^>]+>|[#*_>|`~]+")


def page_image_name(pdf_hash: str, page: int) -> str:
    """The file name of one page image: the PDF's hash makes a stale image impossible."""
    return f"{pdf_hash[:24]}-{page}.png"


def describe_leaflets(
    pairs: list[tuple[Path, Path]], profile: Profile, pages_dir: Path
) -> list[LeafletRecord | str]:
    """A record for each (article, PDF), or one line saying why there is none."""
    described: list[LeafletRecord | str] = []
    for source, pdf in pairs:
        try:
            described.append(describe_leaflet(source, pdf, profile, pages_dir))
        except LeafletError as error:
            described.append(str(error))
    return described


def describe_leaflet(source: Path, pdf: Path, profile: Profile, pages_dir: Path) -> LeafletRecord:
    """The record of one leaflet, with its page images drawn when they are missing."""
    with collect_warnings():  # the build has reported them already
        article = load_article(source, profile.leaflets.language, cleanup=profile.cleanup)
        url = online_address(article, profile)
    text_hash, pdf_hash = file_digest(source), file_digest(pdf)
    review = review_date(article, profile)
    return LeafletRecord(
        slug=article.slug,
        title=article.title,
        source=str(source),
        pdf=pdf.name,
        key=f"{text_hash}:{pdf_hash}",
        content_hash=text_hash,
        reference=reference(article, profile),
        version=version(article),
        language=article.language,
        published=article.published.isoformat() if article.published else "",
        updated=article.updated.isoformat() if article.updated else "",
        review=review.isoformat() if review else "",
        url=url,
        pages=draw_pages(pdf, pdf_hash, pages_dir),
        headings=[block.heading for block in article.outline.sections],
        questions=[entry.question for entry in article.faq],
        body=body_text(article),
        codes=list(leaflet_codes(shared_meta(article))),
        **translation_fields(article),
    )


def body_text(article: Article) -> str:
    """The article's text without Markdown marks, for search."""
    blocks = [article.outline.lede, *article.outline.sections, *article.outline.faq_items]
    text = "\n".join(block.text for block in blocks)
    return " ".join(_MARKUP.sub(r" \1 ", text).split())[:MAX_BODY]


def draw_pages(pdf: Path, pdf_hash: str, pages_dir: Path) -> int:
    """Draw each page as a PNG once (a new PDF has a new hash); return the page count."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        count = len(document)
        for number in range(1, min(count, MAX_PAGES_SHOWN) + 1):
            target = pages_dir / page_image_name(pdf_hash, number)
            if not target.is_file():
                # An output folder that cannot be written has no pictures, only the leaflet.
                with contextlib.suppress(LeafletError):
                    write_atomically(target, _page_png(document[number - 1]))
        return count
    finally:
        document.close()


def first_page_png(pdf: bytes, width: int = PREVIEW_WIDTH_PX) -> bytes:
    """Page 1 of a PDF given as bytes, drawn as a PNG in memory: nothing is written, for a
    personal copy holds a patient's name and note."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return _page_png(document[0], width)
    finally:
        document.close()


def _page_png(page: object, width: int = PAGE_WIDTH_PX) -> bytes:
    import io

    scale = width / page.get_width()  # type: ignore[attr-defined]
    image = page.render(scale=scale).to_pil()  # type: ignore[attr-defined]
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
