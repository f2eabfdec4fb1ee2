"""`email`: the .eml read back with the email package, and delivery to a real aiosmtpd server."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from leaflets.article.model import load_article
from leaflets.config.errors import LeafletError
from leaflets.config.profile import load_profile
from leaflets.deliver.message import attachment_name, subject

from .conftest import EXAMPLE, Run

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


def send_to_one(cli: Callable[..., Run], folder: Path, smtp: str, *extra: str) -> Run:
    """`email --send` of the example to one patient, with this `[smtp]` table."""
    return cli(
        "email",
        EXAMPLE,
        "--to",
        PATIENTS[0],
        "--send",
        *extra,
        "--clinic",
        write_clinic(folder, smtp),
    )


def read_eml(path: Path) -> EmailMessage:
    message = message_from_bytes(path.read_bytes(), policy=default_policy)
    assert isinstance(message, EmailMessage)
    return message


def no_address_in(*texts: str) -> bool:
    return not any(patient.lower() in text.lower() for text in texts for patient in PATIENTS)


@dataclass
class Sink:
    """An aiosmtpd handler that keeps what it receives and refuses 'nobody@...'."""

    received: list[Any] = field(default_factory=list)
    logins: list[bytes] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("nobody@"):
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.received.append(envelope)
        return "250 OK: queued"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        self.logins.append(auth_data.login)
        ok = auth_data.login == b"klinik" and auth_data.password == b"hemmelig"
        return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_server() -> Iterator[tuple[Sink, int]]:
    """A plain SMTP server on a free loopback port."""
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield sink, controller.port
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


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[Sink, int, Path]]:
    """An SMTP server that requires STARTTLS before AUTH, with a self-signed certificate."""
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    sink = Sink()
    controller = Controller(
        sink,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=context,
        require_starttls=True,
        authenticator=sink.authenticate,
        auth_require_tls=True,
    )
    controller.start()
    yield sink, controller.port, cert
    controller.stop()


@pytest.fixture(scope="module")
def built_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The example leaflet as `build` makes it with the test clinic's profile."""
    from leaflets.cli.main import main

    folder = tmp_path_factory.mktemp("build")
    target = folder / "leaflet.pdf"
    assert (
        main(["build", str(EXAMPLE), "-o", str(target), "--clinic", str(write_clinic(folder))]) == 0
    )
    return target.read_bytes()


def test_eml_has_subject_bodies_and_the_leaflet_attached(cli, tmp_path: Path, built_pdf) -> None:
    eml = tmp_path / "til patient.eml"
    clinic = write_clinic(tmp_path)
    result = cli("email", EXAMPLE, "--to", PATIENTS[0], "--eml", eml, "--clinic", clinic)
    assert result.code == 0, result.err
    assert "1 recipient" in result.out
    assert no_address_in(result.out, result.err)
    message = read_eml(eml)
    assert message["Subject"] == "Bækkensmerter – Fysioterapeuterne & Co"
    assert message["From"].addresses[0].addr_spec == "klinik@fysio.example.dk"
    assert message["From"].addresses[0].display_name == "Fysioterapeuterne & Co"
    assert message["Reply-To"].addresses[0].addr_spec == "klinik@fysio.example.dk"
    assert [a.addr_spec for a in message["To"].addresses] == [PATIENTS[0]]
    assert message["Content-Language"] == "da"
    text = message.get_body(("plain",)).get_content()
    assert "»Bækkensmerter« fra Fysioterapeuterne & Co" in text
    assert "Venlig hilsen" in text
    html = message.get_body(("html",)).get_content()
    assert '<html lang="da">' in html
    assert "Fysioterapeuterne &amp; Co" in html
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "Bækkensmerter.pdf"
    assert attachment.get_content() == built_pdf
    assert b"filename*=utf-8''B%C3%A6kkensmerter.pdf" in eml.read_bytes()


def test_eml_in_english_for_an_english_article(cli, article, tmp_path: Path) -> None:
    source = article("---\ntitle: Runner's knee\nlang: en\n---\n\nIntro.\n\n## What\n\nText.\n")
    eml = tmp_path / "m.eml"
    result = cli(
        "email", source, "--to", PATIENTS[0], "--eml", eml, "--clinic", write_clinic(tmp_path)
    )
    assert result.code == 0, result.err
    message = read_eml(eml)
    assert "Kind regards" in message.get_body(("plain",)).get_content()
    assert '<html lang="en">' in message.get_body(("html",)).get_content()
    assert next(message.iter_attachments()).get_filename() == "Runner's knee.pdf"


