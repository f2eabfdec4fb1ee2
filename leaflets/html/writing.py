"""How a language is written on the page: its direction, and where the page furniture goes."""

from __future__ import annotations

from typing import Any

RTL = "rtl"
# The counter style argument for the digits a label file names (none for Western digits).
_COUNTER_STYLES = {"latn": "", "arab": ", arabic-indic"}


def left_to_right(text: str, labels: dict[str, Any]) -> str:
    """`text` (a web address, say) kept left to right inside right-to-left text.

    The isolate marks (U+2066, U+2069) stop a slash at the end of a line from jumping to the
    other end of it; WeasyPrint 70 has no CSS `unicode-bidi` to do the same.
    """
    return f"\u2066{text}\u2069" if labels.get("direction") == RTL and text else text


def writing_context(labels: dict[str, Any]) -> dict[str, str]:
    """Direction, page-number digits and the margin boxes of the footer, for the templates.

    A right-to-left leaflet is mirrored: its page numbers sit in the bottom left corner, the
    outer one for a reader who turns pages from left to right.
    """
    rtl = labels.get("direction") == RTL
    return {
        "direction": RTL if rtl else "ltr",
        "counter": _COUNTER_STYLES.get(str(labels.get("digits", "latn")), ""),
        "footer_box": "bottom-right" if rtl else "bottom-left",
        "number_box": "bottom-left" if rtl else "bottom-right",
    }
