"""No litter: a build killed mid-way leaves no worker behind, and the next build removes its
staged files; no build leaves WeasyPrint's temporary folders."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from leaflets.config.defaults import PROJECT_ROOT

from ..conftest import EXAMPLE
from ..security.test_private_copies import _in_group

STAGED = re.compile(r"^\..+\.pdf\.[a-z0-9_]{8}$")


def _articles(folder: Path, count: int) -> Path:
    folder.mkdir()
    for number in range(count):
        text = EXAMPLE.read_text(encoding="utf-8").replace(
            "title: Bækkensmerter", f"title: Del {number}", 1
        )
        (folder / f"del-{number}.md").write_text(text, encoding="utf-8")
    shutil.copytree(EXAMPLE.parent / "assets", folder / "assets")
    return folder


def _build(articles: Path, out: Path, scratch: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, PROJECT_ROOT / "make_leaflet.py", "build", articles, "-o", out, "-j2"],
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _staged(out: Path) -> list[str]:
    return sorted(path.name for path in out.iterdir() if STAGED.match(path.name))


def _kill_mid_way(build: subprocess.Popen[bytes], out: Path) -> None:
    """SIGKILL the build's command alone as soon as its first leaflet is staged or written."""
    deadline = time.monotonic() + 120
    while build.poll() is None and time.monotonic() < deadline:
        if out.exists() and any(
            path.suffix == ".pdf" or STAGED.match(path.name) for path in out.iterdir()
        ):
            break
        time.sleep(0.01)
    with contextlib.suppress(ProcessLookupError):
        build.kill()
    build.wait(30)


def test_a_killed_build_leaves_no_worker_and_the_next_build_no_staged_file(tmp_path: Path) -> None:
    articles, out, scratch = _articles(tmp_path / "articles", 6), tmp_path / "out", tmp_path / "tmp"
    scratch.mkdir()
    out.mkdir()
    # What an earlier killed build left: a staged PDF, and a hidden file that is no such thing.
    left = out / ".del-0.pdf.ab12cd34"
    left.write_bytes(b"%PDF-1.7 half")
    os.utime(left, (time.time() - 60, time.time() - 60))
    (out / ".notes.txt").write_text("ours", encoding="utf-8")
    build = _build(articles, out, scratch)
    try:
        _kill_mid_way(build, out)
        time.sleep(2)
        assert _in_group(build.pid) == []  # the fork server and the workers went with it
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build.pid, signal.SIGKILL)
    again = _build(articles, out, scratch)
    assert again.wait(300) == 0
    assert _staged(out) == []
    assert (out / ".notes.txt").exists()
    assert len(list(out.glob("del-*.pdf"))) == 6
    # The killed build's temporary folder went with the next command's start, the next
    # build's own with it: no WeasyPrint folder is left.
    assert list(scratch.rglob("weasyprint-*")) == []
    assert list(scratch.iterdir()) == []


def test_a_build_leaves_no_weasyprint_folder(tmp_path: Path) -> None:
    articles, out, scratch = _articles(tmp_path / "articles", 2), tmp_path / "out", tmp_path / "tmp"
    scratch.mkdir()
    build = _build(articles, out, scratch)
    assert build.wait(300) == 0
    assert len(list(out.glob("del-*.pdf"))) == 2
    assert list(scratch.rglob("weasyprint-*")) == []
    assert list(scratch.iterdir()) == []
