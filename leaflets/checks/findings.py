"""What a check finds, and how findings are printed: like a compiler, or as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from leaflets.config.errors import printable

WARNING = "warning"
ERROR = "error"
NOTE = "note"


@dataclass(frozen=True)
class Finding:
    """One problem at one line of one file, named by its rule."""

    path: Path
    line: int
    severity: str
    message: str
    rule: str
    notes: tuple[str, ...] = ()
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def line_text(self) -> str:
        """`path:line: severity: message [rule]`."""
        return f"{self.path}:{self.line}: {self.severity}: {self.message} [{self.rule}]"

    def warning_text(self) -> str:
        """The finding as the build prints it, without the severity word."""
        return f"{self.path}:{self.line}: {self.message} [{self.rule}]"

    def as_json(self) -> dict[str, Any]:
        """A plain mapping for JSON output."""
        data = asdict(self)
        data["path"] = str(self.path)
        data["notes"] = list(self.notes)
        if not self.data:
            data.pop("data")
        return data


def strict(findings: Iterable[Finding]) -> list[Finding]:
    """Every warning made an error."""
    return [
        replace(finding, severity=ERROR) if finding.severity == WARNING else finding
        for finding in findings
    ]


def count(findings: Iterable[Finding], severity: str) -> int:
    """How many findings have `severity`."""
    return sum(1 for finding in findings if finding.severity == severity)


def summary(findings: list[Finding], articles: int) -> str:
    """One line: how many articles, errors and warnings."""
    errors, warnings = count(findings, ERROR), count(findings, WARNING)
    return (
        f"{_plural(articles, 'article')} checked: "
        f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    )


def text_lines(findings: Iterable[Finding], with_notes: bool = True) -> list[str]:
    """The findings as compiler-style lines, each followed by its notes."""
    lines: list[str] = []
    for finding in findings:
        if finding.severity == NOTE:
            if with_notes:
                lines.append(f"{finding.path}:{finding.line}: note: {finding.message}")
                lines.extend(f"{finding.path}:{finding.line}: note: {n}" for n in finding.notes)
            continue
        lines.append(finding.line_text())
        if with_notes:
            lines.extend(f"{finding.path}:{finding.line}: note: {n}" for n in finding.notes)
    return [printable(line) for line in lines]


def json_text(findings: Iterable[Finding]) -> str:
    """The findings as a JSON list."""
    return json.dumps([finding.as_json() for finding in findings], ensure_ascii=False, indent=2)


def _plural(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"
