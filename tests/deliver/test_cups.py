"""The print command against a real CUPS scheduler and the cups-pdf virtual printer."""

from __future__ import annotations

import getpass
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest

from .. import cups_server
from ..conftest import EXAMPLE, Run
from ..cups_server import CUPS_FILES_CONF, CupsServer, cups_pdf_folder, start_server, wait_for_pdf
from ..desk_browser import KNEE
from ..pdf.test_page_breaks import LONG_ARTICLE

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


def printed(
    cups: CupsServer, output: str, token: str, exclude: Path | None = None
) -> tuple[str, Path]:
    """The job id the command printed, and the PDF the virtual printer wrote for it."""
    found = _JOB.search(output)
    assert found, output
    job = found.group(1)
    cups.wait_for_job(job)
    pdf = wait_for_pdf(cups_pdf_folder(getpass.getuser()), token, exclude)
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


def test_an_article_that_no_longer_builds_prints_its_last_good_leaflet(
    cli, on_cups: CupsServer, titled: tuple[Path, str], tmp_path: Path, cleanup: list[Path]
) -> None:
    source, token = titled
    out = tmp_path / "out"
    assert cli("build", source, "-o", out).code == 0
    kept = out / f"{source.stem}.pdf"
    good = kept.read_bytes()
    text = source.read_text(encoding="utf-8")
    source.write_text(re.sub(r"(?m)^lastUpdated: .*$", "lastUpdated: 31/02/2025", text, count=1))
    build = cli("build", source, "-o", out)
    assert build.code == 1 and "31/02/2025" in build.err
    run = cli("print", source, "--printer", PRINTER, "-o", out)
    assert run.code == 0, run.err
    assert any(f"{kept} is from an older text" in line for line in run.warnings), run.err
    assert "31/02/2025" in run.err and "built" not in run.out
    _job, arrived = printed(on_cups, run.out, token)
    cleanup.append(arrived)
    assert kept.read_bytes() == good
    assert pages(arrived) == pages(kept)
    record = [line for line in run.out.splitlines() if line.startswith("Patientinformation")]
    assert record and hashlib.sha256(text.encode()).hexdigest()[:8] in record[0]


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


def completed_jobs(cups: CupsServer) -> list[str]:
    """The jobs the virtual printer has finished."""
    listing = cups.run("lpstat", "-W", "completed", "-o", PRINTER).stdout
    return [line.split()[0] for line in listing.splitlines() if line.strip()]


def test_several_leaflets_print_as_one_job_each_on_a_new_sheet(
    cli, on_cups: CupsServer, titled: tuple[Path, str], tmp_path: Path, cleanup: list[Path]
) -> None:
    source, token = titled
    (source.parent / "knaesmerter.md").write_text(KNEE, encoding="utf-8")
    shutil.copy(EXAMPLE, source.parent / "baekkensmerter.md")
    out, journal = tmp_path / "out", tmp_path / "journal.txt"
    before = completed_jobs(on_cups)
    run = cli(
        "print", "Back pain " + token, "knaesmerter", "baekkensmerter", "back-pain",
        "--content", source.parent, "--printer", PRINTER, "--copies", "2", "-o", out,
        "--journal-file", journal,
    )  # fmt: skip
    assert run.code == 0, run.err
    jobs = _JOB.findall(run.out)
    assert len(jobs) == 1  # three leaflets (one named twice), one job
    on_cups.wait_for_job(jobs[0])
    assert len(completed_jobs(on_cups)) == len(before) + 1
    arrived = wait_for_pdf(cups_pdf_folder(getpass.getuser()), token)
    cleanup.append(arrived)
    counts = [pages(out / f"{slug}.pdf") for slug in ("back-pain", "knaesmerter", "baekkensmerter")]
    # Each leaflet but the last rounded up to whole sheets: the next starts on a sheet of its own.
    sheets = [count + count % 2 for count in counts[:-1]] + counts[-1:]
    assert 1 in [count % 2 for count in counts]  # an odd one, so a blank page is at stake
    assert f"3 leaflets ({sum(sheets)} pages)" in run.out
    assert pages(arrived) == 2 * sum(sheets)  # both copies of the whole hand-out
    log = on_cups.job_log(jobs[0])
    assert "sides=two-sided-long-edge" in log and 'argv[4]="2"' in log
    records = journal.read_text("utf-8").splitlines()
    assert len(records) == 1 and records[0].startswith("Patientinformation udleveret")
    assert records[0].count("«") == 3 and records[0].endswith("udskrevet 2 stk.")
    assert f"tekst {digest(source)[:8]}" in records[0]


