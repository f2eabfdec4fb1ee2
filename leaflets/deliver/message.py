"""A leaflet as an email to one patient: checked addresses, bodies from templates, the PDF."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

import jinja2

from leaflets.config.addresses import AddressError, Mailbox, has_control, parse_mailbox
from leaflets.config.defaults import TEMPLATES_DIR
from leaflets.config.errors import LeafletError, shorten
from leaflets.config.labels import labels_for
from leaflets.config.options import Personal
from leaflets.config.profile import Profile
from leaflets.config.smtp import fill_subject
from leaflets.deliver.headers import header_value, neutralised, untrusted_header_value
from leaflets.deliver.shown import MAX_SHOWN_TITLE, without_format_characters

_UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|]')
MAX_FILE_NAME = 80
# A mail program shows no more of a subject; a huge one only harms.
MAX_SUBJECT = 200


@dataclass(frozen=True)
class Envelope:
    """Who sends the messages and who receives them, one message each."""

    sender: Address
    reply_to: Address | None
    recipients: tuple[Address, ...]


@dataclass(frozen=True)
class Leaflet:
    """What a message carries: the leaflet's title and language, its article, and the PDF."""

    title: str
    language: str
    source: Path | str
    pdf: bytes


@dataclass(frozen=True)
class Recipient:
    """An address as typed, and where it came from ('--to address 2', '--to-file line 3')."""

    text: str
    where: str


def recipient(given: Recipient) -> Address:
    """One recipient, checked; the error names where it came from, never the address."""
    try:
        box = parse_mailbox(given.text.strip())
    except AddressError as problem:
        reason = _without_address(str(problem), given.text)
        raise LeafletError(None, f"{given.where} is not an email address ({reason})") from None
    return Address(username=box.local_part, domain=box.domain)


def _without_address(reason: str, text: str) -> str:
    """The validator's reason, unless it quotes a piece of the address."""
    pieces = [piece for piece in re.split(r"[@\s<>]+", text.lower()) if len(piece) > 2]
    if any(piece in reason.lower() for piece in pieces):
        return "it is not a plain name@domain.tld"
    return reason


def unique(addresses: list[Address]) -> tuple[Address, ...]:
    """The addresses without repeats, so that nobody gets the leaflet twice."""
    seen: dict[str, Address] = {}
    for address in addresses:
        seen.setdefault(address.addr_spec.lower(), address)
    return tuple(seen.values())


def envelope(profile: Profile, given: list[Recipient]) -> Envelope:
    """Sender, Reply-To and recipients, every one checked."""
    if not given:
        raise LeafletError(None, "give at least one recipient with --to or --to-file")
    source = profile.path or "clinic.toml"
    name = header_value(profile.clinic.name, "[clinic] name", source)
    clinic_email = profile.clinic.email.strip()
    sender_text = profile.smtp.sender or clinic_email
    if not sender_text:
        raise LeafletError(source, "no sender address: set 'email' in [clinic] or 'from' in [smtp]")
    sender = _mailbox(sender_text, "[smtp] from" if profile.smtp.sender else "[clinic] email")
    reply_text = profile.smtp.reply_to or clinic_email
    reply_what = "[smtp] reply_to" if profile.smtp.reply_to else "[clinic] email"
    reply_to = _mailbox(reply_text, reply_what) if reply_text else None
    recipients = unique([recipient(one) for one in given])
    return Envelope(
        _address(sender, sender.display_name or name),
        _address(reply_to, name) if reply_to else None,
        recipients,
    )


def _mailbox(text: str, what: str) -> Mailbox:
    try:
        return parse_mailbox(header_value(text, what, None), display_name=True)
    except AddressError as problem:
        raise LeafletError(None, f"{what} is not an email address ({problem})") from None


def _address(box: Mailbox, name: str) -> Address:
    display = header_value(name, "the sender's name", None)
    return Address(display_name=display, username=box.local_part, domain=box.domain)


