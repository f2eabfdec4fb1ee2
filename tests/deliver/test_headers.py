"""Header safety: no value from an article or the profile can add, change or hide a header."""

from __future__ import annotations

import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaflets.config.errors import LeafletError, collect_warnings
from leaflets.config.profile import load_profile
from leaflets.deliver.headers import check_round_trip, serialised
from leaflets.deliver.message import Leaflet, Recipient, compose, envelope

from ..conftest import EXAMPLE
from ..smtp_servers import PATIENTS, Sink, local_smtp, parsed, running, write_clinic

# The title of the attack, as a hostile content editor wrote it.
FORGED_HEADERS = (
    "Bækkensmerter =?utf-8?q?=0D=0AReply-To:_x_<attacker@example.org>=0D=0ABcc:_spy@example.org?="
)
FORGED_BODY = "Bækkensmerter =?utf-8?q?=0D=0A=0D=0AHello_from_the_attacker?="


def article_titled(folder: Path, title: str) -> Path:
    path = folder / "angreb.md"
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(f'---\ntitle: "{quoted}"\nlang: da\n---\n\nTekst.\n\n## Afsnit\n\nMere.\n')
    return path


# A subject with the title in it, so that the title's tricks reach the header.
TITLED = 'subject = "{title} – {clinic}"\n'


def header_block(raw: bytes) -> bytes:
    return raw.split(b"\r\n\r\n", 1)[0]


@pytest.mark.parametrize("title", [FORGED_HEADERS, FORGED_BODY])
def test_an_encoded_word_in_the_title_forges_nothing(cli, tmp_path: Path, title: str) -> None:
    sink = Sink()
    with running(sink) as port:
        clinic = write_clinic(tmp_path, local_smtp(port, TITLED))
        source = article_titled(tmp_path, title)
        result = cli("email", source, "--to", PATIENTS[0], "--send", "--clinic", clinic)
    assert result.code == 0, result.err
    assert any("'=?'" in line for line in result.warnings)
    [envelope] = sink.received
    raw = envelope.original_content
    headers = header_block(raw).lower()
    assert headers.count(b"\r\nreply-to:") == 1
    assert b"\r\nreply-to: fysioterapeuterne & co <klinik@fysio.example.dk>" in headers
    assert b"\r\nbcc:" not in headers
    assert envelope.rcpt_tos == [PATIENTS[0]]
    message = parsed(raw)
    assert [a.addr_spec for a in message["Reply-To"].addresses] == ["klinik@fysio.example.dk"]
    assert message["Subject"].startswith("Bækkensmerter = ?utf-8?q?")
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF-")
    assert "Hello from the attacker" not in message.get_body(("plain",)).get_content()


