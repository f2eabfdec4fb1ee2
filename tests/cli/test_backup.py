"""`backup` then `restore`: the same profile, logo, desk users, audit log and articles."""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path

from leaflets.config.defaults import PROJECT_ROOT

from ..conftest import EXAMPLE


def clinic_folder(root: Path) -> Path:
    """A clinic's folder as a real one looks: profile, logo, articles, desk users and audit."""
    root.mkdir()
    shutil.copytree(PROJECT_ROOT / "content", root / "content")
    shutil.copy(PROJECT_ROOT / "clinic.toml", root / "clinic.toml")
    (root / "desk-users.toml").write_text('[users]\nanna = "$argon2id$v=19$x"\n', encoding="utf-8")
    (root / "desk-audit.jsonl").write_text('{"event": "login", "user": "anna"}\n', "utf-8")
    (root / "output").mkdir()
    (root / "output" / "baekkensmerter.pdf").write_bytes(b"%PDF-1.7 built, not backed up")
    return root


def test_restore_into_a_new_folder_gives_the_same_files(cli, tmp_path: Path) -> None:
    clinic = clinic_folder(tmp_path / "clinic")
    archive = tmp_path / "backup.tar.gz"
    run = cli(
        "backup", archive, "--clinic", clinic / "clinic.toml", "--content", clinic / "content"
    )
    assert run.code == 0, run.err
    assert archive.stat().st_mode & 0o077 == 0
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert "output/baekkensmerter.pdf" not in names
    assert {"clinic.toml", "desk-users.toml", "desk-audit.jsonl"} <= names
    assert f"content/{EXAMPLE.name}" in names and "content/assets/logo.svg" in names
    fresh = tmp_path / "fresh"
    assert cli("restore", archive, "--into", fresh).code == 0
    for name in ("desk-users.toml", "desk-audit.jsonl", "clinic.toml", f"content/{EXAMPLE.name}"):
        assert (fresh / name).read_bytes() == (clinic / name).read_bytes(), name
    built = cli("build", fresh / "content" / EXAMPLE.name, "-o", fresh / "x.pdf",
                "--clinic", fresh / "clinic.toml")  # fmt: skip
    assert built.code == 0, built.err


def test_a_backup_to_a_drive_not_there_says_so_in_one_line(cli, tmp_path: Path) -> None:
    clinic = clinic_folder(tmp_path / "clinic")
    archive = tmp_path / "usb" / "backup.tar.gz"  # a stick that is not mounted
    run = cli(
        "backup", archive, "--clinic", clinic / "clinic.toml", "--content", clinic / "content"
    )
    assert run.code == 1
    assert run.errors == [
        f"error: {archive}: cannot write the backup: there is no folder {archive.parent}"
    ]
    assert not archive.parent.exists()


def test_restore_never_overwrites_without_force(cli, tmp_path: Path) -> None:
    clinic = clinic_folder(tmp_path / "clinic")
    archive = tmp_path / "backup.tar.gz"
    cli("backup", archive, "--clinic", clinic / "clinic.toml", "--content", clinic / "content")
    (clinic / "desk-audit.jsonl").write_text("newer\n", encoding="utf-8")
    run = cli("restore", archive, "--into", clinic)
    assert run.code == 1
    assert "--force" in run.err
    assert (clinic / "desk-audit.jsonl").read_text(encoding="utf-8") == "newer\n"
    assert cli("restore", archive, "--into", clinic, "--force").code == 0
    assert "login" in (clinic / "desk-audit.jsonl").read_text(encoding="utf-8")


def test_a_hostile_archive_writes_nothing_outside(cli, tmp_path: Path) -> None:
    import io
    import json

    archive = tmp_path / "evil.tar.gz"
    payload = b"owned"
    with tarfile.open(archive, "w:gz") as tar:
        listing = json.dumps({"format": 1, "files": [
            {"name": "../escaped.txt", "size": 5, "sha256": "0" * 64}]}).encode()  # fmt: skip
        for name, data in (("backup.json", listing), ("../escaped.txt", payload)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    run = cli("restore", archive, "--into", tmp_path / "into")
    assert run.code == 1
    assert not (tmp_path / "escaped.txt").exists()
    assert "Traceback" not in run.err
