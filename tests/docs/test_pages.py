"""The documentation: the site builds, every link resolves, every command and option it shows
exists."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest

from leaflets.cli.main import cli
from leaflets.config.defaults import PROJECT_ROOT

PAGES = sorted(
    [
        PROJECT_ROOT / "README.md",
        PROJECT_ROOT / "SECURITY.md",
        *(PROJECT_ROOT / "docs").glob("*.md"),
    ]
)
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_MAKE_TARGET = re.compile(r"^([a-z][a-z-]*):", re.MULTILINE)
# A command line, not output that mentions the command: it starts with the command.
_COMMAND_LINE = re.compile(r"^\s*(?:\$\s*)?(?:sudo\s+)?(?:\S*/)?make-leaflet\b(.*)$")


def links(page: Path) -> list[str]:
    """The relative links of a page, outside code blocks, without their anchors."""
    text = _FENCE.sub("", page.read_text(encoding="utf-8"))
    text = re.sub(r"`[^`\n]*`", "", text)
    found = [link.split("#", 1)[0] for link in _LINK.findall(text)]
    return [link for link in found if link and not re.match(r"^[a-z]+:", link)]


def commands(page: Path) -> list[list[str]]:
    """The words after `make-leaflet` of every command line in the page's code blocks."""
    found = []
    for block in _FENCE.findall(page.read_text(encoding="utf-8")):
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            command = _COMMAND_LINE.match(line)
            if command is None:
                continue
            words = shlex.split(command.group(1).split(" #", 1)[0])
            found.append(words[: next((i for i, w in enumerate(words) if w in ("&&", "|")), None)])
    return found


def test_the_site_builds_with_no_warning(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "operations.html").is_file()


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_link_resolves(page: Path) -> None:
    broken = [link for link in links(page) if not (page.parent / link).exists()]
    assert not broken, f"{page.name}: {broken}"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_command_and_option_exists(page: Path) -> None:
    for words in commands(page):
        command, rest = resolved(words)
        options = {opt for param in command.params for opt in [*param.opts, *param.secondary_opts]}
        options |= {"--help", "--debug"}
        unknown = [
            w.split("=")[0] for w in rest if w.startswith("--") and w.split("=")[0] not in options
        ]
        assert not unknown, f"{page.name}: make-leaflet {' '.join(words)}: no option {unknown}"


def resolved(words: list[str]) -> tuple[click.Command, list[str]]:
    """The command the words name (a group's subcommand too), and the words after its name."""
    context = click.Context(cli)
    command: click.Command = cli
    rest = list(words)
    while rest and isinstance(command, click.Group) and not rest[0].startswith("-"):
        found = command.get_command(context, rest[0])
        assert found is not None, f"no command {rest[0]!r} in `make-leaflet {' '.join(words)}`"
        command, rest = found, rest[1:]
    return command, rest


def test_every_make_target_shown_exists() -> None:
    targets = set(_MAKE_TARGET.findall((PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")))
    for page in PAGES:
        for block in _FENCE.findall(page.read_text(encoding="utf-8")):
            for line in block.splitlines():
                words = line.split("#", 1)[0].split()
                if words[:1] == ["make"] and len(words) > 1 and not words[1].startswith("-"):
                    assert words[1] in targets, f"{page.name}: make {words[1]}"


def test_a_missing_command_would_be_noticed() -> None:
    with pytest.raises(AssertionError, match="no command 'frobnicate'"):
        resolved(["frobnicate", "--now"])


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_test_a_page_names_exists(page: Path) -> None:
    named = re.findall(r"tests/[\w/]+\.py", page.read_text(encoding="utf-8"))
    assert [path for path in named if not (PROJECT_ROOT / path).is_file()] == []
