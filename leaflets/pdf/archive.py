"""An archive copy (PDF/A) whose every stream reads as long as its /Length says.

PDF/A counts a stream's bytes up to the end-of-line before `endstream`, and a carriage return
followed by a line feed is one end-of-line. WeasyPrint and qpdf both write a single line feed
there, so a stream whose own bytes end in a carriage return (a compressed stream does about
once in 256) reads one byte short, and the file fails PDF/A. Such a stream is compressed again
at another level until its bytes end otherwise; object streams and the cross-reference stream,
whose bytes qpdf makes as it writes, are left out of an archive copy.
"""

from __future__ import annotations

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
                _compress_otherwise(stream)
        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            compress_streams=False,  # compressed streams are kept byte for byte
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
        )
        return out.getvalue()


def _compress_otherwise(stream: Any) -> None:
    """The stream's data compressed at the first level whose bytes do not end in a CR."""
    import pikepdf

    filters = stream.get("/Filter")
    if filters not in (None, pikepdf.Name.FlateDecode, pikepdf.Array([pikepdf.Name.FlateDecode])):
        return  # an image's own coding (JPEG ends with its end-of-image marker)
    data = stream.read_bytes()
    for level in range(9, 0, -1):
        packed = zlib.compress(data, level)
        if not packed.endswith(CR):
            stream.write(packed, filter=pikepdf.Name.FlateDecode)
            return
