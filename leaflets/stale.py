"""Whether a leaflet PDF already on disk is newer than everything it was made from."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .defaults import ASSET_SUFFIXES, STYLES_DIR, TEMPLATES_DIR
from .profile import Profile

PACKAGE_DIR = Path(__file__).resolve().parent


def is_up_to_date(target: Path, source: Path, profile: Profile) -> bool:
    """True when `target` exists and no input of its build changed after it was written."""
    if not target.is_file():
        return False
    built = target.stat().st_mtime
    return all(path.stat().st_mtime <= built for path in build_inputs(source, profile))


def build_inputs(source: Path, profile: Profile) -> Iterator[Path]:
    """The article, its pictures, the clinic profile and theme, our templates, styles and code."""
    yield source
    if profile.path is not None and profile.path.is_file():
        yield profile.path
    yield from _assets_near(source.parent)
    yield from (path for path in PACKAGE_DIR.rglob("*") if path.suffix in (".py", ".toml"))
    folders = [TEMPLATES_DIR, STYLES_DIR]
    if profile.style.theme is not None:
        folders.append(profile.style.theme)
    for folder in folders:
        yield from _files_under(folder)


def _assets_near(folder: Path) -> Iterator[Path]:
    for path in folder.iterdir():
        if path.suffix.lower() in ASSET_SUFFIXES and path.is_file():
            yield path
    yield from _files_under(folder / "assets")


def _files_under(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from (path for path in folder.rglob("*") if path.is_file())
