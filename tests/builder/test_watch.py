"""Watch mode: a save rebuilds the leaflet and its HTML preview."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from leaflets.builder.watch import changed_files, is_relevant

from ..conftest import EXAMPLE, PROJECT_ROOT, Run

WAIT_SECONDS = 120
SAVES = 10


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Poll `condition` until it holds, failing after a bounded wait."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.2)


def descendants(pid: int) -> set[int]:
    """Every live process below `pid`: children, their children, and so on."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    wanted = {pid}
    while wanted:
        wanted = {child for child, parent in parents.items() if parent in wanted} - found
        found |= wanted
    return found


def running(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def cpu_ticks(pid: int) -> int:
    """The CPU time `pid` has used so far, in clock ticks (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime and stime


def test_only_sources_outside_the_output_folder_count(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert is_relevant(tmp_path / "a.md", out)
    assert is_relevant(tmp_path / "figur.png", out)
    assert is_relevant(PROJECT_ROOT / "styles" / "leaflet.css", out)
    assert not is_relevant(out / "a.pdf", out)
    assert not is_relevant(out / "a.md", out)
    assert not is_relevant(tmp_path / ".a.md.swp", out)
    assert not is_relevant(tmp_path / "a.pdf", out)
    changes = [(1, str(tmp_path / "b.md")), (2, str(out / "b.pdf")), (1, str(tmp_path / "a.md"))]
    assert changed_files(changes, out) == [tmp_path / "a.md", tmp_path / "b.md"]


def test_saving_an_article_rebuilds_its_pdf_and_preview(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    source = Path(shutil.copy(EXAMPLE, articles / EXAMPLE.name))
    out = tmp_path / "out"
    pdf, preview = out / "baekkensmerter.pdf", out / "baekkensmerter.html"
    log = (tmp_path / "watch.log").open("w")
    process = subprocess.Popen(
        [sys.executable, PROJECT_ROOT / "make_leaflet.py", "watch", articles, "-o", out, "-j1"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: "watching" in (tmp_path / "watch.log").read_text(), "the first build")
        assert pdf.is_file() and preview.is_file()
        first = pdf.stat().st_mtime_ns
        source.write_text(source.read_text("utf-8") + "\nEn ny sætning om søvn.\n", "utf-8")
        wait_for(lambda: "En ny sætning om søvn." in preview.read_text("utf-8"), "the preview")
        wait_for(lambda: pdf.stat().st_mtime_ns != first, "the rebuilt PDF")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        log.close()
    text = (tmp_path / "watch.log").read_text()
    assert "changed: baekkensmerter.md" in text
    assert "stopped watching" in text
    assert "Traceback" not in text


def test_watch_is_listed_in_help(cli) -> None:
    result = cli("watch", "--help")
    assert result.code == 0
    assert "Rebuild leaflets whenever" in result.out


def test_a_single_file_replaced_by_an_editor_is_still_watched(
    tmp_path: Path, web_example: Path, plain_clinic: Path
) -> None:
    """vim and `sed -i` save by writing a new file and renaming it over the old one."""
    source = web_example  # with a warning on each check: LIX above the tool's own limit
    out = tmp_path / "out"
    preview = out / "baekkensmerter.html"
    log_path = tmp_path / "watch.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                PROJECT_ROOT / "make_leaflet.py",
                "watch",
                source,
                "-o",
                out,
                "-j1",
                "--clinic",
                plain_clinic,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(lambda: "watching" in log_path.read_text(), "the first build")
            for word in ("første", "anden"):
                replacement = tmp_path / f".{source.name}.swp"
                replacement.write_text(
                    source.read_text("utf-8") + f"\nDen {word} ændring.\n", "utf-8"
                )
                replacement.replace(source)
                wait_for(lambda w=word: f"Den {w} ændring." in preview.read_text("utf-8"), word)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
    text = log_path.read_text()
    # Only the saved article is checked again, once per save: not every article each time.
    assert text.count("[lix]") == 3, text
    assert "Traceback" not in text


def test_each_save_is_rebuilt_once_in_a_worker_kept_warm(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    articles, out = tmp_path / "articles", tmp_path / "out"
    articles.mkdir()
    source = Path(shutil.copy(EXAMPLE, articles / EXAMPLE.name))
    built_line = f"built {out / 'baekkensmerter.pdf'}"
    # Built already, preview and all: the watch must find it up to date.
    assert cli("build", articles, "-o", out, "--html").code == 0
    log_path = tmp_path / "watch.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, PROJECT_ROOT / "make_leaflet.py", "watch", articles, "-o", out, "-j1"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(lambda: "watching" in log_path.read_text(), "the watch to begin")
            assert "up to date: 1 of 1 leaflets" in log_path.read_text()
            assert built_line not in log_path.read_text()
            workers = descendants(process.pid)
            assert workers, "the watch started no worker"
            ticks = {pid: cpu_ticks(pid) for pid in workers}
            for save in range(1, SAVES + 1):
                text = source.read_text("utf-8") + f"\nÆndring nummer {save}.\n"
                source.write_text(text, "utf-8")
                wait_for(lambda n=save: log_path.read_text().count(built_line) >= n, f"save {save}")
            # Every rebuild ran in a worker that was there before the first save.
            assert descendants(process.pid) == workers
            assert any(cpu_ticks(pid) > ticks[pid] for pid in workers)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
    text = log_path.read_text()
    assert text.count(built_line) == SAVES, text
    assert text.count("changed: baekkensmerter.md") == SAVES, text
    assert "Traceback" not in text
    # The workers and the fork server go with the watch.
    wait_for(lambda: not any(running(pid) for pid in workers), "the workers to end")
