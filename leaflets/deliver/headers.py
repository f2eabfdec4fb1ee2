"""Header values that cannot forge header lines, and a check of the message as serialised.

Python's email package (before 3.11.10 and 3.12.5, CVE-2024-6923) decodes an encoded word
(`=?utf-8?q?=0D=0A...?=`) found inside a header value and writes the decoded line break out
raw. So no value may bring `=?` into a header, and every message is parsed back before it
leaves: what a mail program will read must be what was meant.
"""

from __future__ import annotations

from email import message_from_bytes
from email.message import EmailMessage, Message
from email.policy import SMTP as SMTP_POLICY
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

from leaflets.config.addresses import ENCODED_WORD_START, has_control
from leaflets.config.errors import LeafletError, warn
from leaflets.deliver.shown import without_format_characters

# `=?` becomes `= ?`: read as text, never as the start of an encoded word.
NEUTRAL_ENCODED_WORD_START = "= ?"


def header_value(value: object, what: str, source: Path | str | None) -> str:
    """A trusted value (clinic.toml) for a header; one that could forge a line is refused."""
    text = "" if value is None else str(value)
    if has_control(text):
        raise LeafletError(source, f"{what} contains a line break or control character")
    if ENCODED_WORD_START in text:
        raise LeafletError(source, f"{what} contains '=?', which mail programs read as code")
    return without_format_characters(text)


def untrusted_header_value(value: object, what: str, source: Path | str | None) -> str:
    """An article's value for a header: line breaks refused, encoded words made plain text."""
    text = "" if value is None else str(value)
    if has_control(text):
        raise LeafletError(source, f"{what} contains a line break or control character")
    text = without_format_characters(text)
    if ENCODED_WORD_START in text:
        warn(f"{source}: {what} contains '=?'; it is sent as '= ?', which no mail program decodes")
    return neutralised(text)


def neutralised(text: str) -> str:
    """`text` with every `=?` broken up; no new one can appear, so once is enough."""
    return text.replace(ENCODED_WORD_START, NEUTRAL_ENCODED_WORD_START)


def serialised(message: EmailMessage) -> bytes:
    """The message as it goes over the wire, after checking that it parses back unchanged."""
    raw = message.as_bytes(policy=SMTP_POLICY)
    check_round_trip(message, raw)
    return raw


def check_round_trip(message: EmailMessage, raw: bytes) -> None:
    """Refuse `raw` unless its parts and headers are exactly those of `message`."""
    parsed = message_from_bytes(raw, policy=default_policy)
    meant, found = list(message.walk()), list(parsed.walk())
    if len(meant) != len(found):
        raise _altered(f"{len(found)} parts instead of {len(meant)}")
    for number, (one, other) in enumerate(zip(meant, found, strict=True), 1):
        if (problem := _header_difference(one, other)) is not None:
            raise _altered(f"part {number}: {problem}")
        if not one.is_multipart() and _content(one) != _content(other):
            raise _altered(f"part {number}: the content differs")


def _header_difference(meant: Message, found: Message) -> str | None:
    names, found_names = [k.lower() for k in meant], [k.lower() for k in found]
    if names != found_names:
        return f"headers {', '.join(found_names)} instead of {', '.join(names)}"
    for name, one, other in zip(names, meant.values(), found.values(), strict=True):
        if has_control(str(one)):
            return f"{name} holds a line break"
        if _meaning(one) != _meaning(other):
            return f"{name} differs"
    return None


def _content(part: Message) -> object:
    """A leaf part's content; text without regard to the wire's line endings."""
    assert isinstance(part, EmailMessage)
    content = part.get_content()
    return content.replace("\r\n", "\n") if isinstance(content, str) else content


def _meaning(header: Any) -> object:
    """What a header says, whatever its folding and encoding on the wire.

    Whitespace is left out of the comparison: Python's folding sometimes drops a space where
    it splits a long value into encoded words. A forged header needs a line break, and that
    shows as a header name of its own or as a value that holds one.
    """
    if hasattr(header, "addresses"):
        return tuple((_visible(a.display_name), a.addr_spec) for a in header.addresses)
    if hasattr(header, "params"):
        kind = getattr(header, "content_type", None) or getattr(header, "content_disposition", "")
        return kind, tuple(sorted(header.params.items()))
    return _visible(str(header))


def _visible(text: str) -> str:
    return "".join(text.split())


def _altered(problem: str) -> LeafletError:
    return LeafletError(
        None, f"the message would not reach the patient as written ({problem}); nothing was sent"
    )
