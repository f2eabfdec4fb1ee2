"""Reading and checking what staff type into the desk's forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs

MAX_FORM_BYTES = 64 * 1024
MAX_COPIES = 100
MAX_RECIPIENTS = 10
MAX_NOTE = 600
MAX_NAME = 120
_SEPARATORS = re.compile(r"[,;\s]+")


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
    if not text.strip().isdigit() or not 1 <= int(text.strip()) <= MAX_COPIES:
        raise FormError("error_copies")
    return int(text.strip())


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
    """The personal note, plain text of at most 600 characters."""
    note = text.replace("\r\n", "\n").strip()
    if len(note) > MAX_NOTE:
        raise FormError("error_note_long", limit=MAX_NOTE, length=len(note))
    return note


def name_from(text: str) -> str:
    """The patient's name on one line."""
    name = " ".join(text.split())
    if len(name) > MAX_NAME:
        raise FormError("error_name_long", limit=MAX_NAME)
    return name


@dataclass(frozen=True)
class Message:
    """What the send form holds: used for one message, never kept."""

    addresses: list[str]
    name: str
    note: str


def message_from(form: dict[str, str]) -> Message:
    """The send form's fields, checked."""
    return Message(
        addresses=addresses_from(form.get("to", "")),
        name=name_from(form.get("name", "")),
        note=note_from(form.get("note", "")),
    )
