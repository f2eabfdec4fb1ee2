"""How far a translation's source has moved on: lines changed and when, from git when it can tell.

The tool keeps no copy of old sources (a second copy would drift and would need storing). When
the content folder is in git, the source as it was translated is found in its history by the
recorded `source_hash`, and compared with the file as it is. Otherwise only the date the source
file last changed is known.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from leaflets.article.translations import HASH_DIGITS, Translation

MAX_COMMITS = 100
MAX_DIFF_LINES = 5_000
GIT_TIMEOUT_SECONDS = 10
# No hooks, no file-system monitor, no pager: reading history runs nothing from the folder.
_GIT_SAFETY = ("-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "--no-pager")


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
    history = _commits(source)
    blobs = _blobs(source, [commit for commit, _day in history]) if history else None
    if not blobs:
        return None
    newer: dt.date | None = None
    for (_commit, day), old in zip(history, blobs, strict=True):
        if old is not None and _short_hash(old) == translation.recorded_hash:
            current = source.read_text(encoding="utf-8", errors="replace").splitlines()
            before = old.decode("utf-8", errors="replace").splitlines()
            return Change(changed_lines(before, current), newer or _file_date(source), "git")
        newer = day
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


def _commits(source: Path) -> list[tuple[str, dt.date]]:
    """The commits that touched `source`, newest first, with their dates."""
    output = _git(
        source.parent, "log", f"--max-count={MAX_COMMITS}", "--format=%H %cs", "--", source.name
    )
    if output is None:
        return []
    commits = []
    for line in output.decode().splitlines():
        commit, _, day = line.partition(" ")
        commits.append((commit, dt.date.fromisoformat(day)))
    return commits


def _blobs(source: Path, commits: list[str]) -> list[bytes | None] | None:
    """The file's bytes at each commit (None where it did not exist), read by one git process."""
    prefix = _git(source.parent, "rev-parse", "--show-prefix")
    if prefix is None:
        return None
    path = prefix.decode().strip() + source.name
    requests = "".join(f"{commit}:{path}\n" for commit in commits).encode()
    output = _git(source.parent, "cat-file", "--batch", stdin=requests)
    return _parse_batch(output, len(commits)) if output is not None else None


def _parse_batch(output: bytes, count: int) -> list[bytes | None] | None:
    """The objects of `git cat-file --batch` output: '<oid> <type> <size>\n<bytes>\n' each."""
    found: list[bytes | None] = []
    at = 0
    for _ in range(count):
        end = output.find(b"\n", at)
        if end < 0:
            return None
        header = output[at:end].split()
        if len(header) != 3:  # '<name> missing'
            found.append(None)
            at = end + 1
            continue
        size = int(header[2])
        found.append(output[end + 1 : end + 1 + size])
        at = end + 1 + size + 1
    return found


def _git(folder: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run(
            [git, *_GIT_SAFETY, "-C", str(folder), *args],
            input=stdin if stdin is not None else b"",
            capture_output=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def _file_date(path: Path) -> dt.date:
    return dt.date.fromtimestamp(path.stat().st_mtime)
