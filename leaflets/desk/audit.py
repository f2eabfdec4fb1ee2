"""The audit log: who printed or sent which leaflet, when, and how many; never to whom.

JSON lines, appended and never rewritten, in a file beside the users file. An entry holds the
leaflet's reference, version and content hash, the number of copies or recipients, and
nothing about the patient: no address, no name, no note.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections import deque
from dataclasses import asdict, dataclass
from pathlib import Path

AUDIT_FILE_NAME = "desk-audit.jsonl"
SHOWN_ENTRIES = 200
_WRITE = threading.Lock()


@dataclass(frozen=True)
class AuditEntry:
    """One print or send."""

    when: str
    user: str
    action: str  # "print" or "send"
    slug: str
    title: str
    reference: str
    version: str
    hash: str
    copies: int = 0
    recipients: int = 0
    printer: str = ""
    job: str = ""


def audit_file_beside(users_file: Path) -> Path:
    """Where the audit log lives: beside the users file."""
    return users_file.parent / AUDIT_FILE_NAME


def now_stamp() -> str:
    """The local time, to the second, with its offset."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def append_entry(path: Path, entry: AuditEntry) -> None:
    """Add one line; O_APPEND keeps each line whole even with several writers."""
    line = (json.dumps(asdict(entry), ensure_ascii=False) + "\n").encode()
    with _WRITE:
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, line)
        finally:
            os.close(descriptor)


def last_entries(path: Path, count: int = SHOWN_ENTRIES) -> list[AuditEntry]:
    """The newest `count` entries, newest first; a damaged line is skipped."""
    try:
        with path.open(encoding="utf-8", errors="replace") as lines:
            tail = deque(lines, maxlen=count)
    except FileNotFoundError:
        return []
    entries = [_entry(line) for line in reversed(tail)]
    return [entry for entry in entries if entry is not None]


def _entry(line: str) -> AuditEntry | None:
    try:
        data = json.loads(line)
        return AuditEntry(**data)
    except (ValueError, TypeError):
        return None
