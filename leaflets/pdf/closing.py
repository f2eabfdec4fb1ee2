"""A last page for more than the contact panel: when the panel alone would take it, fitting
lays the leaflet out again, tighter or with the panel in its compact form (clinic.css)."""

from __future__ import annotations

from typing import Any

from leaflets.pdf.engine import root_box

COMPACT = "compact-closing"  # the class on <html> that asks clinic.css for the compact panel
# How much less of a page the compact panel takes, at least: 0.08-0.10 of an A4 page on the
# corpus leaflets whose panel was alone.
COMPACT_SAVES = 0.08


def closing_alone(document: Any) -> bool:
    """Whether the last page (of more than one) begins with the closing panel."""
    if len(document.pages) < 2:
        return False
    page_box = document.pages[-1]._page_box
    root = root_box(page_box)
    closing = next((box for box in root.descendants() if _is_closing(box)), None)
    return closing is not None and closing.position_y <= page_box.content_box_y() + 1


def _is_closing(box: Any) -> bool:
    element = getattr(box, "element", None)
    classes = (element.get("class") or "").split() if element is not None else []
    return box.element_tag == "aside" and "closing" in classes
