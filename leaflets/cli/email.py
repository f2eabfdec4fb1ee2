"""`make-leaflet email`: leaflets to patients, one message each, as .eml files or over SMTP."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from leaflets.config.options import BuildOptions, Limits, Personal

if TYPE_CHECKING:
    from leaflets.api import Pool, Recipient
    from leaflets.config.profile import Profile


@click.command("email")
@click.argument("names", nargs=-1, required=True)
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
def email(names: tuple[str, ...], **params: Any) -> None:
    """Email the leaflets NAMES (slugs, titles or article files) as PDFs, one message a patient.

    Several names go in that one message, one PDF per leaflet, with one record line.

    Recipient addresses, the note and the patient's name are never printed, logged or kept,
    except in the --eml files asked for.

    \b
    Examples:
      make-leaflet email baekkensmerter --to patient@example.dk --send
      make-leaflet email Bækkensmerter --to-file modtagere.txt --send --eml kopi.eml
      make-leaflet email content/baekkensmerter.md --to patient@example.dk --send \\
          --patient "Anna Jensen" --note "Lav øvelserne morgen og aften."
      make-leaflet email knaesmerter knaeoevelser --to patient@example.dk --send
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
        # A typo in a name, or a missing translation, is reported before any mail server.
        found = [
            in_language(find_leaflet(name, pool=pool), params["lang"], profile) for name in names
        ]
        sources = list(dict.fromkeys(found))  # a leaflet named twice goes once
        if len(sources) > 1:
            _email_together(sources, given, params, options, profile, personal, pool)
            return
        receipt = send_leaflet(
            sources[0],
            profile,
            given,
            send=params["send"],
            eml=params["eml"],
            server=params["smtp_server"],
            options=options,
            personal=personal,
            pool=pool,
        )
    what = f"'{receipt.info.title}'"
    _say_done(what, receipt.recipients, receipt.server, receipt.copies)
    give_record(receipt.record, params["journal_file"])
    give_fhir([receipt.handed], params, profile)


def _email_together(
    sources: list[Path],
    given: list[Recipient],
    params: dict[str, Any],
    options: BuildOptions,
    profile: Profile,
    personal: Personal | None,
    pool: Pool,
) -> None:
    """One message per recipient with one PDF per leaflet, and one record line."""
    from leaflets.api import BundleItem, email_bundle

    receipt = email_bundle(
        [BundleItem(source, options) for source in sources],
        profile,
        given,
        send=params["send"],
        eml=params["eml"],
        server=params["smtp_server"],
        personal=personal,
        pool=pool,
    )
    _say_done(f"{len(sources)} leaflets", receipt.recipients, receipt.server, receipt.copies)
    give_record(receipt.record, params["journal_file"])
    give_fhir(list(receipt.handed), params, profile)


def _say_done(what: str, recipients: int, server: str, copies: tuple[Path, ...]) -> None:
    count = "1 recipient" if recipients == 1 else f"{recipients} recipients"
    if server:
        click.echo(printable(f"sent {what} to {count} via {server}"))
    else:
        click.echo(printable(f"wrote {_files(copies)}: {what} for {count}"))


def _reads_stdin(handle: Any) -> bool:
    return handle is not None and getattr(handle, "name", "") in ("-", "<stdin>")


def _files(paths: tuple[Path, ...]) -> str:
    return str(paths[0]) if len(paths) == 1 else f"{paths[0]} … {paths[-1]}"
