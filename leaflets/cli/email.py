"""`make-leaflet email`: a leaflet to patients, one message each, as .eml files or over SMTP."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from leaflets.cli.params import build_options, options_from, personal_from, personal_options
from leaflets.cli.record import give_record
from leaflets.config.errors import LeafletError, collect_warnings, warn

if TYPE_CHECKING:
    from leaflets.build.info import LeafletInfo
    from leaflets.config.options import BuildOptions, Personal
    from leaflets.config.profile import Profile
    from leaflets.config.smtp import SmtpSettings
    from leaflets.deliver.message import Envelope, Leaflet, Recipient

# A recipients file is read only this far: thousands of addresses, never a whole disk.
MAX_TO_FILE_BYTES = 1 << 20


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
@build_options
@click.pass_context
def email(ctx: click.Context, /, name: str, **params: Any) -> None:
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
    from leaflets.build.lookup import find_leaflet
    from leaflets.config.profile import load_profile
    from leaflets.deliver.message import envelope
    from leaflets.deliver.record import EMAILED, PREPARED, record_line
    from leaflets.deliver.smtp import settings_for, smtp_password

    eml, send = params["eml"], params["send"]
    if eml is None and not send:
        raise LeafletError(None, "give --eml FILE, --send, or both")
    if str(params["to_file"]) == "-" and _reads_stdin(params["note_file"]):
        raise LeafletError(None, "only one of --to-file and --note-file can read standard input")
    extra = personal_from(params)
    given = recipients(params["to"], params["to_file"])
    path = find_leaflet(name)  # a typo in the name is reported before any mail server
    profile = load_profile(params["clinic"])
    route = envelope(profile, given)
    source = profile.path or params["clinic"]
    settings = settings_for(profile.smtp, params["smtp_server"], source) if send else None
    password = smtp_password(settings) if settings else ""
    info, leaflet = built_leaflet(path, profile, options_from(params), extra)
    messages = prepared_messages(leaflet, profile, route, extra)
    copies = eml_copies(eml, len(messages))
    if settings is not None:
        deliver(messages, route, settings, password, copies)
        click.echo(f"sent '{leaflet.title}' to {_count(len(messages))} via {settings.where}")
    else:
        for raw, copy in zip(messages, copies, strict=True):
            _write_copy(copy, raw)
        click.echo(f"wrote {_files(copies)}: '{leaflet.title}' for {_count(len(messages))}")
    action = EMAILED if send else PREPARED
    line = record_line(info, action, len(messages), profile.leaflets.language)
    give_record(line, params["journal_file"])
    ctx.exit(0)


def _reads_stdin(handle: Any) -> bool:
    return handle is not None and getattr(handle, "name", "") in ("-", "<stdin>")


def recipients(to: tuple[str, ...], to_file: Path | None) -> list[Recipient]:
    """The addresses of --to and of --to-file, each with where it came from."""
    from leaflets.deliver.message import Recipient

    given = [Recipient(text, f"--to address {number}") for number, text in enumerate(to, 1)]
    if to_file is not None:
        lines = _read_to_file(to_file).splitlines()
        given += [
            Recipient(line, f"--to-file line {number}")
            for number, line in enumerate(lines, 1)
            if line.strip() and not line.lstrip().startswith("#")
        ]
    return given


def _read_to_file(path: Path) -> str:
    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read(MAX_TO_FILE_BYTES + 1)
        else:
            with path.open("rb") as handle:
                data = handle.read(MAX_TO_FILE_BYTES + 1)
    except OSError as problem:
        raise LeafletError(path, f"cannot be read: {problem.strerror or problem}") from None
    if len(data) > MAX_TO_FILE_BYTES:
        raise LeafletError(path, "is too large for a list of recipients (1 MB at most)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LeafletError(path, "is not UTF-8 text") from None


def built_leaflet(
    path: Path, profile: Profile, options: BuildOptions, extra: Personal | None
) -> tuple[LeafletInfo, Leaflet]:
    """The leaflet built in a worker into a private folder (with the note, if any), as values."""
    from leaflets.build.catalogue import private_copy
    from leaflets.deliver.message import Leaflet

    with private_copy(path, profile, options, extra) as outcome:
        assert outcome.target is not None and outcome.info is not None
        info, pdf = outcome.info, outcome.target.read_bytes()
    return info, Leaflet(info.title, info.language, path, pdf)


def prepared_messages(
    leaflet: Leaflet, profile: Profile, route: Envelope, extra: Personal | None
) -> list[bytes]:
    """One checked, serialised message per recipient, each addressed to that patient alone."""
    from leaflets.deliver.headers import serialised
    from leaflets.deliver.message import compose

    with collect_warnings() as found:
        messages = [
            serialised(compose(leaflet, profile, route, to, extra)) for to in route.recipients
        ]
    for message in dict.fromkeys(found):  # the same title warns once, not once a message
        warn(message)
    return messages


def eml_copies(eml: Path | None, count: int) -> list[Path | None]:
    """Where each message's copy goes, or None for no copy."""
    from leaflets.deliver.message import eml_paths

    return list(eml_paths(eml, count)) if eml is not None else [None] * count


def deliver(
    messages: list[bytes],
    route: Envelope,
    settings: SmtpSettings,
    password: str,
    copies: list[Path | None],
) -> None:
    """Send every message; keep a copy of each one the server accepted, when asked."""
    from leaflets.deliver.smtp import send_each

    def keep(number: int) -> None:
        _write_copy(copies[number - 1], messages[number - 1])

    send_each(messages, route, settings, password, accepted=keep)


def _write_copy(path: Path | None, raw: bytes) -> None:
    from leaflets.build.output import write_atomically

    if path is not None:
        write_atomically(path, raw, mode=0o600)  # it holds a patient's address


def _files(paths: list[Path | None]) -> str:
    shown = [str(path) for path in paths if path is not None]
    return shown[0] if len(shown) == 1 else f"{shown[0]} … {shown[-1]}"


def _count(count: int) -> str:
    return "1 recipient" if count == 1 else f"{count} recipients"
