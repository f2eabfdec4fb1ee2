"""Messages an editor can act on, and small promises of the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pikepdf

from ..conftest import EXAMPLE, PROJECT_ROOT


def test_a_value_with_a_colon_gets_a_hint_about_quotes(cli, article) -> None:
    source = article("---\ntitle: Skulder: ondt\n---\n\nTekst.\n")
    run = cli("build", source, "-o", source.with_suffix(".pdf"))
    assert run.errors == [
        f"error: {source}: front matter is not valid YAML: mapping values are not allowed here "
        '(line 2); a value with a colon needs quotes: title: "Skulder: ondt"'
    ]


def test_an_impossible_date_names_its_key_and_line(cli, article) -> None:
    source = article("---\ntitle: Knæ\nlastUpdated: 2026-13-01\n---\n\nTekst.\n")
    run = cli("build", source, "-o", source.with_suffix(".pdf"))
    assert run.errors == [
        f"error: {source}: 'lastUpdated' (line 3): 2026-13-01 is not a possible date"
    ]


def test_a_file_name_with_spaces_names_its_pdf_with_dashes(cli, article, tmp_path: Path) -> None:
    source = article("---\ntitle: Ondt i ryggen\n---\n\nTekst.\n", "Ondt i ryggen.md")
    run = cli("build", source, "-o", tmp_path / "out")
    assert run.code == 0, run.err
    assert (tmp_path / "out" / "Ondt-i-ryggen.pdf").is_file()


def test_the_pdf_subject_leaves_out_the_call_to_action(example_pdf: Path) -> None:
    with pikepdf.open(example_pdf) as pdf:
        subject = str(pdf.docinfo["/Subject"])
    assert subject == "Bækkensmerter – Hvad er smerter i bækken?"


def test_check_into_a_pipe_that_closes_early_is_no_failure(tmp_path: Path) -> None:
    for number in range(20):
        (tmp_path / f"a{number}.md").write_bytes(EXAMPLE.read_bytes())
    command = f"{sys.executable} {PROJECT_ROOT / 'make_leaflet.py'} check --readability {tmp_path}"
    run = subprocess.run(
        ["bash", "-o", "pipefail", "-c", f"{command} | head -n 1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert len(run.stdout.splitlines()) == 1
    assert "Traceback" not in run.stderr and "Broken pipe" not in run.stderr


def test_every_command_shows_examples_in_its_help(cli) -> None:
    for command in ("build", "check", "print", "email", "list", "watch"):
        run = cli(command, "--help")
        assert run.code == 0
        assert "Examples:" in run.out and "make-leaflet " + command in run.out, command
