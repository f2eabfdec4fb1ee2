"""Reading an article's file, bounded, and finding the article files in a folder."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from leaflets.config.defaults import ARTICLE_SUFFIXES, MAX_ARTICLE_BYTES
from leaflets.config.errors import LeafletError


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (a byte-order mark allowed), with line ends made LF."""
    raw = _read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LeafletError(
            path, f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_bytes(path: Path) -> bytes:
    try:
        raw = read_bounded(path, MAX_ARTICLE_BYTES)
    except OSError as error:
        raise LeafletError(path, _read_problem(error)) from None
    if not raw.strip():
        raise LeafletError(path, "is empty")
    return raw


def read_bounded(path: Path, limit: int) -> bytes:
    """A regular file's bytes, once `fstat` has shown there are at most `limit` of them.

    OSError otherwise: EFBIG when larger (nothing is read, so a 1 GB file costs nothing),
    EISDIR or EINVAL for a folder, a device or a pipe (opened without waiting for a writer).
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as file:
        size = _regular_file_size(file.fileno(), path)
        if size > limit:
            raise OSError(errno.EFBIG, f"larger than {limit} bytes", str(path))
        data = file.read(limit + 1)
    if len(data) > limit:  # it grew after the look
        raise OSError(errno.EFBIG, f"larger than {limit} bytes", str(path))
    return data


def _regular_file_size(descriptor: int, path: Path) -> int:
    status = os.fstat(descriptor)
    if stat.S_ISDIR(status.st_mode):
        raise OSError(errno.EISDIR, "is a folder", str(path))
    if not stat.S_ISREG(status.st_mode):
        raise OSError(errno.EINVAL, "is not a regular file", str(path))
    return status.st_size


def _read_problem(error: OSError) -> str:
    if error.errno == errno.ENOENT:
        return "no such file"
    if error.errno == errno.EFBIG:
        return f"is larger than {MAX_ARTICLE_BYTES // 1024 // 1024} MB"
    if error.errno in (errno.EISDIR, errno.EINVAL):
        return "is not a file"
    return f"cannot be read ({error.strerror or error})"


def find_articles(path: Path) -> list[Path]:
    """The article files in a folder, or the file itself."""
    if not path.exists():
        raise LeafletError(path, "no such file or folder")
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in ARTICLE_SUFFIXES and p.is_file())
    return [path]
