"""Printing and sending from the desk, through the delivery library, with an audit entry."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import replace
from pathlib import Path

from leaflets.api import LeafletInfo, PrintReceipt, print_leaflet
from leaflets.config.errors import LeafletError
from leaflets.config.options import Personal
from leaflets.deliver.cups import run_cups
from leaflets.deliver.mailing import MailReceipt, email_leaflet
from leaflets.deliver.message import (
    Leaflet,
    Recipient,
    recipient,
    render_bodies,
    subject,
    unique,
)
from leaflets.desk.audit import AuditEntry, append_entry, now_stamp
from leaflets.desk.catalogue import Catalogue, variant_options
from leaflets.desk.forms import FormError, Message
from leaflets.desk.guard import RateLimit
from leaflets.desk.records import LeafletRecord

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
    """Build the edition when needed (in a warm worker) and hand it to CUPS."""
    record = catalogue.prepare(slug, variant)
    receipt = print_leaflet(
        Path(record.source),
        catalogue.profile,
        copies=copies,
        printer=printer or None,
        options=variant_options(variant),
        out=catalogue.output,
        pool=catalogue.pool,
    )
    entry = _entry(receipt.info, slug, user, "print", copies=copies, printer=receipt.queue)
    append_entry(audit, replace(entry, job=receipt.job))
    return receipt


def given(message: Message) -> list[Recipient]:
    """The typed addresses, each named by its number, never by itself, in errors."""
    return [
        Recipient(text, f"address {number}") for number, text in enumerate(message.addresses, 1)
    ]


def checked_recipients(message: Message) -> int:
    """The number of distinct recipients; a bad address is named by its number only."""
    addresses = []
    for number, one in enumerate(given(message), 1):
        try:
            addresses.append(recipient(one))
        except LeafletError:
            raise FormError("error_address", number=number) from None
    return len(unique(addresses))


def preview_message(
    catalogue: Catalogue, slug: str, message: Message
) -> tuple[LeafletRecord, str, str]:
    """The leaflet, the subject and the body text the patient will get."""
    record = catalogue.current(slug)
    if record is None:
        raise LeafletError(None, f"no leaflet {slug!r}")
    leaflet = Leaflet(record.title, record.language, record.source, b"")
    text, _html = render_bodies(leaflet, catalogue.profile, personal(message))
    return record, subject(record.title, record.source, catalogue.profile), text


def personal(message: Message) -> Personal:
    """The note and the name, for this one message."""
    return Personal(note=message.note, patient=message.name)


def send_message(
    catalogue: Catalogue, audit: Path, slug: str, message: Message, user: str, limit: RateLimit
) -> tuple[LeafletRecord, MailReceipt]:
    """Send the leaflet, one message per patient, the note in its PDF and in its text."""
    count = checked_recipients(message)
    if not limit.allows(user, count):
        raise FormError("error_rate", limit=limit.limit)
    record = catalogue.record(slug)
    if record is None:
        raise LeafletError(None, f"no leaflet {slug!r}")
    receipt = email_leaflet(
        Path(record.source),
        catalogue.profile,
        given(message),
        personal=personal(message),
        pool=catalogue.pool,
    )
    limit.record(user, receipt.recipients)
    append_entry(audit, _entry(receipt.info, slug, user, "send", recipients=receipt.recipients))
    return record, receipt


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
