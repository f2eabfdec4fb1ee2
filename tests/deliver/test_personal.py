"""A note and the patient's name in the email, the line for the patient record, and privacy."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from leaflets.builder.info import LeafletInfo
from leaflets.config.defaults import OUTPUT_DIR
from leaflets.deliver.record import EMAILED, PREPARED, record_line

from ..conftest import EXAMPLE
from ..smtp_servers import PATIENTS, Sink, local_smtp, parsed, running, write_clinic

NOTE = "Lav øvelserne morgen og aften,\nog ring hvis smerterne bliver værre. <b>**vigtigt**</b>"
ARTICLE = """\
---
title: Bækkensmerter
id: 12
version: 3
datePublished: 2025-02-19
lang: da
---

Tekst.

## Afsnit

Mere tekst.
"""


def body(raw: bytes, kind: str = "plain") -> str:
    """The text or HTML body, with the wire's CRLF line endings read as plain newlines."""
    content = parsed(raw).get_body((kind,)).get_content()
    return str(content).replace("\r\n", "\n")


@pytest.fixture
def numbered(tmp_path: Path) -> tuple[Path, Path]:
    """An article with a reference and a version, and a clinic with an id prefix."""
    article = tmp_path / "baekkensmerter.md"
    article.write_text(ARTICLE, encoding="utf-8")
    clinic = write_clinic(tmp_path)
    with clinic.open("a", encoding="utf-8") as handle:
        handle.write('\n[leaflets]\nid_prefix = "FYS"\nreview_months = 24\n')
    return article, clinic


def test_the_note_and_name_are_in_both_bodies_as_plain_text(cli, tmp_path: Path) -> None:
    eml = tmp_path / "m.eml"
    args = ["--note", NOTE, "--patient", "Anna Jensen", "--eml", eml]
    result = cli("email", EXAMPLE, "--to", PATIENTS[0], *args, "--clinic", write_clinic(tmp_path))
    assert result.code == 0, result.err
    message = parsed(eml.read_bytes())
    text = body(eml.read_bytes())
    assert text.startswith("Hej Anna Jensen\n")
    assert "Til dig fra din fysioterapeut\nTil Anna Jensen\n\n  Lav øvelserne" in text
    assert "  og ring hvis smerterne bliver værre. <b>**vigtigt**</b>" in text
    html = body(eml.read_bytes(), "html")
    assert "Til dig fra din fysioterapeut" in html and "Til Anna Jensen" in html
    assert "Lav øvelserne morgen og aften,<br>" in html
    assert "&lt;b&gt;**vigtigt**&lt;/b&gt;" in html
    assert "<b>" not in html and "<strong>vigtigt" not in html
    assert "Anna" not in str(message["Subject"]) + str(message["To"])


def test_an_english_note_heading_without_a_name(cli, article, tmp_path: Path) -> None:
    source = article("---\ntitle: Runner's knee\nlang: en\n---\n\nIntro.\n\n## What\n\nText.\n")
    eml = tmp_path / "m.eml"
    args = ["--note", "Twice a day.", "--eml", eml, "--clinic", write_clinic(tmp_path)]
    result = cli("email", source, "--to", PATIENTS[0], *args)
    assert result.code == 0, result.err
    text = body(eml.read_bytes())
    assert "A note from your physiotherapist\n\n  Twice a day." in text


def test_without_a_note_the_body_has_no_note(cli, tmp_path: Path) -> None:
    eml = tmp_path / "m.eml"
    result = cli(
        "email", EXAMPLE, "--to", PATIENTS[0], "--eml", eml, "--clinic", write_clinic(tmp_path)
    )
    assert result.code == 0, result.err
    text = body(eml.read_bytes())
    assert text.startswith("Hej\n")
    assert "fysioterapeut" not in text


