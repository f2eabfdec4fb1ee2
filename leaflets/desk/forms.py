"""Reading and checking what staff type into the desk's forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs

from leaflets.api import MAX_NAME as MAX_NAME
from leaflets.api import PersonalError, checked_name, checked_note
from leaflets.config.options import MAX_NOTE_CHARS, Personal

MAX_FORM_BYTES = 64 * 1024
MAX_COPIES = 100
MAX_RECIPIENTS = 10
MAX_NOTE = MAX_NOTE_CHARS
_SEPARATORS = re.compile(r"[,;\s]+")
# ASCII digits only: str.isdigit() also takes "²" and "٣", which int() then refuses or reads.
_COPIES = re.compile(r"[0-9]{1,3}")


class FormError(Exception):
    """A form field that is wrong: the desk text key and what to fill into it."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def parse_form(body: bytes) -> dict[str, str]:
    """An url-encoded form body; each field's first value, as text."""
    fields = parse_qs(body[:MAX_FORM_BYTES].decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[0] for name, values in fields.items()}


def copies_from(text: str) -> int:
    """A number of copies from 1 to 100."""
    digits = text.strip()
    if not _COPIES.fullmatch(digits) or not 1 <= int(digits) <= MAX_COPIES:
        raise FormError("error_copies")
    return int(digits)


def choice_from(text: str, allowed: tuple[str, ...] | list[str], key: str) -> str:
    """One of the offered choices."""
    if text not in allowed:
        raise FormError(key)
    return text


def addresses_from(text: str) -> list[str]:
    """The addresses typed, split at commas, semicolons and white space."""
    addresses = [part for part in _SEPARATORS.split(text) if part]
    if not addresses:
        raise FormError("error_no_address")
    if len(addresses) > MAX_RECIPIENTS:
        raise FormError("error_too_many", limit=MAX_RECIPIENTS)
    return addresses


def note_from(text: str) -> str:
    """The personal note, by the command line's rule for --note."""
    try:
        return checked_note(text.strip(), "the note")
    except PersonalError as error:
        if error.problem == "long":
            raise FormError("error_note_long", limit=error.limit, length=error.length) from None
        raise FormError("error_note_control") from None


def name_from(text: str) -> str:
    """The patient's name, by the command line's rule for --patient."""
    try:
        return checked_name(text)
    except PersonalError as error:
        if error.problem == "long":
            raise FormError("error_name_long", limit=error.limit) from None
        raise FormError("error_name_control") from None


@dataclass(frozen=True)
class Message:
    """What the send form holds: used for one message, never kept."""

    addresses: list[str]
    name: str
    note: str


@dataclass(frozen=True)
class Copy:
    """What the print form holds: how many, which edition, where, and a personal note."""

    copies: int
    variant: str
    printer: str
    personal: Personal | None = None
    waiting_room: bool = False  # copies for the waiting room: no patient, no record line


def copy_from(form: dict[str, str], copies: int, variant: str, printer: str) -> Copy:
    """The print form's copy; one for the waiting room carries no personal note."""
    personal = personal_from(form)
    waiting_room = form.get("waiting_room") == "yes"
    if waiting_room and personal is not None:
        raise FormError("error_waiting_room_personal")
    return Copy(copies, variant, printer, personal, waiting_room)


def personal_from(form: dict[str, str]) -> Personal | None:
    """The patient's name and the note of a form, by the command line's rules; None if neither."""
    name, note = name_from(form.get("name", "")), note_from(form.get("note", ""))
    return Personal(note=note, patient=name) if name or note else None


def message_from(form: dict[str, str]) -> Message:
    """The send form's fields, checked."""
    return Message(
        addresses=addresses_from(form.get("to", "")),
        name=name_from(form.get("name", "")),
        note=note_from(form.get("note", "")),
    )
