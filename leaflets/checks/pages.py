"""How many A4 pages an article will take, estimated from its text without rendering it."""

from __future__ import annotations

import math
from collections.abc import Iterable

from leaflets.checks.text import CELL, HEADING, ITEM, TextBlock

# Millimetres on an A4 leaflet at the default style (12.5 pt text, line height 1.5, 170 mm
# measure), measured on built leaflets; see the calibration in the README.
PAGE_HEIGHT = 255.0
TITLE_BAND = 48.0
LINE = 6.6
CHARS_PER_LINE = 78
HEADING_HEIGHT = {1: 18.0, 2: 18.0, 3: 12.0}
PARAGRAPH_GAP = 3.0
ITEM_GAP = 1.2
ROW_HEIGHT = 8.0
IMAGE_HEIGHT = 80.0


def estimated_pages(blocks: Iterable[TextBlock], images: int = 0) -> float:
    """Pages the blocks fill, as a fraction (1.2 means a little onto the second page)."""
    height = TITLE_BAND + images * IMAGE_HEIGHT
    rows: set[int] = set()
    for block in blocks:
        if block.kind == CELL:
            rows.add(block.line)
        else:
            height += block_height(block)
    return (height + len(rows) * ROW_HEIGHT) / PAGE_HEIGHT


def block_height(block: TextBlock) -> float:
    """The height of one heading, paragraph or list item."""
    if block.kind == HEADING:
        return HEADING_HEIGHT.get(block.level, 10.0)
    lines = max(1, math.ceil(len(" ".join(block.text.split())) / CHARS_PER_LINE))
    return lines * LINE + (ITEM_GAP if block.kind == ITEM else PARAGRAPH_GAP)
