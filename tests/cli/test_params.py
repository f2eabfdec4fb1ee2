"""The options print and email share: `--lang` picks a translation, and a translation of an
earlier text is handed out with a warning (a real CUPS scheduler with cups-pdf for print)."""

from __future__ import annotations

import getpass
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaflets.article.translations import mark_translation

from ..conftest import Run, copy_example
from ..cups_server import CupsServer, cups_pdf_folder, start_server, wait_for_pdf
from ..paths import TESTS

PRINTER = "leaflets-pdf"
ENGLISH = TESTS / "fixtures" / "translations" / "baekkensmerter.en.md"
STALE = re.compile(
    r"^warning: \S+baekkensmerter\.en\.md: translated from an earlier version of "
    r"\S+baekkensmerter\.md, which has changed since",
    re.MULTILINE,
)


@pytest.fixture(scope="module")
def cups() -> Iterator[CupsServer]:
    server = start_server()
    try:
        server.add_pdf_printer(PRINTER)
        yield server
    finally:
        server.stop()


@pytest.fixture
def on_cups(cups: CupsServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CupsServer:
    monkeypatch.setenv("CUPS_SERVER", str(cups.socket))
    monkeypatch.setenv("HOME", str(tmp_path))  # no personal lpoptions
    return cups


def translated(folder: Path, token: str = "") -> Path:
    """The example and its English translation, marked as following it; the example's path."""
    folder.mkdir()
    source = copy_example(folder)
    english = folder / ENGLISH.name
    text = ENGLISH.read_text(encoding="utf-8")
    english.write_text(text.replace("title: Pelvic pain", f"title: Pelvic pain {token}", 1))
    mark_translation(english)
    return source


def edit(source: Path) -> None:
    """A change to the Danish text after the translation was made."""
    with source.open("a", encoding="utf-8") as text:
        text.write("\nEt nyt afsnit om bækkenbunden.\n")


def email_in_english(cli, source: Path, eml: Path) -> Run:  # type: ignore[no-untyped-def]
    return cli("email", source, "--lang", "en", "--to", "patient@example.org", "--eml", eml)


def test_email_warns_once_the_danish_text_has_changed_since_the_translation(
    cli, tmp_path: Path
) -> None:
    source = translated(tmp_path / "content")
    eml = tmp_path / "til-patient.eml"
    current = email_in_english(cli, source, eml)
    assert current.code == 0, current.err
    assert not STALE.search(current.err)

    edit(source)
    stale = email_in_english(cli, source, eml)
    assert stale.code == 0, stale.err
    assert STALE.search(stale.err), stale.err
    assert "Pelvic pain" in stale.out
    # Up to date now, so nothing is built again: the warning still comes, before the handout.
    again = email_in_english(cli, source, eml)
    assert again.code == 0 and STALE.search(again.err), again.err
    assert "translation-stale" not in again.err
    # The Danish leaflet itself is no translation: nothing to warn about.
    danish = cli("email", source, "--to", "patient@example.org", "--eml", eml)
    assert danish.code == 0 and not STALE.search(danish.err), danish.err

    mark_translation(source.with_name(ENGLISH.name))
    marked = email_in_english(cli, source, eml)
    assert marked.code == 0 and not STALE.search(marked.err), marked.err


def test_print_warns_of_a_stale_translation_and_still_prints_it(
    cli, on_cups: CupsServer, tmp_path: Path
) -> None:
    token = f"leafletsstale{uuid.uuid4().hex[:10]}"
    source = translated(tmp_path / "content", token)
    edit(source)
    run = cli("print", source, "--lang", "en", "--printer", PRINTER, "-o", tmp_path / "out")
    assert run.code == 0, run.err
    assert STALE.search(run.err), run.err
    job = re.search(r": job (\S+) \(", run.out)
    assert job, run.out
    on_cups.wait_for_job(job.group(1))
    wait_for_pdf(cups_pdf_folder(getpass.getuser()), token).unlink()
