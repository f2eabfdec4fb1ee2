"""The `check` command: content checks without rendering, and the same checks before a build."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from leaflets.article.source import find_articles
from leaflets.cli.params import clinic_option, format_option
from leaflets.cli.report import stdout_may_close
from leaflets.config.defaults import CONTENT_DIR, shown
from leaflets.config.profile import Profile, load_profile

if TYPE_CHECKING:
    from leaflets.checks.run import Report


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@clinic_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@format_option("Compiler-style lines")
@click.option("--readability", is_flag=True, help="Show LIX (or Flesch) figures for every article.")
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Judge dates and reviews as on this day (YYYY-MM-DD), e.g. to plan reviews ahead.",
)
@click.pass_context
def check(
    ctx: click.Context,
    /,
    paths: tuple[Path, ...],
    clinic: Path,
    strict: bool,
    output: str,
    readability: bool,
    as_of: dt.datetime | None,
) -> None:
    """Check articles for readability, dates, structure and web leftovers (default: content/).

    \b
    Examples:
      make-leaflet check
      make-leaflet check --strict content/
      make-leaflet check --readability content/baekkensmerter.md
    """
    from leaflets.checks.findings import ERROR, json_text, summary, text_lines
    from leaflets.checks.findings import strict as made_strict

    today = as_of.date() if as_of else dt.date.today()
    report = _run(list(paths) or [shown(CONTENT_DIR)], load_profile(clinic), readability, today)
    findings = made_strict(report.findings) if strict else report.findings
    code = 1 if any(finding.severity == ERROR for finding in findings) else 0
    with stdout_may_close():
        if output == "json":
            click.echo(json_text(findings))
            click.echo(summary(findings, report.articles), err=True)
        else:
            for line in text_lines(findings):
                click.echo(line)
            click.echo(summary(findings, report.articles))
    ctx.exit(code)


def _run(
    inputs: list[Path], profile: Profile, notes: bool = False, today: dt.date | None = None
) -> Report:
    from leaflets.checks.run import check_files
    from leaflets.checks.settings import check_settings

    files = [article for path in inputs for article in find_articles(path)]
    return check_files(files, check_settings(profile), today or dt.date.today(), notes)
