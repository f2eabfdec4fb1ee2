"""Heading levels that never skip: a screen reader's outline, and PDF/UA-1, need them in steps.

An article that goes from a section (h2) straight to h4 is printed with that heading as h3;
`check` tells the editor about the skip (rule `heading-skip`).
"""

from __future__ import annotations

import re

# One tag name at a time, no repetition to backtrack over: linear in `re`.
_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s>/])", re.IGNORECASE)


def consecutive_headings(html: str) -> str:
    """`html` with each heading at most one level below the heading it belongs under."""
    # (level written, level printed) of the headings that the next one may belong under
    open_levels: list[tuple[int, int]] = []
    printed = 0

    def renumber(tag: re.Match[str]) -> str:
        nonlocal printed
        closing, level = tag.group(1), int(tag.group(2))
        if not closing:
            while open_levels and open_levels[-1][0] >= level:
                open_levels.pop()
            printed = min(level, open_levels[-1][1] + 1 if open_levels else level)
            open_levels.append((level, printed))
        return f"<{closing}h{printed}"

    return _HEADING_TAG.sub(renumber, html)
