"""The messages to patients, composed in a worker (they read the article's text)."""

from __future__ import annotations

import re
from collections.abc import Callable
from email.message import EmailMessage
from email.policy import SMTP
from html import escape
from pathlib import Path

from leaflets.article.model import load_article
from leaflets.config.errors import collect_warnings
from leaflets.config.profile import Profile
from leaflets.deliver.message import Envelope, compose, render_bodies, subject


def compose_each(
    source: Path, profile: Profile, route: Envelope, pdf: Path, personal: tuple[str, str, str]
) -> list[bytes]:
    """One message per recipient, each with only that recipient in To:.

    `personal` is the heading, the patient's name and the note, put into this message only.
    """
    with collect_warnings():
        article = load_article(source, profile.leaflets.language)
    data = pdf.read_bytes()
    messages = []
    for address in route.recipients:
        message = compose(
            article, profile, Envelope(route.sender, route.reply_to, (address,)), data
        )
        add_note(message, *personal)
        messages.append(message.as_bytes(policy=SMTP))
    return messages


def add_note(message: EmailMessage, heading: str, name: str, note: str) -> None:
    """Put the therapist's note (and the patient's name) at the top of both bodies."""
    if not note:
        return
    title = f"{heading}, {name}" if name else heading
    for part in message.walk():
        kind = part.get_content_type()
        if part.is_attachment() or kind not in ("text/plain", "text/html"):
            continue
        assert isinstance(part, EmailMessage)
        text = str(part.get_content())
        if kind == "text/plain":
            part.set_content(f"{title}:\n{note}\n\n{text}")
        else:
            block = f"<p><strong>{escape(title)}:</strong><br>{escape(note)}</p>"
            html = re.sub(r"(<body[^>]*>)", _after(block), text, count=1)
            part.set_content(html, subtype="html")


def _after(block: str) -> Callable[[re.Match[str]], str]:
    return lambda found: found.group(1) + block


def preview(source: Path, profile: Profile) -> tuple[str, str]:
    """The subject and the plain-text body the patient will read."""
    with collect_warnings():
        article = load_article(source, profile.leaflets.language)
    text, _html = render_bodies(article, profile)
    return subject(article, profile), text
