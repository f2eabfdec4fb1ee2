"""Printing and sending the basket through the delivery library, each audited first.

As for one leaflet, the audit entry is on the disk before the job goes to CUPS or a message
to the mail server; the outcome follows with the hand-out's one record line.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from leaflets.api import (
    BundleItem,
    BundleReceipt,
    Leaflet,
    email_bundle,
    print_bundle,
    render_bodies,
    subject,
)
from leaflets.config.errors import LeafletError
from leaflets.config.options import Personal
from leaflets.desk.actions import checked_recipients, given, log, personal
from leaflets.desk.audit import JOINED, AuditEntry, AuditError, append_entry, now_stamp
from leaflets.desk.basket import Item
from leaflets.desk.catalogue import Catalogue
from leaflets.desk.family import is_stale
from leaflets.desk.forms import FormError, Message
from leaflets.desk.guard import RateLimit


def print_basket(
    catalogue: Catalogue,
    audit: Path,
    found: list[Item],
    copies: int,
    printer: str,
    note: Personal | None,
    user: str,
) -> BundleReceipt:
    """Print the basket as ONE job, each leaflet starting on a new sheet."""
    for item in found:  # each edition built when it is not up to date, in the warm workers
        catalogue.prepare(item.record.slug, item.variant)
    entry = _entry(found, user, "print", note, copies=copies, printer=printer)
    append_entry(audit, entry)
    try:
        receipt = print_bundle(
            _bundle(catalogue, found),
            catalogue.profile,
            copies=copies,
            printer=printer or None,
            personal=note,
            out=catalogue.output,
            pool=catalogue.pool,
        )
    except LeafletError:
        _outcome(audit, _entry(found, user, "print-failed", note, copies=copies, printer=printer))
        raise
    done = _entry(
        found, user, "printed", note, copies=copies, printer=receipt.queue, job=receipt.job
    )
    _outcome(audit, done, receipt.record)
    return receipt


def send_basket(
    catalogue: Catalogue,
    audit: Path,
    found: list[Item],
    message: Message,
    user: str,
    limit: RateLimit,
) -> BundleReceipt:
    """Send the basket: one message per patient, one PDF per leaflet, the note in the first."""
    count = checked_recipients(message)
    if not limit.reserve(user, count):
        raise FormError("error_rate", limit=limit.limit)
    note = personal(message)
    append_entry(audit, _entry(found, user, "send", note, recipients=count))
    try:
        receipt = email_bundle(
            _bundle(catalogue, found),
            catalogue.profile,
            given(message),
            personal=note,
            out=catalogue.output,
            pool=catalogue.pool,
        )
    except LeafletError:
        # Part of them may have gone: the reserved count stays spent.
        _outcome(audit, _entry(found, user, "send-failed", note, recipients=count))
        raise
    sent = _entry(found, user, "sent", note, recipients=receipt.recipients)
    _outcome(audit, sent, receipt.record)
    return receipt


def _bundle(catalogue: Catalogue, found: list[Item]) -> list[BundleItem]:
    return [
        BundleItem(Path(item.record.source), catalogue.editions[item.variant]) for item in found
    ]


def _entry(
    found: list[Item],
    user: str,
    action: str,
    note: Personal | None,
    **counts: int | str,
) -> AuditEntry:
    """One entry for the whole hand-out: every leaflet named, never the note or the name."""
    records = [item.record for item in found]
    return AuditEntry(
        when=now_stamp(),
        user=user,
        action=action,
        slug=JOINED.join(record.slug for record in records),
        title=JOINED.join(record.title for record in records),
        reference=JOINED.join(record.reference or "-" for record in records),
        version=JOINED.join(record.version or "-" for record in records),
        hash=JOINED.join(record.content_hash for record in records),
        edition=JOINED.join(item.variant for item in found),
        language=JOINED.join(record.language for record in records),
        personal=bool(note and (note.note or note.patient)),
        stale_translation=any(is_stale(record) for record in records),
        **counts,  # type: ignore[arg-type]
    )


def _outcome(audit: Path, entry: AuditEntry, record: str = "") -> None:
    """The entry of what happened, with the record line: already done, so only logged when it
    cannot be written."""
    try:
        append_entry(audit, replace(entry, record=record))
    except AuditError as error:
        log.error("%s: %s", entry.action, error)


def preview_bundle(catalogue: Catalogue, found: list[Item], message: Message) -> tuple[str, str]:
    """The subject and the body text each patient will get with the basket's leaflets."""
    leaflets = [
        Leaflet(item.record.title, item.record.language, item.record.source, b"") for item in found
    ]
    first = found[0].record
    text, _html = render_bodies(leaflets[0], catalogue.profile, personal(message), leaflets[1:])
    return subject(first.title, first.source, catalogue.profile, first.language), text
