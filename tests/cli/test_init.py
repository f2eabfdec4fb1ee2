"""`make-leaflet init`: a profile written from flags or answers, checked as the build checks it."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pdfplumber

from leaflets.config.defaults import PROJECT_ROOT

from ..conftest import EXAMPLE

FLAGS = [
    "--yes",
    "--name", "Fysio Nord",
    "--address", "Nørregade 3, 9000 Aalborg",
    "--phone", "+45 98 76 54 32",
    "--email", "kontakt@fysionord.dk",
    "--website", "https://fysionord.dk/",
    "--base-url", "https://fysionord.dk/artikler/",
    "--logo", str(PROJECT_ROOT / "content" / "assets" / "logo.svg"),
    "--printer", "reception",
]  # fmt: skip


def test_flags_give_a_profile_that_builds_the_example_as_the_new_clinic(cli, tmp_path) -> None:
    clinic = tmp_path / "clinic.toml"
    run = cli("init", "--clinic", clinic, *FLAGS)
    assert run.code == 0, run.err
    written = tomllib.loads(clinic.read_text(encoding="utf-8"))
    assert written["clinic"]["name"] == "Fysio Nord"
    assert written["print"]["printer"] == "reception"
    assert "password" not in clinic.read_text(encoding="utf-8").split("never kept here")[1]
    target = tmp_path / "leaflet.pdf"
    built = cli("build", EXAMPLE, "-o", target, "--clinic", clinic)
    assert built.code == 0, built.err
    assert built.warnings == []
    with pdfplumber.open(target) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        links = [link["uri"] for page in pdf.pages for link in page.hyperlinks]
    assert "Fysio Nord" in text and "+45 98 76 54 32" in text
    assert "Søndergade" not in text
    assert any(uri.startswith("https://fysionord.dk/artikler/") for uri in links) or (
        "fysionord.dk/artikler" in text
    )


def test_every_bad_value_is_named_and_nothing_is_written(cli, tmp_path) -> None:
    clinic = tmp_path / "clinic.toml"
    run = cli(
        "init", "--clinic", clinic, "--yes", "--name", "Fysio Nord",
        "--email", "ikke-en-adresse", "--website", "ftp://fysionord.dk", "--review-months", "99",
    )  # fmt: skip
    assert run.code == 1
    assert not clinic.exists()
    assert len(run.errors) == 3
    assert any("clinic.email" in line for line in run.errors)
    assert any("clinic.website" in line for line in run.errors)
    assert any("leaflets.review_months: must be from 1 to 36" in line for line in run.errors)


def test_a_mail_server_email_would_refuse_is_refused_and_nothing_is_written(cli, tmp_path) -> None:
    clinic = tmp_path / "clinic.toml"
    plain = ("--smtp-host", "smtp.example.dk", "--smtp-security", "none")
    run = cli("init", "--clinic", clinic, "--yes", "--name", "X", "--email", "a@b.dk", *plain)
    assert run.code == 1 and not clinic.exists()
    assert run.errors == [
        f'error: {clinic}: [smtp] security = "none" is allowed only for a server on this '
        'machine, not smtp.example.dk:587; use "starttls" or "ssl"'
    ]
    run = cli("init", "--clinic", clinic, "--yes", "--name", "X", "--smtp-host", "smtp.example.dk")
    assert run.code == 1 and not clinic.exists()
    assert "no sender address" in run.err


def test_the_written_profile_is_named_in_the_command_that_builds_with_it(cli, tmp_path) -> None:
    clinic = tmp_path / "elsewhere.toml"
    run = cli("init", "--clinic", clinic, "--yes", "--name", "X")
    assert run.code == 0
    assert run.out.strip().endswith(f".venv/bin/make-leaflet build --clinic {clinic}")


def test_an_existing_profile_is_kept_without_force(cli, tmp_path) -> None:
    clinic = tmp_path / "clinic.toml"
    clinic.write_text('[clinic]\nname = "Min klinik"\n', encoding="utf-8")
    run = cli("init", "--clinic", clinic, *FLAGS)
    assert run.code == 1
    assert "--force" in run.err
    assert "Min klinik" in clinic.read_text(encoding="utf-8")
    assert cli("init", "--clinic", clinic, *FLAGS, "--force").code == 0
    assert "Fysio Nord" in clinic.read_text(encoding="utf-8")


def test_questions_in_danish_and_a_wrong_answer_is_asked_again(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.toml"
    answers = [
        "Fysio Syd",  # name
        "", "+45 11 22 33 44",  # address (none), phone
        "forkert", "kontakt@fysiosyd.dk",  # email: wrong, then right
        "https://fysiosyd.dk/", "", "",  # website, opening hours, logo
        "da", "24", "", "60",  # language, review months, base address, highest LIX
        "n",  # no email sending
        "",  # no printer
    ]  # fmt: skip
    environment = {**os.environ, "LANG": "da_DK.UTF-8", "CUPS_SERVER": str(tmp_path / "none")}
    environment.pop("LC_ALL", None)
    done = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "make_leaflet.py"), "init", "--clinic", str(clinic)],
        input="\n".join(answers) + "\n",
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Klinikkens navn" in done.stdout
    assert "Det svar kan ikke bruges" in done.stderr
    written = tomllib.loads(clinic.read_text(encoding="utf-8"))
    assert written["clinic"] == {
        "name": "Fysio Syd",
        "phone": "+45 11 22 33 44",
        "email": "kontakt@fysiosyd.dk",
        "website": "https://fysiosyd.dk/",
    }
    assert "smtp" not in written
