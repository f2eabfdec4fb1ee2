"""The `watch` command: rebuild on every save, with an HTML preview beside each PDF."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from leaflets.cli.build import run_build
from leaflets.cli.params import (
    build_options,
    limits_from,
    options_from,
    out_option,
    worker_options,
)
from leaflets.cli.report import report_error
from leaflets.config.defaults import CONTENT_DIR, shown
from leaflets.config.errors import LeafletError, printable


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@out_option
@build_options
@worker_options
def watch(paths: tuple[Path, ...], out: Path | None, **params: Any) -> None:
    """Rebuild leaflets whenever an article, template, style or the profile is saved.

    Each PDF gets an HTML preview beside it, to keep open in a browser and reload.

    \b
    Examples:
      make-leaflet watch
      make-leaflet watch content/baekkensmerter.md -o preview
    """
    from leaflets.api import build_pool, watch_changes, watched_paths
    from leaflets.config.profile import load_profile

    inputs = list(paths) or [shown(CONTENT_DIR)]
    options = replace(options_from(params), write_html=True)
    limits = limits_from(params)

    # One pool for the whole watch: each save is rebuilt in a worker already warm. Forked from
    # a fork server, not from this process, whose file watcher runs a thread of its own.
    pool = build_pool(limits, options, "forkserver").start()

    # The build speaks the content checks for each article it rebuilds: only the saved ones.
    def rebuild() -> None:
        try:
            run_build(inputs, out, params["clinic"], options, limits, pool=pool)
        except LeafletError as error:  # a bad save must not end the watch
            report_error(error)
        except Exception as error:  # nor may anything else that goes wrong in one rebuild
            report_error(error, unexpected=True)

    def say_watching() -> None:
        click.echo(f"watching {', '.join(str(path) for path in watched)} (Ctrl+C stops)")

    with pool:
        watched = watched_paths(inputs, load_profile(params["clinic"]))
        rebuild()  # what is up to date stays as it is
        try:
            for changed in watch_changes(watched, out, on_ready=say_watching):
                click.echo(printable(f"changed: {', '.join(path.name for path in changed)}"))
                rebuild()
        except KeyboardInterrupt:
            click.echo("stopped watching")
    raise click.exceptions.Exit(0)
