"""What the tool prints is safe on a terminal: no control or format character reaches it raw."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from leaflets.config.errors import printable

from ..conftest import Run

ESC = "\x1b"
# Clears the line, goes back to its start and prints in green: a fake line of success.
FAKE_BUILT = "\\e[2K\\r\\e[32mbuilt output/fake.pdf\\e[0m"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Bækkensmerter – ok", "Bækkensmerter – ok"),
        (f"{ESC}[31mred", "\\x1b[31mred"),
        ("next\x85line", "next\\x85line"),
        ("\x9b31m", "\\x9b31m"),
        ("tab\tand\x7fdel\x00nul", "tab\\x09and\\x7fdel\\x00nul"),
        ("fdp.exe\u202e", "fdp.exe\\u202e"),
        ("\u2066isolate\u2069", "\\u2066isolate\\u2069"),
        ("line\u2028paragraph\u2029", "line\\u2028paragraph\\u2029"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("tag\U000e0041", "tag\\U000e0041"),
    ],
)
def test_printable_escapes_every_control_and_format_character(text: str, shown: str) -> None:
    assert printable(text) == shown


def printed(run: Run) -> str:
    return run.out + run.err


@pytest.mark.parametrize(
    "line",
    [
        'slug: "\\e[31mrød"',
        'datePublished: "\\e[31m19/02/2025"',
        'check: {ignore: ["\\e[31mlix"]}',
    ],
)
def test_an_escape_in_a_front_matter_value_never_reaches_the_terminal(
    cli: Callable[..., Run], tmp_path: Path, line: str
) -> None:
    article = tmp_path / "value.md"
    article.write_text(f"---\ntitle: Titel\n{line}\n---\nTekst.\n", encoding="utf-8")
    for run in (cli("check", article), cli("build", article, "-o", tmp_path / "value.pdf")):
        assert ESC not in printed(run)
        assert "[31m" in printed(run)  # the value is named, its escape shown as text


def test_an_escape_in_an_image_name_never_reaches_the_terminal(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    article = tmp_path / "image.md"
    article.write_text(
        f"---\ntitle: Billede\n---\n![]({ESC}[8mskjult{ESC}[0m.png)\n", encoding="utf-8"
    )
    for run in (cli("check", article), cli("build", article, "-o", tmp_path / "image.pdf")):
        assert ESC not in printed(run)
        assert "\\x1b[8mskjult" in printed(run)


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_crafted_lang_cannot_print_a_fake_built_line(
    cli: Callable[..., Run], tmp_path: Path, command: str
) -> None:
    article = tmp_path / "lang.md"
    article.write_text(f'---\ntitle: Sprog\nlang: "{FAKE_BUILT}"\n---\nTekst.\n', encoding="utf-8")
    run = cli(command, article)
    assert run.code == 1
    assert ESC not in printed(run) and "\r" not in printed(run)
    lines = printed(run).splitlines()
    assert not any(line.startswith("built") for line in lines)
    assert any("'lang'" in line and "[32mbuilt output/fake.pdf" in line for line in lines)


def test_a_title_with_a_bidi_control_is_shown_escaped_when_emailed(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    article = tmp_path / "bidi.md"
    article.write_text("---\ntitle: Øvelser\u202efdp.exe\n---\nTekst.\n", encoding="utf-8")
    eml = tmp_path / "bidi.eml"
    run = cli("email", article, "--to", "patient@example.org", "--eml", eml)
    assert run.code == 0, run.err
    assert "\u202e" not in printed(run)
    assert "Øvelser\\u202efdp.exe" in run.out
