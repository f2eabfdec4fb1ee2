"""Bad input: exit code 1, one line naming the file, and the output path left alone."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from leaflets.config.defaults import PROJECT_ROOT

from ..conftest import EXAMPLE

BAD_ARTICLES = {
    "no-title.md": ("---\ndatePublished: 19/02/2025\n---\nTekst.\n", "has no title"),
    "bad-yaml.md": ("---\ntitle: [unclosed\n---\nTekst.\n", "front matter is not valid YAML"),
    "bad-date.md": ("---\ntitle: T\ndatePublished: 31/02/2025\n---\nx\n", "'datePublished'"),
    "unclosed.md": ("---\ntitle: T\n\nTekst uden slut.\n", "front matter is not closed"),
    "empty.md": ("", "is empty"),
    "list.md": ("---\n- a\n- b\n---\nTekst.\n", "front matter must be a mapping"),
    "scalar.md": ("---\njust text\n---\nTekst.\n", "front matter must be a mapping"),
}


def _write_bad(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    if name == "latin1.md":
        path.write_bytes("---\ntitle: Bækken\n---\nSmerter i bækkenet.\n".encode("latin-1"))
    else:
        path.write_text(BAD_ARTICLES[name][0], encoding="utf-8")
    return path


@pytest.mark.parametrize("name", [*BAD_ARTICLES, "latin1.md"])
def test_bad_input_is_one_clean_line_and_harms_no_output(cli, tmp_path: Path, name: str) -> None:
    source = _write_bad(tmp_path, name)
    target = tmp_path / "out" / "leaflet.pdf"
    target.parent.mkdir()
    target.write_bytes(b"%PDF- a good earlier leaflet")
    result = cli("build", source, "-o", target)
    assert result.code == 1
    assert len(result.errors) == 1, result.err
    assert result.errors[0].startswith(f"error: {source}: ")
    expected = BAD_ARTICLES[name][1] if name in BAD_ARTICLES else "is not UTF-8 text"
    assert expected in result.errors[0]
    assert "Traceback" not in result.err
    assert target.read_bytes() == b"%PDF- a good earlier leaflet"
    assert sorted(p.name for p in target.parent.iterdir()) == ["leaflet.pdf"]


def test_a_missing_file(cli, tmp_path: Path) -> None:
    result = cli("build", tmp_path / "nowhere.md", "-o", tmp_path / "x.pdf")
    assert result.code == 1
    assert result.errors == [f"error: {tmp_path / 'nowhere.md'}: no such file or folder"]
    assert not (tmp_path / "x.pdf").exists()


def test_a_folder_without_articles_is_said(cli, tmp_path: Path) -> None:
    (tmp_path / "tom").mkdir()
    result = cli("build", tmp_path / "tom", "-o", tmp_path / "out")
    assert result.code == 0
    assert result.warnings == [f"warning: no articles to build in {tmp_path / 'tom'}"]


def test_a_bad_option_is_one_line_that_points_to_the_help(cli, tmp_path: Path) -> None:
    missing = tmp_path / "note.txt"
    result = cli("email", "baekkensmerter", "--to", "a@b.dk", "--note-file", missing)
    assert result.code == 1
    assert result.errors == [
        f"error: Invalid value for '--note-file': '{missing}': No such file or directory "
        "(see make-leaflet email --help)"
    ]
    result = cli("check", "--as-of", "2030-13-01")
    assert result.code == 1 and len(result.err.splitlines()) == 1
    assert "'2030-13-01'" in result.err and "make-leaflet check --help" in result.err


def test_debug_shows_the_traceback(cli, tmp_path: Path) -> None:
    source = _write_bad(tmp_path, "no-title.md")
    result = cli("--debug", "build", source, "-o", tmp_path / "x.pdf")
    assert result.code == 1
    assert "Traceback" in result.err


def test_a_good_build_reports_the_pdf_and_warns_about_dates(
    cli, web_example: Path, tmp_path: Path
) -> None:
    target = tmp_path / "leaflet.pdf"
    result = cli("build", web_example, "-o", target)
    assert result.code == 0
    assert f"built {target}" in result.out
    assert target.read_bytes().startswith(b"%PDF-")
    assert any("'lastUpdated' (2024-02-24) is earlier" in line for line in result.warnings)


def test_the_shipped_example_builds_without_a_warning(cli, tmp_path: Path) -> None:
    result = cli("build", EXAMPLE, "-o", tmp_path / "leaflet.pdf")
    assert result.code == 0
    assert result.warnings == []


def test_several_inputs_go_to_a_folder_and_one_failure_does_not_stop_the_rest(
    cli, tmp_path: Path
) -> None:
    bad = _write_bad(tmp_path, "no-title.md")
    result = cli("build", EXAMPLE, bad, "-o", tmp_path / "out")
    assert result.code == 1
    assert (tmp_path / "out" / "baekkensmerter.pdf").is_file()
    assert not (tmp_path / "out" / "no-title.pdf").exists()
    assert len(result.errors) == 1


def test_an_existing_folder_as_output_gets_the_pdf_named_by_slug(cli, tmp_path: Path) -> None:
    result = cli("build", EXAMPLE, "-o", tmp_path)
    assert result.code == 0
    assert (tmp_path / "baekkensmerter.pdf").is_file()


def test_an_output_path_that_is_a_folder_is_a_clean_error(cli, tmp_path: Path) -> None:
    (tmp_path / "baekkensmerter.pdf").mkdir()
    result = cli("build", EXAMPLE, "-o", tmp_path)
    assert result.code == 1
    assert result.errors == [
        f"error: {tmp_path / 'baekkensmerter.pdf'}: is a folder; give a file name for the output"
    ]


def test_help_lists_the_build_command(cli) -> None:
    result = cli("--help")
    assert result.code == 0
    commands = result.out.split("Commands:", 1)[1].split()
    assert {"build", "check", "email", "print"} <= set(commands)


def test_an_article_without_dates_builds(cli, article, tmp_path: Path) -> None:
    source = article("---\ntitle: Uden datoer\n---\nIntro.\n\n## Afsnit\n\nTekst.\n")
    result = cli("build", source, "-o", tmp_path / "x.pdf")
    assert result.code == 0, result.err
    assert (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF-")


# A command whose cleanup never ends: the real signal handlers, the real signal, the real
# kernel; only the time allowed is shortened.
HANGING_CLEANUP = """
import sys, time
from leaflets.cli import main
main.ENDING_SECONDS = 1
# As a terminal starts it, even when the tests run in the background with Ctrl+C ignored.
main.signal.signal(main.signal.SIGINT, main.signal.default_int_handler)
main._end_cleanly_on(main.signal.SIGTERM, main.signal.SIGHUP)
try:
    print("ready", flush=True)
    time.sleep(60)
finally:
    time.sleep(60)  # a worker that will not stop, say
"""


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
def test_a_stopped_command_ends_even_when_its_cleanup_hangs(number: int) -> None:
    command = [sys.executable, "-c", HANGING_CLEANUP]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "ready\n"
    started = time.monotonic()
    process.send_signal(number)
    try:
        code = process.wait(timeout=30)
    finally:
        process.kill()
    assert code == -signal.SIGALRM
    assert time.monotonic() - started < 10
