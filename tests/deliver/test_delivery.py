"""Delivery: one message per patient, refusals counted by number, encrypted transport."""

from __future__ import annotations

import io
import smtplib
import ssl
import warnings
from pathlib import Path

import pytest

from ..conftest import EXAMPLE
from ..smtp_servers import (
    PATIENTS,
    Sink,
    local_smtp,
    parsed,
    running,
    self_signed,
    server_context,
    write_clinic,
)

THREE = (*PATIENTS, "third@example.com")


def to_all(addresses: tuple[str, ...]) -> list[str]:
    return [arg for address in addresses for arg in ("--to", address)]


def no_address_in(text: str) -> bool:
    return not any(address in text for address in THREE)


def test_a_refusal_at_the_end_of_data_counts_as_not_sent(cli, tmp_path: Path) -> None:
    sink = Sink(data_replies={0: "554 5.7.1 Message refused"})
    with running(sink) as port:
        clinic = write_clinic(tmp_path, local_smtp(port))
        result = cli("email", EXAMPLE, "--to", PATIENTS[0], "--send", "--clinic", clinic)
    assert result.code == 1
    assert result.errors == [
        f"error: 127.0.0.1:{port} refused the message (554 5.7.1 Message refused); nothing was sent"
    ]
    assert "sent '" not in result.out
    assert sink.received == []


def test_a_refusal_mid_way_says_which_messages_were_sent(cli, tmp_path: Path) -> None:
    sink = Sink(data_replies={2: "554 5.7.1 Message refused"})
    eml = tmp_path / "kopi.eml"
    with running(sink) as port:
        clinic = write_clinic(tmp_path, local_smtp(port))
        result = cli("email", EXAMPLE, *to_all(THREE), "--send", "--eml", eml, "--clinic", clinic)
    assert result.code == 1
    assert len(result.errors) == 1
    assert result.errors[0].endswith("messages 1–2 of 3 were sent; message 3 was not")
    assert no_address_in(result.err + result.out)
    assert [envelope.rcpt_tos for envelope in sink.received] == [[THREE[0]], [THREE[1]]]
    # The copies are of what was sent, and only of that.
    assert sorted(path.name for path in tmp_path.glob("*.eml")) == ["kopi-1.eml", "kopi-2.eml"]


def test_a_refusal_of_the_second_message_leaves_two_unsent(cli, tmp_path: Path) -> None:
    sink = Sink(data_replies={1: "554 5.7.1 Message refused"})
    with running(sink) as port:
        clinic = write_clinic(tmp_path, local_smtp(port))
        result = cli("email", EXAMPLE, *to_all(THREE), "--send", "--clinic", clinic)
    assert result.code == 1
    assert result.errors[0].endswith("message 1 of 3 was sent; messages 2–3 were not")
    assert len(sink.received) == 1


def test_eml_with_send_keeps_exactly_what_was_sent(cli, tmp_path: Path) -> None:
    sink = Sink()
    eml = tmp_path / "kopi.eml"
    with running(sink) as port:
        clinic = write_clinic(tmp_path, local_smtp(port))
        result = cli(
            "email", EXAMPLE, *to_all(PATIENTS), "--send", "--eml", eml, "--clinic", clinic
        )
    assert result.code == 0, result.err
    copies = [tmp_path / "kopi-1.eml", tmp_path / "kopi-2.eml"]
    assert [envelope.original_content for envelope in sink.received] == [
        copy.read_bytes() for copy in copies
    ]
    assert not eml.exists()
    assert all(copy.stat().st_mode & 0o077 == 0 for copy in copies)


def test_eml_alone_writes_one_file_per_recipient(cli, tmp_path: Path) -> None:
    eml = tmp_path / "til.eml"
    result = cli(
        "email", EXAMPLE, *to_all(PATIENTS), "--eml", eml, "--clinic", write_clinic(tmp_path)
    )
    assert result.code == 0, result.err
    for number, patient in enumerate(PATIENTS, 1):
        raw = (tmp_path / f"til-{number}.eml").read_bytes()
        assert [a.addr_spec for a in parsed(raw)["To"].addresses] == [patient]
        assert all(other.encode() not in raw for other in PATIENTS if other != patient)


def test_recipients_from_a_file(cli, tmp_path: Path) -> None:
    listed = tmp_path / "modtagere.txt"
    listed.write_text(f"# dagens patienter\n{PATIENTS[0]}\n\n  {PATIENTS[1]}  \n", encoding="utf-8")
    sink = Sink()
    with running(sink) as port:
        clinic = write_clinic(tmp_path, local_smtp(port))
        result = cli("email", EXAMPLE, "--to-file", listed, "--send", "--clinic", clinic)
    assert result.code == 0, result.err
    assert "to 2 recipients" in result.out
    assert [envelope.rcpt_tos for envelope in sink.received] == [[PATIENTS[0]], [PATIENTS[1]]]


