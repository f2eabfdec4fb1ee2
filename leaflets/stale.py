"""Whether a leaflet PDF already on disk was made with these options from today's inputs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from .defaults import ASSET_SUFFIXES, STYLES_DIR, TEMPLATES_DIR
from .options import BuildOptions
from .output import write_atomically
from .profile import Profile

PACKAGE_DIR = Path(__file__).resolve().parent


def is_up_to_date(target: Path, source: Path, profile: Profile, options: BuildOptions) -> bool:
    """True when `target` was built with `options` and no input changed after that."""
    stamp = stamp_path(target)
    if not target.is_file() or not stamp.is_file():
        return False
    built = target.stat().st_mtime
    # A stamp older than the PDF means something else has rewritten the PDF since.
    if stamp.stat().st_mtime < built or stamp.read_text(encoding="utf-8") != _stamp(options):
        return False
    return all(path.stat().st_mtime <= built for path in build_inputs(source, profile))


def record_build(target: Path, options: BuildOptions) -> None:
    """Note beside `target` which options it was built with."""
    write_atomically(stamp_path(target), _stamp(options).encode())


def stamp_path(target: Path) -> Path:
    """The hidden file beside a PDF that names the options it was built with."""
    return target.with_name(f".{target.name}.options")


def _stamp(options: BuildOptions) -> str:
    return json.dumps(options.fingerprint(), sort_keys=True)


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
