"""`backup` and `restore`: the clinic's own files, kept and put back."""

from __future__ import annotations

from pathlib import Path

import click

from leaflets.api import backup_files, load_profile, restore_backup, write_backup
from leaflets.cli.params import clinic_option
from leaflets.config.defaults import CONTENT_DIR, PROJECT_ROOT
from leaflets.config.errors import printable


@click.command()
@click.argument("target", type=click.Path(path_type=Path, dir_okay=False))
@clinic_option
@click.option(
    "--content",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=CONTENT_DIR,
    help="The articles' folder (default: content/).",
)
def backup(target: Path, clinic: Path, content: Path) -> None:
    """Save the profile, logo, theme, desk users, audit log and articles in one file.

    The output folder is left out (`make` builds it again), and so is anything about a
    patient: the tool keeps none. The file is readable only by you.

    \b
    Example:
      make-leaflet backup /media/usb/leaflets-2026-12-07.tar.gz
    """
    profile = load_profile(clinic)
    saved = write_backup(target, backup_files(profile, clinic, content))
    click.echo(printable(f"saved {len(saved)} files in {target}"))


@click.command()
@click.argument("archive", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--into",
    type=click.Path(path_type=Path, file_okay=False),
    default=PROJECT_ROOT,
    help="The folder to restore into (default: this project).",
)
@click.option("--force", is_flag=True, help="Replace files that exist already.")
def restore(archive: Path, into: Path, force: bool) -> None:
    """Put a backup's files back, refusing to overwrite any without --force.

    \b
    Example:
      make-leaflet restore /media/usb/leaflets-2026-12-07.tar.gz --into /srv/leaflets
    """
    into.mkdir(parents=True, exist_ok=True)
    saved = restore_backup(archive, into, force)
    click.echo(printable(f"restored {len(saved)} files into {into}"))
