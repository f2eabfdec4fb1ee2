"""The `watch` command: rebuild on every save, with an HTML preview beside each PDF."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from .cli import build_options, options_from, worker_options
from .defaults import CONTENT_DIR, shown
from .options import Limits


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o", "--out", type=click.Path(path_type=Path), help="Output file (one input) or folder."
)
@build_options
@worker_options
def watch(paths: tuple[Path, ...], out: Path | None, **params: Any) -> None:
    """Rebuild leaflets whenever an article, template, style or the profile is saved.

    Each PDF gets an HTML preview beside it, to keep open in a browser and reload.
    """
    from .watch import WatchSetup
    from .watch import watch as run_watch

    setup = WatchSetup(
        inputs=list(paths) or [shown(CONTENT_DIR)],
        out=out,
        clinic=params["clinic"],
        options=options_from(params),
        limits=Limits(workers=params["jobs"] or os.cpu_count() or 1, timeout=params["timeout"]),
    )
    raise click.exceptions.Exit(run_watch(setup))
