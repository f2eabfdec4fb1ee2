"""A therapist's note and the patient's name: plain text, checked, and never kept.

One rule for the command line and the desk: each says what is wrong in its own words, from
the `problem` and the numbers of a `PersonalError`.
"""

from __future__ import annotations

import unicodedata

from leaflets.config.errors import LeafletError
from leaflets.config.options import MAX_NOTE_CHARS
from leaflets.deliver.shown import without_format_characters

MAX_NAME = 100
# A note file is read only this far: enough for the longest note in any script.
NOTE_FILE_CHARS = 4 * MAX_NOTE_CHARS
# Embeddings, overrides and isolates reorder what is shown (`…fdp.exe` as `…exe.pdf`): refused.
# Other invisible format characters (a zero-width joiner in a word, say) are only removed.
_REORDERING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class PersonalError(LeafletError):
    """A note or a name that breaks the rule: `problem` is "control" or "long"."""

    def __init__(self, message: str, problem: str, length: int = 0, limit: int = 0) -> None:
        super().__init__(None, message)
        self.problem = problem
        self.length = length
        self.limit = limit


def checked_note(text: str, where: str) -> str:
    """Plain text of at most MAX_NOTE_CHARS; lines kept, other control characters refused.

    The error names the option, never the note.
    """
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    raw = "\n".join(lines).strip("\n")
    if any(_is_control(char) for char in raw.replace("\n", "").replace("\t", " ")):
        raise PersonalError(f"{where} contains a control character", "control")
    note = without_format_characters(raw)
    if len(note) > MAX_NOTE_CHARS:
        raise PersonalError(
            f"{where} is {len(note)} characters; a note may have at most {MAX_NOTE_CHARS}",
            "long",
            len(note),
            MAX_NOTE_CHARS,
        )
    return note


def checked_name(text: str) -> str:
    """One line of at most MAX_NAME characters."""
    if any(_is_control(char) for char in text.strip()):
        raise PersonalError("--patient must be one line without control characters", "control")
    name = " ".join(without_format_characters(text).split())
    if len(name) > MAX_NAME:
        raise PersonalError(
            f"--patient may have at most {MAX_NAME} characters", "long", len(name), MAX_NAME
        )
    return name


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in _REORDERING
