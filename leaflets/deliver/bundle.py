"""Several leaflets handed out together: one print job, or one message per patient.

The note and the patient's name go on the first leaflet only: the therapist writes the note
once, for the whole hand-out. The record line names every leaflet in one line.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from leaflets.builder.catalogue import private_copy
from leaflets.builder.info import LeafletInfo
from leaflets.builder.outcome import Outcome
from leaflets.config.errors import LeafletError, shorten
from leaflets.config.options import BuildOptions, Personal, Settled
from leaflets.config.profile import Profile
from leaflets.deliver.combine import combined
from leaflets.deliver.cups import PrintRequest, cannot_print, ready_queue, submit
from leaflets.deliver.handout import handout_edition, print_request
from leaflets.deliver.mailing import built_leaflet, deliver, keep_copy, prepared_messages
from leaflets.deliver.message import Recipient, eml_paths, envelope
from leaflets.deliver.record import EMAILED, PREPARED, PRINTED, Handout, bundle_record, handout
from leaflets.deliver.smtp import settings_for, smtp_password
from leaflets.press.paper import sheet_paper
from leaflets.press.prepress import reading_edition, settle
from leaflets.workers import private_folder

if TYPE_CHECKING:
    from leaflets.workers import Pool

MAX_JOB_TITLE = 200  # the queue shows no more of a job's name


@dataclass(frozen=True)
class Item:
    """One leaflet of a hand-out: its article (the translation chosen) and its edition."""

    source: Path
    options: BuildOptions


@dataclass(frozen=True)
class BundleReceipt:
    """A hand-out of several leaflets: what was given, how, and its one record line.

    It holds no address, note or name: a receipt may be shown or logged.
    """

    infos: tuple[LeafletInfo, ...]
    handed: tuple[Handout, ...]  # one per leaflet, for the FHIR record
    record: str
    job: str = ""  # the print job; '' for messages
    queue: str = ""
    request: PrintRequest | None = None
    pages: int = 0  # the pages of the printed PDF, blank ones included
    recipients: int = 0
    server: str = ""  # 'host:port' when sent, '' when only written
    copies: tuple[Path, ...] = ()
    stale: tuple[str, ...] = ()  # the titles handed out from their last good text


def print_bundle(
    items: Sequence[Item],
    profile: Profile,
    copies: int = 1,
    printer: str | None = None,
    personal: Personal | None = None,
    out: Path | None = None,
    pool: Pool | None = None,
) -> BundleReceipt:
    """Print the leaflets as ONE job, `copies` times, each leaflet starting on a new sheet."""
    _some(items)
    settled = [settle(item.options, profile) for item in items]
    _one_way_through(settled)
    queue = ready_queue(printer or profile.print.printer)
    with ExitStack() as stack:
        outcomes = [
            stack.enter_context(_edition(item.source, profile, options, mine, out, pool))
            for item, options, mine in zip(items, settled, _notes(items, personal), strict=True)
        ]
        infos = [_info(outcome) for outcome in outcomes]
        folder = Path(stack.enter_context(private_folder("bundle")))
        target = folder / "leaflets.pdf"
        pdfs = [outcome.target for outcome in outcomes if outcome.target is not None]
        pages = combined(pdfs, target)
        title = shorten(" + ".join(info.title for info in infos), MAX_JOB_TITLE)
        request = print_request(target, title, copies, settled[0])
        job = submit(request, queue)
        handed = tuple(
            handout(info, PRINTED, copies, pdf.read_bytes(), options, mine)
            for info, pdf, options, mine in zip(
                infos, pdfs, settled, _notes(items, personal), strict=True
            )
        )
    record = bundle_record(handed, profile.leaflets.language)
    stale = tuple(o.info.title for o in outcomes if o.stale_since and o.info is not None)
    return BundleReceipt(tuple(infos), handed, record, job, queue, request, pages, stale=stale)


def _some(items: Sequence[Item]) -> None:
    if not items:
        raise LeafletError(None, "give at least one leaflet")


def _one_way_through(settled: Sequence[Settled]) -> None:
    """Refuse leaflets that one job cannot print: it turns every sheet the same way, on one
    paper."""
    if len({options.booklet for options in settled}) > 1:
        raise cannot_print(
            "an A5 booklet turns on the short edge and the other leaflets on the long edge: "
            "print the booklets in a job of their own"
        )
    if len({sheet_paper(options).name for options in settled}) > 1:
        raise cannot_print("the leaflets are on different paper: print them one at a time")


def _notes(items: Sequence[Item], personal: Personal | None) -> list[Personal | None]:
    """The note and the name for the first leaflet; the others are the editions as kept."""
    return [personal if number == 0 else None for number in range(len(items))]


@contextmanager
def _edition(
    source: Path,
    profile: Profile,
    options: Settled,
    personal: Personal | None,
    out: Path | None,
    pool: Pool | None,
) -> Iterator[Outcome]:
    """A private copy with the note, or the edition in the output folder."""
    if personal:
        with private_copy(source, profile, options, personal, pool=pool) as outcome:
            yield outcome
        return
    yield handout_edition(source, profile, options, out, pool=pool)


def _info(outcome: Outcome) -> LeafletInfo:
    if outcome.target is None or outcome.info is None:
        raise LeafletError(outcome.job.source, "the leaflet was not built")
    return outcome.info


def email_bundle(
    items: Sequence[Item],
    profile: Profile,
    given: list[Recipient],
    send: bool = True,
    eml: Path | None = None,
    server: str | None = None,
    personal: Personal | None = None,
    out: Path | None = None,
    pool: Pool | None = None,
) -> BundleReceipt:
    """One message per recipient with one PDF per leaflet: sent, written to `eml`, or both.

    Separate files rather than one joined PDF: each keeps its own title as its name, and a
    patient finds and opens one leaflet at a time on a phone.
    """
    _some(items)
    if not send and eml is None:
        raise LeafletError(None, "give --eml FILE, --send, or both")
    route = envelope(profile, given)
    settings = settings_for(profile.smtp, server, profile.path or "clinic.toml") if send else None
    password = smtp_password(settings) if settings else ""
    settled = [settle(reading_edition(item.options), profile) for item in items]
    notes = _notes(items, personal)
    built = [
        built_leaflet(item.source, profile, options, mine, out, pool)
        for item, options, mine in zip(items, settled, notes, strict=True)
    ]
    leaflets = [leaflet for _info, leaflet in built]
    messages = prepared_messages(leaflets[0], profile, route, personal, leaflets[1:])
    copies = list(eml_paths(eml, len(messages))) if eml is not None else []
    if settings is not None:
        deliver(messages, route, settings, password, copies)
    else:
        for raw, copy in zip(messages, copies, strict=True):
            keep_copy(copy, raw)
    action = EMAILED if send else PREPARED
    handed = tuple(
        handout(info, action, len(messages), leaflet.pdf, options, mine)
        for (info, leaflet), options, mine in zip(built, settled, notes, strict=True)
    )
    record = bundle_record(handed, profile.leaflets.language)
    infos = tuple(info for info, _leaflet in built)
    where = settings.where if settings else ""
    return BundleReceipt(
        infos, handed, record, recipients=len(messages), server=where, copies=tuple(copies)
    )