def test_booklets_together_print_as_one_job_turned_on_the_short_edge(
    cli, on_cups: CupsServer, titled: tuple[Path, str], tmp_path: Path
) -> None:
    source, _token = titled
    (source.parent / "knaesmerter.md").write_text(KNEE, encoding="utf-8")
    run = cli(
        "print", "back-pain", "knaesmerter", "--content", source.parent,
        "--printer", PRINTER, "--booklet", "-o", tmp_path / "out",
    )  # fmt: skip
    assert run.code == 0, run.err
    assert len(_JOB.findall(run.out)) == 1
    assert "2 leaflets" in run.out and "A4, duplex short edge" in run.out
    on_cups.wait_for_job(_JOB.findall(run.out)[0])


def test_a_personal_copy_prints_the_note_and_keeps_nothing(
    cli, on_cups: CupsServer, titled: tuple[Path, str], tmp_path: Path, cleanup: list[Path]
) -> None:
    source, token = titled
    started = time.time()
    note = f"Lav øvelserne morgen og aften {uuid.uuid4().hex}"
    patient = f"Anna {uuid.uuid4().hex[:8]}"
    out, journal = tmp_path / "out", tmp_path / "journal.txt"
    run = cli(
        "print", source, "--printer", PRINTER, "--note", note, "--patient", patient,
        "-o", out, "--journal-file", journal,
    )  # fmt: skip
    assert run.code == 0, run.err
    _job, arrived = printed(on_cups, run.out, token)
    cleanup.append(arrived)
    plain = cli("print", source, "--printer", PRINTER, "-o", out)
    assert plain.code == 0, plain.err
    _job, without = printed(on_cups, plain.out, token, exclude=arrived)
    cleanup.append(without)
    # The printer's copy is redrawn by Ghostscript, which keeps no text to read back, so page 1
    # is compared as pixels: the note box makes it differ from the plain leaflet's.
    assert first_page_pixels(arrived, tmp_path / "note") != first_page_pixels(
        without, tmp_path / "plain"
    )
    assert "Patientinformation udleveret" in journal.read_text("utf-8")
    for secret in (note, patient):
        assert secret not in run.out + run.err
        assert not files_holding(secret, [tmp_path, Path(tempfile.gettempdir())], started)


def first_page_pixels(pdf: Path, stem: Path) -> bytes:
    subprocess.run(
        ["pdftoppm", "-r", "40", "-gray", "-f", "1", "-l", "1", "-singlefile", pdf, stem],
        check=True,
        timeout=60,
    )
    return stem.with_suffix(".pgm").read_bytes()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pdf_text(path: Path) -> str:
    """The text of a PDF; '' for one still being written by some other program."""
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            return " ".join(page.extract_text() or "" for page in pdf.pages)
    except Exception:
        return ""


def files_holding(secret: str, roots: list[Path], since: float) -> list[Path]:
    """Files written since `since` under `roots` whose bytes or PDF text hold `secret`."""
    found = []
    for root in roots:
        # Other programs' temporary folders come and go while this looks: skip what vanished.
        for folder, _dirs, names in os.walk(root, onerror=lambda _error: None):
            for name in names:
                path = Path(folder) / name
                if _holds(path, secret, since):
                    found.append(path)
    return found


def _holds(path: Path, secret: str, since: float) -> bool:
    try:
        if not path.is_file() or path.stat().st_mtime < since - 1:
            return False
        data = path.read_bytes()
    except OSError:
        return False
    text = pdf_text(path) if data.startswith(b"%PDF") else data.decode("utf-8", "replace")
    return secret in " ".join(text.split())
