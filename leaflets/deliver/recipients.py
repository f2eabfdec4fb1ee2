"""Recipients as typed: --to addresses and a file of them, each remembered by where it came from."""

from __future__ import annotations

import sys
from pathlib import Path

from leaflets.config.errors import LeafletError
from leaflets.deliver.message import Recipient

# A recipients file is read only this far: thousands of addresses, never a whole disk.
MAX_TO_FILE_BYTES = 1 << 20


def recipients(to: tuple[str, ...] | list[str], to_file: Path | None = None) -> list[Recipient]:
    """The addresses of --to and of --to-file (`-` for standard input), in that order."""
    given = [Recipient(text, f"--to address {number}") for number, text in enumerate(to, 1)]
    if to_file is not None:
        lines = read_to_file(to_file).splitlines()
        given += [
            Recipient(line, f"--to-file line {number}")
            for number, line in enumerate(lines, 1)
            if line.strip() and not line.lstrip().startswith("#")
        ]
    return given


def read_to_file(path: Path) -> str:
    """The text of a recipients file; blank lines and `#` comments are skipped by the caller."""
    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read(MAX_TO_FILE_BYTES + 1)
        else:
            with path.open("rb") as handle:
                data = handle.read(MAX_TO_FILE_BYTES + 1)
    except OSError as problem:
        raise LeafletError(path, f"cannot be read: {problem.strerror or problem}") from None
    if len(data) > MAX_TO_FILE_BYTES:
        raise LeafletError(path, "is too large for a list of recipients (1 MB at most)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LeafletError(path, "is not UTF-8 text") from None
