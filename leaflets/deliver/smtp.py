"""Handing messages to an SMTP server once each: checked first, then sent, with clean errors."""

from __future__ import annotations

import os
import re
import smtplib
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from leaflets.config.addresses import has_control
from leaflets.config.errors import LeafletError
from leaflets.config.hosts import is_local_host
from leaflets.config.smtp import PASSWORD_VARIABLE, PORT_RANGE, SMTP_SECURITY, SmtpSettings
from leaflets.deliver.message import Envelope
from leaflets.deliver.smtp_failures import HandOverBrokenError, explain, failures, redacted

__all__ = ["PASSWORD_VARIABLE", "SMTP_SECURITY", "SmtpSettings", "send_each"]

# Called with the number (from 1) of each message the server has accepted.
Accepted = Callable[[int], None]


def settings_for(
    settings: SmtpSettings, override: str | None, source: Path | str | None
) -> SmtpSettings:
    """The profile's settings, on the server HOST:PORT of --smtp when given, checked for sending."""
    if override:
        host, port = _parsed_server(override)
        settings = settings.on_server(host, port)
    elif not settings.host:
        raise LeafletError(source, "[smtp] host is not set (or give --smtp HOST:PORT)")
    if has_control(settings.username):
        raise LeafletError(source, "[smtp] username contains a line break or control character")
    check_transport(settings, source)
    return settings


def _parsed_server(text: str) -> tuple[str, int]:
    host, _, port_text = text.rpartition(":")
    host = host.strip("[]")
    if not host or not re.fullmatch(r"[A-Za-z0-9.:-]+", host) or not port_text.isdigit():
        raise LeafletError(None, f"--smtp must be HOST:PORT, not '{text}'")
    low, high = PORT_RANGE
    if not low <= int(port_text) <= high:
        raise LeafletError(None, f"--smtp port must be from {low} to {high}")
    return host, int(port_text)


def check_transport(settings: SmtpSettings, source: Path | str | None) -> None:
    """Unencrypted SMTP only to a server on this machine: health information stays encrypted."""
    if settings.security == "none" and not is_local_host(settings.host):
        raise LeafletError(
            source,
            f'[smtp] security = "none" is allowed only for a server on this machine, '
            f'not {settings.where}; use "starttls" or "ssl"',
        )


def smtp_password(settings: SmtpSettings) -> str:
    """The password from the environment (never from a file), when a username is set."""
    if not settings.username:
        return ""
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is None:
        raise LeafletError(None, f"[smtp] username is set but {PASSWORD_VARIABLE} is not")
    return password


def send_each(
    messages: list[bytes],
    route: Envelope,
    settings: SmtpSettings,
    password: str,
    accepted: Accepted | None = None,
) -> None:
    """Send message i to recipient i, after connecting, logging in and checking every recipient.

    A refusal before the first message sends nothing; a refusal later says, by number, which
    messages were sent and which were not.
    """
    if len(messages) != len(route.recipients):
        raise ValueError("one message per recipient")
    with failures(settings, 0, len(messages)), _connect(settings) as server:
        if settings.username:
            server.login(settings.username, password)
        _check_recipients(server, route)
        for number, raw in enumerate(messages, 1):
            with failures(settings, number - 1, len(messages)):
                _transact(server, route, number, raw)
            if accepted is not None:
                accepted(number)


def try_login(settings: SmtpSettings, password: str) -> None:
    """Connect, secure the connection and log in, as a send would, then leave: proof at set-up
    that mail will go. Sends nothing."""
    check_transport(settings, None)
    try:
        with _connect(settings) as server:
            if settings.username:
                server.login(settings.username, password)
    except OSError as error:
        raise LeafletError(None, explain(error, settings)) from None


def _check_recipients(server: smtplib.SMTP, route: Envelope) -> None:
    """Offer every recipient in one transaction, then reset it: all are accepted or none sent."""
    _mail_from(server, route)
    total = len(route.recipients)
    for number, address in enumerate(route.recipients, 1):
        code, reply = server.rcpt(address.addr_spec)
        if code not in (250, 251):
            server.rset()
            raise LeafletError(
                None,
                f"the mail server refused recipient {number} of {total} "
                f"({code} {redacted(reply)}); nothing was sent",
            )
    server.rset()


def _mail_from(server: smtplib.SMTP, route: Envelope) -> None:
    code, reply = server.mail(route.sender.addr_spec)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, route.sender.addr_spec)


def _transact(server: smtplib.SMTP, route: Envelope, number: int, raw: bytes) -> None:
    """MAIL, RCPT and DATA for one message; only a 250 at the end of DATA means it was taken."""
    _mail_from(server, route)
    code, reply = server.rcpt(route.recipients[number - 1].addr_spec)
    if code not in (250, 251):
        raise smtplib.SMTPRecipientsRefused({"": (code, reply)})
    try:
        code, reply = server.data(raw)
    except smtplib.SMTPResponseException:
        raise
    except OSError:
        raise HandOverBrokenError() from None
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)


@contextmanager
def _connect(settings: SmtpSettings) -> Iterator[smtplib.SMTP]:
    context = tls_context(settings)
    server: smtplib.SMTP
    if settings.security == "ssl":
        server = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        server.ehlo()
        if settings.security == "starttls":
            _start_tls(server, settings, context)
        yield server
    finally:
        _close(server)


def _start_tls(server: smtplib.SMTP, settings: SmtpSettings, context: ssl.SSLContext) -> None:
    if not server.has_extn("starttls"):
        raise LeafletError(None, _no_starttls(settings))
    server.starttls(context=context)
    server.ehlo()


def _no_starttls(settings: SmtpSettings) -> str:
    if is_local_host(settings.host):
        return (
            f"{settings.where} does not offer STARTTLS; for a relay on this machine set "
            '[smtp] security = "none" in clinic.toml'
        )
    return (
        f"{settings.where} does not offer STARTTLS, and a leaflet is never sent unencrypted to "
        'another machine; use a server that offers it, or [smtp] security = "ssl" and its port'
    )


def _close(server: smtplib.SMTP) -> None:
    try:
        server.quit()
    except (smtplib.SMTPException, OSError):
        server.close()


def tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    """TLS 1.2 or newer, certificate and host name checked, against the system's or a CA file."""
    if settings.ca_file is not None and not settings.ca_file.is_file():
        raise LeafletError(settings.ca_file, "[smtp] ca_file does not exist")
    cafile = str(settings.ca_file) if settings.ca_file else None
    context = ssl.create_default_context(cafile=cafile)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    return context
