"""One article as the checks see it: front matter, raw and cleaned lines, title and language."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from leaflets.article.assets import AssetRoots, article_roots
from leaflets.article.files import read_text
from leaflets.article.model import (
    article_date,
    article_language,
    article_slug,
    article_title,
    check_own_name,
    faq_entries,
    reference_number,
)
from leaflets.article.paper import clean_for_paper
from leaflets.article.source import Source
from leaflets.article.structure import Outline, outline
from leaflets.checks.findings import ERROR, WARNING, Finding
from leaflets.checks.lix import Counts, Sentence, sentences
from leaflets.checks.settings import CheckSettings
from leaflets.checks.text import HEADING, TextBlock, text_blocks
from leaflets.config.defaults import DEFAULT_LANGUAGE
from leaflets.config.errors import LeafletError, collect_warnings
from leaflets.config.labels import labels_for


@dataclass
class Context:
    """Everything a rule needs about one article, worked out once."""

    source: Source
    settings: CheckSettings
    today: dt.date
    title: str = ""
    language: str = DEFAULT_LANGUAGE
    findings: list[Finding] = field(default_factory=list)
    removed: list[tuple[int, str]] = field(default_factory=list)
    clean_lines: list[str] = field(default_factory=list)

    @property
    def path(self) -> Path:
        """The article file."""
        return self.source.path

    def file_line(self, index: int) -> int:
        """The file line of body line `index` (0-based)."""
        return self.source.body_line + index

    @cached_property
    def front_lines(self) -> list[str]:
        """The lines of the front matter (with its `---` lines), split once for every lookup."""
        # Splitting the whole file for each FAQ entry would cost entries × file size.
        count = self.source.body_line - 1
        return self.source.text.split("\n", count)[:count] if count > 0 else []

    def meta_line(self, key: str) -> int:
        """The file line where front-matter `key` is set, or 1."""
        pattern = re.compile(rf"^['\"]?{re.escape(key)}['\"]?[ \t]*:")
        return next((n for n, line in enumerate(self.front_lines, 1) if pattern.match(line)), 1)

    def finding(self, line: int, message: str, rule: str, severity: str = WARNING) -> Finding:
        """A finding about this article."""
        return Finding(self.path, line, severity, message, rule)

    def date(self, key: str) -> dt.date | None:
        """A front-matter date, or None when it is absent or impossible (reported on load)."""
        try:
            return article_date(self.source.meta, key, self.path)
        except LeafletError:
            return None

    @cached_property
    def blocks(self) -> list[TextBlock]:
        """The printed blocks: the title, then the cleaned body."""
        key = "title" if self.source.meta.get("title") else "metaTitle"
        title = TextBlock(HEADING, self.meta_line(key), self.title, 1)
        return [title, *text_blocks(self.clean_lines, self.source.body_line)]

    @cached_property
    def read(self) -> list[tuple[TextBlock, tuple[Sentence, ...]]]:
        """Each printed block with its sentences, split once for all the counts."""
        return [(block, tuple(sentences(block))) for block in self.blocks]

    @cached_property
    def counts(self) -> Counts:
        """Words and sentences of the whole printed text."""
        return Counts(tuple(sentence for _block, found in self.read for sentence in found))

    @cached_property
    def sections(self) -> list[tuple[str, int, Counts]]:
        """(heading, line, counts) for the title with the introduction, each section, the FAQ."""
        parts = [("title and introduction", self.blocks[0].line)]
        parts += [(block.heading, block.line) for block in self.outline.sections]
        if self.outline.faq is not None:
            parts.append((self.outline.faq.heading, self.outline.faq.line))
        parts.sort(key=lambda part: part[1])
        starts = [line for _heading, line in parts]
        grouped: list[list[Sentence]] = [[] for _ in parts]
        for block, found in self.read:
            grouped[max(bisect_right(starts, block.line) - 1, 0)].extend(found)
        pairs = zip(parts, grouped, strict=True)
        return [(heading, line, Counts(tuple(group))) for (heading, line), group in pairs]

    @cached_property
    def outline(self) -> Outline:
        """Lede, sections and FAQ of the cleaned body."""
        prefixes = self.labels["faq_prefixes"]
        return outline("\n".join(self.clean_lines), self.source.body_line, self.title, prefixes)

    @cached_property
    def labels(self) -> dict[str, Any]:
        """The article language's labels (English when it has none)."""
        with collect_warnings():
            return labels_for(self.language)

    @cached_property
    def roots(self) -> AssetRoots:
        """The folders the build would let this article read."""
        return article_roots(self.path, self.settings.site_root)


def prepare(source: Source, settings: CheckSettings, today: dt.date) -> Context:
    """The context of one article, with problems that stop a build recorded as errors."""
    context = Context(source, settings, today)
    context.title = _attempt(context, "title", lambda: _title(context), "")
    context.language = _attempt(
        context,
        "lang",
        lambda: article_language(source.meta, source.path, DEFAULT_LANGUAGE),
        DEFAULT_LANGUAGE,
    )
    _attempt(context, "slug", lambda: check_own_name(source.path, _slug(source)), None)
    _attempt(context, "id", lambda: reference_number(source.meta.get("id"), source.path), "")
    for key in ("datePublished", "lastUpdated"):
        _attempt(context, key, lambda key=key: article_date(source.meta, key, source.path), None)
    context.clean_lines = _cleaned(context)
    _attempt(context, "faq", lambda: faq_entries(source, context.outline), [])
    return context


def _slug(source: Source) -> str:
    return article_slug(source.meta, source.path)


def prepare_body(source: Source, settings: CheckSettings, today: dt.date) -> Context:
    """The context of an article whose front matter is unusable: its body only."""
    context = Context(source, settings, today)
    context.clean_lines = _cleaned(context)
    return context


def body_only(path: Path) -> Source | None:
    """The article's body without parsing its front matter, or None if even that fails."""
    try:
        text = read_text(path)
    except LeafletError:
        return None
    match = _FRONT_MATTER.match(text)
    if match is None:
        return None
    body = text[match.end() :]
    return Source(path, text, {}, body, text[: match.end()].count("\n") + 1)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?^---[ \t]*$\n?", re.DOTALL | re.MULTILINE)


def _title(context: Context) -> str:
    warned: list[str] = []
    title = article_title(context.source.meta, context.path, warned.append)
    for message in warned:
        note = message.split(": ", 1)[-1]
        context.findings.append(context.finding(context.meta_line("metaTitle"), note, "title"))
    return title


def _attempt(context: Context, key: str, work: Any, fallback: Any) -> Any:
    try:
        return work()
    except LeafletError as error:
        line = context.meta_line(key)
        context.findings.append(context.finding(line, error.message, "load", ERROR))
        return fallback


def _cleaned(context: Context) -> list[str]:
    """The body as the build prints it; removals noted."""

    def report(line: int, what: str) -> None:
        context.removed.append((context.file_line(line - 1), what))

    body = clean_for_paper(context.source.body, report, context.settings.cleanup, context.language)
    return body.split("\n")
