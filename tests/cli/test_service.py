"""`make-leaflet desk-service`: a unit file that systemd itself accepts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from leaflets.config.defaults import OUTPUT_DIR, PROJECT_ROOT


def verify(unit: Path) -> str:
    """What `systemd-analyze verify` says of the unit; empty when it has nothing to object."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed (make test installs systemd)")
    done = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    return (done.stdout + done.stderr).strip() + ("" if done.returncode == 0 else " (failed)")


def test_systemd_accepts_the_unit(cli, tmp_path: Path) -> None:
    unit = tmp_path / "leaflets-desk.service"
    run = cli("desk-service", "--user", "leaflets", "-o", unit)
    assert run.code == 0, run.err
    assert verify(unit) == ""


def test_the_unit_runs_the_desk_unprivileged_and_hardened(cli, tmp_path: Path) -> None:
    unit = tmp_path / "leaflets-desk.service"
    cli("desk-service", "--user", "leaflets", "--port", "8080", "-o", unit)
    text = unit.read_text(encoding="utf-8")
    for line in (
        "User=leaflets",
        "Restart=on-failure",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "PrivateTmp=yes",
        "WantedBy=multi-user.target",
        f"ReadWritePaths={OUTPUT_DIR.resolve()} {PROJECT_ROOT}",
    ):
        assert line in text.splitlines(), line
    exec_start = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    assert "make-leaflet desk --host 127.0.0.1 --port 8080" in exec_start


def test_a_broken_unit_would_be_noticed(tmp_path: Path) -> None:
    unit = tmp_path / "broken.service"
    unit.write_text("[Service]\nExecStart=/bin/true\nProtectSystem=bogus\n", encoding="utf-8")
    assert "protect system" in verify(unit)


def test_a_user_name_with_odd_characters_is_refused(cli) -> None:
    run = cli("desk-service", "--user", "leaflets\nExecStartPre=/bin/sh")
    assert run.code == 1
    assert "is not a plain user name" in run.err
