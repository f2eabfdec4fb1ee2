"""Printing a leaflet for a patient or the waiting room: build it (or reuse it), then CUPS."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from leaflets.builder.catalogue import Check, build_one, private_copy
from leaflets.builder.info import LeafletInfo
from leaflets.builder.outcome import Outcome
from leaflets.config.defaults import OUTPUT_DIR, shown
from leaflets.config.errors import warn
from leaflets.config.options import BuildOptions, Limits, Personal
from leaflets.config.profile import Profile
from leaflets.deliver.cups import PrintRequest, ready_queue, submit
from leaflets.deliver.record import PRINTED, Handout, handout
from leaflets.press.paper import CUPS_MEDIA, sheet_paper
from leaflets.press.prepress import settle

if TYPE_CHECKING:
    from leaflets.workers import Pool


@dataclass(frozen=True)
class PrintReceipt:
    """A print job handed to CUPS, and the line for the patient record."""

    job: str
    queue: str
    request: PrintRequest
    info: LeafletInfo
    record: str
    kept: Path | None  # the PDF kept in the output folder; None for a personal copy
    rebuilt: bool  # the article had changed (or was new), so its leaflet was built now
    handed: Handout  # what the record line and the FHIR record are made from
    stale_since: str = ""  # the article fails to build: the last good leaflet was printed


def print_leaflet(
    source: Path,
    profile: Profile,
    copies: int = 1,
    printer: str | None = None,
    options: BuildOptions | None = None,
    personal: Personal | None = None,
    out: Path | None = None,
    limits: Limits | None = None,
    pool: Pool | None = None,
) -> PrintReceipt:
    """Print `copies` of the article's leaflet, duplex, with the note on a personal copy.

    The leaflet is built first (in a worker of `pool`, or of a pool of its own), so that a
    problem with the article is reported before one with the printer; an up-to-date PDF in
    the output folder is printed as it is. When the article fails to build, the last good
    leaflet of that edition is printed, with a warning.
    """
    settled = settle(options or BuildOptions(), profile)
    printer = printer or profile.print.printer
    if personal:
        with private_copy(source, profile, settled, personal, limits, pool) as outcome:
            return _submit(outcome, None, ready_queue(printer), copies, settled, profile, personal)
    # A printer that cannot take the job keeps a changed leaflet from being written at all.
    outcome = handout_edition(
        source, profile, settled, out, limits, lambda _built: ready_queue(printer), pool
    )
    return _submit(outcome, outcome.target, ready_queue(printer), copies, settled, profile, None)


def handout_edition(
    source: Path,
    profile: Profile,
    options: BuildOptions,
    out: Path | None = None,
    limits: Limits | None = None,
    before_writing: Check | None = None,
    pool: Pool | None = None,
) -> Outcome:
    """The edition's PDF in the output folder: built unless up to date, or the last good one
    (with a warning) when the article fails to build."""
    outcome = build_one(
        source,
        out if out is not None else shown(OUTPUT_DIR),
        profile,
        options,
        limits,
        before_writing,
        last_good=True,
        pool=pool,
    )
    if outcome.stale_since:
        warn(older_text_warning(outcome))
    return outcome


def older_text_warning(outcome: Outcome) -> str:
    """What a user is told when handing out the last good leaflet of a failing article."""
    return (
        f"{outcome.target} is from an older text: the article fails to build since "
        f"{outcome.stale_since.replace('T', ' ')} ({outcome.error})"
    )


def _submit(
    outcome: Outcome,
    kept: Path | None,
    queue: str,
    copies: int,
    options: BuildOptions,
    profile: Profile,
    personal: Personal | None,
) -> PrintReceipt:
    assert outcome.target is not None and outcome.info is not None
    request = print_request(outcome.target, outcome.info.title, copies, options)
    pdf = outcome.target.read_bytes()
    job = submit(request, queue)
    handed = handout(outcome.info, PRINTED, copies, pdf, options, personal)
    record = handed.record(profile.leaflets.language)
    rebuilt = not outcome.fresh and not outcome.stale_since
    info, stale = outcome.info, outcome.stale_since
    return PrintReceipt(job, queue, request, info, record, kept, rebuilt, handed, stale)


def print_request(target: Path, title: str, copies: int, options: BuildOptions) -> PrintRequest:
    """Duplex to match the layout: long-edge flip for leaflets, short-edge for booklets."""
    return PrintRequest(
        pdf=target,
        title=title,
        copies=copies,
        sides="two-sided-short-edge" if options.booklet else "two-sided-long-edge",
        media=CUPS_MEDIA[sheet_paper(options).name],
    )
