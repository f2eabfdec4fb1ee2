"""Content hashes: of any file, and of the tool's own files, remembered between commands.

The tool's own files (package, templates, styles, a theme) are hashed for every build's
settings. Their digests are kept by path with the size, times and inode each was read at, so
that a long-lived watch or desk rehashes only what changed, and are stored for the next command
in the package's `__pycache__`, beside Python's own compiled files: confirming that a leaflet is
up to date does not read some 240 files again. A file changed less than RECENT_NS ago is always
read, since a rewrite within one tick of the file system's clock would keep its times. The store
holds paths and hashes of the tool's files only; where it cannot be written, nothing is kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from leaflets.article.files import read_bounded
from leaflets.builder.output import write_atomically
from leaflets.config.defaults import MAX_HASHED_BYTES, PACKAGE_DIR
from leaflets.config.errors import LeafletError

Stamp = tuple[int, int, int, int]  # size, modification and change times (ns), inode

RECENT_NS = 2_000_000_000
STORE = PACKAGE_DIR / "__pycache__" / "leaflets-tool-digests.json"
_KNOWN: dict[str, tuple[Stamp, str]] = {}
_stored: dict[str, tuple[Stamp, str]] | None = None  # what the store held, once read


def digest(data: bytes) -> str:
    """A short, stable content hash."""
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path, limit: int = MAX_HASHED_BYTES) -> str:
    """The hash of a file's bytes, or 'missing' (also for one larger than `limit`, unread)."""
    try:
        return digest(read_bounded(path, limit))
    except OSError:
        return "missing"


def tree_digests(folder: Path) -> list[tuple[str, str]]:
    """(path under `folder`, digest) of every file in it, in order; caches left out."""
    _recall()
    found = []
    for top, subfolders, files in os.walk(folder):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(files):
            path = os.path.join(top, name)
            if os.path.isfile(path):  # not a broken link (an editor's lock file) or a pipe
                found.append((os.path.relpath(path, folder), _known_digest(path)))
    return found


def store_known() -> None:
    """Keep the digests known now for the next command, when they differ from the store's."""
    known = dict(_KNOWN)  # one copy: another of the desk's threads may add to it meanwhile
    if _stored is None or _stored == known:
        return
    data = {path: [*stamp, found] for path, (stamp, found) in sorted(known.items())}
    try:
        write_atomically(STORE, json.dumps(data).encode())
    except (LeafletError, OSError):
        return  # an installed, read-only package: every command reads the files again
    _stored.clear()
    _stored.update(known)


def _known_digest(path: str) -> str:
    try:
        status = os.stat(path)
    except OSError:
        return "missing"
    stamp = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
    known = _KNOWN.get(path)
    if known is not None and known[0] == stamp:
        return known[1]
    found = file_digest(Path(path))
    if found != "missing" and time.time_ns() - max(stamp[1], stamp[2]) > RECENT_NS:
        _KNOWN[path] = (stamp, found)
    return found


def _recall() -> None:
    """Read the store once per process; a damaged or foreign one is ignored."""
    global _stored
    if _stored is not None:
        return
    _stored = {}
    try:
        data = json.loads(read_bounded(STORE, MAX_HASHED_BYTES))
        for path, (size, modified, changed, inode, found) in data.items():
            stamp = (int(size), int(modified), int(changed), int(inode))
            _stored[str(path)] = (stamp, str(found))
    except (OSError, ValueError, TypeError, AttributeError):
        _stored = {}
        return
    for path, known in _stored.items():
        _KNOWN.setdefault(path, known)
