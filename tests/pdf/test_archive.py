"""An archive copy reads as PDF/A reads it: every stream as long as its /Length says, counting
the end-of-line before `endstream` out, even when the stream's own bytes end in a CR."""

from __future__ import annotations

import io
import re

import pikepdf

from leaflets.config.options import BuildOptions
from leaflets.pdf.archive import archive_ready

STREAM = re.compile(rb"/Length (\d+)\b[^>]*>>\s*stream\r?\n", re.S)
CONTENT = b"q Q\r"


def pdf_with_a_stream_ending_in_cr() -> bytes:
    """A one-page file whose content stream's bytes end with a carriage return."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Contents = pdf.make_stream(CONTENT)
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


def lengths_as_pdfa_reads_them(data: bytes) -> list[tuple[int, int]]:
    """(declared, counted) for every stream; a CR LF or a LF before `endstream` is not counted."""
    found = []
    for match in STREAM.finditer(data):
        end = data.index(b"endstream", match.end())
        body = data[match.end() : end]
        body = body[:-2] if body.endswith(b"\r\n") else body[:-1] if body.endswith(b"\n") else body
        found.append((int(match.group(1)), len(body)))
    return found


def test_a_stream_ending_in_cr_is_one_byte_short_as_written() -> None:
    assert (len(CONTENT), len(CONTENT) - 1) in lengths_as_pdfa_reads_them(
        pdf_with_a_stream_ending_in_cr()
    )


def test_an_archive_copy_counts_every_stream_right_and_keeps_its_content() -> None:
    fixed = archive_ready(pdf_with_a_stream_ending_in_cr(), BuildOptions(pdfa=True))
    lengths = lengths_as_pdfa_reads_them(fixed)
    assert lengths and all(declared == counted for declared, counted in lengths), lengths
    with pikepdf.open(io.BytesIO(fixed)) as pdf:
        assert pdf.pages[0].Contents.read_bytes() == CONTENT


def test_a_copy_that_is_not_for_the_archive_is_left_as_it_is() -> None:
    data = pdf_with_a_stream_ending_in_cr()
    assert archive_ready(data, BuildOptions()) is data
