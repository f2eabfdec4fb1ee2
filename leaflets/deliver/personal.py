"""A therapist's note and the patient's name: plain text, checked, and never kept."""

from __future__ import annotations

import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from leaflets.config.errors import LeafletError
from leaflets.deliver.headers import without_format_characters

MAX_NOTE = 600
MAX_NAME = 100
# A note file is read only this far: enough for 600 characters in any script.
_NOTE_FILE_BYTES = 4 * MAX_NOTE + 4


@dataclass(frozen=True)
class Personal:
    """What makes one copy one patient's: both are shown as typed, never as Markdown or HTML."""

    note: str = ""
    patient: str = ""

    def __bool__(self) -> bool:
        return bool(self.note or self.patient)


def personal(note: str | None, note_file: Path | None, patient: str | None) -> Personal:
    """The note (from --note or --note-file) and the name, checked; errors never repeat them."""
    if note is not None and note_file is not None:
        raise LeafletError(None, "give either --note or --note-file, not both")
    text = read_note_file(note_file) if note_file is not None else (note or "")
    where = "--note-file" if note_file else "--note"
    return Personal(checked_note(text, where), checked_name(patient or ""))


def read_note_file(path: Path) -> str:
    """The note in `path` (`-` for standard input), as UTF-8 text."""
    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read(_NOTE_FILE_BYTES + 1)
        else:
            with path.open("rb") as handle:
                data = handle.read(_NOTE_FILE_BYTES + 1)
    except OSError as problem:
        raise LeafletError(path, f"cannot be read: {problem.strerror or problem}") from None
    if len(data) > _NOTE_FILE_BYTES:
        raise LeafletError(path, f"is too long for a note (at most {MAX_NOTE} characters)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LeafletError(path, "is not UTF-8 text") from None


def checked_note(text: str, where: str) -> str:
    """Plain text of at most MAX_NOTE characters; lines kept, other control characters refused."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    note = without_format_characters("\n".join(lines).strip("\n"))
    if any(_is_control(char) for char in note.replace("\n", "").replace("\t", " ")):
        raise LeafletError(None, f"{where} contains a control character")
    if len(note) > MAX_NOTE:
        raise LeafletError(
            None, f"{where} is {len(note)} characters; a note may have at most {MAX_NOTE}"
        )
    return note


def checked_name(text: str) -> str:
    """One line of at most MAX_NAME characters."""
    name = " ".join(without_format_characters(text).split())
    if any(_is_control(char) for char in text.replace("\n", "")) or "\n" in text.strip():
        raise LeafletError(None, "--patient must be one line without control characters")
    if len(name) > MAX_NAME:
        raise LeafletError(None, f"--patient may have at most {MAX_NAME} characters")
    return name


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")
