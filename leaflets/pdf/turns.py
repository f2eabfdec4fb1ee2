"""No word hyphenated across a page turn: a reader who turns the page mid-word loses it.

The leaflet's only hyphenation points are the soft hyphens of listed compounds
(html/printed.py). When a page's last line ends at one, the compound is kept whole, laid out
again, and that layout is kept unless it takes more sheets.
"""

from __future__ import annotations

import re
from typing import Any

from leaflets.html.printed import SOFT_HYPHEN
from leaflets.pdf.engine import leaves, root_box

# A second layout may end another page at another compound; one more try is enough for a
# leaflet's few listed compounds, and bounds the cost.
TRIES = 2


def hyphenated_at_turns(document: Any, hyphen: str = "-") -> list[str]:
    """The start of each word that a page (but the last) ends with, hyphenated."""
    found = []
    for page in document.pages[:-1]:
        words = _last_line_text(page._page_box).split()
        if words and words[-1].endswith(hyphen) and len(words[-1]) > len(hyphen):
            found.append(words[-1][: -len(hyphen)])
    return found


def _last_line_text(page_box: Any) -> str:
    """The text of the lowest line of the page's body."""
    from weasyprint.formatting_structure import boxes

    lines = [box for box in leaves(root_box(page_box)) if isinstance(box, boxes.LineBox)]
    if not lines:
        return ""
    lowest = max(lines, key=lambda line: float(line.position_y + line.margin_height()))
    return "".join(box.text for box in lowest.descendants() if isinstance(box, boxes.TextBox))


def kept_whole(html: str, starts: list[str]) -> str:
    """`html` with the soft hyphens taken out of every compound that begins with one of
    `starts` and breaks right after it."""
    for start in starts:
        visible = start.replace(SOFT_HYPHEN, "")
        pattern = re.compile(
            rf"(?<!\w){_soft(visible)}{SOFT_HYPHEN}[\w{SOFT_HYPHEN}]*", re.IGNORECASE
        )
        html = pattern.sub(lambda match: match.group(0).replace(SOFT_HYPHEN, ""), html)
    return html


def _soft(word: str) -> str:
    """A pattern for `word` with a soft hyphen allowed between any two of its letters."""
    return f"{SOFT_HYPHEN}?".join(re.escape(char) for char in word)
