"""The store of editions: what each leaflet's PDF was made from, kept beside the PDFs.

One entry per article and edition (standard, large print, A5, booklet ...), each with the
content hashes it was built from. When a rebuild fails, the entry keeps its last good PDF and
says since when it is stale, and why. The manifest holds hashes, file names and one-line
errors only, never the text of an article or anything about a person, so it is safe to
publish alongside the leaflets.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from leaflets import __version__
from leaflets.article.assets import AssetRefusedError, resolve_image
from leaflets.article.files import read_bounded
from leaflets.article.linear import linear
from leaflets.article.translations import (
    FolderTranslations,
    depends_on,
    folder_translations,
    translations_of,
)
from leaflets.builder.digests import digest, file_digest, store_known, tree_digests
from leaflets.builder.edition import STANDARD, edition_name, variant_of
from leaflets.builder.info import LeafletInfo
from leaflets.builder.output import write_atomically
from leaflets.config.defaults import (
    MAX_ARTICLE_BYTES,
    PACKAGE_DIR,
    PROJECT_ROOT,
    STYLES_DIR,
    TEMPLATES_DIR,
)
from leaflets.config.errors import warn
from leaflets.config.options import BuildOptions
from leaflets.config.profile import Profile

MANIFEST_NAME = ".leaflets-manifest.json"
FORMAT = 3
# Keys of articles outside the output folder: in the project, or anywhere else.
PROJECT_KEY = "@project/"
ELSEWHERE_KEY = "@elsewhere/"

# Image references in Markdown (inline and reference style) and in raw HTML, matched in
# linear time (RE2): the parent runs this over every article's text.
_IMAGE_REFS = linear(
    r"(?m)!\[[^\]]*\]\(\s*<?([^)\s>]+)"
    r"|\bsrc\s*=\s*[\"']([^\"']+)[\"']"
    r"|^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)"
)


def settings_fingerprint(profile: Profile, options: BuildOptions) -> str:
    """What every leaflet depends on: tool, templates, styles, fonts, profile, logo, options."""
    hasher = hashlib.sha256()
    hasher.update(json.dumps([__version__, FORMAT, options.fingerprint()]).encode())
    folders = [PACKAGE_DIR, TEMPLATES_DIR, STYLES_DIR]
    if profile.style.theme is not None:
        folders.append(profile.style.theme)
    for folder in folders:
        for name, found in tree_digests(folder):
            hasher.update(f"{name}\0{found}\n".encode())
    for extra in (profile.path, profile.clinic.logo):
        if extra is not None:
            hasher.update(f"{extra.name}\0{file_digest(extra)}\n".encode())
    store_known()
    return hasher.hexdigest()


def image_references(text: str) -> list[str]:
    """Every image address an article's Markdown or HTML names."""
    return [
        next(group for group in match.groups() if group) for match in _IMAGE_REFS.finditer(text)
    ]


def source_fingerprint(
    source: Path, profile: Profile, translations: dict[Path, FolderTranslations] | None = None
) -> str:
    """The article's bytes and those of every image it uses (an image it may not use counts too).
    `translations`: the translations found so far, by folder; those of this folder are added."""
    from leaflets.builder.job import asset_roots

    data = read_bounded(source, MAX_ARTICLE_BYTES)  # OSError past the limit: the build refuses it
    hasher = hashlib.sha256(data)
    roots = asset_roots(source, profile)
    hashed: dict[Path, str] = {}  # many references may name one file: it is read once
    for ref in sorted(set(image_references(data.decode("utf-8", "replace")))):
        try:
            image = resolve_image(ref, source.parent, roots)
        except (AssetRefusedError, OSError, ValueError):
            found = "refused"
        else:
            found = hashed.get(image) or hashed.setdefault(image, file_digest(image))
        hasher.update(f"{ref}\0{found}\n".encode())
    for original in depends_on(source):  # a translation shows its source's reference and age
        hasher.update(f"{original.name}\0{file_digest(original)}\n".encode())
    # The "also available" line names the languages it is translated into.
    original = next(iter(depends_on(source)), source)
    known = {} if translations is None else translations
    if original.parent not in known:
        known[original.parent] = folder_translations(original.parent)
    for language, translation in translations_of(original, known[original.parent]).items():
        hasher.update(f"{language}\0{translation.name}\n".encode())
    return hasher.hexdigest()


