"""A personal copy dies with its command: killed, stopped or hung up at any moment, it leaves
no file holding the note and no process behind."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from leaflets.config.defaults import PROJECT_ROOT
from leaflets.workers import private_folder, sweep_private_folders

from ..conftest import EXAMPLE
from ..smtp_servers import PATIENTS, write_clinic

NOTE_MARK = "Ringbind-7Q4 tirsdag"


def _start(tmp_path: Path, scratch: Path) -> subprocess.Popen[bytes]:
    """`email --note-file ... --eml` in a session of its own, its temporary folder `scratch`."""
    note = tmp_path / "note.txt"
    note.write_text(f"{NOTE_MARK}: lav øvelserne.", encoding="utf-8")
    eml = tmp_path / "out" / "m.eml"
    eml.parent.mkdir(exist_ok=True)
    args = ["email", EXAMPLE, "--to", PATIENTS[0], "--note-file", note, "--eml", eml]
    return subprocess.Popen(
        [
            sys.executable,
            PROJECT_ROOT / "make_leaflet.py",
            *args,
            "--clinic",
            write_clinic(tmp_path),
        ],
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _holding_the_note(folder: Path) -> list[Path]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue  # removed while the folder was read: it holds nothing any more
            if NOTE_MARK.encode() in data or b"Ringbind" in data:
                found.append(path)
    return found


def _private_folders(folder: Path) -> list[Path]:
    return [path for path in folder.iterdir() if path.name.startswith("leaflet-")]


def _in_group(group: int) -> list[int]:
    """The processes still in the process group `group`."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[2]) == group and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


def _copy_written(scratch: Path) -> bool:
    """Whether the personal PDF is there, staged or in place."""
    return any(
        path.name.startswith((".leaflet.pdf.", "leaflet.pdf")) for path in scratch.rglob("*")
    )


def _folder_made(scratch: Path) -> bool:
    return bool(_private_folders(scratch))


def _wait_for(ready: Callable[[], bool], process: subprocess.Popen[bytes], limit: float) -> None:
    deadline = time.monotonic() + limit
    while not ready() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)


def _interrupt(tmp_path: Path, moment: Callable[[Path], bool] | float, number: int) -> Path:
    """Start a personal copy, send `number` at `moment` (seconds after the start, or when the
    check on its temporary folder first holds), and wait 2 s; its temporary folder."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    process = _start(tmp_path, scratch)
    try:
        if isinstance(moment, float):
            time.sleep(moment)
        else:
            _wait_for(lambda: moment(scratch), process, 60)
        with contextlib.suppress(ProcessLookupError):  # it may have finished already
            os.killpg(process.pid, number)
        process.wait(30)
        time.sleep(2)
        assert _in_group(process.pid) == []
    finally:
        if process.poll() is None or _in_group(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(30)
    return scratch


MOMENTS = [0.3, 0.8, 1.5, _folder_made, _copy_written]


@pytest.mark.parametrize("moment", MOMENTS, ids=["0.3s", "0.8s", "1.5s", "folder", "written"])
def test_a_killed_personal_copy_leaves_nothing_after_the_next_start(
    tmp_path: Path, moment: Callable[[Path], bool] | float
) -> None:
    scratch = _interrupt(tmp_path, moment, signal.SIGKILL)
    next_command = subprocess.run(
        [sys.executable, PROJECT_ROOT / "make_leaflet.py", "--version"],
        env={**os.environ, "TMPDIR": str(scratch)},
        capture_output=True,
        check=False,
    )
    assert next_command.returncode == 0
    assert _holding_the_note(scratch) == []
    assert _private_folders(scratch) == []


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
@pytest.mark.parametrize(
    "moment", [0.8, _folder_made, _copy_written], ids=["0.8s", "folder", "written"]
)
def test_a_stopped_personal_copy_cleans_up_by_itself(
    tmp_path: Path, moment: Callable[[Path], bool] | float, number: int
) -> None:
    scratch = _interrupt(tmp_path, moment, number)
    assert _holding_the_note(scratch) == []
    assert _private_folders(scratch) == []


def test_only_the_folders_of_ended_processes_are_swept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True
    )
    dead_pid = int(ended.stdout)
    with private_folder() as mine:
        name = Path(mine).name
        start = name.split("-")[1].split(".")[1]
        dead = tmp_path / f"leaflet-{dead_pid}.{start}-abc"
        reused = tmp_path / f"leaflet-{os.getpid()}.1-abc"  # this pid, another start
        alive = Path(mine)
        unrelated = tmp_path / "leaflet-notes"
        for folder in (dead, reused, unrelated):
            folder.mkdir()
        assert sorted(sweep_private_folders(tmp_path)) == sorted([dead, reused])
        assert alive.exists() and unrelated.exists()
