"""Leaflet HTML to PDF bytes with WeasyPrint, confined to the allowed folders."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leaflets.article.assets import AssetRoots
from leaflets.config.defaults import TEMPLATES_DIR
from leaflets.config.errors import WarningSink
from leaflets.config.options import BuildOptions

if TYPE_CHECKING:
    from leaflets.pdf.written import Written


@cache
def font_configuration() -> Any:
    """One FontConfiguration per process: fonts are loaded once, not per leaflet."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def html_to_pdf(
    html: str,
    stylesheets: list[Path],
    extra_css: list[str],
    roots: AssetRoots,
    options: BuildOptions,
    report: WarningSink,
) -> bytes:
    """Render `html` with `stylesheets` to PDF bytes; every file read goes through the fetcher."""
    document = render_document(html, stylesheets, extra_css, roots, options, report)
    data, _written = write_document(document, options, report)
    return data


def render_document(
    html: str,
    stylesheets: list[Path],
    extra_css: list[str],
    roots: AssetRoots,
    options: BuildOptions,
    report: WarningSink,
    private: bool = False,
) -> Any:
    """WeasyPrint's laid-out document for `html`, ready to be measured or written; `private`
    for a copy holding a patient's note or name, whose characters no warning names."""
    from weasyprint import CSS, HTML

    from leaflets.pdf.coverage import report_missing_glyphs
    from leaflets.pdf.fetcher import ConfinedFetcher
    from leaflets.pdf.stylecache import parsed_stylesheet

    report_missing_glyphs(html, report, private)
    fetcher = ConfinedFetcher(roots, report)
    fonts = font_configuration()
    with weasyprint_warnings(report, private):
        document = HTML(string=html, base_url=TEMPLATES_DIR.as_uri() + "/", url_fetcher=fetcher)
        styles = [parsed_stylesheet(path, fetcher, fonts) for path in stylesheets]
        styles += [CSS(string=css, url_fetcher=fetcher, font_config=fonts) for css in extra_css]
        return document.render(font_config=fonts, stylesheets=styles, **pdf_options(options))


def root_box(page_box: Any) -> Any:
    """The box of the <html> element on a laid-out page (beside its margin boxes)."""
    return next(child for child in page_box.children if child.element_tag == "html")


def leaves(box: Any) -> list[Any]:
    """The lines and pictures within `box`."""
    from weasyprint.formatting_structure import boxes

    kinds = (boxes.LineBox, boxes.ReplacedBox)
    return [leaf for leaf in box.descendants() if isinstance(leaf, kinds)]


def content_height(page_box: Any) -> float:
    """How far down the page's content area its lowest line or picture reaches."""
    top = float(page_box.content_box_y())
    bottoms = [float(leaf.position_y + leaf.margin_height()) for leaf in leaves(root_box(page_box))]
    return max([top, *bottoms]) - top


def pictures_height(page_box: Any) -> float:
    """The height the page's pictures take (the logo and QR code too): a denser step leaves them
    as they are."""
    from weasyprint.formatting_structure import boxes

    found = leaves(root_box(page_box))
    return sum(float(leaf.margin_height()) for leaf in found if isinstance(leaf, boxes.ReplacedBox))


def write_document(
    document: Any, options: BuildOptions, report: WarningSink, private: bool = False
) -> tuple[bytes, Written]:
    """The PDF bytes of a rendered document, and what its finisher found in them."""
    from leaflets.pdf.tagging import Finisher

    finish = Finisher(options.pdfa)
    with weasyprint_warnings(report, private):
        data = document.write_pdf(finisher=finish, **pdf_options(options))
    assert isinstance(data, bytes) and finish.written is not None
    return data, finish.written


def pdf_options(options: BuildOptions) -> dict[str, Any]:
    """WeasyPrint's options for a leaflet: tagged, compact and reproducible."""
    from leaflets.pdf.tagging import pdf_variant

    return {
        "pdf_variant": pdf_variant(options.pdfa),
        "pdf_tags": True,
        "optimize_images": True,
        "jpeg_quality": 72,  # with images scaled in the fetcher: illustrated leaflets email well
        "dpi": 200,
        "pdf_identifier": b"leaflets",
        "custom_metadata": True,  # <meta name="LeafletReference"> etc. become PDF info keys
    }


# WeasyPrint's warning for each character no font has, which it names; `coverage` has counted
# them already.
_NAMES_A_CHARACTER = ".notdef glyph rendered"


class _Forward(logging.Handler):
    def __init__(self, report: WarningSink, private: bool) -> None:
        super().__init__(logging.WARNING)
        self.report, self.private = report, private

    def emit(self, record: logging.LogRecord) -> None:
        if self.private and str(record.msg).startswith(_NAMES_A_CHARACTER):
            return
        self.report(f"weasyprint: {record.getMessage()}")


@contextmanager
def weasyprint_warnings(report: WarningSink, private: bool = False) -> Iterator[None]:
    """Pass WeasyPrint's own warnings on as ours, instead of letting them print; on a
    `private` copy, none that names one of its characters."""
    logger = logging.getLogger("weasyprint")
    handler = _Forward(report, private)
    logger.addHandler(handler)
    previous = logger.propagate
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous
