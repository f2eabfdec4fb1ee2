"""Output faults on real file systems: a clean error, and the earlier leaflet left as it was.

Tests run as root, which no permission bit stops, so the faults come from the kernel itself:
a read-only bind mount and a full tmpfs, each in a private mount namespace of its own.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from leaflets.config.defaults import PROJECT_ROOT

from ..conftest import EXAMPLE, Run

EARLIER = b"%PDF-1.7 a good leaflet from yesterday"


def _namespaces_work() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c",
         "mount -t tmpfs -o size=4k probe /mnt"],
        capture_output=True, check=False,
    )  # fmt: skip
    return probe.returncode == 0


needs_mounts = pytest.mark.skipif(
    not _namespaces_work(), reason="cannot mount in a private namespace here (needs root)"
)

# Runs in its own mount namespace: the mounts vanish with it, whatever happens.
FAULTY_BUILD = """
{mount}
printf '%s' "$EARLIER" > "$OUT/leaflet.pdf" 2>/dev/null || true
{fill}
"$PYTHON" "$CLI" build "$ARTICLE" -o "$OUT/leaflet.pdf"
echo "exit=$?"
echo "left=$(cat "$OUT/leaflet.pdf")"
echo "files=$(ls -A "$OUT" | tr '\\n' ' ')"
"""


def _faulty_build(tmp_path: Path, mount: str, fill: str = "") -> subprocess.CompletedProcess[str]:
    out = tmp_path / "out"
    out.mkdir()
    (out / "leaflet.pdf").write_bytes(EARLIER)
    env = {
        "OUT": str(out),
        "EARLIER": EARLIER.decode(),
        "PYTHON": sys.executable,
        "CLI": str(PROJECT_ROOT / "make_leaflet.py"),
        "ARTICLE": str(EXAMPLE),
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
    }
    script = FAULTY_BUILD.format(mount=mount, fill=fill)
    return subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-uc", script],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip


def _report(run: subprocess.CompletedProcess[str]) -> dict[str, str]:
    return dict(line.split("=", 1) for line in run.stdout.splitlines() if "=" in line)


@pytest.mark.slow
@needs_mounts
def test_a_full_disk_is_a_clean_error(tmp_path: Path) -> None:
    run = _faulty_build(
        tmp_path,
        mount='mount -t tmpfs -o size=128k leaflets-full "$OUT"',
        fill='dd if=/dev/zero of="$OUT/filler" bs=4k 2>/dev/null || true',
    )
    report = _report(run)
    assert report["exit"] == "1", run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {tmp_path / 'out' / 'leaflet.pdf'}: cannot write: the disk is full"]
    assert "Traceback" not in run.stderr
    assert report["left"] == EARLIER.decode()
    assert report["files"].split() == ["filler", "leaflet.pdf"]


@pytest.mark.slow
@needs_mounts
def test_a_read_only_folder_is_a_clean_error(tmp_path: Path) -> None:
    run = _faulty_build(
        tmp_path, mount='mount --bind "$OUT" "$OUT" && mount -o remount,bind,ro "$OUT"'
    )
    report = _report(run)
    assert report["exit"] == "1", run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {tmp_path / 'out'}: cannot write here: the file system is read-only"]
    assert report["left"] == EARLIER.decode()
    assert report["files"].split() == ["leaflet.pdf"]


def test_an_output_path_that_is_a_folder(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "out" / "baekkensmerter.pdf").mkdir(parents=True)
    (tmp_path / "out" / "baekkensmerter.pdf" / "keep.txt").write_text("mine")
    result = cli("build", EXAMPLE, "-o", tmp_path / "out")
    assert result.code == 1
    target = tmp_path / "out" / "baekkensmerter.pdf"
    assert result.errors == [f"error: {target}: is a folder; give a file name for the output"]
    assert (tmp_path / "out" / "baekkensmerter.pdf" / "keep.txt").read_text() == "mine"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["baekkensmerter.pdf"]


def test_a_file_where_the_output_folder_should_be(cli: Callable[..., Run], tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder")
    result = cli("build", EXAMPLE, "-o", blocker / "leaflet.pdf")
    assert result.code == 1
    assert result.errors == [f"error: {blocker}: is a file, not a folder to write the PDF in"]
    assert "Traceback" not in result.err
    assert blocker.read_text() == "not a folder"
