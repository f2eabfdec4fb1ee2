"""The `list` command: every leaflet in content/, one line each, or as JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from leaflets.cli.params import clinic_option, format_option
from leaflets.config.defaults import CONTENT_DIR, OUTPUT_DIR, shown
from leaflets.config.errors import printable


@click.command("list")
@click.argument("folder", required=False, type=click.Path(path_type=Path, file_okay=False))
@clinic_option
@format_option("One line a leaflet")
@click.option(
    "-o", "--out", type=click.Path(path_type=Path), default=None, help="The output folder."
)
def list_leaflets(folder: Path | None, clinic: Path, output: str, out: Path | None) -> None:
    """List the leaflets: reference, title, review status and pages when built.

    \b
    Examples:
      make-leaflet list
      make-leaflet list --format json
    """
    from leaflets.api import READING, Pool, is_overdue, list_catalogue, shown_codes
    from leaflets.cli.build import COMMAND_START
    from leaflets.config.options import Limits
    from leaflets.config.profile import load_profile

    content = folder or shown(CONTENT_DIR)
    # Articles not built yet are read in a worker; it needs no layout engine.
    with Pool(1, Limits.default().memory, READING, COMMAND_START, brief=True) as pool:
        listed = list_catalogue(content, out or shown(OUTPUT_DIR), load_profile(clinic), pool)
    today = dt.date.today()
    if output == "json":
        rows = [
            {
                "file": str(item.source),
                **item.info.as_dict(),
                "built": item.built,
                "overdue": is_overdue(item.info, today),
            }
            for item in listed
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for item in listed:
        info = item.info
        review = info.review.isoformat() if info.review else "no review date"
        status = f"OVERDUE {review}" if is_overdue(info, today) else f"review {review}"
        pages = (f"{info.pages} page" + "s" * (info.pages != 1)) if item.built else "not built"
        if info.stale_since:
            pages += f", from an older text: fails to build since {info.stale_since[:10]}"
        languages = info.language
        reference = info.reference or info.slug
        codes = f"; codes {shown_codes(info.codes)}" if info.codes else ""
        line = f"{reference:<10} {info.title}  ({status}; {languages}; {pages}{codes})"
        click.echo(printable(line))
