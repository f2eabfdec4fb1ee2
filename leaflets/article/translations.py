"""Translations as sibling files: `x.en.md` translates `x.md` and records the text it followed."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leaflets.article.files import read_bounded
from leaflets.article.source import Source, load_source
from leaflets.config.defaults import ARTICLE_SUFFIXES, DEFAULT_LANGUAGE, MAX_ARTICLE_BYTES
from leaflets.config.errors import LeafletError
from leaflets.config.labels import available_languages

HASH_DIGITS = 12
CURRENT = "current"
STALE = "stale"
UNMARKED = "unmarked"  # no `source_hash` yet: nobody has said which text it follows

_NAME_LANGUAGE = re.compile(r"^(?P<base>.+)\.(?P<lang>[a-z]{2,3})$")
_HASH = re.compile(r"^[0-9a-f]{12}$")
_HASH_LINE = re.compile(r"^source_hash[ \t]*:.*$", re.MULTILINE)
_HASH_VALUE = re.compile(r"^source_hash[ \t]*:[ \t]*[\"']?([^\"'\s#]+)[\"']?[ \t]*(?:#.*)?$", re.M)
_FRONT_END = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)


@dataclass(frozen=True)
class Translation:
    """What a translation file says about its source, and whether the source has moved on."""

    path: Path
    source: Path
    language: str
    recorded_hash: str
    current_hash: str
    source_meta: dict[str, Any]

    @property
    def state(self) -> str:
        """'current', 'stale' or 'unmarked'."""
        if not self.recorded_hash:
            return UNMARKED
        return CURRENT if self.recorded_hash == self.current_hash else STALE


def language_from_name(path: Path) -> str:
    """The language a file name carries ('en' for `x.en.md`), or ''.

    Only languages with a label file count, so that `mr.scanning.md` stays a plain name.
    """
    match = _NAME_LANGUAGE.match(path.stem)
    if match is None or match.group("lang") not in available_languages():
        return ""
    return match.group("lang")


def base_stem(path: Path) -> str:
    """The file name without its suffix and language: 'x' for `x.en.md`."""
    match = _NAME_LANGUAGE.match(path.stem)
    return match.group("base") if match and language_from_name(path) else path.stem


def source_hash(path: Path) -> str:
    """The first 12 hex digits of the SHA-256 of the file's bytes (an article's size at most)."""
    try:
        data = read_bounded(path, MAX_ARTICLE_BYTES)
    except OSError as error:
        raise LeafletError(path, f"cannot be read: {error.strerror}") from None
    return hashlib.sha256(data).hexdigest()[:HASH_DIGITS]


def source_path(path: Path, meta: dict[str, Any]) -> Path | None:
    """The file `path` translates: its `translation_of`, else the sibling its name points to."""
    named = meta.get("translation_of")
    if named is not None:
        return _named_source(path, named)
    if not language_from_name(path):
        return None
    for suffix in ARTICLE_SUFFIXES:
        sibling = path.with_name(base_stem(path) + suffix)
        if sibling.is_file() and _beside(sibling, path):
            return sibling
    return None


def _beside(source: Path, path: Path) -> bool:
    """Whether `source`, links followed, is in the same folder as `path`, links followed."""
    return source.resolve().parent == path.resolve().parent


def _named_source(path: Path, named: object) -> Path:
    """`translation_of` must name another article in the same folder."""
    name = str(named).strip() if isinstance(named, (str, int, float)) else ""
    candidate = Path(name)
    if not name or candidate.name != name or candidate.suffix not in ARTICLE_SUFFIXES:
        raise LeafletError(
            path, f"'translation_of' must name an article file in the same folder, not '{named}'"
        )
    source = path.with_name(name)
    if source == path:
        raise LeafletError(path, "'translation_of' names the file itself")
    if not source.is_file():
        raise LeafletError(path, f"'translation_of': no such article: {source}")
    if not _beside(source, path):
        raise LeafletError(path, f"'translation_of': {source} links to a file in another folder")
    return source


def translation_info(source: Source, language: str) -> Translation | None:
    """The translation facts of a loaded article in `language`; None for no translation."""
    original = source_path(source.path, source.meta)
    if original is None:
        return None
    recorded = recorded_hash(source)
    if recorded and not _HASH.match(recorded):
        raise LeafletError(
            source.path,
            f"'source_hash' must be {HASH_DIGITS} hex digits, not '{recorded}'"
            " (run `make-leaflet translations mark` to write it)",
        )
    return Translation(
        path=source.path,
        source=original,
        language=language,
        recorded_hash=recorded,
        current_hash=source_hash(original),
        source_meta=load_source(original).meta,
    )


def stale_translation(path: Path) -> Translation | None:
    """The translation at `path` when its source has changed since it was translated; None for
    a current or unmarked one, an article of its own, or one that cannot be read (its build
    says why)."""
    try:
        translation = translation_info(load_source(path), "")
    except LeafletError:
        return None
    return translation if translation is not None and translation.state == STALE else None


def recorded_hash(source: Source) -> str:
    """The `source_hash` as written, or ''.

    Read from its line rather than from YAML, which makes `012345678901` a number and drops the
    leading zero.
    """
    if source.meta.get("source_hash") is None:
        return ""
    front = "\n".join(source.text.split("\n")[: source.body_line - 1])
    match = _HASH_VALUE.search(front)
    return match.group(1).lower() if match else str(source.meta["source_hash"]).strip().lower()


def depends_on(path: Path) -> list[Path]:
    """The files a leaflet is made from besides its article: a translation's source, whose
    reference, version and changes it shows."""
    if not language_from_name(path) and not _mentions_translation_of(path):
        return []  # no translation: its front matter need not be parsed
    try:
        source = source_path(path, load_source(path).meta)
    except LeafletError:
        return []
    return [source] if source is not None else []


FolderTranslations = dict[Path, dict[str, Path]]


def translations_of(source: Path, folder: FolderTranslations | None = None) -> dict[str, Path]:
    """The translations of an article, by language: the files beside it that translate it.
    `folder`: its folder's translations, when they have been found already."""
    found = folder if folder is not None else folder_translations(source.parent)
    return found.get(source.resolve(), {})