@dataclass
class Entry:
    """One edition as last built well: its file name, the hashes it was built from, its info,
    and, when a rebuild has failed since, since when and why."""

    target: str
    source: str
    settings: str
    pdf: str
    text: str = ""
    info: LeafletInfo | None = None
    stale_since: str = ""  # ISO date and time of the first failed rebuild since it was good
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The entry for JSON."""
        return {
            "target": self.target,
            "source": self.source,
            "settings": self.settings,
            "pdf": self.pdf,
            "text": self.text,
            "info": self.info.as_dict() if self.info else None,
            "stale_since": self.stale_since,
            "error": self.error,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        """An entry as kept in JSON."""
        info = data.get("info")
        fields = {key: str(data[key]) for key in ("target", "source", "settings", "pdf")}
        return cls(
            **fields,
            text=str(data.get("text", "")),
            info=LeafletInfo.from_dict(info) if isinstance(info, dict) else None,
            stale_since=str(data.get("stale_since", "")),
            error=str(data.get("error", "")),
        )

    @property
    def offered(self) -> LeafletInfo | None:
        """The info to offer with the PDF, saying whether it is stale and why."""
        if self.info is None or not self.stale_since:
            return self.info
        return replace(self.info, stale_since=self.stale_since, error=self.error)


# An entry's place: the article's key and the edition's suffix ('' for the standard one).
Place = tuple[str, str]


@dataclass
class Manifest:
    """The hashes for every edition of every leaflet in one output folder."""

    folder: Path
    entries: dict[Place, Entry] = field(default_factory=dict)
    index: str = ""

    @property
    def path(self) -> Path:
        """Where the manifest is kept."""
        return self.folder / MANIFEST_NAME

    def key(self, source: Path) -> str:
        """The article's name as kept, which never names a folder outside the project or here.

        An article elsewhere is kept by a hash of where it is, so that a manifest shared with
        the leaflets tells nobody the user's name or folders.
        """
        resolved = source.resolve()
        if resolved.is_relative_to(self.folder.resolve()):
            return resolved.relative_to(self.folder.resolve()).as_posix()
        if resolved.is_relative_to(PROJECT_ROOT):
            return f"{PROJECT_KEY}{resolved.relative_to(PROJECT_ROOT).as_posix()}"
        return f"{ELSEWHERE_KEY}{digest(str(resolved).encode())[:16]}/{resolved.name}"

    def source_of(self, key: str) -> Path | None:
        """The article a key stands for; None for one kept by a hash of where it is."""
        if key.startswith(ELSEWHERE_KEY):
            return None
        if key.startswith(PROJECT_KEY):
            return PROJECT_ROOT / key.removeprefix(PROJECT_KEY)
        return self.folder / key

    def get(self, source: Path, variant: str = STANDARD) -> Entry | None:
        """The entry of an article's edition."""
        return self.entries.get((self.key(source), variant))

    def standard_entries(self) -> dict[str, Entry]:
        """The standard edition's entry of every article, by the article's key."""
        return {key: e for (key, variant), e in self.entries.items() if variant == STANDARD}

    def claimed(self, name: str) -> bool:
        """Whether an entry names the file `name` as its PDF."""
        return any(entry.target == name for entry in self.entries.values())

    def forget(self, place: Place) -> None:
        """Drop an entry, and its PDF when no other entry names it."""
        entry = self.entries.pop(place, None)
        if entry is not None:
            self.remove_file(entry)

    def remove_file(self, entry: Entry) -> None:
        """Remove an entry's PDF (and HTML preview), only while no entry names it and it is
        still the file that entry built: never anybody else's."""
        pdf = self.folder / entry.target
        if self.claimed(entry.target) or file_digest(pdf) != entry.pdf:
            return
        for path in (pdf, pdf.with_suffix(".html")):
            path.unlink(missing_ok=True)

    def save(self) -> None:
        """Write the manifest atomically (a crash never leaves half of it), if it changed."""
        if not self.entries and not self.index and not self.path.exists():
            return  # a build that made nothing leaves the output folder as it was
        leaflets: dict[str, dict[str, Any]] = {}
        for (key, variant), entry in sorted(self.entries.items()):
            leaflets.setdefault(key, {})[edition_name(variant)] = entry.as_dict()
        data = {"format": FORMAT, "leaflets": leaflets, "index": self.index}
        text = (json.dumps(data, indent=1) + "\n").encode()
        if not self.path.is_file() or self.path.read_bytes() != text:
            write_atomically(self.path, text)


DAMAGED_SUFFIX = ".damaged"


def load_manifest(folder: Path) -> Manifest:
    """The manifest in `folder`; a missing, unreadable or foreign one counts as empty.

    A damaged one (not JSON, nested past reason, a value of the wrong type) is set aside
    beside it, with one warning, and the build starts a new one: every leaflet is rebuilt
    once, and no build fails because of it.
    """
    manifest = Manifest(folder)
    try:
        text = manifest.path.read_text(encoding="utf-8")
    except OSError:
        return manifest
    try:
        data: Any = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return manifest
        manifest.entries = {
            (str(key), variant_of(str(name))): Entry.from_dict(value)
            for key, editions in data["leaflets"].items()
            for name, value in editions.items()
        }
        manifest.index = str(data.get("index", ""))
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        _set_aside(manifest.path)
        return Manifest(folder)
    return manifest


def _set_aside(path: Path) -> None:
    aside = path.with_name(path.name + DAMAGED_SUFFIX)
    try:
        path.replace(aside)
    except OSError:
        warn(f"{path}: damaged; it is rebuilt (it could not be set aside)")
        return
    warn(f"{path}: damaged; set aside as {aside.name}, and rebuilt")


def likely_fresh(source: Path, folder: Path, variant: str = STANDARD) -> bool:
    """A cheap first look: the article's text and its PDF are as the manifest remembers."""
    manifest = load_manifest(folder)
    entry = manifest.get(source, variant)
    if entry is None or entry.text != file_digest(source, MAX_ARTICLE_BYTES):
        return False
    return file_digest(folder / entry.target) == entry.pdf