def subject(title: str, source: Path | str, profile: Profile, language: str = "") -> str:
    """`[smtp] subject` filled in; by default 'Information fra Fysioterapeuterne i Byen'.

    The default names no topic: a diagnosis should not show on a phone's locked screen.
    """
    title = untrusted_header_value(title, "the article's title", source)
    title = shorten(title, MAX_SHOWN_TITLE)
    name = header_value(profile.clinic.name, "[clinic] name", profile.path or "clinic.toml")
    language = language or profile.leaflets.language
    template = profile.smtp.subject or default_subject(language, name)
    # A title ending in '=' beside a template's '?' could still make a pair.
    return neutralised(shorten(fill_subject(template, title=title, clinic=name), MAX_SUBJECT))


def default_subject(language: str, clinic: str) -> str:
    """The neutral subject in the clinic's language: from the clinic, never about the topic."""
    labels = email_labels(language)
    return str(labels["email_subject"] if clinic.strip() else labels["email_subject_plain"])


def attachment_name(title: str) -> str:
    """A readable file name from the title: 'Bækkensmerter.pdf', nothing hidden in it."""
    text = unicodedata.normalize("NFC", without_format_characters(title))
    text = "".join(" " if has_control(char) else char for char in text)
    text = " ".join(_UNSAFE_IN_FILE_NAME.sub(" ", text).split()).strip(" .")
    return f"{text[:MAX_FILE_NAME].rstrip(' .') or 'leaflet'}.pdf"


def email_labels(language: str) -> dict[str, Any]:
    """The leaflet labels of `language`, with English email texts where it has none."""
    english = labels_for("en")
    labels = dict(labels_for(language))
    for key, value in english.items():
        labels.setdefault(key, value)
    return labels


def body_context(
    leaflet: Leaflet, profile: Profile, extra: Personal | None, more: Sequence[Leaflet] = ()
) -> dict[str, Any]:
    """What the email templates may use; `titles` names every leaflet attached."""
    return {
        "lang": leaflet.language,
        "title": leaflet.title,
        "titles": [leaflet.title, *(one.title for one in more)],
        "clinic": profile.clinic,
        "labels": email_labels(leaflet.language),
        "note_lines": extra.note.split("\n") if extra and extra.note else [],
        "patient": extra.patient if extra else "",
    }


def render_bodies(
    leaflet: Leaflet, profile: Profile, extra: Personal | None, more: Sequence[Leaflet] = ()
) -> tuple[str, str]:
    """The plain-text and HTML bodies, from templates/email/ (escaped: content is data)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR / "email")),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    context = body_context(leaflet, profile, extra, more)
    text = env.get_template("body.txt.j2").render(**context)
    html = env.get_template("body.html.j2").render(**context)
    return text.strip() + "\n", html


def compose(
    leaflet: Leaflet,
    profile: Profile,
    route: Envelope,
    to: Address,
    extra: Personal | None = None,
    more: Sequence[Leaflet] = (),
) -> EmailMessage:
    """The message to one patient: text and HTML alternatives, and the leaflet attached.

    Leaflets handed out together (`more`) are attached after it, one PDF each: every file
    keeps its own title, and a phone opens one leaflet at a time.
    """
    message = EmailMessage(policy=default_policy)
    message["Subject"] = subject(leaflet.title, leaflet.source, profile, leaflet.language)
    message["From"] = route.sender
    if route.reply_to is not None:
        message["Reply-To"] = route.reply_to
    message["To"] = to
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=route.sender.domain)
    text, html = render_bodies(leaflet, profile, extra, more)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for one in (leaflet, *more):
        message.add_attachment(
            one.pdf, maintype="application", subtype="pdf", filename=attachment_name(one.title)
        )
    # Set last: set_content() drops every Content-* header set before it.
    message["Content-Language"] = leaflet.language
    return message


def eml_paths(path: Path, count: int) -> list[Path]:
    """Where the copies go: `path` for one message, NAME-1.eml, NAME-2.eml, ... for several."""
    if count == 1:
        return [path]
    return [path.with_name(f"{path.stem}-{number}{path.suffix}") for number in range(1, count + 1)]
