"""Checking articles: every rule on every article, less the rules switched off."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from leaflets.article.source import Source, load_source
from leaflets.checks.context import Context, body_only, prepare, prepare_body
from leaflets.checks.findings import ERROR, Finding
from leaflets.checks.rules import BODY_CHECKS, CHECKS, RULES
from leaflets.checks.rules_readability import UnscoredLanguages, readability_note
from leaflets.checks.settings import CheckSettings
from leaflets.config.errors import LeafletError, one_line

UNIGNORABLE = frozenset({"load", "check-config"})


@dataclass
class Report:
    """The findings of a run, and how many articles were checked."""

    findings: list[Finding] = field(default_factory=list)
    articles: int = 0


def check_files(
    paths: Iterable[Path], settings: CheckSettings, today: dt.date, notes: bool = False
) -> Report:
    """Check each article file; `notes` adds each article's readability figures."""
    report = Report(findings=list(_clinic_ignores(settings)))
    unscored = UnscoredLanguages()
    for path in paths:
        report.articles += 1
        found, context = _findings_or_failure(path, settings, today, notes)
        report.findings.extend(found)
        if context is not None:
            unscored.add(context)
    report.findings.extend(unscored.notes())
    return report


def _findings_or_failure(
    path: Path, settings: CheckSettings, today: dt.date, notes: bool
) -> tuple[list[Finding], Context | None]:
    """One article's findings; whatever goes wrong with it is its error, and the rest go on."""
    try:
        return _checked(path, settings, today, notes)
    except Exception as error:
        message = f"unexpected failure: {type(error).__name__}: {one_line(error)}"
        return [Finding(path, 1, ERROR, message, "load")], None


def check_file(
    path: Path, settings: CheckSettings, today: dt.date, notes: bool = False
) -> list[Finding]:
    """The findings for one article, in line order."""
    return _checked(path, settings, today, notes)[0]


def check_source(source: Source, settings: CheckSettings, today: dt.date) -> list[Finding]:
    """The findings for an article already read and split, in line order."""
    return _checked_source(source, settings, today, notes=False)[0]


def _checked(
    path: Path, settings: CheckSettings, today: dt.date, notes: bool
) -> tuple[list[Finding], Context | None]:
    try:
        source = load_source(path)
    except LeafletError as error:
        return check_unloadable(path, error, settings, today), None
    return _checked_source(source, settings, today, notes)


def _checked_source(
    source: Source, settings: CheckSettings, today: dt.date, notes: bool
) -> tuple[list[Finding], Context | None]:
    context = prepare(source, settings, today)
    found = list(context.findings)
    for rule in CHECKS:
        found.extend(rule(context))
    ignored = settings.ignore | _article_ignores(context, found)
    kept = [finding for finding in found if finding.rule not in ignored - UNIGNORABLE]
    scored = any(finding.rule in ("lix", "flesch") for finding in kept)
    if notes and not scored and (note := readability_note(context)):
        kept.append(note)
    return sorted(kept, key=lambda finding: finding.line), context


def check_unloadable(
    path: Path, error: LeafletError, settings: CheckSettings, today: dt.date
) -> list[Finding]:
    """The load error, and what the body-only rules find when the body can still be read."""
    found = [Finding(path, _error_line(error.message), ERROR, error.message, "load")]
    source = body_only(path)
    if source is not None:
        context = prepare_body(source, settings, today)
        for rule in BODY_CHECKS:
            found.extend(rule(context))
    return sorted(found, key=lambda finding: finding.line)


_FRONT_MATTER_LINE = re.compile(r"\(line (\d+)\)")


def _error_line(message: str) -> int:
    """The file line a front-matter error names (they are the same numbers), or 1."""
    match = _FRONT_MATTER_LINE.search(message)
    return int(match.group(1)) if match else 1


def _article_ignores(context: Context, found: list[Finding]) -> set[str]:
    """Rules named in front matter `check: {ignore: [...]}`; unknown names are reported."""
    settings = context.source.meta.get("check")
    names = settings.get("ignore", []) if isinstance(settings, dict) else []
    names = [names] if isinstance(names, str) else names
    line = context.meta_line("check")
    if not isinstance(names, list):
        found.append(
            context.finding(line, "'check: ignore' must be a list of rules", "check-config")
        )
        return set()
    for name in names:
        if str(name) not in RULES:
            found.append(
                context.finding(line, f"unknown rule '{name}' in 'check: ignore'", "check-config")
            )
    return {str(name) for name in names}


def _clinic_ignores(settings: CheckSettings) -> Iterable[Finding]:
    for name in sorted(settings.ignore - RULES.keys()):
        where = settings.source or Path("clinic.toml")
        yield Finding(
            where, 1, "warning", f"unknown rule '{name}' in [checks] ignore", "check-config"
        )
