"""The `build` command, and the catalogue build that other commands share."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from leaflets.cli.params import (
    build_options,
    limits_from,
    options_from,
    out_option,
    worker_options,
)
from leaflets.cli.report import report_outcome
from leaflets.config.defaults import CONTENT_DIR, OUTPUT_DIR, shown
from leaflets.config.errors import printable, warn
from leaflets.config.options import BuildOptions, Limits

if TYPE_CHECKING:
    from leaflets.api import Catalogue, Standby


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@out_option
@click.option("--html", "write_html", is_flag=True, help="Also write the HTML next to the PDF.")
@build_options
@worker_options
@click.option("--force", is_flag=True, help="Rebuild even leaflets that are up to date.")
@click.pass_context
def build(ctx: click.Context, /, paths: tuple[Path, ...], out: Path | None, **params: Any) -> None:
    """Build leaflets from articles (files or folders; default: content/).

    \b
    Examples:
      make-leaflet build
      make-leaflet build content/baekkensmerter.md -o leaflet.pdf
      make-leaflet build content -o output --large-print
    """
    limits = limits_from(params)
    ctx.exit(
        run_build(
            list(paths) or [shown(CONTENT_DIR)],
            out,
            params["clinic"],
            options_from(params),
            limits,
            force=params["force"],
        )
    )


def run_build(
    inputs: list[Path],
    out: Path | None,
    clinic: Path,
    options: BuildOptions,
    limits: Limits | None = None,
    force: bool = False,
) -> int:
    """Build the inputs' leaflets and their folders' indexes, drawing progress; the exit code."""
    from leaflets.api import plan_catalogue, variant_suffix
    from leaflets.config.profile import load_profile
    from leaflets.press.prepress import settle

    profile = load_profile(clinic)
    settled = settle(options, profile)
    standby = _standby_for(inputs, out, force, variant_suffix(settled))
    catalogue: Catalogue | None = None
    try:
        catalogue = plan_catalogue(inputs, out, profile, settled, limits or Limits.default(), force)
        failures, fresh = _draw_leaflets(catalogue, standby)
        if fresh:
            click.echo(f"up to date: {fresh} of {len(catalogue.jobs)} leaflets")
        for index in catalogue.indexes():
            if not index.ok:
                failures += 1
                click.echo(f"error: {printable(str(index.error))}", err=True)
            elif not index.fresh:
                click.echo(f"built {index.target}")
    finally:
        if standby is not None:
            standby.discard()
        if catalogue is not None:
            catalogue.close()  # the workers end before the command does
    return 1 if failures else 0


def _draw_leaflets(catalogue: Catalogue, standby: Standby | None) -> tuple[int, int]:
    """Print each built leaflet and each failure; (failures, leaflets already up to date)."""
    from leaflets.cli.progress import progress_for

    failures = fresh = 0
    with progress_for(catalogue.to_build) as progress:
        for outcome in catalogue.leaflets(standby):
            for message in outcome.warnings:
                warn(message)
            if outcome.fresh:
                fresh += 1
                continue
            if outcome.ok:
                progress.line(f"built {outcome.target}")
            else:
                failures += 1
                report_outcome(outcome)
                if outcome.stale_since:
                    warn(f"kept the last good {outcome.target}, made from an older text")
            progress.advance()
    return failures, fresh


def _standby_for(inputs: list[Path], out: Path | None, force: bool, variant: str) -> Standby | None:
    """A worker loading WeasyPrint in parallel, when one article is likely to need building."""
    if len(inputs) != 1 or not inputs[0].is_file():
        return None
    from leaflets.api import likely_fresh, start_standby

    folder = out if out is not None and out.is_dir() else None
    folder = folder or (out.parent if out is not None else shown(OUTPUT_DIR))
    if not force and likely_fresh(inputs[0], folder, variant):
        return None
    return start_standby()