def test_send_delivers_once_to_every_recipient(cli, tmp_path: Path, smtp_server, built_pdf) -> None:
    sink, port = smtp_server
    clinic = write_clinic(tmp_path, f'host = "127.0.0.1"\nport = {port}\nsecurity = "none"\n')
    args = ["email", EXAMPLE, "--to", PATIENTS[0], "--to", PATIENTS[1], "--to", PATIENTS[0]]
    result = cli(*args, "--send", "--clinic", clinic)
    assert result.code == 0, result.err
    assert "sent 'Bækkensmerter' to 2 recipients" in result.out
    assert no_address_in(result.out, result.err)
    [envelope] = sink.received
    assert envelope.mail_from == "klinik@fysio.example.dk"
    assert envelope.rcpt_tos == list(PATIENTS)
    message = message_from_bytes(envelope.original_content, policy=default_policy)
    assert message["Subject"] == "Bækkensmerter – Fysioterapeuterne & Co"
    assert next(message.iter_attachments()).get_content() == built_pdf
    assert list(tmp_path.glob("*.eml")) == []


def test_smtp_option_overrides_host_and_port(cli, tmp_path: Path, smtp_server) -> None:
    sink, port = smtp_server
    smtp = 'host = "mail.invalid"\nport = 1\nsecurity = "none"\n'
    result = send_to_one(cli, tmp_path, smtp, "--smtp", f"127.0.0.1:{port}")
    assert result.code == 0, result.err
    assert len(sink.received) == 1


def test_starttls_with_login(cli, tmp_path: Path, tls_server, monkeypatch) -> None:
    sink, port, cert = tls_server
    smtp = (
        f'host = "127.0.0.1"\nport = {port}\nsecurity = "starttls"\nusername = "klinik"\n'
        f'from = "Fysioterapeuterne <afsender@fysio.example.dk>"\nca_file = "{cert}"\n'
    )
    monkeypatch.setenv("LEAFLET_SMTP_PASSWORD", "hemmelig")
    result = send_to_one(cli, tmp_path, smtp)
    assert result.code == 0, result.err
    assert sink.logins == [b"klinik"]
    [envelope] = sink.received
    assert envelope.mail_from == "afsender@fysio.example.dk"
    message = message_from_bytes(envelope.original_content, policy=default_policy)
    assert message["Reply-To"].addresses[0].addr_spec == "klinik@fysio.example.dk"


def test_wrong_password_is_a_clean_error(cli, tmp_path: Path, tls_server, monkeypatch) -> None:
    sink, port, cert = tls_server
    smtp = f'host = "127.0.0.1"\nport = {port}\nusername = "klinik"\nca_file = "{cert}"\n'
    monkeypatch.setenv("LEAFLET_SMTP_PASSWORD", "forkert")
    result = send_to_one(cli, tmp_path, smtp)
    assert result.code == 1
    assert result.errors == [result.err.strip()] or len(result.errors) == 1
    assert "refused the login" in result.errors[0]
    assert sink.received == []


def test_untrusted_certificate_is_refused(cli, tmp_path: Path, tls_server, monkeypatch) -> None:
    sink, port, _cert = tls_server
    monkeypatch.setenv("LEAFLET_SMTP_PASSWORD", "hemmelig")
    smtp = f'host = "127.0.0.1"\nport = {port}\nusername = "klinik"\n'
    result = send_to_one(cli, tmp_path, smtp)
    assert result.code == 1
    assert "secure connection" in result.errors[0]
    assert sink.received == []


def test_a_rejected_recipient_stops_the_whole_message(cli, tmp_path: Path, smtp_server) -> None:
    sink, port = smtp_server
    clinic = write_clinic(tmp_path, f'host = "127.0.0.1"\nport = {port}\nsecurity = "none"\n')
    args = ["email", EXAMPLE, "--to", PATIENTS[0], "--to", "nobody@example.org", "--send"]
    result = cli(*args, "--clinic", clinic)
    assert result.code == 1
    assert len(result.errors) == 1
    assert "refused recipient 2 of 2" in result.errors[0]
    assert "nobody@" not in result.err
    assert sink.received == []


def test_server_down_is_a_clean_error(cli, tmp_path: Path) -> None:
    port = free_port()
    clinic = write_clinic(tmp_path, f'host = "127.0.0.1"\nport = {port}\nsecurity = "none"\n')
    result = cli("email", EXAMPLE, "--to", PATIENTS[0], "--send", "--clinic", clinic)
    assert result.code == 1
    assert result.errors == [f"error: cannot connect to 127.0.0.1:{port}: connection refused"]
    assert "Traceback" not in result.err


def test_a_silent_server_times_out(cli, tmp_path: Path) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        smtp = f'host = "127.0.0.1"\nport = {port}\nsecurity = "none"\ntimeout = 1\n'
        result = send_to_one(cli, tmp_path, smtp)
    assert result.code == 1
    assert result.errors == [f"error: 127.0.0.1:{port} did not answer within 1 s"]


@pytest.mark.parametrize(
    "address",
    [
        "patient",
        "patient@example",
        "patient@@example.org",
        "pa tient@example.org",
        "<patient@example.org>",
        "Patient <patient@example.org>",
        "patient@example.org, other@example.org",
        "patient@example..org",
        "patient@-example.org",
        "",
    ],
)
def test_bad_addresses_are_refused(cli, tmp_path: Path, address: str) -> None:
    eml = tmp_path / "m.eml"
    result = cli(
        "email", EXAMPLE, "--to", address, "--eml", eml, "--clinic", write_clinic(tmp_path)
    )
    assert result.code == 1
    assert len(result.errors) == 1 and "--to address 1" in result.errors[0]
    assert not eml.exists()