def folder_translations(folder: Path) -> FolderTranslations:
    """Every translation in `folder`, by the (resolved) article it translates, then by language:
    one look at each file, however many articles ask."""
    found: FolderTranslations = {}
    for candidate in sorted(folder.iterdir()):
        if candidate.suffix not in ARTICLE_SUFFIXES:
            continue
        if not language_from_name(candidate) and not _mentions_translation_of(candidate):
            continue
        translated = _translated(candidate)
        if translated is not None:
            source, language = translated
            found.setdefault(source, {}).setdefault(language, candidate)
    return {source: dict(sorted(found[source].items())) for source in found}


def _mentions_translation_of(path: Path) -> bool:
    # A cheap look before parsing: most articles are no translation at all.
    try:
        with path.open("rb") as handle:
            return b"translation_of" in handle.read(64 * 1024)
    except OSError:
        return False


def _translated(candidate: Path) -> tuple[Path, str] | None:
    """The article `candidate` translates (resolved) and its language, or None."""
    try:
        meta = load_source(candidate).meta
        points_to = source_path(candidate, meta)
    except LeafletError:
        return None
    if points_to is None or points_to.resolve() == candidate.resolve():
        return None
    lang = meta.get("lang")
    named = str(lang).strip().lower() if isinstance(lang, str) else ""
    language = named or language_from_name(candidate)
    return (points_to.resolve(), language) if language else None


def translation_for(source: Path, language: str, default_language: str = DEFAULT_LANGUAGE) -> Path:
    """The article in `language`: `source` itself when it is in that language, else its
    translation; an error naming the languages there are when there is none.

    `source` may itself be a translation: `x.en.md` with 'pl' gives `x.pl.md`.
    """
    original = source_path(source, load_source(source).meta) or source
    wanted = language.strip().lower()
    own = own_language(original, default_language)
    if wanted == own:
        return original
    found = translations_of(original)
    if wanted in found:
        return found[wanted]
    there = ", ".join([own, *found])
    raise LeafletError(original, f"has no translation into '{language}' (languages: {there})")


def own_language(path: Path, default: str) -> str:
    """The language an article file is written in: its `lang`, else `default`."""
    lang = load_source(path).meta.get("lang")
    named = str(lang).strip().lower() if isinstance(lang, str) and lang.strip() else ""
    return named or default


def mark_translation(path: Path) -> str:
    """Record in the translation's front matter the hash of its source as it is now.

    Only the `source_hash` line changes (or is added before the closing `---`); every other
    byte of the file stays as it was.
    """
    source = load_source(path)
    original = source_path(path, source.meta)
    if original is None:
        raise LeafletError(
            path, "is no translation (no 'translation_of', and no language in the file name)"
        )
    digest = source_hash(original)
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    updated = _with_hash_line(text, f"source_hash: {digest}", newline, path)
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    _write_in_place(path, (bom + updated).encode())
    return digest


def _with_hash_line(text: str, line: str, newline: str, path: Path) -> str:
    front_end = _front_matter_end(text, path)
    front = text[:front_end]
    if _HASH_LINE.search(front):
        front = _HASH_LINE.sub(lambda match: line + _line_end(match.group(0)), front, count=1)
        return front + text[front_end:]
    return front + line + newline + text[front_end:]


def _line_end(line: str) -> str:
    return "\r" if line.endswith("\r") else ""


def _front_matter_end(text: str, path: Path) -> int:
    """Where the closing `---` line of the front matter starts."""
    if not text.startswith("---"):
        raise LeafletError(path, "has no front matter to record 'source_hash' in")
    first_break = text.find("\n")
    closing = _FRONT_END.search(text, first_break + 1)
    if first_break < 0 or closing is None:
        raise LeafletError(path, "front matter is not closed (no second '---' line)")
    return closing.start()


def _write_in_place(path: Path, data: bytes) -> None:
    """Replace the file's bytes through a temporary file, keeping its permissions."""
    temporary = path.with_name(f".{path.name}.marking")
    try:
        temporary.write_bytes(data)
        temporary.chmod(path.stat().st_mode & 0o7777)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
