"""A build leaves no process behind: every worker ends before it returns."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from leaflets.builder import catalogue
from leaflets.builder.outcome import Outcome

from ..conftest import EXAMPLE, Run


def running(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def children_of(pid: int) -> set[int]:
    """The processes whose parent is `pid`."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry.name))
    return found


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The process ids of the workers that built a build's leaflets."""
    pids: list[int] = []
    build_jobs = catalogue.build_jobs

    def spying(*args: Any) -> Iterator[Outcome]:
        for outcome in build_jobs(*args):
            pids.append(outcome.worker)
            yield outcome

    monkeypatch.setattr(catalogue, "build_jobs", spying)
    return pids


def test_a_folder_build_leaves_no_process_behind(
    cli: Callable[..., Run], tmp_path: Path, started: list[int]
) -> None:
    before = children_of(os.getpid())
    articles = tmp_path / "articles"
    articles.mkdir()
    for name in ("a.md", "b.md", "c.md"):
        shutil.copy(EXAMPLE, articles / name)
        text = (articles / name).read_text("utf-8")
        (articles / name).write_text(text.replace("---\n", f"---\nslug: {name[0]}\n", 1), "utf-8")
    result = cli("build", articles, "-o", tmp_path / "out", "-j", "2")
    assert result.code == 0, result.err
    assert started, "the build started no worker"
    assert not multiprocessing.active_children()
    assert children_of(os.getpid()) <= before
    assert [pid for pid in set(started) if running(pid)] == []


def test_a_single_leaflet_leaves_no_process_behind(cli: Callable[..., Run], tmp_path: Path) -> None:
    before = children_of(os.getpid())
    result = cli("build", EXAMPLE, "-o", tmp_path / "one.pdf")
    assert result.code == 0, result.err
    assert not multiprocessing.active_children()
    assert children_of(os.getpid()) <= before
