"""Printing a leaflet for a patient or the waiting room: build it (or reuse it), then CUPS."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from leaflets.builder.catalogue import build_one, private_copy
from leaflets.builder.info import LeafletInfo
from leaflets.builder.worker import Outcome
from leaflets.config.defaults import OUTPUT_DIR, shown
from leaflets.config.options import BuildOptions, Limits, Personal
from leaflets.config.profile import Profile
from leaflets.deliver.cups import PrintRequest, ready_queue, submit
from leaflets.deliver.record import PRINTED, record_line
from leaflets.press.paper import CUPS_MEDIA, sheet_paper
from leaflets.press.prepress import settle_options

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
    the output folder is printed as it is.
    """
    options = settle_options(options or BuildOptions(), profile)
    if personal:
        with private_copy(source, profile, options, personal, limits, pool) as outcome:
            return _submit(outcome, None, ready_queue(printer), copies, options, profile)
    # A printer that cannot take the job keeps a changed leaflet from being written at all.
    outcome = build_one(
        source,
        out if out is not None else shown(OUTPUT_DIR),
        profile,
        options,
        limits,
        variant_suffix(options),
        before_writing=lambda _built: ready_queue(printer),
        pool=pool,
    )
    return _submit(outcome, outcome.target, ready_queue(printer), copies, options, profile)


def _submit(
    outcome: Outcome,
    kept: Path | None,
    queue: str,
    copies: int,
    options: BuildOptions,
    profile: Profile,
) -> PrintReceipt:
    assert outcome.target is not None and outcome.info is not None
    request = print_request(outcome.target, outcome.info.title, copies, options)
    job = submit(request, queue)
    record = record_line(outcome.info, PRINTED, copies, profile.leaflets.language, dt.date.today())
    return PrintReceipt(job, queue, request, outcome.info, record, kept, not outcome.fresh)


def variant_suffix(options: BuildOptions) -> str:
    """'-a5', '-booklet', '-large-print' and so on: one PDF per way of printing."""
    sheet = sheet_paper(options).name
    parts = [] if sheet == "a4" else [sheet]
    parts += ["booklet"] if options.booklet else []
    parts += ["large-print"] if options.large_print else []
    return "".join(f"-{part}" for part in parts)


def print_request(target: Path, title: str, copies: int, options: BuildOptions) -> PrintRequest:
    """Duplex to match the layout: long-edge flip for leaflets, short-edge for booklets."""
    return PrintRequest(
        pdf=target,
        title=title,
        copies=copies,
        sides="two-sided-short-edge" if options.booklet else "two-sided-long-edge",
        media=CUPS_MEDIA[sheet_paper(options).name],
    )
