"""Printing and sending from the desk, through the delivery library, with an audit entry."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import replace
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

from leaflets.api import LeafletInfo, PrintReceipt, print_leaflet, private_copy
from leaflets.build.pool import call_in_worker
from leaflets.config.errors import LeafletError
from leaflets.config.options import BuildOptions, Personal
from leaflets.deliver.cups import run_cups
from leaflets.deliver.message import Envelope, envelope, recipient, unique
from leaflets.deliver.record import EMAILED, record_line
from leaflets.deliver.smtp import send, smtp_password, smtp_settings, smtp_table
from leaflets.desk.audit import AuditEntry, append_entry, now_stamp
from leaflets.desk.catalogue import Catalogue, variant_options
from leaflets.desk.forms import FormError, Message
from leaflets.desk.guard import RateLimit
from leaflets.desk.letters import compose_each, preview
from leaflets.desk.records import LeafletRecord
from leaflets.desk.texts import Texts

COMPOSE_TIMEOUT = 60.0


QUEUES_SECONDS = 10.0
_queues: dict[str, tuple[float, list[str], str]] = {}


def printer_queues() -> tuple[list[str], str]:
    """The CUPS queues and the default one, asked of CUPS at most every ten seconds."""
    now = time.monotonic()
    cached = _queues.get(os.environ.get("CUPS_SERVER", ""))
    if cached is not None and now - cached[0] < QUEUES_SECONDS:
        return cached[1], cached[2]
    names, default = _ask_queues()
    _queues[os.environ.get("CUPS_SERVER", "")] = (now, names, default)
    return names, default


def _ask_queues() -> tuple[list[str], str]:
    """The CUPS queues and the default one ('' when CUPS has none or is not there)."""
    try:
        names = run_cups("lpstat", "-e").stdout.split()
        found = run_cups("lpstat", "-d").stdout
    except LeafletError:
        return [], ""
    default = found.rsplit(":", 1)[1].strip() if "default destination:" in found else ""
    return names, default if default in names else (names[0] if names else "")


def record_info(record: LeafletRecord) -> LeafletInfo:
    """The library's view of a leaflet, for the record line."""
    return LeafletInfo(
        title=record.title,
        slug=record.slug,
        language=record.language,
        reference=record.reference,
        version=record.version,
        content_hash=record.content_hash,
        published=_date(record.published),
        updated=_date(record.updated),
        review=_date(record.review),
        online=record.url,
        pages=record.pages,
    )


def _date(iso: str) -> dt.date | None:
    return dt.date.fromisoformat(iso) if iso else None


def print_copies(
    catalogue: Catalogue,
    audit: Path,
    slug: str,
    copies: int,
    variant: str,
    printer: str,
    user: str,
) -> PrintReceipt:
    """Build the edition when needed (in the warm worker) and hand it to CUPS."""
    record = catalogue.prepare(slug, variant)
    receipt = print_leaflet(
        Path(record.source),
        catalogue.profile,
        copies=copies,
        printer=printer or None,
        options=variant_options(variant),
        out=catalogue.output,
    )
    entry = _entry(receipt.info, slug, user, "print", copies=copies, printer=receipt.queue)
    append_entry(audit, replace(entry, job=receipt.job))
    return receipt


def checked_recipients(message: Message) -> int:
    """The number of distinct recipients; a bad address is named by its number only."""
    addresses = []
    for number, text in enumerate(message.addresses, 1):
        try:
            addresses.append(recipient(text, number))
        except LeafletError:
            raise FormError("error_address", number=number) from None
    return len(unique(addresses))


def preview_message(catalogue: Catalogue, slug: str) -> tuple[LeafletRecord, str, str]:
    """The leaflet, the subject and the body text the patient will get."""
    record = catalogue.current(slug)
    if record is None:
        raise LeafletError(None, f"no leaflet {slug!r}")
    subject, body = call_in_worker(
        preview, Path(record.source), catalogue.profile, timeout=COMPOSE_TIMEOUT
    )
    return record, subject, body


def send_message(
    catalogue: Catalogue,
    audit: Path,
    slug: str,
    message: Message,
    user: str,
    limit: RateLimit,
    texts: Texts,
) -> tuple[LeafletRecord, int, str]:
    """Send the leaflet, one message per patient, the note in its PDF and its text.

    Returns the leaflet, how many were sent and the record line.
    """
    count = checked_recipients(message)
    if not limit.allows(user, count):
        raise FormError("error_rate", limit=limit.limit)
    profile = catalogue.profile
    table = smtp_table(profile)
    route = envelope(profile, table, message.addresses)
    settings = smtp_settings(table, None, profile.path or "clinic.toml")
    password = smtp_password(settings)
    record = catalogue.record(slug)
    if record is None:
        raise LeafletError(None, f"no leaflet {slug!r}")
    personal = Personal(note=message.note, patient=message.name)
    with private_copy(Path(record.source), profile, BuildOptions(), personal) as outcome:
        assert outcome.target is not None and outcome.info is not None
        note = (texts["note_heading"], message.name, message.note)
        letters = call_in_worker(
            compose_each, Path(record.source), profile, route, outcome.target, note
        )
        info = outcome.info
    for number, data in enumerate(letters):
        one = Envelope(route.sender, route.reply_to, (route.recipients[number],))
        send(_message(data), one, settings, password)
        limit.record(user, 1)
    append_entry(audit, _entry(info, slug, user, "send", recipients=len(letters)))
    line = record_line(info, EMAILED, len(letters), profile.leaflets.language)
    return record, len(letters), line


def _message(data: bytes) -> EmailMessage:
    parsed = message_from_bytes(data, policy=default_policy)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _entry(info: LeafletInfo, slug: str, user: str, action: str, **counts: int | str) -> AuditEntry:
    return AuditEntry(
        when=now_stamp(),
        user=user,
        action=action,
        slug=slug,
        title=info.title,
        reference=info.reference,
        version=info.version,
        hash=info.content_hash,
        **counts,  # type: ignore[arg-type]
    )
