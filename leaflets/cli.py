"""The command line: `make-leaflet` or `python make_leaflet.py`."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .defaults import CLINIC_FILE, CONTENT_DIR, OUTPUT_DIR, RENDER_TIMEOUT_SECONDS, shown
from .errors import LeafletError, warn
from .options import PAPER_FORMATS, BuildOptions, Limits, default_limits

if TYPE_CHECKING:
    from .build import Job
    from .incremental import Plan
    from .profile import Profile
    from .runner import Outcome
    from .standby import Standby


@click.group(invoke_without_command=True)
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(package_name="leaflets")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Build printable patient leaflets from Markdown articles.

    Without a command, builds every article in content/ into output/.
    """
    ctx.obj = {"debug": debug}
    if ctx.invoked_subcommand is None:
        ctx.exit(_build([shown(CONTENT_DIR)], None, CLINIC_FILE, BuildOptions(), default_limits()))


# A click option, or several stacked, applied to a command function.
Decorator = Callable[[Any], Any]

clinic_option: Decorator = click.option(
    "--clinic",
    type=click.Path(path_type=Path),
    default=CLINIC_FILE,
    show_default=True,
    help="The clinic profile.",
)
paper_option: Decorator = click.option(
    "--format",
    "paper",
    type=click.Choice(PAPER_FORMATS),
    default=None,
    help="Paper size (default: a4, or as clinic.toml says).",
)
booklet_option: Decorator = click.option(
    "--booklet", is_flag=True, help="A5 pages imposed two to an A4 sheet, folded."
)
large_print_option: Decorator = click.option(
    "--large-print", is_flag=True, help="Large print (18 pt, RNIB clear print)."
)


def stacked(*options: Decorator) -> Decorator:
    """Several click options as one decorator, in the order given."""

    def apply(func: Any) -> Any:
        for option in reversed(options):
            func = option(func)
        return func

    return apply


build_options: Decorator = stacked(
    clinic_option,
    paper_option,
    booklet_option,
    large_print_option,
    click.option("--bleed", default=None, help="Bleed for a print shop, e.g. 3mm."),
    click.option("--crop-marks", is_flag=True, help="Crop marks in the bleed."),
    click.option("--pdfa", is_flag=True, help="PDF/A-3b for archiving."),
    click.option("--strict", is_flag=True, help="Treat warnings about review dates as errors."),
)
"""The layout options shared by `build` and the commands that build on the way."""

worker_options: Decorator = stacked(
    click.option(
        "-j",
        "--jobs",
        type=click.IntRange(1, 64),
        default=None,
        help="Worker processes (default: the number of CPUs).",
    ),
    click.option(
        "--timeout",
        type=click.FloatRange(1, 3600),
        default=RENDER_TIMEOUT_SECONDS,
        show_default=True,
        help="Seconds one article may take.",
    ),
)


def options_from(params: dict[str, Any]) -> BuildOptions:
    """BuildOptions from the command's parameters."""
    return BuildOptions(
        paper=params.get("paper"),
        large_print=params.get("large_print", False),
        booklet=params.get("booklet", False),
        bleed=params.get("bleed"),
        crop_marks=params.get("crop_marks", False),
        pdfa=params.get("pdfa", False),
        strict=params.get("strict", False),
        write_html=params.get("write_html", False),
    )


@cli.command()
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
        _build(
            list(paths) or [shown(CONTENT_DIR)],
            out,
            params["clinic"],
            options_from(params),
            limits,
            force=params["force"],
        )
    )


def _build(
    inputs: list[Path],
    out: Path | None,
    clinic: Path,
    options: BuildOptions,
    limits: Limits | None = None,
    force: bool = False,
) -> int:
    standby = _standby_for(inputs, out)
    try:
        from .build import plan_jobs
        from .incremental import plan_build
        from .prepress import settle_options
        from .profile import load_profile

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
    from .manifest import likely_fresh
    from .standby import start_standby

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
    from .cli_check import warn_before_build
    from .progress import progress_for
    from .runner import run_jobs

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
                _report_outcome(outcome)
            progress.advance()
    return failures


def _refresh_indexes(plan: Plan, jobs: list[Job], profile: Profile, force: bool) -> int:
    """Rebuild each output folder's index.pdf when any leaflet listed in it changed."""
    from .index import INDEX_NAME, build_index
    from .manifest import file_digest
    from .runner import call_in_worker

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


def report_error(error: BaseException) -> None:
    """One line on stderr; the traceback too with --debug."""
    if _debug():
        traceback.print_exception(error)
    click.echo(f"error: {error}", err=True)


def _report_outcome(outcome: Outcome) -> None:
    if _debug() and outcome.details:
        click.echo(outcome.details, err=True, nl=False)
    click.echo(f"error: {outcome.error}", err=True)


def _debug() -> bool:
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    return bool(root and root.obj and root.obj.get("debug"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code, never raising for bad input."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = cli.main(args=args, prog_name="make-leaflet", standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as problem:
        problem.show()
        return problem.exit_code
    except click.exceptions.Abort:
        click.echo("error: aborted", err=True)
        return 1
    except LeafletError as error:
        return _fail(error, "--debug" in args)
    except Exception as error:
        return _fail(error, "--debug" in args, unexpected=True)
    return result if isinstance(result, int) else 0


def _fail(error: BaseException, debug: bool, unexpected: bool = False) -> int:
    if debug:
        traceback.print_exception(error)
    prefix = "unexpected failure: " if unexpected else ""
    hint = " (run with --debug for details)" if unexpected and not debug else ""
    for line in _error_lines(error):
        click.echo(f"error: {prefix}{line}{hint}", err=True)
    return 1


def _error_lines(error: BaseException) -> list[str]:
    """Most errors are one line; a clinic profile may have several problems, one a line."""
    if isinstance(error, LeafletError):
        return [" ".join(line.split()) for line in error.lines()]
    return [_one_line(error)]


def _one_line(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return " ".join(text.split())


# Commands that live in their own modules; imported last, as they use the options above.
from .cli_check import check  # noqa: E402
from .cli_email import email  # noqa: E402
from .cli_print import print_leaflet  # noqa: E402
from .cli_watch import watch  # noqa: E402

cli.add_command(check)
cli.add_command(email)
cli.add_command(print_leaflet)
cli.add_command(watch)
