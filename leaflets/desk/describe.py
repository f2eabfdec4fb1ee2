"""Reading built leaflets for the desk: their records and page images.

This is text work on untrusted articles and rendering of PDFs, so it runs in a worker of the
desk's pool, under its memory ceiling and a time limit (see `catalogue.py`), never in the
server process.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from leaflets.article.model import Article, load_article
from leaflets.builder.manifest import file_digest
from leaflets.builder.output import write_atomically
from leaflets.config.errors import LeafletError, collect_warnings
from leaflets.config.profile import Profile
from leaflets.desk.records import LeafletRecord
from leaflets.html.identity import online_address, reference, review_date, version

PAGES_DIR_NAME = ".desk-pages"
PAGE_WIDTH_PX = 620
MAX_BODY = 20_000
MAX_PAGES_SHOWN = 24
_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|<[^>]+>|[#*_>|`~]+")


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
        article = load_article(source, profile.leaflets.language)
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
    )


def identity_from_pdf(record: LeafletRecord, pdf: Path) -> LeafletRecord:
    """The record with the title, identity and page count a freshly built PDF declares."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        info = {str(key): str(value) for key, value in document.docinfo.items()}
        pages = len(document.pages)
    return replace(
        record,
        title=info.get("/Title", record.title),
        reference=info.get("/leafletreference", ""),
        version=info.get("/leafletversion", ""),
        content_hash=info.get("/leafletcontenthash", "").removeprefix("sha256:"),
        review=info.get("/leafletnextreview", ""),
        pages=pages,
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
                write_atomically(target, _page_png(document[number - 1]))
        return count
    finally:
        document.close()


def _page_png(page: object) -> bytes:
    import io

    scale = PAGE_WIDTH_PX / page.get_width()  # type: ignore[attr-defined]
    image = page.render(scale=scale).to_pil()  # type: ignore[attr-defined]
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
