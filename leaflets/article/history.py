"""How far a translation's source has moved on: lines changed and when, from git when it can tell.

The tool keeps no copy of old sources (a second copy would drift and would need storing). When
the content folder is in git, the source as it was translated is found in its history by the
recorded `source_hash`, and compared with the file as it is. Otherwise only the date the source
file last changed is known. The history is read by `git_history`, which runs no program.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path

from leaflets.article.git_history import file_versions
from leaflets.article.translations import HASH_DIGITS, Translation

MAX_COMMITS = 100
MAX_DIFF_LINES = 5_000


@dataclass(frozen=True)
class Change:
    """Since the translated version: lines that differ (None when unknown) and from when."""

    lines: int | None
    since: dt.date
    known_from: str  # 'git' or 'file date'


def source_change(translation: Translation) -> Change:
    """How the source differs from the version the translation recorded."""
    found = _from_git(translation)
    if found is not None:
        return found
    return Change(None, _file_date(translation.source), "file date")


def _from_git(translation: Translation) -> Change | None:
    source = translation.source.resolve()
    newer: dt.date | None = None
    for version in file_versions(source, MAX_COMMITS):
        old = version.data
        if old is not None and _short_hash(old) == translation.recorded_hash:
            current = source.read_text(encoding="utf-8", errors="replace").splitlines()
            before = old.decode("utf-8", errors="replace").splitlines()
            return Change(changed_lines(before, current), newer or _file_date(source), "git")
        newer = version.day
    return None


def _short_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_DIGITS]


def changed_lines(before: list[str], after: list[str]) -> int | None:
    """How many lines were added, removed or changed, counting a changed line once.

    None for texts too long to compare in reasonable time (no article is that long).
    """
    if max(len(before), len(after)) > MAX_DIFF_LINES:
        return None
    total = 0
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag != "equal":
            total += max(a_end - a_start, b_end - b_start)
    return total


def lines_differ(count: int) -> str:
    """'1 line differs', '3 lines differ'."""
    return "1 line differs" if count == 1 else f"{count} lines differ"


def _file_date(path: Path) -> dt.date:
    return dt.date.fromtimestamp(path.stat().st_mtime)
