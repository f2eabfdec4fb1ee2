"""The print command against a real CUPS scheduler and the cups-pdf virtual printer."""

from __future__ import annotations

import getpass
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest

from . import cups_server
from .conftest import Run
from .cups_server import CUPS_FILES_CONF, CupsServer, cups_pdf_folder, start_server, wait_for_pdf
from .test_page_breaks import LONG_ARTICLE

PRINTER = "leaflets-pdf"
STOPPED = "leaflets-stopped"
_JOB = re.compile(r": job (\S+) \(")


@pytest.fixture(scope="module")
def cups() -> Iterator[CupsServer]:
    """A private CUPS scheduler with a working cups-pdf queue and a stopped one."""
    server = start_server()
    try:
        server.add_pdf_printer(PRINTER)
        server.add_pdf_printer(STOPPED)
        server.run("cupsdisable", STOPPED, check=True)
        yield server
    finally:
        server.stop()


@pytest.fixture
def on_cups(cups: CupsServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CupsServer:
    """Point this test's CUPS clients at the private scheduler, with no default printer."""
    monkeypatch.setenv("CUPS_SERVER", str(cups.socket))
    monkeypatch.setenv("HOME", str(tmp_path))  # no personal lpoptions
    monkeypatch.delenv("LPDEST", raising=False)
    monkeypatch.delenv("PRINTER", raising=False)
    return cups


@pytest.fixture
def titled(tmp_path: Path) -> tuple[Path, str]:
    """The long article under a unique title, so that its cups-pdf file can be found."""
    token = f"leafletsprint{uuid.uuid4().hex[:10]}"
    text = LONG_ARTICLE.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^title: .*$", f"title: Back pain {token}", text, count=1)
    source = tmp_path / "back-pain.md"
    source.write_text(text, encoding="utf-8")
    return source, token


def pages(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def printed(cups: CupsServer, output: str, token: str) -> tuple[str, Path]:
    """The job id the command printed, and the PDF the virtual printer wrote for it."""
    found = _JOB.search(output)
    assert found, output
    job = found.group(1)
    cups.wait_for_job(job)
    pdf = wait_for_pdf(cups_pdf_folder(getpass.getuser()), token)
    return job, pdf


@pytest.fixture
def cleanup() -> Iterator[list[Path]]:
    """Files the virtual printer wrote outside tmp_path, removed after the test."""
    paths: list[Path] = []
    yield paths
    for path in paths:
        path.unlink(missing_ok=True)


def test_a_leaflet_prints_through_cups_with_every_page(
    cli, on_cups: CupsServer, titled: tuple[Path, str], tmp_path: Path, cleanup: list[Path]
) -> None:
    source, token = titled
    kept = tmp_path / "leaflet.pdf"
    run = cli("print", source, "--printer", PRINTER, "-o", kept)
    assert run.code == 0, run.err
    assert f"on {PRINTER}: job {PRINTER}-" in run.out
    assert "1 copy, A4, duplex long edge" in run.out
    job, arrived = printed(on_cups, run.out, token)
    cleanup.append(arrived)
    assert pages(kept) >= 6
    assert pages(arrived) == pages(kept)
    log = on_cups.job_log(job)
    assert "sides=two-sided-long-edge" in log
    assert "media=A4" in log


def test_a_booklet_prints_short_edge_on_a4_sheets(
    cli, on_cups: CupsServer, titled: tuple[Path, str], tmp_path: Path, cleanup: list[Path]
) -> None:
    source, token = titled
    kept = tmp_path / "booklet.pdf"
    run = cli("print", source, "--printer", PRINTER, "--booklet", "--copies", "2", "-o", kept)
    assert run.code == 0, run.err
    assert "2 copies, A4, duplex short edge" in run.out
    job, arrived = printed(on_cups, run.out, token)
    cleanup.append(arrived)
    with pikepdf.open(kept) as pdf:
        assert {tuple(round(float(v)) for v in page.mediabox[2:]) for page in pdf.pages} == {
            (842, 595)
        }
    assert pages(arrived) == 2 * pages(kept)  # both copies of every sheet side
    log = on_cups.job_log(job)
    assert "sides=two-sided-short-edge" in log
    assert 'argv[4]="2"' in log  # the copies


def test_the_default_printer_is_used_without_printer(
    cli,
    on_cups: CupsServer,
    titled: tuple[Path, str],
    tmp_path: Path,
    cleanup: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LPDEST", PRINTER)
    source, token = titled
    run = cli("print", source, "-o", tmp_path)  # a folder: the PDF is named after the article
    assert run.code == 0, run.err
    assert (tmp_path / f"{source.stem}.pdf").is_file()
    _job, arrived = printed(on_cups, run.out, token)
    cleanup.append(arrived)


def test_an_up_to_date_pdf_is_reused(
    cli, on_cups: CupsServer, titled: tuple[Path, str], tmp_path: Path, cleanup: list[Path]
) -> None:
    source, token = titled
    kept = tmp_path / "leaflet.pdf"
    first = cli("print", source, "--printer", PRINTER, "-o", kept, "--large-print")
    assert first.code == 0 and "built" in first.out
    built = kept.stat().st_mtime_ns
    again = cli("print", source, "--printer", PRINTER, "-o", kept, "--large-print")
    assert again.code == 0 and "up to date" in again.out
    assert kept.stat().st_mtime_ns == built
    other = cli("print", source, "--printer", PRINTER, "-o", kept)  # not large print: rebuild
    assert other.code == 0 and "built" in other.out
    for run in (first, again, other):
        found = _JOB.search(run.out)
        assert found
        on_cups.wait_for_job(found.group(1))
    folder = cups_pdf_folder(getpass.getuser())
    cleanup.extend(folder.glob(f"*{token}*.pdf"))


def expect_clean_error(run: Run, fragment: str, kept: Path) -> None:
    assert run.code == 1
    assert len(run.errors) == 1 and fragment in run.errors[0], run.err
    assert "Traceback" not in run.err
    assert not kept.exists()  # nothing was built for a print that cannot happen


def test_an_unknown_queue_is_a_clean_error(cli, on_cups: CupsServer, tmp_path: Path) -> None:
    kept = tmp_path / "x.pdf"
    run = cli("print", LONG_ARTICLE, "--printer", "no-such-queue", "-o", kept)
    expect_clean_error(run, "there is no printer queue named 'no-such-queue'", kept)
    assert PRINTER in run.errors[0]  # the queues that do exist are named


def test_a_stopped_printer_is_a_clean_error(cli, on_cups: CupsServer, tmp_path: Path) -> None:
    kept = tmp_path / "x.pdf"
    run = cli("print", LONG_ARTICLE, "--printer", STOPPED, "-o", kept)
    expect_clean_error(run, f"printer '{STOPPED}' is stopped", kept)


def test_no_default_printer_is_a_clean_error(cli, on_cups: CupsServer, tmp_path: Path) -> None:
    kept = tmp_path / "x.pdf"
    run = cli("print", LONG_ARTICLE, "-o", kept)
    expect_clean_error(run, "no --printer given and CUPS has no default destination", kept)


def test_a_scheduler_that_is_not_running_is_a_clean_error(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "nobody-listens.sock"))
    kept = tmp_path / "x.pdf"
    run = cli("print", LONG_ARTICLE, "--printer", PRINTER, "-o", kept)
    expect_clean_error(run, "the CUPS scheduler is not running", kept)


def test_missing_cups_is_a_clean_error(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    kept = tmp_path / "x.pdf"
    run = cli("print", LONG_ARTICLE, "--printer", PRINTER, "-o", kept)
    expect_clean_error(run, "CUPS is not installed", kept)


def test_a_refused_scheduler_line_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When cupsd refuses its configuration, the failure quotes the line it refused."""
    monkeypatch.setattr(cups_server, "CUPS_FILES_CONF", CUPS_FILES_CONF + "Printcap\n")
    server = CupsServer(tmp_path / "cups")
    try:
        with pytest.raises(RuntimeError) as refused:
            server.start()
    finally:
        server.stop()
    number = len(CUPS_FILES_CONF.splitlines()) + 1
    assert f"cupsd refused line {number} of cups-files.conf: 'Printcap'" in str(refused.value)
