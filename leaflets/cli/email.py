"""`make-leaflet email`: a leaflet to a patient, as an .eml file or over SMTP."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from leaflets.cli.params import build_options, options_from
from leaflets.config.errors import LeafletError, collect_warnings

if TYPE_CHECKING:
    from leaflets.article.model import Article
    from leaflets.config.options import BuildOptions
    from leaflets.config.profile import Profile


@click.command("email")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--to", "to", multiple=True, required=True, metavar="ADDRESS", help="A recipient (repeatable)."
)
@click.option(
    "--eml",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the message to FILE, for any mail client to open.",
)
@click.option("--send", is_flag=True, help="Send it over SMTP, as [smtp] in clinic.toml says.")
@click.option("--smtp", "smtp_server", metavar="HOST:PORT", help="Another SMTP server, this once.")
@build_options
@click.pass_context
def email(
    ctx: click.Context,
    /,
    path: Path,
    to: tuple[str, ...],
    eml: Path | None,
    send: bool,
    smtp_server: str | None,
    **params: Any,
) -> None:
    """Email the leaflet for the article at PATH, attached as a PDF.

    Recipient addresses are never printed, logged or kept, except in the --eml file asked for.

    \b
    Examples:
      make-leaflet email content/baekkensmerter.md --to patient@example.dk --send
      make-leaflet email content/baekkensmerter.md --to patient@example.dk --eml til-patient.eml
    """
    from leaflets.build.output import write_atomically
    from leaflets.config.profile import load_profile
    from leaflets.deliver.message import compose, envelope
    from leaflets.deliver.smtp import send as deliver
    from leaflets.deliver.smtp import smtp_password, smtp_settings, smtp_table

    if (eml is None) == (not send):
        raise LeafletError(None, "give either --eml FILE or --send")
    profile = load_profile(params["clinic"])
    table = smtp_table(profile)
    route = envelope(profile, table, list(to))
    settings = smtp_settings(table, smtp_server, profile.path or params["clinic"]) if send else None
    password = smtp_password(settings) if settings else ""
    article, pdf = built_leaflet(path, profile, options_from(params))
    message = compose(article, profile, route, pdf)
    count = _recipients(len(route.recipients))
    if eml is not None:
        from email.policy import SMTP

        write_atomically(eml, message.as_bytes(policy=SMTP))
        click.echo(f"wrote {eml}: '{article.title}' for {count}")
    elif settings is not None:
        deliver(message, route, settings, password)
        click.echo(f"sent '{article.title}' to {count} via {settings.where}")
    ctx.exit(0)


def built_leaflet(path: Path, profile: Profile, options: BuildOptions) -> tuple[Article, bytes]:
    """The article and its PDF, built in a worker like any leaflet, into a private folder."""
    from leaflets.article.model import load_article
    from leaflets.build.catalogue import private_copy

    with private_copy(path, profile, options) as outcome:
        assert outcome.target is not None
        pdf = outcome.target.read_bytes()
    with collect_warnings():
        # The worker has reported the article's warnings; say them once.
        article = load_article(path, profile.leaflets.language)
    return article, pdf


def _recipients(count: int) -> str:
    return "1 recipient" if count == 1 else f"{count} recipients"
