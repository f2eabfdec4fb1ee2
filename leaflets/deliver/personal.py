"""A therapist's note and the patient's name: plain text, checked, and never kept."""

from __future__ import annotations

import unicodedata

from leaflets.config.errors import LeafletError
from leaflets.config.options import MAX_NOTE_CHARS
from leaflets.deliver.headers import without_format_characters

MAX_NAME = 100
# A note file is read only this far: enough for the longest note in any script.
NOTE_FILE_CHARS = 4 * MAX_NOTE_CHARS


def checked_note(text: str, where: str) -> str:
    """Plain text of at most MAX_NOTE_CHARS; lines kept, other control characters refused.

    The error names the option, never the note.
    """
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    note = without_format_characters("\n".join(lines).strip("\n"))
    if any(_is_control(char) for char in note.replace("\n", "").replace("\t", " ")):
        raise LeafletError(None, f"{where} contains a control character")
    if len(note) > MAX_NOTE_CHARS:
        raise LeafletError(
            None, f"{where} is {len(note)} characters; a note may have at most {MAX_NOTE_CHARS}"
        )
    return note


def checked_name(text: str) -> str:
    """One line of at most MAX_NAME characters."""
    if any(_is_control(char) for char in text.strip()):
        raise LeafletError(None, "--patient must be one line without control characters")
    name = " ".join(without_format_characters(text).split())
    if len(name) > MAX_NAME:
        raise LeafletError(None, f"--patient may have at most {MAX_NAME} characters")
    return name


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")
