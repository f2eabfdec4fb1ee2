"""Private folders that end with their process: named after it, and swept once it is gone.

A folder is removed on leaving its `with`; one left by a process killed without warning is
removed by the next command's `sweep_private_folders`. The name carries the owner's pid and
start time, so that a pid used again by a new process does not keep a dead one's folder.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import tempfile
import time
from pathlib import Path

PREFIX = "leaflet-"
_OWNED = re.compile(rf"^{re.escape(PREFIX)}(\d+)\.(\d+)-")
_PROC = Path("/proc")
_ENDING = {signal.SIGTERM, signal.SIGHUP, signal.SIGINT}
CLEANUP_SECONDS = 2.0


class PrivateFolder(tempfile.TemporaryDirectory[str]):
    """A temporary folder removed on leaving its `with`, even while a worker that was just
    stopped still writes into it."""

    def cleanup(self) -> None:
        super().cleanup()
        # A stopped worker may write one more file after the first removal has listed the
        # folder; it is gone within moments, and then so is the folder.
        deadline = time.monotonic() + CLEANUP_SECONDS
        while os.path.exists(self.name) and time.monotonic() < deadline:
            time.sleep(0.05)
            super().cleanup()


def private_folder(kind: str = "") -> tempfile.TemporaryDirectory[str]:
    """A new folder only this user can read, under the temporary folder, named after this
    process; removed on leaving its `with`."""
    pid = os.getpid()
    prefix = f"{PREFIX}{pid}.{_started(pid) or 0}-{kind}"
    # A signal that ends the command (see cli.main) waits until the folder is made and has its
    # finalizer, which removes it at exit even if the signal comes before the `with`.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _ENDING)
    try:
        return PrivateFolder(prefix=prefix, ignore_cleanup_errors=True)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def sweep_private_folders(under: Path | None = None) -> list[Path]:
    """Remove this user's private folders whose process no longer exists; the ones removed."""
    if not (_PROC / "self" / "stat").exists():
        return []  # without /proc no owner can be told alive, so none is taken for dead
    folder = Path(under or tempfile.gettempdir())
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        if _orphaned(entry):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed


def _orphaned(entry: os.DirEntry[str]) -> bool:
    found = _OWNED.match(entry.name)
    if found is None:
        return False
    try:
        if not entry.is_dir(follow_symlinks=False) or entry.stat().st_uid != os.getuid():
            return False
    except OSError:
        return False
    pid, started = int(found[1]), int(found[2])
    return _started(pid) != started


def _started(pid: int) -> int | None:
    """When the process started, in clock ticks since boot; None when there is no such one."""
    try:
        stat = (_PROC / str(pid) / "stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # The command name in brackets may hold spaces or brackets; the fields follow the last.
    fields = stat[stat.rfind(")") + 2 :].split()
    return int(fields[19]) if len(fields) > 19 else None
