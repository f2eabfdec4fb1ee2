"""The article model: what a leaflet is made from, checked and normalised."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leaflets.article.cleanup import strip_emoji
from leaflets.article.dates import DateFormError, is_known_locale, parse_date
from leaflets.article.files import find_articles
from leaflets.article.paper import clean_for_paper
from leaflets.article.source import Source, load_source
from leaflets.article.structure import Block, Outline, outline
from leaflets.article.translations import (
    STALE,
    Translation,
    base_stem,
    language_from_name,
    translation_info,
)
from leaflets.config.defaults import DEFAULT_LANGUAGE, INDEX_NAME
from leaflets.config.errors import LeafletError, WarningSink, one_line, shorten, warn
from leaflets.config.labels import available_languages, has_labels, labels_for
from leaflets.config.profile import CleanupSettings

_SEO_TAIL = re.compile(r" (?:–|→|-|\|) ")
_SLUG = re.compile(r"^[\w][\w-]{0,99}$")
_REFERENCE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,23}$")
_NOT_IN_SLUG = re.compile(r"[^\w-]+")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
# C0 and C1 controls print as an empty box on paper and act on a terminal; white space among
# them (tab, line ends, U+0085) is made a plain space first.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class FaqEntry:
    """One question with its Markdown answer."""

    question: str
    answer: str
    line: int


@dataclass
class Article:
    """A loaded article, before any Markdown is turned into HTML."""

    path: Path
    slug: str
    title: str
    language: str
    published: dt.date | None
    updated: dt.date | None
    outline: Outline
    faq: list[FaqEntry]
    meta: dict[str, Any] = field(default_factory=dict)
    source_hash: str = ""
    translation: Translation | None = None

    @property
    def newest_date(self) -> dt.date | None:
        """The later of the publication and update dates, if any."""
        known = [day for day in (self.published, self.updated) if day is not None]
        return max(known, default=None)


def load_article(
    path: Path,
    default_language: str = DEFAULT_LANGUAGE,
    content_warnings: bool = True,
    cleanup: CleanupSettings | None = None,
) -> Article:
    """Read, parse and check one article file."""
    return article_from_source(load_source(path), default_language, content_warnings, cleanup)


def article_from_source(
    source: Source,
    default_language: str = DEFAULT_LANGUAGE,
    content_warnings: bool = True,
    cleanup: CleanupSettings | None = None,
) -> Article:
    """The article of a file already read and split into front matter and body.

    `content_warnings=False` keeps quiet about what the content checks report (a title taken
    from metaTitle, dates out of order, removed web leftovers), for when they already have.
    `cleanup` is the clinic's `[cleanup]`; None means its defaults.
    """
    path, meta = source.path, source.meta
    notice = warn if content_warnings else _quiet
    title = article_title(meta, path, notice)
    language = article_language(meta, path, default_language)
    body = clean_body(source, notice, cleanup, language)
    body_outline = outline(body, source.body_line, title, labels_for(language)["faq_prefixes"])
    article = Article(
        path=path,
        slug=article_slug(meta, path),
        title=title,
        language=language,
        published=article_date(meta, "datePublished", path),
        updated=article_date(meta, "lastUpdated", path),
        outline=body_outline,
        faq=faq_entries(source, body_outline),
        meta=meta,
        source_hash=hashlib.sha256(source.text.encode()).hexdigest(),
        translation=translation_info(source, language),
    )
    if content_warnings:
        warn_about_dates(article)
        warn_about_translation(article)
    return article


def clean_body(
    source: Source,
    notice: WarningSink = warn,
    cleanup: CleanupSettings | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> str:
    """The body without web leftovers, emoji, code-block indentation, adverts or addresses in
    its reference list, each reported by line."""

    def report(line: int, what: str) -> None:
        notice(f"{source.path}:{source.body_line + line - 1}: removed {what}")

    return clean_for_paper(source.body, report, cleanup, language)


def article_title(meta: dict[str, Any], path: Path, notice: WarningSink = warn) -> str:
    """`title`, or `metaTitle` cut at its SEO tail, with a warning."""
    title = _text(strip_emoji(_text(meta.get("title")), _ignore))
    if title:
        return title
    meta_title = _text(meta.get("metaTitle"))
    if not meta_title:
        raise LeafletError(path, "has no title (set 'title' or 'metaTitle' in the front matter)")
    short = without_seo_tail(strip_emoji(meta_title, _ignore))
    notice(f"{path}: no 'title'; using '{short}' from 'metaTitle'")
    return short


def without_seo_tail(text: str) -> str:
    """A web page title without what follows its first ' – ', ' → ', ' - ' or ' | '."""
    return _SEO_TAIL.split(text, maxsplit=1)[0].strip()


def article_slug(meta: dict[str, Any], path: Path) -> str:
    """`slug`, or one made from the file name; it names the PDF, so it must be a plain name.

    Only a file name carries a language (`x.en.md` gives `x.en`), so that no `slug` can name
    another article's translation.
    """
    given = _text(meta.get("slug"))
    if not given:
        return file_name_slug(path)
    if not _SLUG.match(given):
        raise LeafletError(path, f"'slug' must be letters, digits, '-' and '_' only: '{given}'")
    return given


def check_own_name(source: Path, slug: str) -> None:
    """Refuse a `slug` that is another article's own name: a PDF belongs to the article whose
    file name gives its slug, whichever of them is built, and whenever. The folder's index
    of leaflets is no article's."""
    if f"{slug}.pdf" == INDEX_NAME:
        raise LeafletError(
            source, f"its slug '{slug}' is the name of the index of leaflets; give it another slug"
        )
    try:
        if slug == file_name_slug(source):
            return
    except LeafletError:
        pass  # a file name that gives no slug names no other article's PDF either
    for other in find_articles(source.parent):
        if other != source and _own_slug(other) == slug:
            raise LeafletError(
                source, f"its slug '{slug}' is the name of {other.name}; give it another slug"
            )


