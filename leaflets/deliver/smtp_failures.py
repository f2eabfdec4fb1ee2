"""How a failed delivery reads: one line naming the server and the messages, never an address."""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager

from leaflets.config.errors import LeafletError
from leaflets.config.smtp import SmtpSettings

_ADDRESS_IN_REPLY = re.compile(r"<?[^\s<>@]+@[^\s<>]+>?")
# Reasons OpenSSL gives when the server speaks only a TLS older than we accept.
_OLD_TLS = ("UNSUPPORTED_PROTOCOL", "PROTOCOL_VERSION", "WRONG_SSL_VERSION", "NO_PROTOCOLS")
_OLD_TLS_TEXT = (
    "the server offers only TLS older than 1.2, which is not safe for health information"
)
# A server that cannot agree on a version often just hangs up instead of saying so.
_HUNG_UP_TEXT = (
    "the server ended the handshake (it may offer only TLS older than 1.2, which is refused "
    "for health information)"
)


class HandOverBrokenError(OSError):
    """The connection broke while a message was handed over: it may have arrived."""


def redacted(reply: bytes | str) -> str:
    """A server reply without any address in it: replies often quote the recipient."""
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(_ADDRESS_IN_REPLY.sub("<address>", text).split())


# How each failure reads; the first matching type wins, so the specific ones come first.
_EXPLANATIONS: tuple[tuple[type[BaseException], str], ...] = (
    (HandOverBrokenError, "the connection to {where} broke while a message was handed over"),
    (smtplib.SMTPAuthenticationError, "{where} refused the login ({reply})"),
    (smtplib.SMTPSenderRefused, "{where} refused the sender address ({reply})"),
    (smtplib.SMTPRecipientsRefused, "{where} refused the recipient"),
    (smtplib.SMTPDataError, "{where} refused the message ({reply})"),
    (smtplib.SMTPNotSupportedError, "{where} does not offer {mode}"),
    (smtplib.SMTPServerDisconnected, "{where} closed the connection"),
    (smtplib.SMTPException, "{where}: {text}"),
    (ssl.SSLError, "secure connection to {where} failed: {reason}"),
    (TimeoutError, "{where} did not answer within {timeout} s"),
    (ConnectionRefusedError, "cannot connect to {where}: connection refused"),
    (socket.gaierror, "cannot find the mail server {host}"),
)


@contextmanager
def failures(settings: SmtpSettings, sent: int, total: int) -> Iterator[None]:
    """Every way delivery can fail, as one line naming the server and the messages, no address."""
    try:
        yield
    except OSError as error:  # SMTP, TLS and socket errors are all OSErrors
        if isinstance(error, smtplib.SMTPServerDisconnected) and isinstance(
            error.__context__, TimeoutError
        ):
            error = error.__context__  # smtplib reports a read timeout as a disconnection
        maybe = isinstance(error, HandOverBrokenError)
        text = f"{explain(error, settings)}; {progress(sent, total, maybe)}"
        raise LeafletError(None, text) from None


def explain(error: OSError, settings: SmtpSettings) -> str:
    """One line for a failed delivery."""
    details = {
        "where": settings.where,
        "host": settings.host,
        "mode": settings.security.upper(),
        "timeout": f"{settings.timeout:g}",
        "reply": _reply(error),
        "reason": _tls_reason(error),
        "text": redacted(str(error)),
    }
    for kind, text in _EXPLANATIONS:
        if isinstance(error, kind):
            return text.format(**details)
    return f"cannot reach {settings.where}: {error.strerror or redacted(str(error))}"


def progress(sent: int, total: int, maybe: bool = False) -> str:
    """'messages 1–2 of 3 were sent; message 3 was not', by number and never by address."""
    if sent == 0 and not maybe:
        return "nothing was sent"
    parts = []
    if sent:
        parts.append(
            f"message 1 of {total} was sent"
            if sent == 1
            else f"messages 1–{sent} of {total} were sent"
        )
    first = sent + 1
    if maybe:
        of_total = "" if sent else f" of {total}"
        parts.append(
            f"message {first}{of_total} may have arrived, so check before sending it again"
        )
        first += 1
    if first <= total:
        parts.append(f"{_numbers(first, total)} not")
    return "; ".join(parts)


def _numbers(first: int, last: int) -> str:
    return f"message {first} was" if first == last else f"messages {first}–{last} were"


def _tls_reason(error: OSError) -> str:
    reason = str(getattr(error, "reason", None) or "")
    if any(mark in reason for mark in _OLD_TLS):
        return _OLD_TLS_TEXT
    if isinstance(error, ssl.SSLEOFError):
        return _HUNG_UP_TEXT
    return reason or redacted(str(error))


def _reply(error: OSError) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(error.recipients.values()))
        return f"{code} {redacted(reply)}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {redacted(error.smtp_error)}"
    return ""
