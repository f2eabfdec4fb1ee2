"""What staff read when a leaflet cannot be built, printed or sent: the desk's own sentence.

The reason itself (a path, a line number, a CUPS or SMTP reply in English) goes to the
server's log for the person who looks after the desk, never to the page.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from pathlib import Path

from leaflets.api import printer_queues
from leaflets.config.errors import LeafletError
from leaflets.desk.records import LeafletRecord
from leaflets.desk.texts import Texts

log = logging.getLogger("leaflets.desk")
_reported: set[tuple[str, str]] = set()
_reported_lock = threading.Lock()


def stale_notice(record: LeafletRecord, output: Path, texts: Texts) -> str:
    """The calm notice on a leaflet offered from its last good text; '' for an up-to-date one.

    The error is logged once per leaflet and error, with its file and line, for the editor.
    """
    if not record.stale_since:
        return ""
    with _reported_lock:
        first = (record.slug, record.error) not in _reported
        _reported.add((record.slug, record.error))
    if first:
        log.warning(
            "%s fails to build, the last good leaflet is offered: %s", record.slug, record.error
        )
    return texts["stale_notice"].format(date=_edition_date(record, output))


def _edition_date(record: LeafletRecord, output: Path) -> str:
    """The date of the last good text: its own date, else the day its PDF was made."""
    iso = record.updated or record.published
    if iso:
        day = dt.date.fromisoformat(iso)
    else:
        made = (output / record.pdf).stat().st_mtime if (output / record.pdf).is_file() else 0
        day = (
            dt.date.fromtimestamp(made) if made else dt.date.fromisoformat(record.stale_since[:10])
        )
    return day.strftime("%d.%m.%Y")


def build_failure(slug: str, error: LeafletError, texts: Texts) -> str:
    """The sentence for a leaflet that cannot be made at all; the reason goes to the log."""
    log.warning("%s cannot be built: %s", slug, error)
    return texts["error_build"]


def print_failure(printer: str, error: LeafletError, texts: Texts) -> str:
    """The sentence for a print that did not go, from the printer's state as CUPS tells it."""
    log.warning("printing on %s failed: %s", printer or "the default printer", error)
    try:
        found = {queue.name: queue for queue in printer_queues()}
    except LeafletError:
        return texts["error_print_no_cups"]
    queue = found.get(printer) or next((q for q in found.values() if q.default), None)
    if queue is None:
        return texts["error_print_no_cups"]
    name = queue.name
    if queue.out_of_paper:
        return texts["error_print_paper"].format(printer=name)
    if queue.state == "stopped":
        return texts["error_print_stopped"].format(printer=name)
    if not queue.accepting:
        return texts["error_print_refusing"].format(printer=name)
    return texts["error_print"]


def send_failure(error: LeafletError, texts: Texts) -> str:
    """The sentence for a send that failed: whether anything went, never the server's words."""
    reason = str(error)
    log.warning("sending failed: %s", reason)
    if "may have arrived" in reason:
        return texts["error_send_unsure"]
    if "nothing was sent" in reason:
        return texts["error_send"]
    if " were sent" in reason or " was sent" in reason:
        return texts["error_send_partly"]
    return texts["error_send"]
