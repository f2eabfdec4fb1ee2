"""Site illustrations made small enough for print and email: scaled down and saved as JPEG."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from leaflets.article.assets import PILLOW_FORMATS, SNIFF_BYTES, image_format

if TYPE_CHECKING:
    from PIL.Image import Image as PillowImage

RASTER_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".gif"})
# 900 x 540 px is about 140 dpi at the largest size an image is shown (170 x 95 mm):
# sharp enough on an office printer, and a leaflet with six illustrations stays under 400 KB.
MAX_PIXELS_ACROSS = 900
MAX_PIXELS_DOWN = 540
# WeasyPrint re-encodes each JPEG at pdf_options' jpeg_quality; this pass stays near lossless.
JPEG_QUALITY = 90
# Small images pass through untouched: re-encoding them saves little and may blur line art.
LEAVE_ALONE_BYTES = 60 * 1024


def compact_image(path: Path, data: bytes) -> tuple[bytes, str] | None:
    """A smaller JPEG of a large raster image, with its media type; None to keep the original."""
    if path.suffix.lower() not in RASTER_SUFFIXES or len(data) <= LEAVE_ALONE_BYTES:
        return None
    if image_format(data[:SNIFF_BYTES]) not in PILLOW_FORMATS:
        return None  # the fetcher refuses it; Pillow never sees a format it was not meant for
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data), formats=PILLOW_FORMATS) as image:
            image.draft("RGB", (MAX_PIXELS_ACROSS, MAX_PIXELS_DOWN))
            small = _on_white(image)
            small.thumbnail((MAX_PIXELS_ACROSS, MAX_PIXELS_DOWN), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            small.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None  # WeasyPrint then reads the original and reports what is wrong with it
    compacted = out.getvalue()
    return (compacted, "image/jpeg") if len(compacted) < len(data) else None


def _on_white(image: PillowImage) -> PillowImage:
    """The image flattened onto white paper, as RGB."""
    from PIL import Image

    rgba = image.convert("RGBA")
    paper = Image.new("RGB", rgba.size, "white")
    paper.paste(rgba, mask=rgba.getchannel("A"))
    return paper
