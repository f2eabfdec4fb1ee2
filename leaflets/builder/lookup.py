"""Finding a leaflet by what staff call it, and listing what the catalogue holds.

Titles come from the manifest's record of each build, or from a worker that reads articles
not built yet, so that the untrusted text is never parsed in this process.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from leaflets.article.files import find_articles
from leaflets.article.names import fold
from leaflets.builder.info import LeafletInfo
from leaflets.builder.manifest import load_manifest
from leaflets.config.defaults import ARTICLE_SUFFIXES, CONTENT_DIR, OUTPUT_DIR, shown
from leaflets.config.errors import LeafletError
from leaflets.config.profile import Profile

if TYPE_CHECKING:
    from leaflets.workers import Pool

# What a worker that only reads articles loads before its memory ceiling (see builder/warm.py):
# the article model and YAML, which this process does without.
READING = ("leaflets.builder.gather", "leaflets.article.front_matter")


@dataclass(frozen=True)
class Listed:
    """One article of the catalogue, with what is known of its leaflet."""

    source: Path
    info: LeafletInfo
    built: bool


def find_leaflet(
    name: str, content: Path | None = None, output: Path | None = None, pool: Pool | None = None
) -> Path:
    """The article a name stands for: a path, a slug or a title in the content folder.

    Titles of articles never built are read in a worker of `pool` (or of a pool of its own).
    """
    given = Path(name)
    if given.suffix.lower() in ARTICLE_SUFFIXES or given.is_file() or len(given.parts) > 1:
        if not given.exists():
            raise LeafletError(given, "no such file")
        return given
    folder, out = content or shown(CONTENT_DIR), output or shown(OUTPUT_DIR)
    names = known_names(folder, out)
    wanted = fold(name)
    if wanted not in names:
        # Titles of articles never built are read in a worker, only when a name is not known.
        names.update(_unbuilt_titles(folder, out, pool))
    if wanted in names:
        return names[wanted]
    raise LeafletError(None, f"no leaflet {name!r} in {folder}{_suggestion(wanted, names)}")


def known_names(content: Path, output: Path) -> dict[str, Path]:
    """Every folded slug, file name and known title, with the article it names."""
    names: dict[str, Path] = {}
    titles = _titles(output)
    for source in find_articles(content) if content.is_dir() else []:
        names.setdefault(fold(source.stem), source)
        for title in titles.get(source.resolve(), []):
            names.setdefault(fold(title), source)
    return names


def _unbuilt_titles(content: Path, output: Path, pool: Pool | None) -> dict[str, Path]:
    """Folded titles of the articles the manifest knows no title of, read in a worker."""
    titled = _titles(output)
    sources = find_articles(content) if content.is_dir() else []
    unbuilt = [source for source in sources if source.resolve() not in titled]
    found: list[tuple[Path, LeafletInfo]] = []
    if unbuilt:
        found = _read_in_worker(unbuilt, Profile(), pool)
    return {fold(info.title): source for source, info in found}


def _read_in_worker(
    sources: list[Path], profile: Profile, pool: Pool | None
) -> list[tuple[Path, LeafletInfo]]:
    """`read_infos` in a worker of `pool`, or of a pool of its own: the text is untrusted."""
    from leaflets.builder.batch import call_in
    from leaflets.config.options import Limits
    from leaflets.workers import Pool

    if pool is not None:
        found: list[tuple[Path, LeafletInfo]] = call_in(pool, read_infos, sources, profile)
        return found
    with Pool(1, Limits.default().memory, READING) as own:
        found = call_in(own, read_infos, sources, profile)
        return found


def _titles(output: Path) -> dict[Path, list[str]]:
    """Titles and slugs of built leaflets, by the article they came from."""
    manifest = load_manifest(output)
    found: dict[Path, list[str]] = {}
    for key, entry in manifest.standard_entries().items():
        source = manifest.source_of(key)
        if entry.info is not None and source is not None:
            found.setdefault(source.resolve(), []).extend([entry.info.title, entry.info.slug])
    return found


def _suggestion(wanted: str, names: dict[str, Path]) -> str:
    close = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.6)
    if not close:
        return ""
    shown_names = sorted({names[match].stem for match in close})
    return f"; did you mean {' or '.join(repr(name) for name in shown_names)}?"


def list_catalogue(
    content: Path, output: Path, profile: Profile, pool: Pool | None = None
) -> list[Listed]:
    """Every article in `content`, with its standard leaflet's info: as built (the last good
    one, marked stale, when the article now fails to build), or read in a worker of `pool`
    (or of a pool of its own)."""
    manifest = load_manifest(output)
    listed: dict[Path, Listed] = {}
    unbuilt: list[Path] = []
    for source in find_articles(content):
        entry = manifest.get(source)
        info = entry.offered if entry is not None else None
        if entry is not None and info is not None and (output / entry.target).is_file():
            listed[source] = Listed(source, info, built=True)
        else:
            unbuilt.append(source)
    if unbuilt:
        for source, info in _read_in_worker(unbuilt, profile, pool):
            listed[source] = Listed(source, info, built=False)
    return [listed[source] for source in sorted(listed)]


def read_infos(sources: list[Path], profile: Profile) -> list[tuple[Path, LeafletInfo]]:
    """In a worker: the info of articles not built yet (no pages), skipping broken ones."""
    from leaflets.article.model import load_article
    from leaflets.builder.gather import leaflet_info
    from leaflets.config.errors import collect_warnings

    found = []
    for source in sources:
        with collect_warnings():
            try:
                found.append(
                    (
                        source,
                        leaflet_info(
                            load_article(source, cleanup=profile.cleanup), profile, pages=0
                        ),
                    )
                )
            except LeafletError:
                continue
    return found
