"""A WeasyPrint URL fetcher that reads only allowed files and never touches the network."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from leaflets.article.assets import (
    IMAGE_SUFFIXES,
    PILLOW_FORMATS,
    SNIFF_BYTES,
    AssetRefusedError,
    AssetRoots,
    check_asset,
    check_image_bytes,
    image_format,
)
from leaflets.config.defaults import MAX_ASSET_BYTES
from leaflets.config.errors import WarningSink, shorten
from leaflets.pdf.images import compact_image

_EXTRA_TYPES = {".woff2": "font/woff2", ".woff": "font/woff", ".webp": "image/webp"}
_FONT_SIGNATURES = (b"wOFF", b"wOF2", b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf")
# PostScript, as text or in its DOS binary wrapper: Pillow hands it to Ghostscript.
_POSTSCRIPT_SIGNATURES = (b"%!", b"\xc5\xd0\xd3\xc6")


class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
    """Serve `file:` URLs inside the allowed folders; refuse everything else, and say so."""

    def __init__(self, roots: AssetRoots, report: WarningSink) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False, timeout=1)
        self.roots = roots
        self.report = report
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        """The file behind `url`, or ValueError so that WeasyPrint leaves it out."""
        try:
            path = self._allowed_path(url)
            data = _read(path)
            _check_content(path, data)
        except AssetRefusedError as refusal:
            self.refused.append(url)
            self.report(f"refused to load '{shorten(url, 80)}': {refusal}")
            raise ValueError(str(refusal)) from None
        media_type = _media_type(path)
        if compacted := compact_image(path, data):
            data, media_type = compacted
        return URLFetcherResponse(url, data, {"Content-Type": media_type})

    def _allowed_path(self, url: str) -> Path:
        try:
            parts = urlsplit(url)
        except ValueError:
            raise AssetRefusedError("not a valid address") from None
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise AssetRefusedError("only local files in the project's folders can be used")
        return check_asset(Path(url2pathname(parts.path)), self.roots)


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as stream:
            # Read one byte past the cap, so that a file grown since it was checked is refused.
            data = stream.read(MAX_ASSET_BYTES + 1)
    except OSError as exc:
        raise AssetRefusedError(f"cannot be read ({exc.strerror})") from None
    if len(data) > MAX_ASSET_BYTES:
        raise AssetRefusedError(f"larger than {MAX_ASSET_BYTES // 1024 // 1024} MB")
    return data


def _check_content(path: Path, data: bytes) -> None:
    """The bytes served must be what the name says, as an SVG may use any file as a picture.

    WeasyPrint hands whatever it gets for a picture to Pillow, which opens dozens of formats.
    The check runs on the bytes actually served, after the file was read.
    """
    suffix, head = path.suffix.lower(), data[:SNIFF_BYTES]
    if suffix in IMAGE_SUFFIXES:
        check_image_bytes(suffix, head)
    elif suffix == ".css":
        if head.lstrip().startswith(_POSTSCRIPT_SIGNATURES) or image_format(head) in PILLOW_FORMATS:
            raise AssetRefusedError("not a style sheet")
    elif not head.startswith(_FONT_SIGNATURES):
        raise AssetRefusedError("not a font")


def _media_type(path: Path) -> str:
    suffix = path.suffix.lower()
    return (
        _EXTRA_TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    )
