"""Writing results so that a failure never leaves a broken file or harms a good one."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from leaflets.config.errors import LeafletError


@dataclass(frozen=True)
class Staged:
    """A file written in full beside its target, not yet put in its place."""

    temporary: Path
    target: Path

    def commit(self) -> Path:
        """Put the file in place in one rename: the old file stays whole until then."""
        try:
            os.replace(self.temporary, self.target)
        except OSError as exc:
            self.discard()
            raise LeafletError(self.target, f"cannot write: {_reason(exc)}") from None
        return self.target

    def discard(self) -> None:
        """Remove the staged file; its target is left as it was."""
        with contextlib.suppress(OSError):
            os.unlink(self.temporary)


def write_atomically(target: Path, data: bytes, mode: int = 0o644) -> Path:
    """Write `data` to a temporary file beside `target`, then rename it into place."""
    return stage_file(target, data, mode).commit()


def stage_file(target: Path, data: bytes, mode: int = 0o644) -> Staged:
    """Write `data` in full to a hidden file beside `target`, for a later commit."""
    if target.is_dir():
        raise LeafletError(target, "is a folder; give a file name for the output")
    _make_parent(target)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise LeafletError(target.parent, f"cannot write here: {_reason(exc)}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise LeafletError(target, f"cannot write: {_reason(exc)}") from None
    return Staged(Path(temporary), target)


# `stage_file`'s names: a hidden copy of the target's name, and mkstemp's eight characters.
_STAGED = re.compile(r"^\..+\.(?:pdf|html|json)\.[a-z0-9_]{8}$")


def remove_stale_staged(folder: Path, before: float) -> list[Path]:
    """Remove the staged files in `folder` last written before `before` (a time stamp): left
    by a build that was killed before it could put them in place or remove them."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        if not _STAGED.match(entry.name):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < before:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _make_parent(target: Path) -> None:
    if target.parent.exists() and not target.parent.is_dir():
        raise LeafletError(target.parent, "is a file, not a folder to write the PDF in")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LeafletError(target.parent, f"cannot create the folder: {_reason(exc)}") from None


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)
