"""Several leaflets as one PDF for one print job, each starting on a new sheet."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

import pikepdf

from leaflets.builder.output import write_atomically


def combined(pdfs: Sequence[Path], target: Path, duplex: bool = True) -> int:
    """Write the PDFs one after another to `target`; the number of pages written.

    Printed on both sides, a leaflet with an odd number of pages is followed by a blank page,
    so that the next one starts on a sheet of its own and can be handed out apart.
    """
    with pikepdf.new() as joined:
        for number, path in enumerate(pdfs):
            with pikepdf.open(path) as pdf:
                joined.pages.extend(pdf.pages)
            if duplex and number < len(pdfs) - 1 and len(joined.pages) % 2:
                _blank_after(joined)
        count = len(joined.pages)
        data = _saved(joined)
    # The file may hold a patient's note: only its owner may read it.
    write_atomically(target, data, mode=0o600)
    return count


def _blank_after(pdf: pikepdf.Pdf) -> None:
    """A blank page the size of the last one, so the paper does not change mid-job."""
    last = pdf.pages[-1]
    box = [float(value) for value in last.mediabox]
    pdf.add_blank_page(page_size=(box[2] - box[0], box[3] - box[1]))


def _saved(pdf: pikepdf.Pdf) -> bytes:
    buffer = BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()