@pytest.mark.parametrize("control", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\ufeff"])
def test_format_characters_leave_headers_and_the_file_name(
    cli, tmp_path: Path, control: str
) -> None:
    source = article_titled(tmp_path, f"Bækkensmerter{control}fdp.exe")
    eml = tmp_path / "m.eml"
    clinic = write_clinic(tmp_path, TITLED)
    result = cli("email", source, "--to", PATIENTS[0], "--eml", eml, "--clinic", clinic)
    assert result.code == 0, result.err
    message = parsed(eml.read_bytes())
    assert message["Subject"].startswith("Bækkensmerter")
    name = next(message.iter_attachments()).get_filename()
    assert name == "Bækkensmerterfdp.exe.pdf"
    assert control not in message["Subject"]
    assert control not in str(message["Content-Disposition"] or "")


@pytest.mark.parametrize(
    ("clinic", "refusal"),
    [
        (
            '[clinic]\nname = "Klinik =?utf-8?q?=0D=0ABcc:_x@example.org?="\nemail = "k@x.dk"\n',
            "=?",
        ),
        (
            '[clinic]\nname = "Klinik"\nemail = "k@x.dk"\n[smtp]\n'
            'from = "=?utf-8?q?=0D=0ABcc:_x@example.org?= <k@x.dk>"\n',
            "smtp.from: is not an email address",
        ),
        (
            '[clinic]\nname = "Klinik"\nemail = "=?utf-8?q?x?=@x.dk"\n',
            "clinic.email: is not an email address",
        ),
        (
            '[clinic]\nname = "Klinik"\nemail = "k@x.dk"\n'
            '[smtp]\nsubject = "=?utf-8?q?x?= {title}"\n',
            "smtp.subject",
        ),
    ],
)
def test_encoded_words_in_the_profile_are_refused(
    cli, tmp_path: Path, clinic: str, refusal: str
) -> None:
    eml = tmp_path / "m.eml"
    path = write_clinic(tmp_path, clinic=clinic)
    result = cli("email", EXAMPLE, "--to", PATIENTS[0], "--eml", eml, "--clinic", path)
    assert result.code == 1
    assert len(result.errors) == 1 and refusal in result.errors[0], result.err
    assert "Traceback" not in result.err
    assert not eml.exists()


def test_an_encoded_word_in_a_recipient_is_refused(cli, tmp_path: Path) -> None:
    eml = tmp_path / "m.eml"
    to = "=?utf-8?q?=0D=0ABcc:_x@example.org?=@example.org"
    result = cli("email", EXAMPLE, "--to", to, "--eml", eml, "--clinic", write_clinic(tmp_path))
    assert result.code == 1
    assert result.errors[0].startswith("error: --to address 1 is not an email address")
    assert not eml.exists()


def forged_subject_message() -> EmailMessage:
    """A message built without our checks, with the forging title as its subject."""
    message = EmailMessage()
    message["Subject"] = FORGED_HEADERS
    message["From"] = "klinik@fysio.example.dk"
    message["To"] = PATIENTS[0]
    message.set_content("Tekst.\n")
    return message


def test_the_parsed_back_check_catches_what_the_email_package_forges() -> None:
    message = forged_subject_message()
    if sys.version_info >= (3, 11, 10):
        # Fixed email packages encode the word again; what is sent then carries no Bcc.
        assert b"\r\nBcc:" not in serialised(message)
        return
    with pytest.raises(LeafletError, match="would not reach the patient as written"):
        serialised(message)


def test_the_parsed_back_check_finds_an_added_header() -> None:
    message = EmailMessage()
    message["Subject"] = "Bækkensmerter"
    message["From"] = "klinik@fysio.example.dk"
    message["To"] = PATIENTS[0]
    message.set_content("Tekst.\n")
    raw = serialised(message)
    check_round_trip(message, raw)
    forged = raw.replace(b"\r\nFrom:", b"\r\nBcc: spy@example.net\r\nFrom:", 1)
    with pytest.raises(LeafletError, match="headers subject, bcc, from"):
        check_round_trip(message, forged)
    changed = raw.replace(PATIENTS[0].encode(), b"spy@example.net", 1)
    with pytest.raises(LeafletError, match="to differs"):
        check_round_trip(message, changed)


def test_a_neutral_subject_from_the_profile(cli, tmp_path: Path) -> None:
    eml = tmp_path / "m.eml"
    clinic = write_clinic(tmp_path, 'subject = "Information fra {clinic}"\n')
    result = cli("email", EXAMPLE, "--to", PATIENTS[0], "--eml", eml, "--clinic", clinic)
    assert result.code == 0, result.err
    message = parsed(eml.read_bytes())
    assert message["Subject"] == "Information fra Fysioterapeuterne & Co"
    assert "Bækkensmerter" not in message["Subject"]


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("Til {patient}", "has an unknown placeholder {patient}"),
        ("{title.__class__}", "has an unknown placeholder {title.__class__}"),
        ("{title!r}", "has an unknown placeholder {title}"),
        ("{title:>900}", "has an unknown placeholder {title}"),
        ("{}", "has an unknown placeholder {}"),
        ("{title", "is not a valid template"),
    ],
)
def test_an_unknown_subject_placeholder_is_a_profile_error(
    cli, tmp_path: Path, template: str, problem: str
) -> None:
    clinic = write_clinic(tmp_path, f'subject = "{template}"\n')
    result = cli(
        "email", EXAMPLE, "--to", PATIENTS[0], "--eml", tmp_path / "m.eml", "--clinic", clinic
    )
    assert result.code == 1
    assert result.errors == [
        f"error: {clinic}: smtp.subject: {problem}" + result.errors[0].split(problem, 1)[1]
    ]


LONG_CLINIC = """\
[clinic]
name = "Fysioterapeuterne i Søndergade – træning, genoptræning og smertebehandling"
email = "klinik@fysio.example.dk"
"""


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=160
    )
)
def test_any_title_gives_a_message_that_parses_back(tmp_path: Path, title: str) -> None:
    profile = load_profile(write_clinic(tmp_path, clinic=LONG_CLINIC))
    route = envelope(profile, [Recipient(PATIENTS[0], "--to address 1")])
    leaflet = Leaflet(title, "da", "angreb.md", b"%PDF-1.7\n")
    try:
        with collect_warnings():
            message = compose(leaflet, profile, route, route.recipients[0])
    except LeafletError as refusal:
        assert "line break or control character" in str(refusal)
        return
    back = parsed(serialised(message))
    assert "".join(str(back["Subject"]).split()).startswith("".join(message["Subject"].split()))
    assert [name.lower() for name in back] == [name.lower() for name in message]
    assert next(back.iter_attachments()).get_content() == b"%PDF-1.7\n"


def test_a_huge_title_gives_a_bounded_subject_and_record_line(cli, tmp_path: Path) -> None:
    article = tmp_path / "lang.md"
    title = "Bækkensmerter " * 715  # about 10,000 characters
    article.write_text(f"---\ntitle: {title.strip()}\nlang: da\n---\n\nTekst.\n", encoding="utf-8")
    eml = tmp_path / "m.eml"
    # A clinic that chose the title in its subject (the default names only the clinic).
    clinic = write_clinic(tmp_path, smtp='subject = "{title} – {clinic}"\n')
    result = cli("email", article, "--to", PATIENTS[0], "--eml", eml, "--clinic", clinic)
    assert result.code == 0, result.err
    subject = str(parsed(eml.read_bytes())["Subject"])
    assert 100 < len(subject) <= 200
    assert subject.startswith("Bækkensmerter Bækkensmerter")
    assert "…" in subject
    record = [line for line in result.out.splitlines() if "»" in line]
    assert len(record) == 1
    assert len(record[0]) < 400
    assert "…«" in record[0]
