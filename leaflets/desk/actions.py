"""Printing and sending from the desk, through the delivery library, each audited first.

The audit entry is on the disk before the job goes to CUPS or a message to the mail server:
when it cannot be written, nothing is printed or sent. The outcome follows in a second entry.
"""

from __future__ import annotations

import base64
import logging
import os
import time
from pathlib import Path

from leaflets.api import (
    Leaflet,
    MailReceipt,
    PrintReceipt,
    Recipient,
    built_leaflet,
    call_in,
    mail_edition,
    print_leaflet,
    recipient,
    render_bodies,
    send_leaflet,
    subject,
    unique_addresses,
)
from leaflets.api import printer_queues as queues
from leaflets.config.errors import LeafletError
from leaflets.config.options import Personal
from leaflets.desk.audit import AuditEntry, AuditError, append_entry, now_stamp
from leaflets.desk.catalogue import Catalogue
from leaflets.desk.describe import first_page_png
from leaflets.desk.family import is_stale
from leaflets.desk.forms import Copy, FormError, Message
from leaflets.desk.guard import RateLimit
from leaflets.desk.records import LeafletRecord

QUEUES_SECONDS = 10.0
PICTURE_SECONDS = 30.0
log = logging.getLogger("leaflets.desk")
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
        found = queues()
    except LeafletError:
        return [], ""
    names = [queue.name for queue in found]
    default = next((queue.name for queue in found if queue.default), "")
    return names, default or (names[0] if names else "")


def print_copies(
    catalogue: Catalogue, audit: Path, slug: str, copy: Copy, user: str
) -> PrintReceipt:
    """Build the edition when needed (in a warm worker of the desk's pool), audit, and hand it
    to CUPS; a personal copy is built in a private folder and gone afterwards."""
    copies, printer = copy.copies, copy.printer
    record = catalogue.prepare(slug, copy.variant)
    handed = _handed(record, copy.variant, copy.personal, waiting_room=copy.waiting_room)
    append_entry(audit, _entry(record, user, "print", copies=copies, printer=printer, **handed))
    try:
        receipt = print_leaflet(
            Path(record.source),
            catalogue.profile,
            copies=copies,
            printer=printer or None,
            options=catalogue.editions[copy.variant],
            personal=copy.personal,
            out=catalogue.output,
            pool=catalogue.pool,
        )
    except LeafletError:
        failed = _entry(record, user, "print-failed", copies=copies, printer=printer, **handed)
        _outcome(audit, failed)
        raise
    job = receipt.job
    done = _entry(record, user, "printed", copies=copies, printer=receipt.queue, job=job, **handed)
    _outcome(audit, done)
    return receipt


def given(message: Message) -> list[Recipient]:
    """The typed addresses, each named by its number, never by itself, in errors."""
    return [
        Recipient(text, f"address {number}") for number, text in enumerate(message.addresses, 1)
    ]


def checked_recipients(message: Message) -> int:
    """The number of distinct recipients; a bad address is named by its number only."""
    return len(distinct_recipients(message))


def distinct_recipients(message: Message) -> list[str]:
    """Each distinct address in full, as it will be written on the message."""
    addresses = []
    for number, one in enumerate(given(message), 1):
        try:
            addresses.append(recipient(one))
        except LeafletError:
            raise FormError("error_address", number=number) from None
    return [address.addr_spec for address in unique_addresses(addresses)]


def preview_message(
    catalogue: Catalogue, slug: str, message: Message
) -> tuple[LeafletRecord, str, str]:
    """The leaflet, the subject and the body text the patient will get."""
    record = catalogue.current(slug)
    if record is None:
        raise LeafletError(None, f"no leaflet {slug!r}")
    leaflet = Leaflet(record.title, record.language, record.source, b"")
    text, _html = render_bodies(leaflet, catalogue.profile, personal(message))
    return record, subject(record.title, record.source, catalogue.profile, record.language), text


def first_page_sent(
    catalogue: Catalogue, slug: str, message: Message, variant: str, with_note: bool = True
) -> bytes:
    """Page 1 of the PDF the patient will get, with the note and the name (`with_note`), as a
    PNG.

    The copy is built as sending builds it (a personal one in a private folder that is gone
    afterwards) and drawn in a worker; the picture exists only in memory, for this answer.
    """
    record = catalogue.record(slug)
    if record is None:
        raise LeafletError(None, f"no leaflet {slug!r}")
    edition = mail_edition(catalogue.editions[variant], catalogue.profile)
    _info, leaflet = built_leaflet(
        Path(record.source),
        catalogue.profile,
        edition,
        personal(message) if with_note else None,
        catalogue.output,
        catalogue.pool,
    )
    picture: bytes = call_in(catalogue.pool, first_page_png, leaflet.pdf, timeout=PICTURE_SECONDS)
    return picture


def sent_picture(png: bytes, alt: str) -> tuple[str, str]:
    """A page picture for the preview, inside the page itself: it may show the patient's name
    and note, so it is never kept anywhere a second request could fetch it from."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii"), alt


def personal(message: Message) -> Personal:
    """The note and the name, for this one message."""
    return Personal(note=message.note, patient=message.name)


def send_message(
    catalogue: Catalogue,
    audit: Path,
    slug: str,
    message: Message,
    user: str,
    limit: RateLimit,
    variant: str = "standard",
) -> tuple[LeafletRecord, MailReceipt]:
    """Send the leaflet, one message per patient, the note in its PDF and in its text.

    The messages are counted against the hour, and audited, before the first one goes.
    """
    count = checked_recipients(message)
    record = catalogue.record(slug)
    if record is None:
        raise LeafletError(None, f"no leaflet {slug!r}")
    if not limit.reserve(user, count):
        raise FormError("error_rate", limit=limit.limit)
    handed = _handed(record, variant, personal(message))
    append_entry(audit, _entry(record, user, "send", recipients=count, **handed))
    try:
        receipt = send_leaflet(
            Path(record.source),
            catalogue.profile,
            given(message),
            options=catalogue.editions[variant],
            personal=personal(message),
            out=catalogue.output,
            pool=catalogue.pool,
        )
    except LeafletError:
        # Part of them may have gone: the reserved count stays spent.
        _outcome(audit, _entry(record, user, "send-failed", recipients=count, **handed))
        raise
    _outcome(audit, _entry(record, user, "sent", recipients=receipt.recipients, **handed))
    return record, receipt


def _handed(
    record: LeafletRecord, variant: str, note: Personal | None, waiting_room: bool = False
) -> dict[str, str | bool]:
    """What the audit says of a hand-out besides the leaflet: never the note or the name."""
    return {
        "edition": variant,
        "language": record.language,
        "personal": bool(note and (note.note or note.patient)),
        "stale_translation": is_stale(record),
        "waiting_room": waiting_room,
    }


def _entry(record: LeafletRecord, user: str, action: str, **counts: int | str | bool) -> AuditEntry:
    return AuditEntry(
        when=now_stamp(),
        user=user,
        action=action,
        slug=record.slug,
        title=record.title,
        reference=record.reference,
        version=record.version,
        hash=record.content_hash,
        **counts,  # type: ignore[arg-type]
    )


def _outcome(audit: Path, entry: AuditEntry) -> None:
    """The entry of what happened: already done, so a failure to write it is only logged."""
    try:
        append_entry(audit, entry)
    except AuditError as error:
        log.error("%s: %s", entry.action, error)
