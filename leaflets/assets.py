"""Where an article may take files from, and how its references resolve there."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .defaults import ASSET_SUFFIXES, CONTENT_DIR, MAX_ASSET_BYTES, STYLES_DIR, TEMPLATES_DIR

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"})


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


def check_asset(path: Path, roots: AssetRoots, suffixes: frozenset[str] = ASSET_SUFFIXES) -> Path:
    """`path` resolved, if it is an allowed kind of file inside an allowed folder."""
    resolved = path.resolve()
    if not any(resolved.is_relative_to(root) for root in roots.all()):
        raise AssetRefusedError("outside the project's folders")
    if resolved.suffix.lower() not in suffixes:
        raise AssetRefusedError(f"'{resolved.suffix or resolved.name}' files are not allowed")
    if not resolved.is_file():
        raise AssetRefusedError("no such file")
    if resolved.stat().st_size > MAX_ASSET_BYTES:
        raise AssetRefusedError(f"larger than {MAX_ASSET_BYTES // 1024 // 1024} MB")
    return resolved


def resolve_image(ref: str, article_dir: Path, roots: AssetRoots) -> Path:
    """The local image file that an article's image reference names."""
    parts = urlsplit(ref.strip())
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
