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

from ..conftest import EXAMPLE, PROJECT_ROOT

WAIT_SECONDS = 120


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Poll `condition` until it holds, failing after a bounded wait."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.2)


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


def test_a_single_file_replaced_by_an_editor_is_still_watched(tmp_path: Path) -> None:
    """vim and `sed -i` save by writing a new file and renaming it over the old one."""
    source = Path(shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name))
    out = tmp_path / "out"
    preview = out / "baekkensmerter.html"
    log_path = tmp_path / "watch.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, PROJECT_ROOT / "make_leaflet.py", "watch", source, "-o", out, "-j1"],
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
