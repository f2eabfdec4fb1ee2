"""Real SMTP servers for the email tests: aiosmtpd on a free loopback port, with or without TLS."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

PATIENTS = ("patient@example.org", "partner@example.net")
CLINIC = """\
[clinic]
name = "Fysioterapeuterne & Co"
email = "klinik@fysio.example.dk"
phone = "12 34 56 78"
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write_clinic(folder: Path, smtp: str = "", clinic: str = CLINIC) -> Path:
    path = folder / "clinic.toml"
    path.write_text(clinic + ("\n[smtp]\n" + smtp if smtp else ""), encoding="utf-8")
    return path


def local_smtp(port: int, extra: str = "") -> str:
    """An `[smtp]` table for an unencrypted relay on this machine."""
    return f'host = "127.0.0.1"\nport = {port}\nsecurity = "none"\n{extra}'


def parsed(raw: bytes) -> EmailMessage:
    message = message_from_bytes(raw, policy=default_policy)
    assert isinstance(message, EmailMessage)
    return message


@dataclass
class Sink:
    """An aiosmtpd handler that keeps what it receives.

    It refuses 'nobody@...' at RCPT, and answers `data_replies[n]` to the end of DATA of the
    n-th message (from 0) when one is given.
    """

    received: list[Any] = field(default_factory=list)
    logins: list[bytes] = field(default_factory=list)
    data_replies: dict[int, str] = field(default_factory=dict)
    hang_up_at: int | None = None  # close the connection at the end of DATA of this message
    offered: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("nobody@"):
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        number, self.offered = self.offered, self.offered + 1
        if number == self.hang_up_at:
            server.transport.close()
            return "421 closing"
        if number in self.data_replies:
            return self.data_replies[number]
        self.received.append(envelope)
        return "250 OK: queued"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        self.logins.append(auth_data.login)
        ok = auth_data.login == b"klinik" and auth_data.password == b"hemmelig"
        return AuthResult(success=ok, handled=False)


@contextmanager
def running(sink: Sink, **options: Any) -> Iterator[int]:
    """An aiosmtpd server for `sink` on a free loopback port, stopped afterwards."""
    controller = Controller(sink, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1 and localhost, and its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    """The server's side of TLS with the throwaway certificate."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context
