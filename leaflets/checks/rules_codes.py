"""Code rules: diagnosis codes whose system is unknown or whose shape is wrong."""

from __future__ import annotations

from collections.abc import Iterator

from leaflets.article.codes import read_entries
from leaflets.article.translations import source_path
from leaflets.checks.context import Context
from leaflets.checks.findings import Finding
from leaflets.config.errors import LeafletError


def codes(context: Context) -> Iterator[Finding]:
    """Each `codes` entry that is not a good code; a translation's own codes, which go unused."""
    listed = context.source.meta.get("codes")
    if listed is None:
        return
    start = context.meta_line("codes")
    if _is_translation(context):
        yield context.finding(
            start,
            "a translation has its source's codes; 'codes' here is not used",
            "code-invalid",
        )
        return
    for entry in read_entries(listed):
        if entry.problem:
            yield context.finding(
                _line_of(context, entry.text, start), entry.problem, "code-invalid"
            )


def _is_translation(context: Context) -> bool:
    try:
        return source_path(context.path, context.source.meta) is not None
    except LeafletError:
        return True  # a broken `translation_of` still says the file is a translation


def _line_of(context: Context, text: str, start: int) -> int:
    """The first front-matter line from the `codes` key on that holds `text`, else the key's."""
    if not text:
        return start
    lines = context.front_lines
    found = (n for n, line in enumerate(lines[start - 1 :], start) if text in line)
    return next(found, start)
