"""Printing and sending from the desk, through the delivery library, with an audit entry."""

from __future__ import annotations

import datetime as dt
import os
import time
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

from leaflets.build.pool import call_in_worker
from leaflets.config.errors import LeafletError
from leaflets.deliver.cups import PrintRequest, ready_queue, run_cups, submit
from leaflets.deliver.message import Envelope, envelope, recipient, unique
from leaflets.deliver.smtp import send, smtp_password, smtp_settings, smtp_table
from leaflets.desk.audit import AuditEntry, append_entry, now_stamp
from leaflets.desk.catalogue import Catalogue, variant_options
from leaflets.desk.forms import FormError, Message
from leaflets.desk.guard import RateLimit
from leaflets.desk.letters import compose_each, preview
from leaflets.desk.records import LeafletRecord
from leaflets.desk.texts import Texts
from leaflets.press.paper import CUPS_MEDIA, sheet_paper
from leaflets.press.prepress import settle_options

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


def record_line(record: LeafletRecord, texts: Texts, key: str, copies: int = 0) -> str:
    """The line for the patient record: which text, which version, never to whom."""
    review = dt.date.fromisoformat(record.review).strftime("%d.%m.%Y") if record.review else ""
    details = [
        record.reference,
        texts["record_version"].format(version=record.version) if record.version else "",
        texts["record_review"].format(date=review) if review else "",
        texts["record_hash"].format(hash=record.content_hash[:12]),
    ]
    return texts[key].format(
        date=dt.date.today().strftime("%d.%m.%Y"),
        title=record.title,
        details=", ".join(part for part in details if part),
        copies=copies,
    )


def print_copies(
    catalogue: Catalogue,
    audit: Path,
    slug: str,
    copies: int,
    variant: str,
    printer: str,
    user: str,
) -> tuple[LeafletRecord, str, str]:
    """Build the edition when needed and hand it to CUPS; the record, queue and job id.

    The printer is asked whether it is ready while the leaflet builds; a problem with the
    leaflet is still reported first.
    """
    with ThreadPoolExecutor(max_workers=1) as asking:
        ready = asking.submit(ready_queue, printer or None)
        record, pdf = catalogue.printable(slug, variant)
        queue = ready.result()
    options = settle_options(variant_options(variant), catalogue.profile)
    request = PrintRequest(
        pdf=pdf,
        title=record.title,
        copies=copies,
        sides="two-sided-short-edge" if options.booklet else "two-sided-long-edge",
        media=CUPS_MEDIA[sheet_paper(options).name],
    )
    job = submit(request, queue)
    append_entry(audit, _entry(record, user, "print", copies=copies, printer=queue, job=job))
    return record, queue, job


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
) -> tuple[LeafletRecord, int]:
    """Send the leaflet, one message per patient; the record and how many were sent."""
    count = checked_recipients(message)
    if not limit.allows(user, count):
        raise FormError("error_rate", limit=limit.limit)
    profile = catalogue.profile
    table = smtp_table(profile)
    route = envelope(profile, table, message.addresses)
    settings = smtp_settings(table, None, profile.path or "clinic.toml")
    password = smtp_password(settings)
    record, pdf = catalogue.printable(slug, "standard")
    personal = (texts["note_heading"], message.name, message.note)
    letters = call_in_worker(compose_each, Path(record.source), profile, route, pdf, personal)
    for number, data in enumerate(letters):
        one = Envelope(route.sender, route.reply_to, (route.recipients[number],))
        send(_message(data), one, settings, password)
        limit.record(user, 1)
    append_entry(audit, _entry(record, user, "send", recipients=len(letters)))
    return record, len(letters)


def _message(data: bytes) -> EmailMessage:
    parsed = message_from_bytes(data, policy=default_policy)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _entry(record: LeafletRecord, user: str, action: str, **counts: int | str) -> AuditEntry:
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