def test_recipients_from_standard_input(cli, tmp_path: Path, monkeypatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(f"{PATIENTS[0]}\n".encode()))
    monkeypatch.setattr("sys.stdin", stdin)
    eml = tmp_path / "m.eml"
    result = cli(
        "email", EXAMPLE, "--to-file", "-", "--eml", eml, "--clinic", write_clinic(tmp_path)
    )
    assert result.code == 0, result.err
    assert [a.addr_spec for a in parsed(eml.read_bytes())["To"].addresses] == [PATIENTS[0]]


def test_a_bad_line_in_the_recipients_file_is_named_by_number(cli, tmp_path: Path) -> None:
    listed = tmp_path / "modtagere.txt"
    listed.write_text(f"{PATIENTS[0]}\nikke en adresse\n", encoding="utf-8")
    eml = tmp_path / "m.eml"
    result = cli(
        "email", EXAMPLE, "--to-file", listed, "--eml", eml, "--clinic", write_clinic(tmp_path)
    )
    assert result.code == 1
    assert result.errors[0].startswith("error: --to-file line 2 is not an email address")
    assert "ikke en adresse" not in result.err
    assert not eml.exists()


def test_no_recipient_at_all_is_an_error(cli, tmp_path: Path) -> None:
    result = cli("email", EXAMPLE, "--eml", tmp_path / "m.eml", "--clinic", write_clinic(tmp_path))
    assert result.errors == ["error: give at least one recipient with --to or --to-file"]


def test_a_relay_without_starttls_names_the_setting(cli, tmp_path: Path) -> None:
    sink = Sink()
    with running(sink) as port:
        clinic = write_clinic(tmp_path, f'host = "127.0.0.1"\nport = {port}\n')
        result = cli("email", EXAMPLE, "--to", PATIENTS[0], "--send", "--clinic", clinic)
    assert result.code == 1
    assert result.errors == [
        f"error: 127.0.0.1:{port} does not offer STARTTLS; for a relay on this machine set "
        '[smtp] security = "none" in clinic.toml'
    ]
    assert sink.received == []


@pytest.mark.parametrize(
    ("smtp", "extra"),
    [
        ('host = "smtp.example.dk"\nsecurity = "none"\n', ()),
        ('host = "127.0.0.1"\nsecurity = "none"\n', ("--smtp", "192.0.2.10:25")),
    ],
)
def test_unencrypted_smtp_to_another_machine_is_refused(
    cli, tmp_path: Path, smtp: str, extra: tuple[str, ...]
) -> None:
    clinic = write_clinic(tmp_path, smtp)
    result = cli("email", EXAMPLE, "--to", PATIENTS[0], "--send", *extra, "--clinic", clinic)
    assert result.code == 1
    assert len(result.errors) == 1
    assert '[smtp] security = "none" is allowed only for a server on this machine' in result.err
    assert "built" not in result.out  # refused before the leaflet is built


def old_tls_only(cert: Path, key: Path) -> ssl.SSLContext:
    """A server context that speaks TLS 1.0 and 1.1 and nothing newer."""
    context = server_context(cert, key)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.TLSv1
        context.maximum_version = ssl.TLSVersion.TLSv1_1
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    return context


def negotiates_old_tls(port: int, cert: Path) -> str | None:
    """The version a client that allows TLS 1.1 gets, proving that the server really offers it."""
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        client.minimum_version = ssl.TLSVersion.TLSv1
        client.maximum_version = ssl.TLSVersion.TLSv1_1
    client.set_ciphers("DEFAULT:@SECLEVEL=0")
    client.load_verify_locations(cert)
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=5) as probe:
            probe.starttls(context=client)
            return probe.sock.version() if isinstance(probe.sock, ssl.SSLSocket) else None
    except (OSError, smtplib.SMTPException):
        return None