def test_a_note_file(cli, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Husk at gå en tur hver dag.\n", encoding="utf-8")
    eml = tmp_path / "m.eml"
    args = ["--note-file", note, "--eml", eml, "--clinic", write_clinic(tmp_path)]
    result = cli("email", EXAMPLE, "--to", PATIENTS[0], *args)
    assert result.code == 0, result.err
    assert "Husk at gå en tur hver dag." in body(eml.read_bytes())


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--note", "x" * 601], "error: --note is 601 characters; a note may have at most 600"),
        (["--note", "ok\x1b[31m"], "error: --note contains a control character"),
        (
            ["--note", "a", "--note-file", "n.txt"],
            "error: give either --note or --note-file, not both",
        ),
        (["--patient", "A" * 101], "error: --patient may have at most 100 characters"),
        (
            ["--patient", "Anna\nBcc: x"],
            "error: --patient must be one line without control characters",
        ),
    ],
)
def test_a_bad_note_or_name_is_one_line(cli, tmp_path: Path, args: list[str], error: str) -> None:
    (tmp_path / "n.txt").write_text("Note.\n", encoding="utf-8")
    args = [str(tmp_path / arg) if arg == "n.txt" else arg for arg in args]
    eml = tmp_path / "m.eml"
    result = cli(
        "email",
        EXAMPLE,
        "--to",
        PATIENTS[0],
        *args,
        "--eml",
        eml,
        "--clinic",
        write_clinic(tmp_path),
    )
    assert result.code == 1
    assert result.errors == [error]
    assert not eml.exists()


