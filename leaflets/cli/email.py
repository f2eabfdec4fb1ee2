"""`make-leaflet email`: a leaflet to patients, one message each, as .eml files or over SMTP."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from leaflets.cli.params import build_options, options_from
from leaflets.config.defaults import RENDER_TIMEOUT_SECONDS
from leaflets.config.errors import LeafletError, collect_warnings, warn

if TYPE_CHECKING:
    from leaflets.article.model import Article
    from leaflets.config.options import BuildOptions
    from leaflets.config.profile import Profile
    from leaflets.config.smtp import SmtpSettings
    from leaflets.deliver.message import Envelope, Leaflet, Recipient
    from leaflets.deliver.personal import Personal
    from leaflets.deliver.record import Action

# A recipients file is read only this far: thousands of addresses, never a whole disk.
MAX_TO_FILE_BYTES = 1 << 20

EXAMPLES = """
\b
Examples:
  make-leaflet email content/baekkensmerter.md --to patient@example.dk --send
  make-leaflet email content/baekkensmerter.md --to-file modtagere.txt --send --eml kopi.eml
  make-leaflet email content/baekkensmerter.md --to patient@example.dk --note-file note.txt \\
      --patient "Anna Jensen" --send --journal-file journal.txt
"""


@click.command("email", epilog=EXAMPLES)
@click.argument("path", type=click.Path(path_type=Path))
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
@click.option("--note", metavar="TEXT", help="A personal note for the patient (plain text).")
@click.option(
    "--note-file",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="The personal note from FILE ('-' for standard input).",
)
@click.option("--patient", metavar="NAME", help="The patient's name, for the greeting and note.")
@click.option(
    "--journal-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Append the line for the patient record to FILE instead of printing it.",
)
@build_options
@click.pass_context
def email(ctx: click.Context, /, path: Path, **params: Any) -> None:
    """Email the leaflet for the article at PATH, attached as a PDF, one message per patient.

    Recipient addresses, the note and the patient's name are never printed, logged or kept,
    except in the --eml files asked for.
    """
    from leaflets.config.profile import load_profile
    from leaflets.deliver.message import Leaflet, envelope
    from leaflets.deliver.personal import personal
    from leaflets.deliver.smtp import settings_for, smtp_password

    eml, send = params["eml"], params["send"]
    if eml is None and not send:
        raise LeafletError(None, "give --eml FILE, --send, or both")
    if str(params["to_file"]) == str(params["note_file"]) == "-":
        raise LeafletError(None, "only one of --to-file and --note-file can read standard input")
    extra = personal(params["note"], params["note_file"], params["patient"])
    given = recipients(params["to"], params["to_file"])
    profile = load_profile(params["clinic"])
    route = envelope(profile, given)
    source = profile.path or params["clinic"]
    settings = settings_for(profile.smtp, params["smtp_server"], source) if send else None
    password = smtp_password(settings) if settings else ""
    article, pdf = built_leaflet(path, profile, options_from(params))
    leaflet = Leaflet(article.title, article.language, article.path, pdf)
    messages = prepared_messages(leaflet, profile, route, extra)
    copies = eml_copies(eml, len(messages))
    if settings is not None:
        deliver(messages, route, settings, password, copies)
        click.echo(f"sent '{article.title}' to {_count(len(messages))} via {settings.where}")
    else:
        for raw, copy in zip(messages, copies, strict=True):
            _write_copy(copy, raw)
        click.echo(f"wrote {_files(copies)}: '{article.title}' for {_count(len(messages))}")
    note_record(article, profile, "emailed" if send else "prepared", len(messages), params)
    ctx.exit(0)


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


def prepared_messages(
    leaflet: Leaflet, profile: Profile, route: Envelope, extra: Personal
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
        if (copy := copies[number - 1]) is not None:
            _write_copy(copy, messages[number - 1])

    send_each(messages, route, settings, password, accepted=keep)


def _write_copy(path: Path | None, raw: bytes) -> None:
    from leaflets.build.output import write_atomically

    if path is not None:
        write_atomically(path, raw, mode=0o600)  # it holds a patient's address


def note_record(
    article: Article, profile: Profile, action: Action, count: int, params: dict[str, Any]
) -> None:
    """Print the line for the patient record, or append it to --journal-file."""
    from leaflets.deliver.record import record_line
    from leaflets.html.identity import reference, review_date, version

    line = record_line(
        title=article.title,
        reference=reference(article, profile),
        version=version(article),
        next_review=review_date(article, profile),
        content_hash=article.source_hash,
        action=action,
        count=count,
        language=article.language,
        day=dt.date.today(),
    )
    journal: Path | None = params["journal_file"]
    if journal is None:
        click.echo(line)
        return
    append_line(journal, line)
    click.echo(f"added the record line to {journal}")


def append_line(path: Path, line: str) -> None:
    """Append one line to a journal file, creating it when it does not exist."""
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    except OSError as problem:
        raise LeafletError(path, f"cannot be written: {problem.strerror or problem}") from None


def built_leaflet(path: Path, profile: Profile, options: BuildOptions) -> tuple[Article, bytes]:
    """The article and its PDF, built in a worker like any leaflet, into a scratch folder."""
    from leaflets.article.model import load_article
    from leaflets.build.job import Job
    from leaflets.build.pool import run_jobs
    from leaflets.config.options import Limits

    if path.is_dir():
        raise LeafletError(path, "is a folder; give one article to email")
    if not path.exists():
        raise LeafletError(path, "no such file")
    with collect_warnings():
        # The worker repeats any warning about the article; say it once.
        article = load_article(path, profile.leaflets.language)
    with tempfile.TemporaryDirectory(prefix="leaflet-mail-") as folder:
        job = Job(path, target=Path(folder) / "leaflet.pdf")
        limits = Limits(workers=1, timeout=RENDER_TIMEOUT_SECONDS)
        for outcome in run_jobs([job], profile, options, limits):
            for message in outcome.warnings:
                warn(message)
            if not outcome.ok or outcome.target is None:
                raise LeafletError(None, outcome.error or f"{path}: the leaflet was not built")
            return article, outcome.target.read_bytes()
    raise LeafletError(path, "the leaflet was not built")


def _files(paths: list[Path | None]) -> str:
    shown = [str(path) for path in paths if path is not None]
    return shown[0] if len(shown) == 1 else f"{shown[0]} … {shown[-1]}"


def _count(count: int) -> str:
    return "1 recipient" if count == 1 else f"{count} recipients"
