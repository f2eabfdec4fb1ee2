"""What a PDF holds, read from WeasyPrint's own objects just before they are written.

The finisher reads the page count and any embedded files as it finishes the PDF, so that a
build need not open the written bytes again (with pikepdf, which then need not even be
imported) to count pages or to look for smuggled attachments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Written:
    """The page count of a finished PDF, and the names of the files embedded in it."""

    pages: int
    embedded: tuple[str, ...] = ()


def written_of(document: Any, pdf: Any) -> Written:
    """What `pdf` (a pydyf PDF, about to be written) of the rendered `document` holds."""
    return Written(len(document.pages), tuple(embedded_files(pdf)))


def embedded_files(pdf: Any) -> list[str]:
    """Names of the embedded files and file-attachment annotations among the PDF's objects."""
    names: list[str] = []
    carriers = 0
    for item in pdf.objects:
        kind = _kind(item)
        if kind == "/Filespec":
            names.append(_text(item.get("UF") or item.get("F")) or "an embedded file")
        elif kind in ("/EmbeddedFile", "/FileAttachment"):
            carriers += 1
    # Every embedded file WeasyPrint writes has a file specification; anything else is named.
    return names or ["an embedded file"] * min(carriers, 1)


def _kind(item: Any) -> str:
    """The /Type of a dictionary or stream, or the /Subtype of an annotation."""
    values = getattr(item, "extra", item)
    if not isinstance(values, dict):
        return ""
    kind = values.get("Type")
    if kind == "/Annot":
        kind = values.get("Subtype")
    return kind if isinstance(kind, str) else ""


def _text(value: Any) -> str:
    """A pydyf string's text."""
    text = getattr(value, "string", value)
    if isinstance(text, bytes):
        return text.decode("utf-8", "replace")
    return text if isinstance(text, str) else ""
