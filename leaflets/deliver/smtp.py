"""Sending a message over SMTP once: one attempt, all recipients or none, clean errors."""

from __future__ import annotations

import ipaddress
import os
import re
import smtplib
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from pathlib import Path
from typing import Any

from leaflets.config.errors import LeafletError
from leaflets.config.profile import Profile
from leaflets.config.schema import SMTP_SECURITY
from leaflets.deliver.message import Envelope, header_text

PASSWORD_VARIABLE = "LEAFLET_SMTP_PASSWORD"
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
DEFAULT_TIMEOUT = 30.0
_ADDRESS_IN_REPLY = re.compile(r"<?[^\s<>@]+@[^\s<>]+>?")


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to hand the message over: the `[smtp]` table of clinic.toml."""

    host: str
    port: int
    security: str = "starttls"
    username: str = ""
    timeout: float = DEFAULT_TIMEOUT
    ca_file: Path | None = None

    @property
    def where(self) -> str:
        """'host:port', for messages."""
        return f"{self.host}:{self.port}"


def smtp_table(profile: Profile) -> dict[str, Any]:
    """The `[smtp]` table of the profile, already checked against its schema."""
    return dict(profile.smtp)


def smtp_settings(
    table: dict[str, Any], override: str | None, source: Path | str | None
) -> SmtpSettings:
    """Settings from `[smtp]`, with HOST:PORT from --smtp taking the place of its own."""
    if "password" in table:
        raise LeafletError(
            source, f"[smtp] must not hold a password; set {PASSWORD_VARIABLE} instead"
        )
    security = str(table.get("security", "starttls")).lower()
    if security not in SMTP_SECURITY:
        raise LeafletError(source, f"[smtp] security must be one of {', '.join(SMTP_SECURITY)}")
    host, port = _host_and_port(table, override, security, source)
    ca_file = table.get("ca_file")
    return SmtpSettings(
        host=host,
        port=port,
        security=security,
        username=header_text(str(table.get("username", "")), "[smtp] username", source),
        timeout=_timeout(table.get("timeout", DEFAULT_TIMEOUT), source),
        ca_file=_beside(source, str(ca_file)) if ca_file else None,
    )


def _host_and_port(
    table: dict[str, Any], override: str | None, security: str, source: Path | str | None
) -> tuple[str, int]:
    if override:
        host, _, port_text = override.rpartition(":")
        if not host or not port_text.isdigit():
            raise LeafletError(None, f"--smtp must be HOST:PORT, not '{override}'")
        return _checked_host(host.strip("[]"), "--smtp"), _checked_port(int(port_text), "--smtp")
    host = str(table.get("host", ""))
    if not host:
        raise LeafletError(source, "[smtp] host is not set (or give --smtp HOST:PORT)")
    port = table.get("port", DEFAULT_PORTS[security])
    if not isinstance(port, int):
        raise LeafletError(source, "[smtp] port must be a number")
    return _checked_host(host, f"{source}: [smtp] host"), _checked_port(port, "[smtp] port")


def _checked_host(host: str, where: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9.:-]+", host):
        raise LeafletError(None, f"{where} is not a host name")
    return host


def _checked_port(port: int, where: str) -> int:
    if not 0 < port < 65536:
        raise LeafletError(None, f"{where} must be between 1 and 65535")
    return port


def _timeout(value: object, source: Path | str | None) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
        raise LeafletError(source, "[smtp] timeout must be a positive number of seconds")
    return float(value)


def _beside(source: Path | str | None, name: str) -> Path:
    path = Path(name)
    return path if path.is_absolute() or not isinstance(source, Path) else source.parent / path


def send(message: EmailMessage, route: Envelope, settings: SmtpSettings, password: str) -> None:
    """Hand the message to the server exactly once; any failure is a LeafletError."""
    with _failures(settings), _connect(settings) as server:
        if settings.username:
            server.login(settings.username, password)
        _transact(server, message, route)


def smtp_password(settings: SmtpSettings) -> str:
    """The password from the environment (never from a file), when a username is set."""
    if not settings.username:
        return ""
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is None:
        raise LeafletError(None, f"[smtp] username is set but {PASSWORD_VARIABLE} is not")
    if settings.security == "none" and not _is_loopback(settings.host):
        raise LeafletError(
            None, f"refusing to send the SMTP password unencrypted to {settings.where}"
        )
    return password


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@contextmanager
def _connect(settings: SmtpSettings) -> Iterator[smtplib.SMTP]:
    context = _tls_context(settings)
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
            server.starttls(context=context)
            server.ehlo()
        yield server
    finally:
        _close(server)


def _close(server: smtplib.SMTP) -> None:
    try:
        server.quit()
    except (smtplib.SMTPException, OSError):
        server.close()


def _tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    """The system's trusted certificates, or the clinic's own CA file when it names one."""
    if settings.ca_file is not None and not settings.ca_file.is_file():
        raise LeafletError(settings.ca_file, "[smtp] ca_file does not exist")
    cafile = str(settings.ca_file) if settings.ca_file else None
    return ssl.create_default_context(cafile=cafile)


def _transact(server: smtplib.SMTP, message: EmailMessage, route: Envelope) -> None:
    """MAIL, every RCPT, then DATA only if all were accepted: nobody gets half a delivery."""
    code, reply = server.mail(route.sender.addr_spec)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, route.sender.addr_spec)
    for number, address in enumerate(route.recipients, 1):
        code, reply = server.rcpt(address.addr_spec)
        if code not in (250, 251):
            server.rset()
            raise LeafletError(
                None,
                f"the mail server refused recipient {number} of {len(route.recipients)} "
                f"({code} {_redacted(reply)}); nothing was sent",
            )
    try:
        server.data(message.as_bytes(policy=SMTP_POLICY))
    except smtplib.SMTPResponseException:
        raise
    except OSError:
        # The server may have the message already; sending again could deliver it twice.
        raise LeafletError(
            None,
            "the connection broke while the message was handed over; it may have been "
            "delivered, so check with the recipient before sending again",
        ) from None


def _redacted(reply: bytes | str) -> str:
    """A server reply without any address in it: replies often quote the recipient."""
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(_ADDRESS_IN_REPLY.sub("<address>", text).split())


# How each failure reads; the first matching type wins, so the specific ones come first.
_EXPLANATIONS: tuple[tuple[type[BaseException], str], ...] = (
    (smtplib.SMTPAuthenticationError, "{where} refused the login ({reply})"),
    (smtplib.SMTPSenderRefused, "{where} refused the sender address ({reply})"),
    (smtplib.SMTPDataError, "{where} refused the message ({reply})"),
    (smtplib.SMTPNotSupportedError, "{where} does not offer {mode}"),
    (
        smtplib.SMTPServerDisconnected,
        "{where} closed the connection; check with the recipient before sending again",
    ),
    (smtplib.SMTPException, "{where}: {text}"),
    (ssl.SSLError, "secure connection to {where} failed: {reason}"),
    (TimeoutError, "{where} did not answer within {timeout} s"),
    (ConnectionRefusedError, "cannot connect to {where}: connection refused"),
    (socket.gaierror, "cannot find the mail server {host}"),
)


@contextmanager
def _failures(settings: SmtpSettings) -> Iterator[None]:
    """Every way delivery can fail, as one line that names the server but no recipient."""
    try:
        yield
    except OSError as error:  # SMTP, TLS and socket errors are all OSErrors
        raise LeafletError(None, explain(error, settings)) from None


def explain(error: OSError, settings: SmtpSettings) -> str:
    """One line for a failed delivery."""
    if isinstance(error, smtplib.SMTPServerDisconnected) and isinstance(
        error.__context__, TimeoutError
    ):
        error = error.__context__  # smtplib reports a read timeout as a disconnection
    details = {
        "where": settings.where,
        "host": settings.host,
        "mode": settings.security.upper(),
        "timeout": f"{settings.timeout:g}",
        "reply": _reply(error),
        "reason": getattr(error, "reason", None) or _redacted(str(error)),
        "text": _redacted(str(error)),
    }
    for kind, text in _EXPLANATIONS:
        if isinstance(error, kind):
            return text.format(**details)
    return f"cannot reach {settings.where}: {error.strerror or _redacted(str(error))}"


def _reply(error: OSError) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_redacted(error.smtp_error)}"
    return ""
