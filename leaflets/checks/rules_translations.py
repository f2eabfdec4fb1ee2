"""Translation rules: a translation whose source has changed since, or that never recorded it."""

from __future__ import annotations

from collections.abc import Iterator

from leaflets.article.translations import STALE, UNMARKED, Translation, translation_info
from leaflets.checks.context import Context
from leaflets.checks.findings import ERROR, WARNING, Finding
from leaflets.config.errors import LeafletError


def translation_state(context: Context) -> Iterator[Finding]:
    """A stale or unmarked translation, naming the translation and its source."""
    try:
        translation = translation_info(context.source, context.language)
    except LeafletError as error:
        key = "source_hash" if "source_hash" in error.message else "translation_of"
        yield context.finding(context.meta_line(key), error.message, "load", ERROR)
        return
    if translation is None or translation.state not in (STALE, UNMARKED):
        return
    if translation.state == STALE:
        yield _stale(context, translation)
    else:
        yield _unmarked(context, translation)


def _stale(context: Context, translation: Translation) -> Finding:
    from leaflets.article.history import lines_differ, source_change

    change = source_change(translation)
    lines = f"{lines_differ(change.lines)}, " if change.lines is not None else ""
    message = (
        f"translation of {translation.source}, which has changed since it was translated"
        f" ({lines}changed {change.since.isoformat()}); update {translation.path}"
        " and run `make-leaflet translations mark` on it"
    )
    notes = (
        f"source_hash {translation.recorded_hash} was recorded;"
        f" {translation.source} now has {translation.current_hash}",
    )
    return Finding(
        context.path, context.meta_line("source_hash"), WARNING, message, "translation-stale",
        notes=notes,
    )  # fmt: skip


def _unmarked(context: Context, translation: Translation) -> Finding:
    message = (
        f"translation of {translation.source} without 'source_hash': once it has been checked"
        " against the source, run `make-leaflet translations mark` on it"
    )
    line = context.meta_line("translation_of")
    return context.finding(line, message, "translation-unmarked")
