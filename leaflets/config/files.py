"""Small files the clinic keeps secret (password and token hashes), written whole or not at all."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from leaflets.config.errors import LeafletError


def write_owner_only(path: Path, data: bytes, what: str) -> None:
    """Write `data` to `path` in one rename, readable by its owner only; `what` names the file
    in an error ('the users file')."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise LeafletError(path, f"cannot write {what}: {error.strerror}") from None


def name_table(header: str, table: str, values: dict[str, str]) -> bytes:
    """A TOML file of one table mapping names to texts, sorted by name."""
    lines = [header, f"[{table}]"]
    # A JSON string is a valid TOML basic string for these names and hashes.
    lines += [f"{json.dumps(name)} = {json.dumps(values[name])}" for name in sorted(values)]
    return ("\n".join(lines) + "\n").encode()


def can_write_in(folder: Path) -> bool:
    """Whether a file can be made in `folder`: tried, for a read-only mount or a full disk
    says so only then (and to root, permissions say nothing)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False
