"""The audit trail: every login, log-out, print, send and user change is an entry, written
before the print or the message; each entry is sealed and chained to the one before, and
`make-leaflet desk-audit verify` names the first entry removed, changed or moved."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaflets.config.defaults import PROJECT_ROOT
from leaflets.desk.audit import AuditEntry, append_entry

from ..desk_browser import PASSWORD, USER
from .live import CONFIRM, CSRF, PRINTER, Client, Site, running_site

MAKE_LEAFLET = [sys.executable, str(PROJECT_ROOT / "make_leaflet.py")]
PATIENT = "hemmelig.patient@example.org"
NOTE = "Husk elastikken til øvelserne."
NAME = "Karen Blixen"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(tmp_path_factory.mktemp("audit"), printing=True) as running:
        yield running


def make_leaflet(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MAKE_LEAFLET, *args], input=stdin, text=True, capture_output=True, timeout=120
    )


def actions(site: Site) -> list[str]:
    return [json.loads(line)["action"] for line in site.desk.audit.read_text().splitlines()]


def logged_in(site: Site) -> tuple[Client, str]:
    client = site.client()
    assert client.log_in().status == 303
    found = CSRF.search(client.get("/leaflet/knaesmerter").text)
    assert found
    return client, found.group(1)


def print_form(csrf: str) -> dict[str, str]:
    return {"csrf": csrf, "copies": "1", "variant": "standard", "printer": PRINTER}


def jobs(site: Site) -> str:
    assert site.cups is not None
    return site.cups.run("lpstat", "-W", "all", "-o").stdout


def test_every_kind_of_event_is_an_entry_without_patients_data(site: Site) -> None:
    assert site.client().log_in(USER, "forkert-kode").status == 401
    client, csrf = logged_in(site)
    printed = client.post("/leaflet/knaesmerter/print", print_form(csrf))
    assert printed.status == 200, printed.text
    form = {"csrf": csrf, "step": "preview", "to": PATIENT, "name": NAME, "note": NOTE}
    confirm = CONFIRM.search(client.post("/leaflet/knaesmerter/send", form).text)
    assert confirm
    sent = client.post(
        "/leaflet/knaesmerter/send", {**form, "step": "confirm", "confirm": confirm.group(1)}
    )
    assert sent.status == 200 and len(site.inbox.received) == 1
    assert client.post("/logout", {"csrf": csrf}).status == 303
    clinic = ["--clinic", str(site.desk.clinic)]
    password = "ny-bruger-med-lang-kode\n"
    assert make_leaflet("desk-user", "add", "ny", *clinic, stdin=password).returncode == 0
    assert make_leaflet("desk-user", "passwd", "ny", *clinic, stdin="x" + password).returncode == 0
    assert make_leaflet("desk-user", "remove", "ny", *clinic).returncode == 0
    done = actions(site)
    for action in ("login-failed", "login", "print", "printed", "send", "sent", "logout"):
        assert action in done, action
    assert done[-3:] == ["user-add", "user-passwd", "user-remove"]
    assert done.index("print") < done.index("printed") < done.index("send") < done.index("sent")
    written = site.desk.audit.read_text()
    for secret in (PATIENT, "example.org", NOTE, NAME, PASSWORD):
        assert secret not in written
    verified = make_leaflet("desk-audit", "verify", *clinic)
    assert verified.returncode == 0, verified.stderr
    assert f"{len(done)} entries, each following the one before it" in verified.stdout


def test_nothing_is_printed_when_the_audit_log_cannot_be_written(site: Site) -> None:
    client, csrf = logged_in(site)
    before = jobs(site)
    audit = site.desk.audit
    kept = audit.with_name("kept.jsonl")
    audit.rename(kept)
    audit.mkdir()
    try:
        answer = client.post("/leaflet/knaesmerter/print", print_form(csrf))
        assert answer.status == 503
        assert "Der blev ikke udskrevet: loggen kunne ikke skrives" in answer.text
        assert jobs(site) == before
    finally:
        shutil.rmtree(audit)
        kept.rename(audit)


def test_the_log_page_says_when_the_chain_was_checked_and_where_it_broke(site: Site) -> None:
    client, _csrf = logged_in(site)
    page = client.get("/log").text
    assert "Loggen blev sidst kontrolleret" in page and "hænger sammen" in page
    lines = site.desk.audit.read_text().splitlines(keepends=True)
    site.desk.audit.write_text("".join(lines[:2] + lines[3:]))
    page = client.get("/log").text
    assert 'role="alert"' in page and "post 3 følger ikke posten før" in page


def chain(folder: Path, count: int = 6) -> Path:
    """A log of `count` entries beside a clinic.toml in `folder`."""
    path = folder / "desk-audit.jsonl"
    for number in range(count):
        append_entry(path, AuditEntry(f"t{number}", "anna", "print", "knae", copies=number + 1))
    return path


def verify(folder: Path) -> subprocess.CompletedProcess[str]:
    return make_leaflet("desk-audit", "verify", "--clinic", str(folder / "clinic.toml"))


def test_a_whole_chain_verifies(tmp_path: Path) -> None:
    chain(tmp_path)
    answer = verify(tmp_path)
    assert answer.returncode == 0 and "6 entries" in answer.stdout


def test_a_removed_line_is_named(tmp_path: Path) -> None:
    path = chain(tmp_path)
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:3] + lines[4:]))
    answer = verify(tmp_path)
    assert answer.returncode == 1 and "Traceback" not in answer.stderr
    assert answer.stderr.strip() == (
        f"error: {path}: entry 4 does not follow the entry before it: an entry was removed or moved"
    )


def test_an_edited_line_is_named(tmp_path: Path) -> None:
    path = chain(tmp_path)
    lines = path.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace('"copies": 2', '"copies": 20')
    path.write_text("".join(lines))
    answer = verify(tmp_path)
    assert answer.returncode == 1
    assert answer.stderr.strip() == f"error: {path}: entry 2 was changed after it was written"


def test_a_reordered_pair_is_named(tmp_path: Path) -> None:
    path = chain(tmp_path)
    lines = path.read_text().splitlines(keepends=True)
    lines[2], lines[3] = lines[3], lines[2]
    path.write_text("".join(lines))
    answer = verify(tmp_path)
    assert answer.returncode == 1
    assert "entry 3 does not follow the entry before it" in answer.stderr
