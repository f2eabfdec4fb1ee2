"""`email`: the .eml read back with the email package, and delivery to a real aiosmtpd server."""

from __future__ import annotations

import re
import shutil
import socket
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from leaflets.config.errors import LeafletError
from leaflets.config.profile import load_profile
from leaflets.deliver.message import attachment_name, subject

from ..conftest import EXAMPLE, Run
from ..desk_browser import KNEE
from ..pdf.test_page_breaks import LONG_ARTICLE
from ..smtp_servers import (
    CLINIC,
    PATIENTS,
    Sink,
    free_port,
    parsed,
    running,
    self_signed,
    server_context,
    write_clinic,
)


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
    return parsed(path.read_bytes())


def no_address_in(*texts: str) -> bool:
    return not any(patient.lower() in text.lower() for text in texts for patient in PATIENTS)


@pytest.fixture
def smtp_server() -> Iterator[tuple[Sink, int]]:
    """A plain SMTP server on a free loopback port."""
    sink = Sink()
    with running(sink) as port:
        yield sink, port


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[Sink, int, Path]]:
    """An SMTP server that requires STARTTLS before AUTH, with a self-signed certificate."""
    cert, key = self_signed(tmp_path)
    sink = Sink()
    with running(
        sink,
        tls_context=server_context(cert, key),
        require_starttls=True,
        authenticator=sink.authenticate,
        auth_require_tls=True,
    ) as port:
        yield sink, port, cert


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
    assert message["Subject"] == "Information fra Fysioterapeuterne & Co"
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


def test_send_delivers_one_message_to_each_recipient(
    cli, tmp_path: Path, smtp_server, built_pdf
) -> None:
    sink, port = smtp_server
    clinic = write_clinic(tmp_path, f'host = "127.0.0.1"\nport = {port}\nsecurity = "none"\n')
    args = ["email", EXAMPLE, "--to", PATIENTS[0], "--to", PATIENTS[1], "--to", PATIENTS[0]]
    result = cli(*args, "--send", "--clinic", clinic)
    assert result.code == 0, result.err
    assert "sent 'Bækkensmerter' to 2 recipients" in result.out
    assert no_address_in(result.out, result.err)
    assert [envelope.rcpt_tos for envelope in sink.received] == [[PATIENTS[0]], [PATIENTS[1]]]
    for envelope, patient, other in zip(sink.received, PATIENTS, reversed(PATIENTS), strict=True):
        assert envelope.mail_from == "klinik@fysio.example.dk"
        message = parsed(envelope.original_content)
        assert [a.addr_spec for a in message["To"].addresses] == [patient]
        assert other.encode() not in envelope.original_content
        assert message["Subject"] == "Information fra Fysioterapeuterne & Co"
        assert next(message.iter_attachments()).get_content() == built_pdf
    assert list(tmp_path.glob("*.eml")) == []


def test_several_leaflets_go_in_one_message_per_recipient_one_pdf_each(
    cli, tmp_path: Path, smtp_server
) -> None:
    sink, port = smtp_server
    knee, back = tmp_path / "knaesmerter.md", tmp_path / "back-pain.md"
    knee.write_text(KNEE, encoding="utf-8")
    shutil.copy(LONG_ARTICLE, back)
    clinic = write_clinic(tmp_path, f'host = "127.0.0.1"\nport = {port}\nsecurity = "none"\n')
    journal = tmp_path / "journal.txt"
    result = cli(
        "email", EXAMPLE, knee, back, "--to", PATIENTS[0], "--to", PATIENTS[1], "--send",
        "--note", "Lav øvelserne hver dag.", "--clinic", clinic, "--journal-file", journal,
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "sent 3 leaflets to 2 recipients" in result.out
    assert no_address_in(result.out, result.err)
    assert [envelope.rcpt_tos for envelope in sink.received] == [[PATIENTS[0]], [PATIENTS[1]]]
    for envelope in sink.received:
        message = parsed(envelope.original_content)
        attached = list(message.iter_attachments())
        assert [part.get_filename() for part in attached] == [
            "Bækkensmerter.pdf", "Knæsmerter.pdf", attachment_name(_title(back))
        ]  # fmt: skip
        assert all(part.get_content().startswith(b"%PDF-") for part in attached)
        text = message.get_body(("plain",)).get_content()
        assert "Her er de patientinformationer fra Fysioterapeuterne & Co" in text
        assert "  - Knæsmerter" in text and "Lav øvelserne hver dag." in text
    [line] = journal.read_text("utf-8").splitlines()
    assert line.count("»") == 3 and line.count("med personlig besked") == 1
    assert line.endswith("sendt på e-mail til 2 modtagere.")


def _title(article: Path) -> str:
    found = re.search(r"(?m)^title: (.*)$", article.read_text("utf-8"))
    assert found
    return found.group(1).strip().strip('"')


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
    message = parsed(envelope.original_content)
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
    assert result.errors == [
        f"error: cannot connect to 127.0.0.1:{port}: connection refused; nothing was sent"
    ]
    assert "Traceback" not in result.err


def test_a_silent_server_times_out(cli, tmp_path: Path) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        smtp = f'host = "127.0.0.1"\nport = {port}\nsecurity = "none"\ntimeout = 1\n'
        result = send_to_one(cli, tmp_path, smtp)
    assert result.code == 1
    assert result.errors == [f"error: 127.0.0.1:{port} did not answer within 1 s; nothing was sent"]


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
    with pytest.raises(LeafletError, match="line break"):
        subject("Bækken\r\nBcc: spy@example.net", EXAMPLE, load_profile(write_clinic(tmp_path)))


def test_a_password_in_clinic_toml_is_refused(cli, tmp_path: Path) -> None:
    result = send_to_one(cli, tmp_path, 'host = "127.0.0.1"\nusername = "k"\npassword = "x"\n')
    assert result.code == 1
    assert "LEAFLET_SMTP_PASSWORD" in result.errors[0]


def test_a_login_without_password_is_refused(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("LEAFLET_SMTP_PASSWORD", raising=False)
    result = send_to_one(cli, tmp_path, 'host = "127.0.0.1"\nusername = "klinik"\n')
    assert result.code == 1
    assert "LEAFLET_SMTP_PASSWORD is not" in result.errors[0]


def test_eml_or_send_is_needed(cli, tmp_path: Path) -> None:
    result = cli("email", EXAMPLE, "--to", PATIENTS[0], "--clinic", write_clinic(tmp_path))
    assert result.code == 1
    assert result.errors == ["error: give --eml FILE, --send, or both"]


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
    sink = Sink()
    with running(sink, ssl_context=server_context(cert, key)) as port:
        smtp = f'host = "127.0.0.1"\nport = {port}\nsecurity = "ssl"\nca_file = "{cert}"\n'
        result = send_to_one(cli, tmp_path, smtp)
    assert result.code == 0, result.err
    assert len(sink.received) == 1


@pytest.mark.parametrize("server", ["localhost", "localhost:port", ":25", "bad host:25", "h:70000"])
def test_a_malformed_smtp_option_is_refused(cli, tmp_path: Path, server: str) -> None:
    result = send_to_one(cli, tmp_path, "", "--smtp", server)
    assert result.code == 1
    assert len(result.errors) == 1 and "--smtp" in result.errors[0]
