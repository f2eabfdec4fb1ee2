"""Readability rules: LIX (Scandinavian languages), Flesch (English) or Amstad (German), and
the page count."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from leaflets.checks.context import Context
from leaflets.checks.findings import NOTE, Finding
from leaflets.checks.lix import LIX_LANGUAGES, Counts, flesch_band, lix_band
from leaflets.checks.pages import estimated_pages
from leaflets.checks.rules_structure import image_count
from leaflets.config.labels import language_name

# The Flesch reading ease and its German form share a scale, a limit and a rule id.
FLESCH_MEASURES = {"en": "flesch", "de": "amstad"}
LABELS = {"lix": "LIX", "flesch": "Flesch reading ease", "amstad": "Flesch reading ease (Amstad)"}


def measure(context: Context) -> str | None:
    """'lix', 'flesch', 'amstad', or None for a language no measure is made for."""
    return measure_for(context.language)


def measure_for(language: str) -> str | None:
    """The readability measure made for `language`, if any."""
    base = language.split("-")[0].lower()
    if base in LIX_LANGUAGES:
        return "lix"
    return FLESCH_MEASURES.get(base)


def rule_of(kind: str) -> str:
    """The rule id a measure reports under: 'lix', or 'flesch' for both Flesch forms."""
    return "lix" if kind == "lix" else "flesch"


def readability(context: Context) -> Iterator[Finding]:
    """LIX above the clinic's limit, or Flesch below it, with what to rewrite."""
    kind = measure(context)
    counts = context.counts
    if kind is None or not counts.words:
        return
    line = context.blocks[1].line if len(context.blocks) > 1 else 1
    score, band, over = _score(context, counts, kind)
    if over:
        yield Finding(
            context.path, line, "warning", _limit_message(context, kind, score, band),
            rule_of(kind),
            notes=tuple(details(context, counts, kind)), data=figures(context, counts, kind),
        )  # fmt: skip


def readability_note(context: Context) -> Finding | None:
    """The readability figures of an article as a note, whatever its score."""
    kind = measure(context)
    counts = context.counts
    if kind is None or not counts.words:
        return None
    score, band, _over = _score(context, counts, kind)
    return Finding(
        context.path, 1, NOTE, f"{LABELS[kind]} {score:.0f} ({band})", "readability",
        notes=tuple(details(context, counts, kind)), data=figures(context, counts, kind),
    )  # fmt: skip


def _score(context: Context, counts: Counts, kind: str) -> tuple[float, str, bool]:
    if kind == "lix":
        return counts.lix, lix_band(counts.lix), round(counts.lix) > context.settings.max_lix
    score = flesch_score(counts, kind)
    return score, flesch_band(score), round(score) < context.settings.min_flesch


def flesch_score(counts: Counts, kind: str) -> float:
    """Flesch reading ease, in Amstad's German form for 'amstad'."""
    return counts.amstad() if kind == "amstad" else counts.flesch()


def _limit_message(context: Context, kind: str, score: float, band: str) -> str:
    if kind == "lix":
        return f"LIX {score:.0f} ({band}) is above the limit of {context.settings.max_lix:g}"
    limit = context.settings.min_flesch
    return f"{LABELS[kind]} {score:.0f} ({band}) is below the limit of {limit:g}"


def details(context: Context, counts: Counts, kind: str) -> Iterator[str]:
    """How the score was reached, the hardest sections, the longest sentences, the long words."""
    words, sentences, long_words = len(counts.words), len(counts.sentences), len(counts.long_words)
    if kind == "lix":
        yield (
            f"LIX {counts.lix:.1f} = {words} words / {sentences} sentences"
            f" + 100 × {long_words} long words / {words} words"
        )
    else:
        yield f"{words} words in {sentences} sentences (LIX is made for Scandinavian languages)"
    for heading, line, part in context.sections:
        score = part.lix if kind == "lix" else flesch_score(part, kind)
        if part.words and _worse(context, kind, score):
            yield f"section '{heading}' (line {line}): {_named(kind, score)}"
    for sentence in counts.longest():
        yield f"long sentence, line {sentence.line} ({len(sentence.words)} words): {sentence.text}"
    if frequent := counts.frequent_long_words():
        yield "most frequent long words: " + ", ".join(f"{w} ×{n}" for w, n in frequent)


def _worse(context: Context, kind: str, score: float) -> bool:
    if kind == "lix":
        return round(score) > context.settings.max_lix
    return round(score) < context.settings.min_flesch


def _named(kind: str, score: float) -> str:
    if kind == "lix":
        return f"LIX {score:.0f} ({lix_band(score)})"
    name = "Amstad" if kind == "amstad" else "Flesch"
    return f"{name} {score:.0f} ({flesch_band(score)})"


def figures(context: Context, counts: Counts, kind: str) -> dict[str, Any]:
    """The readability figures as plain data, for JSON."""
    data: dict[str, Any] = {
        "measure": kind, "words": len(counts.words), "sentences": len(counts.sentences),
        "long_words": len(counts.long_words), "lix": round(counts.lix, 1),
        "band": lix_band(counts.lix),
        "sections": [
            {"heading": heading, "line": line, "lix": round(part.lix, 1)}
            for heading, line, part in context.sections
        ],
        "longest_sentences": [
            {"line": s.line, "words": len(s.words), "text": s.text} for s in counts.longest()
        ],
        "frequent_long_words": dict(counts.frequent_long_words()),
    }  # fmt: skip
    if kind != "lix":
        score = flesch_score(counts, kind)
        data.update(flesch=round(score, 1), band=flesch_band(score))
    return data


class UnscoredLanguages:
    """The languages of a run that no readability measure is made for, each said once."""

    def __init__(self) -> None:
        self.first: dict[str, Context] = {}

    def add(self, context: Context) -> None:
        """Note the article's language when it has no measure."""
        base = context.language.split("-")[0].lower()
        if measure_for(base) is None and context.counts.words:
            self.first.setdefault(base, context)

    def notes(self) -> list[Finding]:
        """One note for each such language, at its first article."""
        return [
            Finding(context.path, 1, NOTE, _unscored_message(language), "readability")
            for language, context in sorted(self.first.items())
        ]


def _unscored_message(language: str) -> str:
    name = language_name(language, "en")
    return (
        f"no readability score is made for {name} ({language}): LIX is made"
        " for Danish, Swedish and Norwegian, Flesch reading ease for English and German"
    )


def too_long(context: Context) -> Iterator[Finding]:
    """An article likely to print on more pages than the clinic allows."""
    pages = estimated_pages(context.blocks[1:], image_count(context))
    if pages > context.settings.max_pages:
        yield context.finding(
            context.blocks[0].line,
            f"about {pages:.1f} pages when printed (the limit is {context.settings.max_pages})",
            "too-long",
        )
