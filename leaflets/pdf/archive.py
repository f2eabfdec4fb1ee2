"""An archive copy (PDF/A) whose every stream reads as long as its /Length says.

PDF/A counts a stream's bytes up to the end-of-line before `endstream`, and a carriage return
followed by a line feed is one end-of-line. WeasyPrint and qpdf both write a single line feed
there, so a stream whose own bytes end in a carriage return (a compressed stream does about
once in 256: its last byte is its checksum's, whatever the level) reads one byte short, and the
file fails PDF/A. Such a stream is written in ASCII85 over Flate, whose bytes end in `~>`.
Object streams and the cross-reference stream, whose bytes qpdf makes as it writes, are left
out of an archive copy.
"""

from __future__ import annotations

import base64
import io
import zlib
from typing import Any

from leaflets.config.options import BuildOptions

CR = b"\r"


def archive_ready(data: bytes, options: BuildOptions) -> bytes:
    """`data` as it is, or, for an archive copy, with no stream ending in a carriage return."""
    if not options.pdfa:
        return data
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        for stream in pdf.objects:
            if isinstance(stream, pikepdf.Stream) and stream.read_raw_bytes().endswith(CR):
                _end_otherwise(stream)
        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            compress_streams=False,  # compressed streams are kept byte for byte
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
        )
        return out.getvalue()


def _end_otherwise(stream: Any) -> None:
    """The stream's data in ASCII85 over Flate, when it is plain or Flate (an image's own
    coding, JPEG, ends with its end-of-image marker) and not the XMP metadata, which PDF/A
    wants unfiltered."""
    import pikepdf

    if stream.get("/Type") == pikepdf.Name.Metadata:
        return
    flate = pikepdf.Name.FlateDecode
    if stream.get("/Filter") not in (None, flate, pikepdf.Array([flate])):
        return
    packed = base64.a85encode(zlib.compress(stream.read_bytes()), adobe=False) + b"~>"
    stream.write(packed, filter=pikepdf.Array([pikepdf.Name.ASCII85Decode, flate]))
    if "/DecodeParms" in stream:  # the data is written without a predictor now
        del stream["/DecodeParms"]
