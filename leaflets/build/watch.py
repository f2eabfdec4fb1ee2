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

    An editor that saves by replacing a file (vim, `sed -i`) gives it a new inode, which a
    watch on the old one no longer sees; so after every batch the watch starts afresh on what
    the paths are now.
    """
    import watchfiles

    while stop_event is None or not stop_event.is_set():
        changed: list[Path] = []
        for changes in watchfiles.watch(
            *[path for path in paths if path.exists()],
            stop_event=stop_event,
            debounce=debounce_ms,
            raise_interrupt=True,
        ):
            changed = changed_files(changes, out)
            if changed:
                break
        if not changed:
            return
        yield changed
