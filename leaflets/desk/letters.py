"""The messages to patients, composed in a worker (they read the article's text)."""

from __future__ import annotations

from email.policy import SMTP
from pathlib import Path

from leaflets.article.model import load_article
from leaflets.config.errors import collect_warnings
from leaflets.config.profile import Profile
from leaflets.deliver.message import Envelope, compose, render_bodies, subject


def compose_each(source: Path, profile: Profile, route: Envelope, pdf: Path) -> list[bytes]:
    """One message per recipient, each with only that recipient in To:."""
    with collect_warnings():
        article = load_article(source, profile.leaflets.language)
    data = pdf.read_bytes()
    return [
        compose(
            article, profile, Envelope(route.sender, route.reply_to, (address,)), data
        ).as_bytes(policy=SMTP)
        for address in route.recipients
    ]


def preview(source: Path, profile: Profile) -> tuple[str, str]:
    """The subject and the plain-text body the patient will read."""
    with collect_warnings():
        article = load_article(source, profile.leaflets.language)
    text, _html = render_bodies(article, profile)
    return subject(article, profile), text
