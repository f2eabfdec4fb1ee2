"""Every article with its translations and the state of each, for the `translations` command."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leaflets.article.history import source_change
from leaflets.article.model import article_language
from leaflets.article.source import load_source
from leaflets.article.translations import STALE, source_path, translation_info
from leaflets.config.errors import LeafletError, warn


@dataclass(frozen=True)
class TranslationStatus:
    """One translation: its language, file and state, and for a stale one how far it lags."""

    language: str
    path: Path
    state: str
    recorded_hash: str
    current_hash: str
    lines_changed: int | None = None
    changed: str = ""  # ISO date of the source's change, for a stale translation
    known_from: str = ""

    def as_json(self) -> dict[str, Any]:
        """A plain mapping for JSON output."""
        return {
            "language": self.language,
            "path": str(self.path),
            "state": self.state,
            "source_hash": self.recorded_hash or None,
            "current_hash": self.current_hash,
            "lines_changed": self.lines_changed,
            "changed": self.changed or None,
            "changed_known_from": self.known_from or None,
        }


@dataclass
class ArticleStatus:
    """A source article, its language and its translations."""

    path: Path
    language: str
    translations: list[TranslationStatus] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """A plain mapping for JSON output."""
        return {
            "path": str(self.path),
            "language": self.language,
            "translations": [entry.as_json() for entry in self.translations],
        }


def translation_statuses(files: Iterable[Path], default_language: str) -> list[ArticleStatus]:
    """The source articles among `files`, each with its translations (also those among files)."""
    articles: dict[Path, ArticleStatus] = {}
    pending: list[Path] = []
    for path in files:
        meta = _meta(path)
        if meta is None:
            continue
        if _is_translation(path, meta):
            pending.append(path)
        else:
            articles[path.resolve()] = ArticleStatus(path, _language(meta, default_language))
    for path in pending:
        entry = _status(path, default_language)
        if entry is None:
            continue
        source, status = entry
        owner = articles.setdefault(
            source.resolve(), ArticleStatus(source, _source_language(source, default_language))
        )
        owner.translations.append(status)
    for article in articles.values():
        article.translations.sort(key=lambda entry: entry.language)
    return sorted(articles.values(), key=lambda article: str(article.path))


def _meta(path: Path) -> dict[str, Any] | None:
    try:
        return load_source(path).meta
    except LeafletError as error:
        warn(str(error))
        return None


def _is_translation(path: Path, meta: dict[str, Any]) -> bool:
    try:
        return source_path(path, meta) is not None
    except LeafletError:
        return True  # reported with the translation's state


def _status(path: Path, default_language: str) -> tuple[Path, TranslationStatus] | None:
    try:
        source = load_source(path)
        language = article_language(source.meta, path, default_language)
        translation = translation_info(source, language)
    except LeafletError as error:
        warn(str(error))
        return None
    assert translation is not None
    status = TranslationStatus(
        language, path, translation.state, translation.recorded_hash, translation.current_hash
    )
    if translation.state == STALE:
        change = source_change(translation)
        status = TranslationStatus(
            language, path, STALE, translation.recorded_hash, translation.current_hash,
            change.lines, change.since.isoformat(), change.known_from,
        )  # fmt: skip
    return translation.source, status


def _language(meta: dict[str, Any], default: str) -> str:
    lang = meta.get("lang")
    return lang.strip() if isinstance(lang, str) and lang.strip() else default


def _source_language(source: Path, default: str) -> str:
    meta = _meta(source)
    return _language(meta or {}, default)
