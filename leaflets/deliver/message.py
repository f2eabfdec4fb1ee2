"""A leaflet as an email: checked addresses, bodies from templates, the PDF attached."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from typing import Any

import jinja2

from leaflets.article.model import Article
from leaflets.config.defaults import TEMPLATES_DIR
from leaflets.config.errors import LeafletError
from leaflets.config.labels import labels_for
from leaflets.config.profile import Profile

# Any control character could end a header line or smuggle one in.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")
_UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|]')
MAX_FILE_NAME = 80
# The common, unquoted form of RFC 5322 addresses; quoted local parts are not worth the risk.
_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_DOMAIN_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


@dataclass(frozen=True)
class Envelope:
    """Who sends the message and who receives it."""

    sender: Address
    reply_to: Address | None
    recipients: tuple[Address, ...]


def header_text(value: object, what: str, source: Path | str | None) -> str:
    """`value` for a header, refused when it could inject a header line."""
    text = "" if value is None else str(value)
    if _CONTROL.search(text):
        raise LeafletError(source, f"{what} contains a line break or control character")
    return text


def recipient(text: str, number: int) -> Address:
    """One --to address, checked; the error never repeats the address itself."""
    where = f"--to address {number}"
    if _CONTROL.search(text):
        raise LeafletError(None, f"{where} contains a line break or control character")
    return mailbox(text.strip(), where)


def mailbox(addr_spec: str, where: str) -> Address:
    """A plain `name@domain.tld` address, or a one-line error naming `where` it came from."""
    if addr_spec.count("@") != 1:
        raise LeafletError(None, f"{where} is not an email address (it needs exactly one '@')")
    local, domain = addr_spec.rsplit("@", 1)
    if not _LOCAL_PART.fullmatch(local):
        raise LeafletError(None, f"{where} is not an email address (check the part before '@')")
    domain = _ascii_domain(domain, where)
    labels = domain.split(".")
    if len(labels) < 2 or not all(_DOMAIN_LABEL.fullmatch(label) for label in labels):
        raise LeafletError(None, f"{where} is not an email address (check the part after '@')")
    return Address(username=local, domain=domain)


def _ascii_domain(domain: str, where: str) -> str:
    """The domain as DNS spells it (IDNA), so that `tandlæge.dk` works."""
    try:
        return domain.lower().encode("idna").decode("ascii")
    except UnicodeError:
        raise LeafletError(None, f"{where} has a domain that cannot exist") from None


def unique(addresses: list[Address]) -> tuple[Address, ...]:
    """The addresses without repeats, so that nobody gets the leaflet twice."""
    seen: dict[str, Address] = {}
    for address in addresses:
        seen.setdefault(address.addr_spec.lower(), address)
    return tuple(seen.values())


def envelope(profile: Profile, smtp: dict[str, Any], to: list[str]) -> Envelope:
    """Sender, Reply-To and recipients, every one checked."""
    if not to:
        raise LeafletError(None, "give at least one recipient with --to")
    source = profile.path or "clinic.toml"
    name = header_text(profile.clinic.name, "[clinic] name", source)
    clinic_email = header_text(profile.clinic.email, "[clinic] email", source).strip()
    configured = header_text(str(smtp.get("from") or ""), "[smtp] from", source).strip()
    sender_name, sender_spec = parseaddr(configured) if configured else ("", clinic_email)
    if not sender_spec:
        raise LeafletError(source, "no sender address: set 'email' in [clinic] or 'from' in [smtp]")
    sender = _named(mailbox(sender_spec, f"{source}: the sender address"), sender_name or name)
    reply_to = (
        _named(mailbox(clinic_email, f"{source}: [clinic] email"), name) if clinic_email else None
    )
    recipients = unique([recipient(text, number) for number, text in enumerate(to, 1)])
    return Envelope(sender, reply_to, recipients)


def _named(address: Address, name: str) -> Address:
    return Address(display_name=name, username=address.username, domain=address.domain)


def subject(article: Article, profile: Profile) -> str:
    """'Bækkensmerter – Fysioterapeuterne i Byen', or just the title without a clinic name."""
    title = header_text(article.title, "the article's title", article.path)
    name = header_text(profile.clinic.name, "[clinic] name", profile.path or "clinic.toml")
    return f"{title} – {name}" if name.strip() else title


def attachment_name(title: str) -> str:
    """A readable file name from the title: 'Bækkensmerter.pdf'."""
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", title))
    text = " ".join(_UNSAFE_IN_FILE_NAME.sub(" ", text).split()).strip(" .")
    return f"{text[:MAX_FILE_NAME].rstrip(' .') or 'leaflet'}.pdf"


def email_labels(language: str) -> dict[str, Any]:
    """The leaflet labels of `language`, with English email texts where it has none."""
    english = labels_for("en")
    labels = dict(labels_for(language))
    for key, value in english.items():
        labels.setdefault(key, value)
    return labels


def body_context(article: Article, profile: Profile) -> dict[str, Any]:
    """What the email templates may use."""
    return {
        "lang": article.language,
        "title": article.title,
        "clinic": profile.clinic,
        "labels": email_labels(article.language),
    }


def render_bodies(article: Article, profile: Profile) -> tuple[str, str]:
    """The plain-text and HTML bodies, from templates/email/ (escaped: content is data)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR / "email")),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    context = body_context(article, profile)
    text = env.get_template("body.txt.j2").render(**context)
    html = env.get_template("body.html.j2").render(**context)
    return text.strip() + "\n", html


def compose(article: Article, profile: Profile, route: Envelope, pdf: bytes) -> EmailMessage:
    """The message: text and HTML alternatives, and the leaflet attached."""
    message = EmailMessage(policy=default_policy)
    message["Subject"] = subject(article, profile)
    message["From"] = route.sender
    if route.reply_to is not None:
        message["Reply-To"] = route.reply_to
    message["To"] = route.recipients
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=route.sender.domain)
    text, html = render_bodies(article, profile)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message.add_attachment(
        pdf, maintype="application", subtype="pdf", filename=attachment_name(article.title)
    )
    # Set last: set_content() drops every Content-* header set before it.
    message["Content-Language"] = article.language
    return message
