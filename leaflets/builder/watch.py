"""Watch mode: which files a leaflet is made from, and each save among them as it happens."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from leaflets.config.defaults import ARTICLE_SUFFIXES, ASSET_SUFFIXES, STYLES_DIR, TEMPLATES_DIR
from leaflets.config.profile import Profile

READY_MS = 200
# A save is taken up once no more events have come for this long: an editor's write, rename
# and swap-file events arrive within a few milliseconds of each other.
QUIET_MS = 10

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
    paths: list[Path],
    out: Path | None,
    stop_event: Any = None,
    debounce_ms: int = 300,
    on_ready: Callable[[], None] | None = None,
) -> Iterator[list[Path]]:
    """Each batch of relevant saves under `paths`, until `stop_event` is set or Ctrl+C.

    Folders are watched, never files: an editor that saves by replacing a file (vim,
    `sed -i`) gives it a new inode, which a watch on the file would lose, while its folder
    sees the rename. A file given alone is watched through its folder, for that file only.
    """
    import watchfiles

    files = {path.resolve() for path in paths if path.is_file()}
    trees = [path.resolve() for path in paths if path.is_dir()]
    folders = sorted({*(file.parent for file in files), *_folders_under(trees, out)})
    ready = on_ready
    for changes in watchfiles.watch(
        *folders,
        stop_event=stop_event,
        debounce=debounce_ms,
        step=QUIET_MS,
        raise_interrupt=True,
        recursive=False,
        # An empty batch now and then tells that the watch is in place: only then is a save
        # certain to be seen, so only then is the user told that watching has begun.
        yield_on_timeout=True,
        rust_timeout=READY_MS,
    ):
        if ready is not None:
            ready()
            ready = None
        changed = [
            path
            for path in changed_files(changes, out)
            if path.resolve() in files or any(path.resolve().is_relative_to(t) for t in trees)
        ]
        if changed:
            yield changed


def _folders_under(trees: list[Path], out: Path | None) -> set[Path]:
    """Every folder of the watched trees, less hidden ones and the output folder."""
    skip = out.resolve() if out is not None else None
    found: set[Path] = set()
    for tree in trees:
        for folder, subfolders, _files in os.walk(tree):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            here = Path(folder)
            if skip is None or not here.is_relative_to(skip):
                found.add(here)
    return found
