"""Text shown to people in a message or a record: titles kept short, no invisible characters.

Kept apart from the mail headers, so that printing and recording need not load the email
package.
"""

from __future__ import annotations

import unicodedata

# Where a title is shown in a line (a subject, the patient record), it is cut to this length.
MAX_SHOWN_TITLE = 150


def without_format_characters(text: str) -> str:
    """`text` without bidi controls and other invisible format characters (category Cf)."""
    return "".join(char for char in text if unicodedata.category(char) != "Cf")
