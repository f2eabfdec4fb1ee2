"""An archive copy reads as PDF/A reads it: every stream as long as its /Length says, counting
the end-of-line before `endstream` out, even when the stream's own bytes end in a CR."""

from __future__ import annotations

import io
import re
import zlib

import pikepdf
import pytest

from leaflets.config.options import BuildOptions
from leaflets.pdf.archive import archive_ready

STREAM = re.compile(rb"/Length (\d+)\b[^>]*>>\s*stream\r?\n", re.S)
# Content whose Flate bytes end in a CR: the last byte of zlib's output is its checksum's.
CONTENT = b"%" + b"a" * 145 + b"\nq Q\n"


def pdf_with_a_stream_ending_in_cr(compressed: bool = True) -> bytes:
    """A one-page file whose content stream's bytes end with a carriage return."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if compressed:
        packed = zlib.compress(CONTENT)
        assert packed.endswith(b"\r")
        stream = pikepdf.Stream(pdf, packed)
        stream.Filter = pikepdf.Name.FlateDecode
    else:
        stream = pdf.make_stream(b"q Q\r")
    pdf.pages[0].Contents = stream
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


def short_streams(data: bytes) -> list[tuple[int, int]]:
    return [
        (declared, counted)
        for declared, counted in lengths_as_pdfa_reads_them(data)
        if declared != counted
    ]


@pytest.mark.parametrize("compressed", [True, False])
def test_a_stream_ending_in_cr_is_one_byte_short_as_written(compressed: bool) -> None:
    assert short_streams(pdf_with_a_stream_ending_in_cr(compressed))


@pytest.mark.parametrize("compressed", [True, False])
def test_an_archive_copy_counts_every_stream_right_and_keeps_its_content(
    compressed: bool,
) -> None:
    fixed = archive_ready(pdf_with_a_stream_ending_in_cr(compressed), BuildOptions(pdfa=True))
    assert lengths_as_pdfa_reads_them(fixed) and not short_streams(fixed)
    with pikepdf.open(io.BytesIO(fixed)) as pdf:
        content = pdf.pages[0].Contents.read_bytes()
    assert content == (CONTENT if compressed else b"q Q\r")


def test_a_copy_that_is_not_for_the_archive_is_left_as_it_is() -> None:
    data = pdf_with_a_stream_ending_in_cr()
    assert archive_ready(data, BuildOptions()) is data
