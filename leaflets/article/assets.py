"""Where an article may take files from, and how its references resolve there."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from leaflets.config.defaults import (
    ASSET_SUFFIXES,
    CONTENT_DIR,
    MAX_ASSET_BYTES,
    MAX_IMAGE_PIXELS,
    STYLES_DIR,
    TEMPLATES_DIR,
)

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"})
RASTER_SUFFIXES = IMAGE_SUFFIXES - {".svg"}
# The formats a leaflet prints, known by their first bytes: a file's name says nothing, and
# Pillow would open EPS (through Ghostscript) or any of its other formats if it were asked to.
PILLOW_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
_RASTER_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
)
SNIFF_BYTES = 512


class AssetRefusedError(ValueError):
    """A reference that leads outside the allowed folders or to a forbidden file."""


@dataclass(frozen=True)
class AssetRoots:
    """The folders a leaflet may read from; nothing else on the machine is reachable."""

    content: Path = CONTENT_DIR
    site_root: Path | None = None
    extra: tuple[Path, ...] = field(default=(TEMPLATES_DIR, STYLES_DIR))

    def all(self) -> tuple[Path, ...]:
        """Every allowed folder, resolved."""
        roots = [self.content, *self.extra]
        if self.site_root is not None:
            roots.append(self.site_root)
        return tuple(root.resolve() for root in roots)


def article_roots(
    source: Path, site_root: Path | None, extra: tuple[Path, ...] = (TEMPLATES_DIR, STYLES_DIR)
) -> AssetRoots:
    """The roots for one article: content/ if it lives there, else its own folder."""
    content = CONTENT_DIR if source.resolve().is_relative_to(CONTENT_DIR) else source.parent
    return AssetRoots(content=content, site_root=site_root, extra=extra)


def check_asset(path: Path, roots: AssetRoots, suffixes: frozenset[str] = ASSET_SUFFIXES) -> Path:
    """`path` resolved, if it is an allowed kind of file inside an allowed folder."""
    try:
        return _checked(path, roots, suffixes)
    except AssetRefusedError:
        raise
    except (OSError, ValueError):
        # A NUL byte, a name too long, a loop of links: hostile names fail like missing files.
        raise AssetRefusedError("not a usable file name") from None


def image_format(head: bytes) -> str | None:
    """'PNG', 'JPEG', 'GIF', 'WEBP' or 'SVG' from a file's first bytes, or None for the rest."""
    for signature, name in _RASTER_SIGNATURES:
        if head.startswith(signature):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    # SVG is XML: after an optional byte-order mark and white space, its first character is '<'.
    if head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n").startswith(b"<"):
        return "SVG"
    return None


def _check_image_content(path: Path) -> None:
    try:
        with path.open("rb") as file:
            head = file.read(SNIFF_BYTES)
    except OSError as error:
        raise AssetRefusedError(f"cannot be read ({error.strerror})") from None
    check_image_bytes(path.suffix, head)


def check_image_bytes(suffix: str, head: bytes) -> None:
    """AssetRefusedError unless `head` starts an allowed image of the kind `suffix` names.

    A raster picture named `.svg` would also escape the pixel limit, which reads raster files.
    """
    found = image_format(head)
    if found is None or (found == "SVG") != (suffix.lower() == ".svg"):
        raise AssetRefusedError("not a PNG, JPEG, GIF, WebP or SVG image")


def is_inside(path: Path, roots: AssetRoots) -> bool:
    """Whether `path`, resolved (links and `..` followed), lies in one of the allowed folders."""
    try:
        resolved = path.resolve()
    except (OSError, ValueError, RuntimeError):
        return False
    return any(resolved.is_relative_to(root) for root in roots.all())


def _checked(path: Path, roots: AssetRoots, suffixes: frozenset[str]) -> Path:
    resolved = path.resolve()
    if not any(resolved.is_relative_to(root) for root in roots.all()):
        raise AssetRefusedError("outside the project's folders")
    if resolved.suffix.lower() not in suffixes:
        raise AssetRefusedError(f"'{resolved.suffix or resolved.name}' files are not allowed")
    if not resolved.is_file():
        raise AssetRefusedError("no such file")
    if resolved.stat().st_size > MAX_ASSET_BYTES:
        raise AssetRefusedError(f"larger than {MAX_ASSET_BYTES // 1024 // 1024} MB")
    if resolved.suffix.lower() in IMAGE_SUFFIXES:
        _check_image_content(resolved)
    if resolved.suffix.lower() in RASTER_SUFFIXES:
        _check_pixels(resolved)
    return resolved


def _check_pixels(path: Path) -> None:
    # A few hundred kilobytes of PNG can decode to gigabytes; read the size, not the pixels.
    from PIL import Image

    try:
        with warnings.catch_warnings():
            # Pillow's own bomb warning would go to stderr raw; the limit below decides.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path, formats=PILLOW_FORMATS) as image:
                width, height = image.size
    except (OSError, ValueError, Image.DecompressionBombError):
        raise AssetRefusedError("not a readable image") from None
    if width * height > MAX_IMAGE_PIXELS:
        limit = MAX_IMAGE_PIXELS // 10**6
        raise AssetRefusedError(f"{width} × {height} pixels, more than {limit} megapixels")


def resolve_image(ref: str, article_dir: Path, roots: AssetRoots) -> Path:
    """The local image file that an article's image reference names."""
    try:
        parts = urlsplit(ref.strip())
    except ValueError:
        raise AssetRefusedError("not a valid address") from None
    if parts.scheme or parts.netloc:
        raise AssetRefusedError("only images in the project's folders can be used")
    relative = unquote(parts.path)
    if not relative:
        raise AssetRefusedError("empty image address")
    if relative.startswith("/"):
        if roots.site_root is None:
            raise AssetRefusedError("a site path needs site_root in clinic.toml")
        candidate = roots.site_root / relative.lstrip("/")
    else:
        candidate = article_dir / relative
    return check_asset(candidate, roots, IMAGE_SUFFIXES)
