"""The FHIR record of a hand-out: from a real print (CUPS) and a real send (aiosmtpd), validated
with fhir.resources, and in agreement with the record line."""

from __future__ import annotations

import base64
import getpass
import hashlib
import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# fhir.resources' top level is FHIR R5; R4B is the R4 family the Bundle is written in (its
# DocumentReference and Communication are R4's), and R5 drops masterIdentifier and format.
from fhir.resources.R4B.bundle import Bundle

from leaflets.builder.info import LeafletInfo
from leaflets.deliver.record import EMAILED, Handout
from leaflets.desk.handout_record import fhir_download

from ..coded import coded_content
from ..cups_server import CupsServer, cups_pdf_folder, start_server, wait_for_pdf
from ..smtp_servers import CLINIC, PATIENTS, Sink, local_smtp, parsed, running, write_clinic

PRINTER = "leaflets-fhir-pdf"
NOTE = "Lav øvelserne morgen og aften"
_JOB = re.compile(r": job (\S+) \(")


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
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("LPDEST", raising=False)
    monkeypatch.delenv("PRINTER", raising=False)
    return cups


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """The coded example with a reference and a version, and its English translation."""
    folder = coded_content(tmp_path)
    source = folder / "baekkensmerter.md"
    source.write_text(
        source.read_text("utf-8").replace("---\n", "---\nid: 12\nversion: 3\n", 1), "utf-8"
    )
    return folder


def clinic_file(folder: Path, smtp: str = "") -> Path:
    return write_clinic(folder, smtp, CLINIC + '\n[leaflets]\nid_prefix = "FYS"\n')


