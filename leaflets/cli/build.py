"""The `build` command, and the catalogue build that other commands share."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from leaflets.cli.params import build_options, options_from, worker_options
from leaflets.cli.report import report_error, report_outcome
from leaflets.config.defaults import CONTENT_DIR, OUTPUT_DIR, shown
from leaflets.config.errors import LeafletError, warn
from leaflets.config.options import BuildOptions, Limits

if TYPE_CHECKING:
    from leaflets.build.incremental import Plan
    from leaflets.build.job import Job
    from leaflets.build.standby import Standby
    from leaflets.config.profile import Profile


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o", "--out", type=click.Path(path_type=Path), help="Output file (one input) or folder."
)
@click.option("--html", "write_html", is_flag=True, help="Also write the HTML next to the PDF.")
@build_options
@worker_options
@click.option("--force", is_flag=True, help="Rebuild even leaflets that are up to date.")
@click.pass_context
def build(ctx: click.Context, /, paths: tuple[Path, ...], out: Path | None, **params: Any) -> None:
    """Build leaflets from articles (files or folders; default: content/)."""
    limits = Limits(workers=params["jobs"] or os.cpu_count() or 1, timeout=params["timeout"])
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
    standby = _standby_for(inputs, out)
    try:
        from leaflets.build.incremental import plan_build
        from leaflets.build.job import plan_jobs
        from leaflets.config.profile import load_profile
        from leaflets.press.prepress import settle_options

        profile = load_profile(clinic)
        options = settle_options(options, profile)
        jobs = plan_jobs(inputs, out, shown(OUTPUT_DIR))
        plan = plan_build(jobs, profile, options, force)
        failures = _run_stale(plan, profile, options, limits or Limits(), standby)
    finally:
        if standby is not None:
            standby.discard()
    plan.save()
    if plan.fresh:
        click.echo(f"up to date: {len(plan.fresh)} of {len(jobs)} leaflets")
    if any(path.is_dir() for path in inputs):
        failures += _refresh_indexes(plan, jobs, profile, force)
    return 1 if failures else 0


def _standby_for(inputs: list[Path], out: Path | None) -> Standby | None:
    """A worker loading WeasyPrint in parallel, when one article is likely to need building."""
    if len(inputs) != 1 or not inputs[0].is_file():
        return None
    from leaflets.build.manifest import likely_fresh
    from leaflets.build.standby import start_standby

    folder = out if out is not None and out.is_dir() else None
    folder = folder or (out.parent if out is not None else shown(OUTPUT_DIR))
    if likely_fresh(inputs[0], folder):
        return None
    return start_standby()


def _run_stale(
    plan: Plan,
    profile: Profile,
    options: BuildOptions,
    limits: Limits,
    standby: Standby | None = None,
) -> int:
    if not plan.stale:
        return 0
    from leaflets.build.pool import run_jobs
    from leaflets.cli.check import warn_before_build
    from leaflets.cli.progress import progress_for

    # The content checks speak first, once for each article that is built; the build itself
    # then keeps quiet about what they cover.
    warn_before_build([job.source for job in plan.stale], profile)
    options = replace(options, content_checked=True)
    failures = 0
    with progress_for(len(plan.stale)) as progress:
        for outcome in run_jobs(plan.stale, profile, options, limits, standby):
            for message in outcome.warnings:
                warn(message)
            if outcome.ok and outcome.target is not None:
                plan.record(outcome.job, outcome.target)
                progress.line(f"built {outcome.target}")
            else:
                failures += 1
                report_outcome(outcome)
            progress.advance()
    return failures


def _refresh_indexes(plan: Plan, jobs: list[Job], profile: Profile, force: bool) -> int:
    """Rebuild each output folder's index.pdf when any leaflet listed in it changed."""
    from leaflets.build.index import INDEX_NAME, build_index
    from leaflets.build.manifest import file_digest
    from leaflets.build.pool import call_in_worker

    failures = 0
    for folder, manifest in plan.manifests.items():
        leaflets = plan.built_in(folder, jobs)
        stamp = plan.index_stamp(folder, leaflets)
        current = manifest.index == f"{stamp}:{file_digest(folder / INDEX_NAME)}"
        if not leaflets or (current and not force):
            continue
        if any(pdf.name == INDEX_NAME for _source, pdf in leaflets):
            warn(f"{folder / INDEX_NAME}: a leaflet has this name; no index written")
            continue
        try:
            target = call_in_worker(build_index, leaflets, folder, profile)
        except LeafletError as error:
            report_error(error)
            failures += 1
            continue
        manifest.index = f"{stamp}:{file_digest(target)}"
        manifest.save()
        click.echo(f"built {target}")
    return failures
