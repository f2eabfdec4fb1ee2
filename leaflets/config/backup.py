"""A backup of what a clinic cannot make again: its profile, logo and theme, the desk's users and
audit trail, and the articles. Never the output folder, and never anything about a patient, which
the tool does not keep."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from leaflets.config.errors import LeafletError
from leaflets.config.profile import Profile

# The desk keeps these beside clinic.toml; a token file appears once a journal system connects.
DESK_FILES = ("desk-users.toml", "desk-audit.jsonl", "desk-tokens.toml")
CONTENTS_NAME = "backup.json"
FORMAT = 1


@dataclass(frozen=True)
class Saved:
    """One file of a backup: where it goes, relative to the folder of clinic.toml."""

    name: str
    size: int
    sha256: str


def backup_files(profile: Profile, clinic: Path, content: Path) -> list[tuple[Path, str]]:
    """(file, name in the backup) for everything a clinic would have to make again."""
    base = clinic.resolve().parent
    found: list[Path] = [clinic]
    found += [base / name for name in DESK_FILES if (base / name).is_file()]
    if profile.clinic.logo is not None:
        found.append(profile.clinic.logo)
    if profile.style.theme is not None:
        found += _files_under(profile.style.theme)
    found += _files_under(content)
    return [(path, _name(path, base)) for path in dict.fromkeys(found) if path.is_file()]


def _files_under(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink() and not path.name.startswith(".")
    )


def _name(path: Path, base: Path) -> str:
    """The file's name in the backup: relative to the profile's folder, which it must be in."""
    resolved = path.resolve()
    if not resolved.is_relative_to(base):
        raise LeafletError(path, f"is outside {base}; only the clinic's own folder is backed up")
    return resolved.relative_to(base).as_posix()


def write_backup(target: Path, files: list[tuple[Path, str]]) -> list[Saved]:
    """A gzipped tar of `files` with a list of their hashes, readable only by its owner."""
    saved = [Saved(name, path.stat().st_size, _sha256(path)) for path, name in files]
    contents = json.dumps({"format": FORMAT, "files": [vars(s) for s in saved]}, indent=1)
    folder = target.resolve().parent
    if not folder.is_dir():
        raise LeafletError(target, f"cannot write the backup: there is no folder {folder}")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    except OSError as error:
        raise LeafletError(target, f"cannot write the backup: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream, tarfile.open(fileobj=stream, mode="w:gz") as tar:
            _add_bytes(tar, CONTENTS_NAME, contents.encode())
            for path, name in files:
                tar.add(path, arcname=name, recursive=False)
        os.chmod(temporary, 0o600)  # the audit trail names staff and what they handed out
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise LeafletError(target, f"cannot write the backup: {error.strerror}") from None
    return saved


def restore_backup(archive: Path, into: Path, force: bool = False) -> list[Saved]:
    """Put a backup's files back under `into`; an existing file is kept unless `force`."""
    with _opened(archive) as tar:
        saved = _contents(tar, archive)
        clashes = [s.name for s in saved if (into / s.name).exists()]
        if clashes and not force:
            shown = ", ".join(clashes[:3]) + (" ..." if len(clashes) > 3 else "")
            raise LeafletError(into, f"would overwrite {shown}; give --force to replace them")
        members = [tar.getmember(s.name) for s in saved]
        # The "data" filter refuses absolute paths, "..", links out of the folder and devices.
        tar.extractall(into, members=members, filter="data")
    for entry in saved:
        if _sha256(into / entry.name) != entry.sha256:
            raise LeafletError(into / entry.name, "does not match the backup's hash")
    return saved


@contextmanager
def _opened(archive: Path) -> Iterator[tarfile.TarFile]:
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            yield tar
    except (OSError, tarfile.TarError, EOFError) as error:
        raise LeafletError(
            archive, f"is not a backup made by `make-leaflet backup` ({error})"
        ) from None


def _contents(tar: tarfile.TarFile, archive: Path) -> list[Saved]:
    """The backup's own list of files, checked to name only files it holds."""
    try:
        listed = tar.extractfile(CONTENTS_NAME)
        data = json.loads(listed.read() if listed else b"")
        saved = [Saved(**entry) for entry in data["files"]]
        names = set(tar.getnames())
    except (KeyError, ValueError, TypeError) as error:
        raise LeafletError(archive, f"has no list of its files ({error})") from None
    if data.get("format") != FORMAT or any(entry.name not in names for entry in saved):
        raise LeafletError(archive, "is damaged: its list of files does not match what it holds")
    return saved


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()