def validated(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    Bundle.model_validate(data)
    return data


def resources(bundle: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    document, communication = (entry["resource"] for entry in bundle["entry"])
    assert document["resourceType"] == "DocumentReference"
    assert communication["resourceType"] == "Communication"
    assert communication["payload"] == [
        {"contentReference": {"reference": bundle["entry"][0]["fullUrl"]}}
    ]
    return document, communication


def assert_agrees(line: str, document: dict[str, Any]) -> None:
    """The record line and the DocumentReference name the same text, edition and language."""
    identity = re.search(r"\(([^()]*)\)", line)
    assert identity, line
    parts = identity.group(1).split(", ")
    assert parts[0] == document["identifier"][0]["value"]
    version = [ext["valueString"] for ext in document.get("extension", [])]
    assert [p for p in parts if p.startswith("version ")] == [f"version {v}" for v in version]
    shown_hash = next(p for p in parts if p.startswith("tekst ")).removeprefix("tekst ")
    assert document["masterIdentifier"]["value"].startswith(shown_hash) and len(shown_hash) == 8
    attachment = document["content"][0]["attachment"]
    edition = document["content"][0]["format"]["code"]
    assert ("stor skrift" in parts) == (edition == "large-print")
    assert ("English" in parts) == (attachment["language"] == "en")


def test_a_print_writes_a_valid_bundle_that_agrees_with_the_record_line(
    cli, on_cups: CupsServer, content: Path, tmp_path: Path
) -> None:
    token = f"fhirprint{uuid.uuid4().hex[:10]}"
    translation = content / "baekkensmerter.en.md"
    translation.write_text(
        translation.read_text("utf-8").replace("title: Pelvic pain", f"title: Pelvic pain {token}"),
        "utf-8",
    )
    kept, record, target = (
        tmp_path / "kept.pdf",
        tmp_path / "journal.txt",
        tmp_path / "udlevering.json",
    )
    run = cli(
        "print", content / "baekkensmerter.md", "--lang", "en", "--large-print", "--printer",
        PRINTER, "-o", kept, "--clinic", clinic_file(tmp_path), "--journal-file", record,
        "--fhir", target, "--patient-ref", "Patient/123",
    )  # fmt: skip
    assert run.code == 0, run.err
    job = _JOB.search(run.out)
    assert job, run.out
    on_cups.wait_for_job(job.group(1))
    wait_for_pdf(cups_pdf_folder(getpass.getuser()), token).unlink()
    bundle = validated(target)
    assert target.stat().st_mode & 0o777 == 0o600
    document, communication = resources(bundle)
    line = record.read_text("utf-8").strip()
    assert_agrees(line, document)
    assert "English" in line and "stor skrift" in line and "FYS-012" in line
    attachment = document["content"][0]["attachment"]
    pdf = kept.read_bytes()
    assert attachment["size"] == len(pdf)
    assert attachment["hash"] == base64.b64encode(hashlib.sha1(pdf).digest()).decode()
    assert attachment["contentType"] == "application/pdf"
    assert document["extension"][0]["valueString"] == "3"
    assert {c["coding"][0]["code"] for c in document["category"]} == {"L03", "DM545"}
    assert communication["status"] == "completed"
    assert communication["category"][0]["coding"][0]["code"] == "material-assignment"
    assert communication["medium"][0]["coding"][0]["code"] == "WRITTEN"
    assert communication["subject"] == {"reference": "Patient/123"}
    assert "note" not in communication
    # The patient is in the record asked for, and nowhere else.
    for path in tmp_path.rglob("*"):
        if path.is_file() and path != target:
            assert b"Patient/123" not in path.read_bytes(), path


def test_a_send_writes_a_valid_bundle_with_no_note_text_and_no_patient(
    cli, content: Path, tmp_path: Path
) -> None:
    sink = Sink()
    target = tmp_path / "sendt.json"
    with running(sink) as port:
        run = cli(
            "email", content / "baekkensmerter.md", "--to", PATIENTS[0], "--send", "--note", NOTE,
            "--clinic", clinic_file(tmp_path, local_smtp(port)), "--fhir", target,
        )  # fmt: skip
    assert run.code == 0, run.err
    [message] = sink.received
    attached = next(parsed(message.content).iter_attachments()).get_content()
    bundle = validated(target)
    text = target.read_text("utf-8")
    assert NOTE not in text and PATIENTS[0] not in text
    document, communication = resources(bundle)
    line = next(line for line in run.out.splitlines() if line.startswith("Patientinformation"))
    assert_agrees(line, document)
    assert document["content"][0]["attachment"]["size"] == len(attached)
    assert communication["medium"][0]["coding"][0]["code"] == "EMAILWRIT"
    assert communication["note"] == [{"text": "med personlig besked"}]
    assert "subject" not in communication and "subject" not in document
    assert communication["sent"] == bundle["timestamp"]


def test_a_bad_patient_reference_stops_before_anything_is_sent(
    cli, content: Path, tmp_path: Path
) -> None:
    eml = tmp_path / "m.eml"
    run = cli(
        "email", content / "baekkensmerter.md", "--to", PATIENTS[0], "--eml", eml,
        "--clinic", clinic_file(tmp_path), "--fhir", tmp_path / "f.json",
        "--patient-ref", "Anna Jensen",
    )  # fmt: skip
    assert run.code == 1 and run.errors and "--patient-ref" in run.errors[0]
    assert not eml.exists() and not (tmp_path / "f.json").exists()
    alone = cli("email", content / "baekkensmerter.md", "--eml", eml, "--patient-ref", "Patient/1")
    assert alone.code != 0 and not eml.exists()


def test_the_desks_download_is_the_bundle_in_the_page_itself() -> None:
    info = LeafletInfo(
        "Bækkensmerter", "baekkensmerter", "da", "FYS-012", "3", "ab" * 32, codes=("icpc2:L03",)
    )
    handed = Handout(
        info, EMAILED, 1, size=1234, sha1="AAAAAAAAAAAAAAAAAAAAAAAAAAA=", personal=True
    )
    link = fhir_download([handed], "da")
    prefix = "data:application/fhir+json;base64,"
    assert link.startswith(prefix)
    data = json.loads(base64.b64decode(link.removeprefix(prefix)))
    Bundle.model_validate(data)
    document, communication = resources(data)
    assert_agrees(handed.record("da"), document)
    assert communication["note"] == [{"text": "med personlig besked"}]
