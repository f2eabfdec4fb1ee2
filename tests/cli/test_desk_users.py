"""`desk-user list`: who may log in, when each was added and last logged in, from the audit log."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from leaflets.config.defaults import PROJECT_ROOT
from leaflets.desk.audit import AuditEntry, append_entry, audit_file_beside

PASSWORD = "Lampe-Hest-Kage-88"


def add(clinic: Path, name: str) -> None:
    subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "make_leaflet.py"), "desk-user", "add", name,
         "--clinic", str(clinic)],
        input=PASSWORD + "\n", text=True, check=True, capture_output=True, timeout=60,
    )  # fmt: skip


def test_users_are_listed_with_their_addition_and_last_login(cli, tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.toml"
    clinic.touch()
    add(clinic, "bent")
    add(clinic, "anna")
    users = tmp_path / "desk-users.toml"
    append_entry(audit_file_beside(users), AuditEntry("2026-12-07T09:14:03Z", "anna", "login"))
    run = cli("desk-user", "list", "--clinic", clinic)
    assert run.code == 0, run.err
    anna, bent = run.out.splitlines()
    assert anna.split()[0] == "anna" and "last login 2026-12-07 09:14" in anna
    assert bent.split()[0] == "bent" and bent.endswith("last login never")
    assert "added 20" in anna and "added 20" in bent


def test_no_users_says_how_to_add_one(cli, tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.toml"
    clinic.touch()
    run = cli("desk-user", "list", "--clinic", clinic)
    assert run.code == 0
    assert "desk-user add NAME" in run.out
