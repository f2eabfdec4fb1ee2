"""The one rule for email addresses, in clinic.toml and on the command line."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Mail programs decode `=?charset?q?...?=` inside a header, so the pair must never reach one.
ENCODED_WORD_START = "=?"


class AddressError(ValueError):
    """Why a text is not an address we send to or from."""


@dataclass(frozen=True)
class Mailbox:
    """A checked address: an ASCII local part, the domain as DNS spells it, and a name."""

    local_part: str
    domain: str
    display_name: str = ""

    @property
    def addr_spec(self) -> str:
        """'name@domain.tld'."""
        return f"{self.local_part}@{self.domain}"


def has_control(text: str) -> bool:
    """Whether `text` holds a character that could end a header line."""
    return any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in text)


def parse_mailbox(text: str, display_name: bool = False) -> Mailbox:
    """`text` as a plain `name@domain.tld` (or `Name <name@domain.tld>` when allowed)."""
    if has_control(text):
        raise AddressError("contains a line break or control character")
    if ENCODED_WORD_START in text:
        raise AddressError("contains '=?', which mail programs read as an encoded header")
    # Imported here: its patterns take 50 ms to compile, which a profile without addresses skips.
    from email_validator import EmailNotValidError, validate_email

    try:
        found = validate_email(
            text,
            check_deliverability=False,
            allow_smtputf8=False,
            allow_display_name=display_name,
        )
    except EmailNotValidError as problem:
        raise AddressError(str(problem).rstrip(".")) from None
    return Mailbox(found.local_part, found.ascii_domain, found.display_name or "")


def address_problem(text: str, display_name: bool = False) -> str | None:
    """Why `text` is not an address, or None when it is one."""
    try:
        parse_mailbox(text, display_name)
    except AddressError as problem:
        return str(problem)
    return None