def test_a_long_note_file_is_refused(cli, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("ø" * 601, encoding="utf-8")
    eml = tmp_path / "m.eml"
    args = ["--note-file", note, "--eml", eml, "--clinic", write_clinic(tmp_path)]
    result = cli("email", EXAMPLE, "--to", PATIENTS[0], *args)
    assert result.errors == ["error: --note-file is 601 characters; a note may have at most 600"]


def test_the_record_line_for_email_from_the_label_files() -> None:
    info = LeafletInfo(
        title="Bæk\u202eken\nnæste linje",
        slug="baekkensmerter",
        language="da",
        reference="FYS-012",
        version="3",
        content_hash="3f2a9c1d" + "0" * 56,
        review=dt.date(2027, 2, 19),
    )
    day = dt.date(2026, 12, 1)
    assert record_line(info, EMAILED, 1, "da", day) == (
        "Patientinformation udleveret 01.12.2026: »Bækken næste linje« (FYS-012, version 3, "
        "næste revision 19.02.2027, tekst 3f2a9c1d), sendt på e-mail til 1 modtager."
    )
    # In an English record, a Danish leaflet says its language.
    assert record_line(info, EMAILED, 3, "en", day).endswith(
        "text 3f2a9c1d, Dansk), sent by email to 3 recipients."
    )
    assert record_line(info, PREPARED, 2, "da", day).endswith(
        "), lagt klar som e-mail til 2 modtagere."
    )


def test_email_prints_the_record_line_after_sending(cli, tmp_path: Path, numbered) -> None:
    source, clinic_path = numbered
    sink = Sink()
    with running(sink) as port:
        with clinic_path.open("a", encoding="utf-8") as handle:
            handle.write("\n[smtp]\n" + local_smtp(port))
        result = cli("email", source, "--to", PATIENTS[0], "--send", "--clinic", clinic_path)
    assert result.code == 0, result.err
    today = dt.date.today().strftime("%d.%m.%Y")
    line = result.out.splitlines()[-1]
    assert line.startswith(
        f"Patientinformation udleveret {today}: »Bækkensmerter« (FYS-012, version 3, "
    )
    assert "næste revision 19.02.2027, tekst " in line
    assert line.endswith("), sendt på e-mail til 1 modtager.")
    digits = line.split("tekst ")[1][:8]
    assert len(digits) == 8 and int(digits, 16) >= 0


def test_the_note_is_on_the_first_page_of_the_attached_pdf(cli, tmp_path: Path) -> None:
    import pdfplumber

    eml = tmp_path / "m.eml"
    args = ["--note", "Lav øvelserne morgen og aften.", "--patient", "Anna Jensen", "--eml", eml]
    result = cli("email", EXAMPLE, "--to", PATIENTS[0], *args, "--clinic", write_clinic(tmp_path))
    assert result.code == 0, result.err
    pdf = tmp_path / "vedhæftet.pdf"
    pdf.write_bytes(next(parsed(eml.read_bytes()).iter_attachments()).get_content())
    with pdfplumber.open(pdf) as document:
        first = document.pages[0].extract_text() or ""
    assert "Til dig fra din fysioterapeut" in first
    assert "Lav øvelserne morgen og aften." in first


def test_the_journal_file_collects_record_lines(cli, tmp_path: Path, numbered) -> None:
    source, clinic = numbered
    journal = tmp_path / "journal.txt"
    for _ in range(2):
        result = cli(
            "email",
            source,
            "--to",
            PATIENTS[0],
            "--eml",
            tmp_path / "m.eml",
            "--journal-file",
            journal,
            "--clinic",
            clinic,
        )
        assert result.code == 0, result.err
        assert "Patientinformation" not in result.out
    lines = journal.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert all(line.endswith("), lagt klar som e-mail til 1 modtager.") for line in lines)


def files_newer_than(folder: Path, start: float) -> list[Path]:
    """Every readable file under `folder` changed since `start`."""
    found = []
    for root, _dirs, names in os.walk(folder, onerror=lambda _error: None):
        for name in names:
            path = Path(root, name)
            try:
                if path.is_file() and path.stat().st_mtime >= start - 1:
                    found.append(path)
            except OSError:
                continue
    return found


def holds_any(path: Path, secrets: list[bytes]) -> bool:
    """Whether the file holds a secret, in its bytes or, for a PDF, in its compressed text."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if any(secret in data for secret in secrets):
        return True
    return data.startswith(b"%PDF") and any(secret in pdf_text(path) for secret in secrets)


def pdf_text(path: Path) -> bytes:
    from pypdf import PdfReader

    try:
        return "".join(page.extract_text() or "" for page in PdfReader(path).pages).encode()
    except Exception:  # a half-written PDF of another test: nothing to read
        return b""


def test_nothing_personal_is_kept(cli, tmp_path: Path, numbered) -> None:
    source, clinic_path = numbered
    token = uuid.uuid4().hex[:12]
    note, name, address = f"Note {token} om øvelser", f"Patient {token}", f"p{token}@example.org"
    secrets = [text.encode() for text in (token, note, name, address)]
    journal = tmp_path / "journal.txt"
    start = time.time()
    sink = Sink()
    with running(sink) as port:
        with clinic_path.open("a", encoding="utf-8") as handle:
            handle.write("\n[smtp]\n" + local_smtp(port))
        result = cli(
            "email",
            source,
            "--note",
            note,
            "--patient",
            name,
            "--to",
            address,
            "--send",
            "--journal-file",
            journal,
            "--clinic",
            clinic_path,
        )
    assert result.code == 0, result.err
    # It did reach the patient, so the search below looks for something that existed.
    assert token.encode() in sink.received[0].original_content
    assert not any(secret.decode() in result.out + result.err for secret in secrets)
    assert journal.read_text(encoding="utf-8").count("\n") == 1
    output = OUTPUT_DIR
    searched = [journal, *files_newer_than(Path(tempfile.gettempdir()), start)]
    searched += [path for path in output.rglob("*") if path.is_file()] if output.is_dir() else []
    assert (output / ".leaflets-manifest.json") in searched or not output.is_dir()
    leaks = [path for path in searched if holds_any(path, secrets)]
    assert leaks == []


def test_an_arabic_leaflet_gets_a_right_to_left_body(cli, article, tmp_path: Path) -> None:
    source = article("---\ntitle: ألم الحوض\nlang: ar\n---\n\nمقدمة.\n\n## قسم\n\nنص.\n")
    eml = tmp_path / "m.eml"
    args = ["--to", PATIENTS[0], "--eml", eml, "--clinic", write_clinic(tmp_path)]
    result = cli("email", source, *args)
    assert result.code == 0, result.err
    assert '<html lang="ar" dir="rtl">' in body(eml.read_bytes(), "html")


def test_a_missing_glyph_in_the_note_or_name_is_counted_never_named(cli, tmp_path: Path) -> None:
    note, name = "请每天早晚做练习", "अनीता शर्मा"
    eml = tmp_path / "m.eml"
    args = ["--note", note, "--patient", name, "--eml", eml, "--clinic", write_clinic(tmp_path)]
    result = cli("email", EXAMPLE, "--to", PATIENTS[0], *args)
    assert result.code == 0, result.err
    glyphs = [line for line in result.warnings if "bundled font" in line]
    missing = len({char for char in note + name if not char.isspace()})
    assert len(glyphs) == 1
    assert f"{missing} characters" in glyphs[0]
    assert not {char for char in note + name if not char.isspace()} & set(result.err)
    assert "U+" not in result.err
