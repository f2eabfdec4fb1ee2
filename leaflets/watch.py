"""Watch mode: rebuild leaflets (and their HTML previews) whenever a file they use is saved."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import click

from .defaults import ARTICLE_SUFFIXES, ASSET_SUFFIXES, STYLES_DIR, TEMPLATES_DIR
from .errors import LeafletError
from .options import BuildOptions, Limits

# What a leaflet is made from; anything else (our own PDFs, editors' swap files) is ignored.
WATCHED_SUFFIXES = frozenset({*ARTICLE_SUFFIXES, *ASSET_SUFFIXES, ".j2", ".toml"})

Builder = Callable[[], int]


@dataclass(frozen=True)
class WatchSetup:
    """What to build, where to, and with which profile and options."""

    inputs: list[Path]
    out: Path | None
    clinic: Path
    options: BuildOptions
    limits: Limits


def watched_paths(setup: WatchSetup) -> list[Path]:
    """The articles, our templates and styles, and the clinic profile with its theme."""
    from .profile import load_profile

    paths = [*setup.inputs, TEMPLATES_DIR, STYLES_DIR]
    if setup.clinic.exists():
        paths.append(setup.clinic)
        theme = load_profile(setup.clinic).style.theme
        if theme is not None and theme.is_dir():
            paths.append(theme)
    return [path for path in paths if path.exists()]


def is_relevant(path: Path, out: Path | None) -> bool:
    """Whether a change to `path` can change a leaflet (our own output never does)."""
    if path.name.startswith("."):
        return False
    if out is not None and path.resolve().is_relative_to(out.resolve()):
        return False
    return path.suffix.lower() in WATCHED_SUFFIXES


def rebuild(setup: WatchSetup) -> int:
    """One incremental build with HTML previews, then what `check` has to say."""
    from .cli import _build, report_error

    try:
        code = _build(
            setup.inputs,
            setup.out,
            setup.clinic,
            replace(setup.options, write_html=True),
            setup.limits,
        )
    except LeafletError as error:  # a bad save must not end the watch
        report_error(error)
        code = 1
    report_findings(setup.inputs)
    return code


def report_findings(inputs: list[Path]) -> None:
    """Print the findings of the `check` command for the watched articles, where it exists."""
    from .cli import cli

    check = cli.commands.get("check")
    if check is None:
        return
    try:
        check.main(args=[str(path) for path in inputs], standalone_mode=False)
    except click.exceptions.Exit:
        pass
    except click.ClickException as problem:
        problem.show()


def changed_files(changes: Iterable[tuple[Any, str]], out: Path | None) -> list[Path]:
    """The changed paths that matter, in order."""
    return sorted({Path(path) for _kind, path in changes if is_relevant(Path(path), out)})


def watch(setup: WatchSetup, stop_event: Any = None, debounce_ms: int = 300) -> int:
    """Build once, then again after every relevant save, until interrupted."""
    import watchfiles

    paths = watched_paths(setup)
    rebuild(setup)
    click.echo(f"watching {', '.join(str(path) for path in paths)} (Ctrl+C stops)")
    try:
        for changes in watchfiles.watch(
            *paths, stop_event=stop_event, debounce=debounce_ms, raise_interrupt=True
        ):
            changed = changed_files(changes, setup.out)
            if changed:
                click.echo(f"changed: {', '.join(path.name for path in changed)}")
                rebuild(setup)
    except KeyboardInterrupt:
        click.echo("stopped watching")
    return 0
