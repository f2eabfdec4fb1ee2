"""The `[smtp]` table of clinic.toml as typed settings, each rule stated once."""

from __future__ import annotations

import string
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from leaflets.config.addresses import ENCODED_WORD_START, has_control

# How the connection to the mail server is protected; the first is the default.
SMTP_SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
PORT_RANGE = (1, 65535)
TIMEOUT_RANGE = (1.0, 600.0)
DEFAULT_TIMEOUT = 30.0
SUBJECT_PLACEHOLDERS = ("title", "clinic")
PASSWORD_VARIABLE = "LEAFLET_SMTP_PASSWORD"


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to hand a message over, and how it is addressed."""

    host: str = ""
    port: int = DEFAULT_PORTS["starttls"]
    security: str = SMTP_SECURITY[0]
    username: str = ""
    sender: str = ""  # `from`: "Name <address>" or an address; else the clinic's email
    reply_to: str = ""  # else the clinic's email
    subject: str = ""  # a template with {title} and {clinic}; empty means the default
    timeout: float = DEFAULT_TIMEOUT
    ca_file: Path | None = None

    @property
    def where(self) -> str:
        """'host:port', for messages."""
        return f"{self.host}:{self.port}"

    def on_server(self, host: str, port: int) -> SmtpSettings:
        """The same settings for another server (`--smtp HOST:PORT`)."""
        return replace(self, host=host, port=port)


def smtp_settings(table: dict[str, Any], base: Path) -> SmtpSettings:
    """Settings from a `[smtp]` table that has passed the schema's checks."""
    security = str(table.get("security", SMTP_SECURITY[0]))
    ca_file = str(table.get("ca_file", ""))
    return SmtpSettings(
        host=str(table.get("host", "")),
        port=int(table.get("port", DEFAULT_PORTS[security])),
        security=security,
        username=str(table.get("username", "")),
        sender=str(table.get("from", "")).strip(),
        reply_to=str(table.get("reply_to", "")).strip(),
        subject=str(table.get("subject", "")),
        timeout=float(table.get("timeout", DEFAULT_TIMEOUT)),
        ca_file=base / ca_file if ca_file else None,
    )


def subject_problem(template: str) -> str | None:
    """Why `template` cannot be a subject line, or None when it can."""
    if has_control(template) or ENCODED_WORD_START in template:
        return "must be one line without control characters or '=?'"
    try:
        fields = [part[1:] for part in string.Formatter().parse(template) if part[1] is not None]
    except ValueError as problem:
        return f"is not a valid template ({problem}); write {{{{ and }}}} for braces"
    known = ", ".join(f"{{{name}}}" for name in SUBJECT_PLACEHOLDERS)
    for name, spec, conversion in fields:
        if name not in SUBJECT_PLACEHOLDERS or spec or conversion:
            shown = "{" + (name or "") + "}"
            return f"has an unknown placeholder {shown} (known: {known})"
    return None


def fill_subject(template: str, title: str, clinic: str) -> str:
    """The subject from a checked template."""
    return template.format(title=title, clinic=clinic)