def test_a_server_with_only_old_tls_is_refused(cli, tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    sink = Sink()
    with running(sink, tls_context=old_tls_only(cert, key)) as port:
        version = negotiates_old_tls(port, cert)
        if version not in ("TLSv1", "TLSv1.1"):
            pytest.skip(f"this OpenSSL cannot serve TLS 1.0/1.1 at all ({version})")
        smtp = f'host = "127.0.0.1"\nport = {port}\nca_file = "{cert}"\n'
        result = cli(
            "email",
            EXAMPLE,
            "--to",
            PATIENTS[0],
            "--send",
            "--clinic",
            write_clinic(tmp_path, smtp),
        )
    assert result.code == 1
    assert len(result.errors) == 1
    assert result.errors[0].startswith(f"error: secure connection to 127.0.0.1:{port} failed: ")
    assert "TLS older than 1.2" in result.errors[0]
    assert result.errors[0].endswith("nothing was sent")
    assert sink.received == []


def test_a_timeout_outside_the_one_rule_is_a_profile_error(cli, tmp_path: Path) -> None:
    clinic = write_clinic(tmp_path, 'host = "127.0.0.1"\ntimeout = 0.5\n')
    result = cli("email", EXAMPLE, "--to", PATIENTS[0], "--send", "--clinic", clinic)
    assert result.errors == [f"error: {clinic}: smtp.timeout: must be from 1 to 600, not 0.5"]


@pytest.mark.parametrize(
    ("smtp", "problem"),
    [
        ('from = "Klinik"\n', "smtp.from: is not an email address (An email address must have"),
        ('from = "Klinik <k@x>"\n', "smtp.from: is not an email address (The part after the"),
        ('reply_to = "Klinik <k@x.dk>"\n', "smtp.reply_to: is not an email address (A display"),
        ('reply_to = "k@x..dk"\n', "smtp.reply_to: is not an email address"),
    ],
)
def test_profile_addresses_follow_the_one_rule(
    cli, tmp_path: Path, smtp: str, problem: str
) -> None:
    clinic = write_clinic(tmp_path, smtp)
    result = cli(
        "email", EXAMPLE, "--to", PATIENTS[0], "--eml", tmp_path / "m.eml", "--clinic", clinic
    )
    assert result.code == 1
    assert len(result.errors) == 1 and result.errors[0].startswith(f"error: {clinic}: {problem}")


def test_from_with_a_name_reply_to_and_a_domain_with_a_letter_of_its_own(
    cli, tmp_path: Path
) -> None:
    smtp = (
        'from = "Afsender <afsender@fysio.example.dk>"\nreply_to = "reception@fysio.example.dk"\n'
    )
    eml = tmp_path / "m.eml"
    args = ["--to", "patient@tandlæge.dk", "--eml", eml, "--clinic", write_clinic(tmp_path, smtp)]
    result = cli("email", EXAMPLE, *args)
    assert result.code == 0, result.err
    message = parsed(eml.read_bytes())
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Afsender", "afsender@fysio.example.dk")
    assert [a.addr_spec for a in message["Reply-To"].addresses] == ["reception@fysio.example.dk"]
    assert [a.addr_spec for a in message["To"].addresses] == ["patient@xn--tandlge-qxa.dk"]


def test_a_leaflet_is_named_by_its_slug_or_title(cli, tmp_path: Path) -> None:
    eml = tmp_path / "m.eml"
    for name in ("baekkensmerter", "Bækkensmerter"):
        result = cli(
            "email", name, "--to", PATIENTS[0], "--eml", eml, "--clinic", write_clinic(tmp_path)
        )
        assert result.code == 0, result.err
        assert (
            next(parsed(eml.read_bytes()).iter_attachments()).get_filename() == "Bækkensmerter.pdf"
        )


def test_a_misspelt_name_is_reported_before_the_mail_server(cli, tmp_path: Path) -> None:
    clinic = write_clinic(tmp_path, 'host = "127.0.0.1"\nport = 1\nsecurity = "none"\n')
    result = cli("email", "baekensmerter", "--to", PATIENTS[0], "--send", "--clinic", clinic)
    assert result.code == 1
    assert result.errors == [
        "error: no leaflet 'baekensmerter' in content; did you mean 'baekkensmerter'?"
    ]


def test_the_library_call_sends_and_its_receipt_holds_no_address(tmp_path: Path) -> None:
    from leaflets.api import load_profile, send_leaflet

    sink = Sink()
    with running(sink) as port:
        profile = load_profile(write_clinic(tmp_path, local_smtp(port)))
        receipt = send_leaflet(EXAMPLE, profile, list(PATIENTS))
    assert (receipt.recipients, receipt.server, receipt.copies) == (2, f"127.0.0.1:{port}", ())
    assert receipt.record.endswith("sendt på e-mail til 2 modtagere.")
    assert len(sink.received) == 2
    assert no_address_in(repr(receipt))


def test_a_connection_lost_during_a_message_says_to_check(cli, tmp_path: Path) -> None:
    sink = Sink(hang_up_at=1)
    with running(sink) as port:
        clinic = write_clinic(tmp_path, local_smtp(port))
        result = cli("email", EXAMPLE, *to_all(THREE), "--send", "--clinic", clinic)
    assert result.code == 1
    assert result.errors == [
        f"error: the connection to 127.0.0.1:{port} broke while a message was handed over; "
        "message 1 of 3 was sent; message 2 may have arrived, so check before sending it again; "
        "message 3 was not"
    ]


@pytest.mark.parametrize(
    ("sent", "total", "maybe", "text"),
    [
        (0, 1, False, "nothing was sent"),
        (0, 1, True, "message 1 of 1 may have arrived, so check before sending it again"),
        (1, 2, False, "message 1 of 2 was sent; message 2 was not"),
        (2, 5, False, "messages 1–2 of 5 were sent; messages 3–5 were not"),
        (3, 3, False, "messages 1–3 of 3 were sent"),
    ],
)
def test_progress_is_told_by_number(sent: int, total: int, maybe: bool, text: str) -> None:
    from leaflets.deliver.smtp_failures import progress

    assert progress(sent, total, maybe) == text
