"""`desk-user token NAME`: a token for a journal system to ask the desk's Infobutton lookup."""

from __future__ import annotations

from pathlib import Path

import click

from leaflets.cli.params import clinic_option


@click.command("token")
@click.argument("name")
@click.option("--revoke", is_flag=True, help="Revoke NAME's token instead of making one.")
@clinic_option
@click.option(
    "--users",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The users file; the tokens are kept beside it (default: beside clinic.toml).",
)
def token(name: str, revoke: bool, clinic: Path, users: Path | None) -> None:
    """Make a token for NAME (a journal system), or revoke it; it is shown only once.

    \b
    Examples:
      make-leaflet desk-user token journal
      make-leaflet desk-user token journal --revoke
    """
    from leaflets.config.tokens import (
        checked_token_name,
        make_token,
        revoke_token,
        tokens_file_beside,
    )

    path = tokens_file_beside(users or clinic)
    checked_token_name(name)
    if revoke:
        revoke_token(path, name)
        click.echo(f"revoked the token of {name} in {path}")
        return
    made = make_token(path, name)
    click.echo(f"made a token for {name} in {path}; it is shown only now:", err=True)
    click.echo(made)