@pytest.mark.parametrize(
    "to",
    [
        "patient@example.org\r\nBcc: spy@example.net",
        "patient@example.org\nBcc: spy@example.net",
        "patient@example.org\rX: y",
    ],
)
def test_header_injection_in_an_address_is_refused(cli, tmp_path: Path, to: str) -> None:
    eml = tmp_path / "m.eml"
    result = cli("email", EXAMPLE, "--to", to, "--eml", eml, "--clinic", write_clinic(tmp_path))
    assert result.code == 1
    assert "line break" in result.errors[0]
    assert not eml.exists()


@pytest.mark.parametrize(
    ("clinic", "refusal"),
    [
        (CLINIC.replace("& Co", "& Co\\r\\nBcc: spy@example.net"), "line break"),
        # The profile's own check of the clinic's address stops this one first.
        (
            CLINIC.replace(
                'klinik@fysio.example.dk"', 'klinik@fysio.example.dk\\nBcc: spy@example.net"'
            ),
            "clinic.email: is not an email address",
        ),
        (
            CLINIC + '\n[smtp]\nfrom = "a@fysio.example.dk\\r\\nBcc: spy@example.net"\n',
            "line break",
        ),
    ],
)
def test_header_injection_from_clinic_toml_is_refused(
    cli, tmp_path: Path, clinic: str, refusal: str
) -> None:
    eml = tmp_path / "m.eml"
    path = write_clinic(tmp_path, clinic=clinic)
    result = cli("email", EXAMPLE, "--to", PATIENTS[0], "--eml", eml, "--clinic", path)
    assert result.code == 1
    assert len(result.errors) == 1
    assert refusal in result.errors[0]
    assert not eml.exists()


def test_header_injection_from_a_title_is_refused(tmp_path: Path) -> None:
    article = replace(load_article(EXAMPLE), title="Bækken\r\nBcc: spy@example.net")
    with pytest.raises(LeafletError, match="line break"):
        subject(article, load_profile(write_clinic(tmp_path)))


def test_a_password_in_clinic_toml_is_refused(cli, tmp_path: Path) -> None:
    result = send_to_one(cli, tmp_path, 'host = "127.0.0.1"\nusername = "k"\npassword = "x"\n')
    assert result.code == 1
    assert "LEAFLET_SMTP_PASSWORD" in result.errors[0]


def test_a_login_without_password_is_refused(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("LEAFLET_SMTP_PASSWORD", raising=False)
    result = send_to_one(cli, tmp_path, 'host = "127.0.0.1"\nusername = "klinik"\n')
    assert result.code == 1
    assert "LEAFLET_SMTP_PASSWORD is not" in result.errors[0]


@pytest.mark.parametrize("flags", [[], ["--send", "--eml", "m.eml"]])
def test_exactly_one_of_eml_and_send(cli, tmp_path: Path, flags: list[str]) -> None:
    result = cli("email", EXAMPLE, "--to", PATIENTS[0], *flags, "--clinic", write_clinic(tmp_path))
    assert result.code == 1
    assert result.errors == ["error: give either --eml FILE or --send"]


def test_without_a_sender_address_nothing_is_made(cli, tmp_path: Path) -> None:
    eml = tmp_path / "m.eml"
    clinic = write_clinic(tmp_path, clinic='[clinic]\nname = "Klinik"\n')
    result = cli("email", EXAMPLE, "--to", PATIENTS[0], "--eml", eml, "--clinic", clinic)
    assert result.code == 1
    assert "no sender address" in result.errors[0]
    assert not eml.exists()


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Bækkensmerter", "Bækkensmerter.pdf"),
        ("Knæ/hofte: smerter?", "Knæ hofte smerter.pdf"),
        ("...", "leaflet.pdf"),
    ],
)
def test_attachment_names_are_readable_and_safe(title: str, name: str) -> None:
    assert attachment_name(title) == name


def test_implicit_tls_on_the_ssl_port(cli, tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port(), ssl_context=context)
    controller.start()
    try:
        smtp = (
            f'host = "127.0.0.1"\nport = {controller.port}\nsecurity = "ssl"\nca_file = "{cert}"\n'
        )
        result = send_to_one(cli, tmp_path, smtp)
    finally:
        controller.stop()
    assert result.code == 0, result.err
    assert len(sink.received) == 1


@pytest.mark.parametrize("server", ["localhost", "localhost:port", ":25", "bad host:25", "h:70000"])
def test_a_malformed_smtp_option_is_refused(cli, tmp_path: Path, server: str) -> None:
    result = send_to_one(cli, tmp_path, "", "--smtp", server)
    assert result.code == 1
    assert len(result.errors) == 1 and "--smtp" in result.errors[0]
