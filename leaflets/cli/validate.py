"""The `validate` command: is a PDF accessible (and archivable, when it says it is)?"""

from __future__ import annotations

from pathlib import Path

import click

from leaflets.api import ACCESSIBLE, ARCHIVABLE, PROFILE_NAMES, breaches, declares_archive
from leaflets.config.errors import printable


@click.command()
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--pdfa", is_flag=True, help="Check PDF/A-3b too, even when the file does not claim it."
)
def validate(pdfs: tuple[Path, ...], pdfa: bool) -> int:
    """Check PDFs against PDF/UA-1 (accessibility), and PDF/A-3b when they claim it.

    Any PDF can be checked, ours or one the clinic received. Each broken rule is printed once,
    in plain words with its id; the exit code is 1 when any file fails.

    \b
    Examples:
      make-leaflet validate output/baekkensmerter.pdf
      make-leaflet validate output/*.pdf
      make-leaflet validate archive.pdf --pdfa
    """
    failed = False
    for pdf in pdfs:
        profiles = [ACCESSIBLE]
        if pdfa or declares_archive(pdf):
            profiles.append(ARCHIVABLE)
        for profile in profiles:
            failed |= not report(pdf, profile)
    return 1 if failed else 0


def report(pdf: Path, profile: str) -> bool:
    """Print whether `pdf` conforms to `profile`; True when it does."""
    found = breaches(pdf, profile)
    name = PROFILE_NAMES[profile]
    if not found:
        click.echo(printable(f"{pdf}: {name}: passes"))
        return True
    for breach in found:
        click.echo(printable(f"error: {pdf}: not {name}: {breach.words} [{breach.rule}]"), err=True)
    return False
