"""`make-leaflet printers`: the CUPS queues with their state in the system's language, and a
test page, against a private CUPS scheduler with cups-pdf queues."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..cups_server import CupsServer, cups_pdf_folder, start_server, wait_for_pdf


@pytest.fixture(scope="module")
def cups() -> Iterator[CupsServer]:
    """Three queues: one ready (the default), one stopped for lack of paper, one refusing jobs."""
    server = start_server()
    try:
        for name in ("reception", "venterum", "kontor"):
            server.add_pdf_printer(name)
        server.run("cupsdisable", "-r", "Papir mangler", "venterum", check=True)
        server.run("cupsreject", "-r", "Lukket for service", "kontor", check=True)
        server.run("lpadmin", "-d", "reception", check=True)
        yield server
    finally:
        server.stop()


@pytest.fixture
def on_cups(cups: CupsServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CupsServer:
    monkeypatch.setenv("CUPS_SERVER", str(cups.socket))
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("LPDEST", "PRINTER", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    return cups


def test_queues_are_listed_in_danish_with_the_default_first(cli, on_cups, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "da_DK.UTF-8")
    run = cli("printers")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[0].split() == ["reception", "klar", "(standard)"]
    assert "venterum" in lines[2] and "papir mangler" in lines[2]
    assert "kontor" in lines[1] and "tager ikke imod job" in lines[1]
    assert "Lukket for service" in lines[1]


def test_queues_are_listed_in_english_elsewhere(cli, on_cups, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    run = cli("printers")
    assert run.out.splitlines()[0].split() == ["reception", "ready", "(default)"]
    assert "out of paper" in run.out


def test_a_test_page_reaches_the_printer(cli, on_cups, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "da_DK.UTF-8")
    folder = cups_pdf_folder(getpass.getuser())
    before = set(folder.glob("*.pdf")) if folder.is_dir() else set()
    run = cli("printers", "--test", "reception")
    assert run.code == 0, run.err
    assert run.out.strip() == "Testsiden er sendt til reception."
    printed = wait_for_pdf(folder, "Testside")
    try:
        assert printed not in before
        import pikepdf

        # cups-pdf prints through Ghostscript, whose text does not read back: count the pages.
        with pikepdf.open(printed) as pdf:
            assert len(pdf.pages) == 1
    finally:
        printed.unlink(missing_ok=True)


def test_a_test_page_on_a_stopped_queue_says_why(cli, on_cups) -> None:
    run = cli("printers", "--test", "venterum")
    assert run.code == 1
    assert run.errors == ["error: cannot print: printer 'venterum' is stopped (Papir mangler)"]