def _own_slug(path: Path) -> str:
    try:
        return file_name_slug(path)
    except LeafletError:
        return ""


def reference_number(value: object, path: Path) -> str:
    """The front matter `id` as the leaflet's reference shows it ('12' as '012'), or ''."""
    if value is None or value == "" or isinstance(value, bool):
        return ""
    number = f"{value:03d}" if isinstance(value, int) else str(value).strip()
    if not _REFERENCE_ID.match(number):
        raise LeafletError(path, f"'id' must be letters, digits and '-' only: '{number}'")
    return number


def file_name_slug(path: Path) -> str:
    """'Ondt i ryggen.md' gives 'Ondt-i-ryggen': spaces become dashes, odd characters go."""
    language = language_from_name(path)
    stem = base_stem(path) if language else path.stem
    slug = _NOT_IN_SLUG.sub("", "-".join(stem.split())).strip("-_")[:100]
    if not _SLUG.match(slug):
        raise LeafletError(path, "the file name gives no usable PDF name; set 'slug'")
    return f"{slug}.{language}" if language else slug


def article_language(meta: dict[str, Any], path: Path, default: str) -> str:
    """The `lang` key, checked, else the language in the file name, else the clinic's default."""
    named = language_from_name(path)
    language = _text(meta.get("lang")) or named or default
    if not _LANGUAGE.match(language):
        raise LeafletError(path, f"'lang' is not a language code: '{shorten(language, 40)}'")
    if named and language.split("-")[0].lower() != named:
        raise LeafletError(path, f"'lang' is '{language}' but the file name says '{named}'")
    if not has_labels(language):
        known = ", ".join(available_languages())
        raise LeafletError(path, f"'lang' {language!r} has no label file (there are: {known})")
    if not is_known_locale(language):
        raise LeafletError(path, f"'lang' {language!r} is not a language and region dates know")
    return language


def article_date(meta: dict[str, Any], key: str, path: Path) -> dt.date | None:
    """A date field, or None when it is absent; an impossible date is an error."""
    value = meta.get(key)
    if value is None or value == "":
        return None
    try:
        return parse_date(value)
    except DateFormError as exc:
        raise LeafletError(path, f"'{key}': {exc}") from None


def faq_entries(source: Source, body: Outline) -> list[FaqEntry]:
    """The FAQ from the body's FAQ section, or else from a front-matter `faq:` list."""
    if body.faq is not None:
        return [_entry_from_block(block) for block in body.faq_items]
    listed = source.meta.get("faq")
    if listed is None:
        return []
    if not isinstance(listed, list):
        raise LeafletError(source.path, "'faq' must be a list of {question, answer} entries")
    return [_entry_from_mapping(item, number, source.path) for number, item in enumerate(listed, 1)]


def _entry_from_block(block: Block) -> FaqEntry:
    return FaqEntry(block.heading, block.text, block.line)


def _entry_from_mapping(item: object, number: int, path: Path) -> FaqEntry:
    if not isinstance(item, dict) or not _text(item.get("question")):
        raise LeafletError(path, f"'faq' entry {number} needs a 'question' and an 'answer'")
    return FaqEntry(_text(item.get("question")), _text(item.get("answer")), 1)


def warn_about_dates(article: Article) -> None:
    """Warn about dates that are possible but suspicious."""
    if article.published and article.updated and article.updated < article.published:
        warn(
            f"{article.path}: 'lastUpdated' ({article.updated.isoformat()}) is earlier than "
            f"'datePublished' ({article.published.isoformat()})"
        )


def warn_about_translation(article: Article) -> None:
    """Warn that a translation lags behind its source; it builds all the same."""
    if article.translation is not None and article.translation.state == STALE:
        warn(
            f"{article.path}: translation of {article.translation.source}, which has changed"
            " since it was translated; the leaflet says which edition it follows"
        )


def _quiet(_message: str) -> None:
    """A notice that someone else has given already."""


def _ignore(_line: int, _what: str) -> None:
    """Emoji in a title are dropped without a word: the title shows that plainly."""


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return ""
    return _CONTROL.sub("", one_line(value))
