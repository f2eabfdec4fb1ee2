"""Watch mode: which files a leaflet is made from, and each save among them as it happens."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from leaflets.config.defaults import ARTICLE_SUFFIXES, ASSET_SUFFIXES, STYLES_DIR, TEMPLATES_DIR
from leaflets.config.profile import Profile

# What a leaflet is made from; anything else (our own PDFs, editors' swap files) is ignored.
WATCHED_SUFFIXES = frozenset({*ARTICLE_SUFFIXES, *ASSET_SUFFIXES, ".j2", ".toml"})


def watched_paths(inputs: list[Path], profile: Profile) -> list[Path]:
    """The articles, our templates and styles, and the clinic profile with its theme."""
    paths = [*inputs, TEMPLATES_DIR, STYLES_DIR]
    if profile.path is not None:
        paths.append(profile.path)
    if profile.style.theme is not None and profile.style.theme.is_dir():
        paths.append(profile.style.theme)
    return [path for path in paths if path.exists()]


def is_relevant(path: Path, out: Path | None) -> bool:
    """Whether a change to `path` can change a leaflet (our own output never does)."""
    if path.name.startswith("."):
        return False
    if out is not None and path.resolve().is_relative_to(out.resolve()):
        return False
    return path.suffix.lower() in WATCHED_SUFFIXES


def changed_files(changes: Iterable[tuple[Any, str]], out: Path | None) -> list[Path]:
    """The changed paths that matter, in order."""
    return sorted({Path(path) for _kind, path in changes if is_relevant(Path(path), out)})


def watch_changes(
    paths: list[Path], out: Path | None, stop_event: Any = None, debounce_ms: int = 300
) -> Iterator[list[Path]]:
    """Each batch of relevant saves under `paths`, until `stop_event` is set or Ctrl+C.

    A file is watched through its folder: an editor that saves by replacing the file (vim,
    `sed -i`) gives it a new inode, which a watch on the file itself would lose.
    """
    import watchfiles

    files = {path.resolve() for path in paths if path.is_file()}
    folders = sorted({path.parent if path.is_file() else path for path in paths})
    for changes in watchfiles.watch(
        *folders, stop_event=stop_event, debounce=debounce_ms, raise_interrupt=True
    ):
        changed = [
            path for path in changed_files(changes, out) if _inside_watch(path, files, paths)
        ]
        if changed:
            yield changed


def _inside_watch(path: Path, files: set[Path], paths: list[Path]) -> bool:
    """A change in a folder watched only for one of its files counts for that file alone."""
    resolved = path.resolve()
    if resolved in files:
        return True
    return any(folder.is_dir() and resolved.is_relative_to(folder.resolve()) for folder in paths)
