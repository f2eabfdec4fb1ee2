"""`make-leaflet validate`: any PDF checked against PDF/UA-1 (and PDF/A-3b), in plain words."""

from __future__ import annotations

from pathlib import Path

import weasyprint

from ..conftest import EXAMPLE


def test_our_leaflet_passes(cli, example_pdf: Path) -> None:
    run = cli("validate", example_pdf)
    assert run.code == 0
    assert "PDF/UA-1: passes" in run.out


def test_an_untagged_pdf_fails_in_plain_words(cli, tmp_path: Path) -> None:
    received = tmp_path / "received.pdf"
    weasyprint.HTML(string="<p>Fra et andet sted</p>").write_pdf(received)
    run = cli("validate", received)
    assert run.code == 1
    assert (
        "error: " + str(received) + ": not PDF/UA-1: it is not tagged: a screen reader finds no "
        "headings, lists or order [PDFUA1-TAGGED-DOCUMENT-001]"
    ) in run.err.splitlines()
    assert "Traceback" not in run.err


def test_an_archive_copy_is_checked_as_pdf_a_too(cli, tmp_path: Path) -> None:
    archive = tmp_path / "archive.pdf"
    assert cli("build", EXAMPLE, "-o", archive, "--pdfa").code == 0
    run = cli("validate", archive)
    assert run.code == 0
    assert "PDF/A-3b: passes" in run.out


def test_a_file_that_is_no_pdf_is_one_line(cli, tmp_path: Path) -> None:
    text = tmp_path / "notes.pdf"
    text.write_text("not a PDF", encoding="utf-8")
    run = cli("validate", text)
    assert run.code == 1
    assert run.err.startswith(f"error: {text}: cannot be read as a PDF")
    assert len(run.err.strip().splitlines()) == 1
