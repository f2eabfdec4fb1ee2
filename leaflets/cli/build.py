"""The `build` command, and the catalogue build that other commands share."""

from __future__ import annotations

from contextlib import nullcontext
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
from leaflets.config.options import BuildOptions, Limits, Settled

if TYPE_CHECKING:
    from leaflets.api import Catalogue, Pool, Start

# How the command line starts its workers: forked from the command, which runs no other thread
# when it starts them. Measured on two cores, a fork server (a fresh interpreter that loads the
# build stack before it can fork a worker) made a cold single leaflet 0.4-0.6 s slower, and a
# catalogue of 20 no faster.
COMMAND_START: Start = "fork"


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
    pool: Pool | None = None,
) -> int:
    """Build the inputs' leaflets and their folders' indexes, drawing progress; the exit code.

    In the workers of `pool`, or of a pool started at once for this build, whose workers all
    end before it returns.
    """
    from leaflets.api import refuse_impossible

    refuse_impossible(options)  # before a worker starts for nothing
    limits = limits or Limits.default()
    given = nullcontext(pool) if pool is not None else _pool_for(inputs, limits, options, force)
    with given as workers:
        from leaflets.api import plan_catalogue, settle
        from leaflets.config.profile import load_profile

        profile = load_profile(clinic)
        settled = settle(options, profile)
        if pool is None and _worth_starting(inputs, out, settled):
            workers.start()
        catalogue = plan_catalogue(inputs, out, profile, settled, limits, force)
        if not catalogue.jobs:
            warn(f"no articles to build in {', '.join(str(path) for path in inputs)}")
        catalogue.start_indexes(workers)
        failures, fresh = _draw_leaflets(catalogue, workers)
        if fresh:
            click.echo(f"up to date: {fresh} of {len(catalogue.jobs)} leaflets")
        for index in catalogue.indexes(workers):
            if not index.ok:
                failures += 1
                click.echo(f"error: {printable(str(index.error))}", err=True)
            elif not index.fresh:
                click.echo(f"built {index.target}")
    return 1 if failures else 0


def command_pool(limits: Limits, options: BuildOptions | None = None, workers: int = 0) -> Pool:
    """A pool of build workers for one command; its workers start on first use."""
    from leaflets.api import build_pool

    return build_pool(limits, options, COMMAND_START, workers or None, brief=True)


def _draw_leaflets(catalogue: Catalogue, pool: Pool) -> tuple[int, int]:
    """Print each built leaflet and each failure; (failures, leaflets already up to date)."""
    from leaflets.cli.progress import progress_for

    failures = fresh = 0
    with progress_for(catalogue.to_build) as progress:
        for outcome in catalogue.leaflets(pool):
            for message in outcome.warnings:
                warn(message)
            if outcome.fresh and outcome.ok:
                fresh += 1
                continue
            if outcome.fresh:  # up to date, but --strict finds its review date passed
                failures += 1
                report_outcome(outcome)
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


def _pool_for(inputs: list[Path], limits: Limits, options: BuildOptions, force: bool) -> Pool:
    """The build's pool. A forced build starts its workers at once, before this process loads
    the clinic's profile and plans the build, so that they load WeasyPrint meanwhile. Otherwise
    they start when the plan's first look finds work (see `_worth_starting`), or with the first
    leaflet to build: a build with nothing to do never loads WeasyPrint."""
    pool = command_pool(limits, options, workers=1 if _one_article(inputs) else 0)
    return pool.start() if force else pool


def _worth_starting(inputs: list[Path], out: Path | None, options: Settled) -> bool:
    """Whether the one article given is likely out of date, so its worker should start now."""
    return _one_article(inputs) and not _likely_fresh(inputs[0], out, options)


def _one_article(inputs: list[Path]) -> bool:
    return len(inputs) == 1 and inputs[0].is_file()


def _likely_fresh(article: Path, out: Path | None, options: Settled) -> bool:
    from leaflets.api import likely_fresh, variant_suffix

    folder = out if out is not None and out.is_dir() else None
    folder = folder or (out.parent if out is not None else shown(OUTPUT_DIR))
    return likely_fresh(article, folder, variant_suffix(options))
