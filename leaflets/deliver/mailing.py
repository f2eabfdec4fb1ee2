"""Emailing a leaflet to patients: build it, make one checked message each, write or send them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from leaflets.builder.catalogue import private_copy
from leaflets.builder.info import LeafletInfo
from leaflets.builder.output import write_atomically
from leaflets.config.errors import LeafletError, collect_warnings, warn
from leaflets.config.options import BuildOptions, Personal, Settled
from leaflets.config.profile import Profile
from leaflets.config.smtp import SmtpSettings
from leaflets.deliver.handout import handout_edition
from leaflets.deliver.headers import serialised
from leaflets.deliver.message import Envelope, Leaflet, Recipient, compose, eml_paths, envelope
from leaflets.deliver.record import EMAILED, PREPARED, Handout, handout
from leaflets.deliver.smtp import send_each, settings_for, smtp_password
from leaflets.press.prepress import reading_edition, settle

if TYPE_CHECKING:
    from leaflets.workers import Pool


@dataclass(frozen=True)
class MailReceipt:
    """What was done: for how many recipients, through which server, the copies kept, the record.

    It holds no address: a receipt may be shown or logged.
    """

    info: LeafletInfo
    recipients: int
    server: str  # 'host:port' when sent, '' when only written
    copies: tuple[Path, ...]
    record: str
    handed: Handout  # what the record line and the FHIR record are made from


def email_leaflet(
    source: Path,
    profile: Profile,
    given: list[Recipient],
    send: bool = True,
    eml: Path | None = None,
    server: str | None = None,
    options: BuildOptions | None = None,
    personal: Personal | None = None,
    out: Path | None = None,
    pool: Pool | None = None,
) -> MailReceipt:
    """One message per recipient with the leaflet attached: sent, written to `eml`, or both.

    Every address and the mail settings are checked before the leaflet is built (in a worker
    of `pool`, or of a pool of its own), and the leaflet is built before any connection; a
    refusal part-way says which messages were sent. Without a note, the leaflet is the edition
    kept in `out` (the output folder): when the article fails to build, its last good leaflet
    goes, with a warning.
    """
    if not send and eml is None:
        raise LeafletError(None, "give --eml FILE, --send, or both")
    route = envelope(profile, given)
    settings = settings_for(profile.smtp, server, profile.path or "clinic.toml") if send else None
    password = smtp_password(settings) if settings else ""
    settled = mail_edition(options, profile)
    info, leaflet = built_leaflet(source, profile, settled, personal, out, pool)
    messages = prepared_messages(leaflet, profile, route, personal)
    copies = list(eml_paths(eml, len(messages))) if eml is not None else []
    if settings is not None:
        deliver(messages, route, settings, password, copies)
    else:
        for raw, copy in zip(messages, copies, strict=True):
            keep_copy(copy, raw)
    action = EMAILED if send else PREPARED
    handed = handout(info, action, len(messages), leaflet.pdf, settled, personal)
    where = settings.where if settings else ""
    line = handed.record(profile.leaflets.language)
    return MailReceipt(info, len(messages), where, tuple(copies), line, handed)


def mail_edition(options: BuildOptions | None, profile: Profile) -> Settled:
    """The edition a message carries: the reading edition of the one asked for."""
    return settle(reading_edition(options or BuildOptions()), profile)


def built_leaflet(
    source: Path,
    profile: Profile,
    options: Settled,
    personal: Personal | None,
    out: Path | None = None,
    pool: Pool | None = None,
) -> tuple[LeafletInfo, Leaflet]:
    """The leaflet as values: a private copy with the note, or the edition in the output folder."""
    if personal:
        with private_copy(source, profile, options, personal, pool=pool) as outcome:
            assert outcome.target is not None and outcome.info is not None
            info, pdf = outcome.info, outcome.target.read_bytes()
    else:
        kept = handout_edition(source, profile, options, out, pool=pool)
        assert kept.target is not None and kept.info is not None
        info, pdf = kept.info, kept.target.read_bytes()
    return info, Leaflet(info.title, info.language, source, pdf)


def prepared_messages(
    leaflet: Leaflet,
    profile: Profile,
    route: Envelope,
    personal: Personal | None,
    more: Sequence[Leaflet] = (),
) -> list[bytes]:
    """One checked, serialised message per recipient, each addressed to that patient alone."""
    with collect_warnings() as found:
        messages = [
            serialised(compose(leaflet, profile, route, to, personal, more))
            for to in route.recipients
        ]
    for message in dict.fromkeys(found):  # the same title warns once, not once a message
        warn(message)
    return messages


def deliver(
    messages: list[bytes],
    route: Envelope,
    settings: SmtpSettings,
    password: str,
    copies: list[Path],
) -> None:
    """Send every message; keep a copy of each one the server accepted, when asked."""

    def accepted(number: int) -> None:
        if copies:
            keep_copy(copies[number - 1], messages[number - 1])

    send_each(messages, route, settings, password, accepted)


def keep_copy(path: Path, raw: bytes) -> None:
    """Write one message as an .eml file that only its owner can read: it holds an address."""
    write_atomically(path, raw, mode=0o600)
