"""The library's front door: what the command line and the reception desk both call.

    from collections.abc import Sequence
from pathlib import Path
    from leaflets.api import build_leaflet, load_profile

    outcome = build_leaflet(Path("content/baekkensmerter.md"), Path("handouts"), load_profile())
    print(outcome.target)

Every call reports problems as `LeafletError` (one line, naming the file) and warnings through
`leaflets.config.errors.warn`, whose sink `collect_warnings()` can capture; nothing prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from leaflets.builder.catalogue import (
    Catalogue,
    IndexOutcome,
    build_catalogue,
    build_one,
    plan_catalogue,
    private_copy,
)
from leaflets.builder.info import LeafletInfo
from leaflets.builder.lookup import Listed, find_leaflet, list_catalogue
from leaflets.builder.worker import Outcome
from leaflets.config.defaults import CLINIC_FILE, OUTPUT_DIR
from leaflets.config.errors import LeafletError, collect_warnings
from leaflets.config.options import BuildOptions, Limits, Personal
from leaflets.config.profile import Profile
from leaflets.config.profile import load_profile as _load_profile
from leaflets.deliver.handout import PrintReceipt, print_leaflet
from leaflets.deliver.mailing import MailReceipt, email_leaflet
from leaflets.deliver.message import Recipient

__all__ = [
    "BuildOptions",
    "Catalogue",
    "IndexOutcome",
    "LeafletError",
    "LeafletInfo",
    "Limits",
    "Listed",
    "MailReceipt",
    "Outcome",
    "Personal",
    "PrintReceipt",
    "Profile",
    "Recipient",
    "build_catalogue",
    "build_leaflet",
    "collect_warnings",
    "find_leaflet",
    "list_catalogue",
    "load_profile",
    "plan_catalogue",
    "print_leaflet",
    "private_copy",
    "send_leaflet",
]


def load_profile(path: Path | None = None) -> Profile:
    """The clinic profile: `path`, or the project's own clinic.toml (neutral when absent)."""
    return _load_profile(path or CLINIC_FILE)


def build_leaflet(
    source: Path,
    out: Path | None = None,
    profile: Profile | None = None,
    options: BuildOptions | None = None,
    limits: Limits | None = None,
) -> Outcome:
    """Build one article into the folder (or .pdf file) `out`, unless it is up to date.

    The outcome carries the PDF's path and the leaflet's `LeafletInfo`; a failure raises.
    """
    return build_one(
        source,
        out if out is not None else OUTPUT_DIR,
        profile or load_profile(),
        options or BuildOptions(),
        limits,
    )


def send_leaflet(
    source: Path,
    profile: Profile,
    recipients: Sequence[Recipient | str],
    send: bool = True,
    eml: Path | None = None,
    server: str | None = None,
    options: BuildOptions | None = None,
    personal: Personal | None = None,
) -> MailReceipt:
    """Email the leaflet to every recipient, one message each, through `[smtp]` (or `server`).

    A plain address is named 'recipient N' in errors, never by itself. With `eml`, a copy of
    each message is kept (NAME-1.eml, ... for several); with `send=False` they are only
    written there. The receipt holds no address.
    """
    given = [
        one if isinstance(one, Recipient) else Recipient(one, f"recipient {number}")
        for number, one in enumerate(recipients, 1)
    ]
    return email_leaflet(source, profile, given, send, eml, server, options, personal)


# Setting up a clinic: printers, the profile, backups.
from leaflets.builder.output import write_atomically  # noqa: E402
from leaflets.config.backup import backup_files, restore_backup, write_backup  # noqa: E402
from leaflets.config.profile_file import Answers, profile_text, relative_to_profile  # noqa: E402
from leaflets.config.schema import answer_problems  # noqa: E402
from leaflets.deliver.cups import Queue  # noqa: E402
from leaflets.deliver.cups import queues as printer_queues  # noqa: E402
from leaflets.deliver.smtp import try_login as try_smtp_login  # noqa: E402
from leaflets.deliver.testpage import print_test_page  # noqa: E402

__all__ += [
    "Answers",
    "Queue",
    "answer_problems",
    "backup_files",
    "print_test_page",
    "printer_queues",
    "profile_text",
    "relative_to_profile",
    "restore_backup",
    "try_smtp_login",
    "write_atomically",
    "write_backup",
]
