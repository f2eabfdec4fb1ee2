"""`make-leaflet email`: a leaflet to patients, one message each, as .eml files or over SMTP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from leaflets.cli.fhir import checked_fhir, fhir_options, give_fhir
from leaflets.cli.params import (
    build_options,
    in_language,
    lang_option,
    options_from,
    personal_from,
    personal_options,
)
from leaflets.cli.record import give_record
from leaflets.config.errors import LeafletError, printable
from leaflets.config.options import Limits


@click.command("email")
@click.argument("name")
@click.option("--to", "to", multiple=True, metavar="ADDRESS", help="A recipient (repeatable).")
@click.option(
    "--to-file",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Recipients from FILE, one address a line ('-' for standard input).",
)
@click.option(
    "--eml",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the message to FILE (NAME-1.eml, NAME-2.eml, ... for several recipients).",
)
@click.option("--send", is_flag=True, help="Send it over SMTP, as [smtp] in clinic.toml says.")
@click.option("--smtp", "smtp_server", metavar="HOST:PORT", help="Another SMTP server, this once.")
@personal_options
@fhir_options
@lang_option
@build_options
def email(name: str, **params: Any) -> None:
    """Email the leaflet NAME (a slug, a title or an article file) as a PDF, one message each.

    Recipient addresses, the note and the patient's name are never printed, logged or kept,
    except in the --eml files asked for.

    \b
    Examples:
      make-leaflet email baekkensmerter --to patient@example.dk --send
      make-leaflet email Bækkensmerter --to-file modtagere.txt --send --eml kopi.eml
      make-leaflet email content/baekkensmerter.md --to patient@example.dk --send \\
          --patient "Anna Jensen" --note "Lav øvelserne morgen og aften."
    """
    from leaflets.api import find_leaflet, recipients, send_leaflet, settle
    from leaflets.cli.build import command_pool
    from leaflets.config.profile import load_profile

    if params["eml"] is None and not params["send"]:
        raise LeafletError(None, "give --eml FILE, --send, or both")
    if str(params["to_file"]) == "-" and _reads_stdin(params["note_file"]):
        raise LeafletError(None, "only one of --to-file and --note-file can read standard input")
    personal = personal_from(params)
    checked_fhir(params)
    given = recipients(params["to"], params["to_file"])
    profile = load_profile(params["clinic"])
    options = settle(options_from(params), profile)
    with command_pool(Limits.default(), options, workers=1) as pool:
        # A typo in the name, or a missing translation, is reported before any mail server.
        source = in_language(find_leaflet(name, pool=pool), params["lang"], profile)
        receipt = send_leaflet(
            source,
            profile,
            given,
            send=params["send"],
            eml=params["eml"],
            server=params["smtp_server"],
            options=options,
            personal=personal,
            pool=pool,
        )
    count = "1 recipient" if receipt.recipients == 1 else f"{receipt.recipients} recipients"
    if receipt.server:
        click.echo(printable(f"sent '{receipt.info.title}' to {count} via {receipt.server}"))
    else:
        click.echo(printable(f"wrote {_files(receipt.copies)}: '{receipt.info.title}' for {count}"))
    give_record(receipt.record, params["journal_file"])
    give_fhir([receipt.handed], params, profile)


def _reads_stdin(handle: Any) -> bool:
    return handle is not None and getattr(handle, "name", "") in ("-", "<stdin>")


def _files(paths: tuple[Path, ...]) -> str:
    return str(paths[0]) if len(paths) == 1 else f"{paths[0]} … {paths[-1]}"
