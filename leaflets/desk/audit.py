"""The audit log: who logged in, printed, sent or changed a user, and when; never to whom.

JSON lines, appended and never rewritten, in a file beside the users file. An entry holds the
leaflet's reference, version and content hash, the number of copies or recipients, and
nothing about the patient: no address, no name, no note. Each entry carries the seal of the
one before it (`prev`) and its own (`seal`, a SHA-256 of the rest), so that a removed, changed
or moved line breaks the chain where it happened. Entries are written and flushed to the disk
before what they record is done.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from leaflets.config.errors import LeafletError

AUDIT_FILE_NAME = "desk-audit.jsonl"
SHOWN_ENTRIES = 200
GENESIS = "0" * 64
# The newest entry is looked for this far from the end; an entry is a few hundred bytes.
TAIL_BYTES = 64 * 1024
_WRITE = threading.Lock()


class AuditError(LeafletError):
    """The audit log cannot be written: nothing it would record may happen."""


@dataclass(frozen=True)
class AuditEntry:
    """One thing done at the desk or to its users."""

    when: str
    user: str
    action: str  # login, login-failed, logout, print, printed, send, sent, user-add, ...
    slug: str = ""
    title: str = ""
    reference: str = ""
    version: str = ""
    hash: str = ""
    copies: int = 0
    recipients: int = 0
    printer: str = ""
    job: str = ""
    subject: str = ""  # the user a user change is about
    # What was handed out: the edition and language, whether with a personal note (never the
    # note), whether a stale translation, and whether for the waiting room (no patient).
    edition: str = ""
    language: str = ""
    personal: bool = False
    stale_translation: bool = False
    waiting_room: bool = False
    # Several leaflets handed out together: slug, title, reference and the rest name them all,
    # and the outcome carries the hand-out's record line, which names each one in full.
    record: str = ""


ENTRY_FIELDS = frozenset(one.name for one in fields(AuditEntry))
# Between the leaflets of one hand-out, in each field of its entry: 'a + b + c'.
JOINED = " + "


# What each kind of break means, for the command line (the desk has its own texts).
PROBLEMS = {
    "unreadable": "is not an audit entry",
    "unsealed": "has no seal",
    "changed": "was changed after it was written",
    "out-of-order": "does not follow the entry before it: an entry was removed or moved",
}


@dataclass(frozen=True)
class ChainReport:
    """What a check of the chain found: how many entries, and the first broken one (from 1)."""

    entries: int
    broken_at: int = 0
    problem: str = ""
    head: str = GENESIS

    @property
    def whole(self) -> bool:
        """Whether every entry follows the one before it, unchanged."""
        return self.broken_at == 0


def audit_file_beside(users_file: Path) -> Path:
    """Where the audit log lives: beside the users file."""
    return users_file.parent / AUDIT_FILE_NAME


def now_stamp() -> str:
    """The local time, to the second, with its offset."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def seal_of(data: dict[str, object]) -> str:
    """The SHA-256 of an entry's fields other than its seal, in one fixed spelling."""
    sealed = {key: value for key, value in data.items() if key != "seal"}
    text = json.dumps(sealed, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def append_entry(path: Path, entry: AuditEntry) -> None:
    """Add one sealed line and flush it to the disk; AuditError when that cannot be done."""
    try:
        with _WRITE:
            descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
            try:
                # The lock orders this process and `desk-user` in another behind one chain.
                fcntl.flock(descriptor, fcntl.LOCK_EX)
                data: dict[str, object] = {**asdict(entry), "prev": _last_seal(descriptor)}
                data["seal"] = seal_of(data)
                _write_all(descriptor, (json.dumps(data, ensure_ascii=False) + "\n").encode())
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
    except OSError as error:
        raise AuditError(path, f"cannot write the audit log: {error.strerror}") from None


def _write_all(descriptor: int, line: bytes) -> None:
    written = 0
    while written < len(line):
        written += os.write(descriptor, line[written:])


def _last_seal(descriptor: int) -> str:
    """The seal of the newest entry; a damaged one is chained to by the hash of its bytes."""
    size = os.fstat(descriptor).st_size
    start = max(0, size - TAIL_BYTES)
    tail = os.pread(descriptor, size - start, start)
    lines = [line for line in tail.split(b"\n") if line.strip()]
    if not lines:
        return GENESIS
    return _seal_of_line(lines[-1])


def _seal_of_line(line: bytes) -> str:
    try:
        seal = json.loads(line).get("seal")
    except (ValueError, AttributeError):
        seal = None
    return seal if isinstance(seal, str) else hashlib.sha256(line).hexdigest()


def verify_chain(path: Path) -> ChainReport:
    """Check every entry's seal and that it follows the one before; names the first break."""
    expected, count = GENESIS, 0
    for count, line in enumerate(_lines(path), 1):
        problem = _line_problem(line, expected)
        if problem:
            return ChainReport(count, count, problem, expected)
        expected = _seal_of_line(line)
    return ChainReport(count, head=expected)


def _lines(path: Path) -> Iterator[bytes]:
    try:
        with path.open("rb") as stream:
            for line in stream:
                if line.strip():
                    yield line.rstrip(b"\n")
    except FileNotFoundError:
        return


def _line_problem(line: bytes, expected: str) -> str:
    """The kind of break in one line (a key of PROBLEMS), given the seal before; '' if none."""
    try:
        data = json.loads(line)
    except ValueError:
        return "unreadable"
    if not isinstance(data, dict) or not isinstance(data.get("seal"), str):
        return "unsealed"
    if data["seal"] != seal_of(data):
        return "changed"
    if data.get("prev") != expected:
        return "out-of-order"
    return ""


def last_entries(path: Path, count: int = SHOWN_ENTRIES) -> list[AuditEntry]:
    """The newest `count` entries, newest first; a damaged line is skipped."""
    try:
        with path.open(encoding="utf-8", errors="replace") as lines:
            tail = deque(lines, maxlen=count)
    except FileNotFoundError:
        return []
    entries = [_entry(line) for line in reversed(tail)]
    return [entry for entry in entries if entry is not None]


@dataclass(frozen=True)
class UserHistory:
    """When a user was added, and last logged in, as the audit log tells it ('' if never)."""

    created: str = ""
    last_login: str = ""


def user_histories(path: Path) -> dict[str, UserHistory]:
    """Each user's creation and last login, read from the whole audit log."""
    created: dict[str, str] = {}
    logins: dict[str, str] = {}
    for line in _lines(path):
        entry = _entry(line.decode("utf-8", "replace"))
        if entry is None:
            continue
        if entry.action == "user-add":
            created[entry.subject] = entry.when
        elif entry.action == "login":
            logins[entry.user] = entry.when
    return {
        name: UserHistory(created.get(name, ""), logins.get(name, ""))
        for name in created.keys() | logins.keys()
    }


def _entry(line: str) -> AuditEntry | None:
    try:
        data = json.loads(line)
        return AuditEntry(**{key: value for key, value in data.items() if key in ENTRY_FIELDS})
    except (ValueError, TypeError, AttributeError):
        return None


@dataclass
class ChainWatch:
    """The last check of the chain, done again when the file has changed since."""

    path: Path
    checked: str = ""
    report: ChainReport | None = None
    _seen: tuple[int, int, int] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def latest(self) -> tuple[str, ChainReport]:
        """When the chain was last checked, and what was found."""
        try:
            status = self.path.stat()
            seen = (status.st_ino, status.st_size, status.st_mtime_ns)
        except FileNotFoundError:
            seen = (0, 0, 0)
        with self._lock:
            if self.report is None or seen != self._seen:
                self.report, self.checked, self._seen = verify_chain(self.path), now_stamp(), seen
            return self.checked, self.report


def entry_now(user: str, action: str, **values: str | int) -> AuditEntry:
    """An entry stamped with the time now."""
    return AuditEntry(now_stamp(), user, action, **values)  # type: ignore[arg-type]
