"""The `check` command: content checks without rendering, and the same checks before a build."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from leaflets.cli.params import clinic_option, format_option
from leaflets.cli.report import stdout_may_close
from leaflets.config.defaults import CONTENT_DIR, shown
from leaflets.config.profile import load_profile


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
    from leaflets.api import ERROR, check_articles, json_text, strict_findings, summary, text_lines

    today = as_of.date() if as_of else dt.date.today()
    inputs = list(paths) or [shown(CONTENT_DIR)]
    report = check_articles(inputs, load_profile(clinic), today, readability)
    findings = strict_findings(report.findings) if strict else report.findings
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
