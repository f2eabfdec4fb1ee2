"""The library's front door: what the command line and the reception desk both call.

    from pathlib import Path
    from leaflets.api import build_leaflet, load_profile

    outcome = build_leaflet(Path("content/baekkensmerter.md"), Path("handouts"), load_profile())
    print(outcome.target)

Every call reports problems as `LeafletError` (one line, naming the file) and warnings through
`leaflets.config.errors.warn`, whose sink `collect_warnings()` can capture; nothing prints.

`cli/` and `desk/` import the stages below (article, checks, html, press, builder, deliver)
only from here. A name is imported from its stage on first use, so that a command loads only
the stages it runs: `check` does not pay for WeasyPrint, mail or printing.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leaflets.config.defaults import CLINIC_FILE, OUTPUT_DIR
from leaflets.config.errors import LeafletError, WorkerError, collect_warnings
from leaflets.config.options import BuildOptions, Limits, Personal, Settled
from leaflets.config.profile import Profile

if TYPE_CHECKING:  # for readers and mypy; at run time `__getattr__` imports each on first use
    from leaflets.article.codes import (
        BY_OID,
        SYSTEMS,
        CodeSystem,
        code_from_key,
        code_problem,
        leaflet_codes,
        matches,
        matching_key,
        normal_code,
        shown_codes,
    )
    from leaflets.article.files import find_articles
    from leaflets.article.history import lines_differ
    from leaflets.article.linear import linear
    from leaflets.article.model import Article, load_article
    from leaflets.article.names import fold, title_order
    from leaflets.article.translation_status import (
        ArticleStatus,
        TranslationStatus,
        translation_statuses,
    )
    from leaflets.article.translations import (
        mark_translation,
        stale_translation,
        translation_for,
    )
    from leaflets.builder.batch import build_pool, call_in
    from leaflets.builder.catalogue import (
        Catalogue,
        IndexOutcome,
        build_catalogue,
        plan_catalogue,
        private_copy,
    )
    from leaflets.builder.digests import file_digest
    from leaflets.builder.edition import variant_suffix
    from leaflets.builder.gather import translation_fields
    from leaflets.builder.info import LeafletInfo, is_overdue
    from leaflets.builder.lookup import READING, Listed, find_leaflet, list_catalogue
    from leaflets.builder.manifest import likely_fresh
    from leaflets.builder.outcome import Outcome
    from leaflets.builder.output import write_atomically
    from leaflets.builder.watch import watch_changes, watched_paths
    from leaflets.checks.findings import ERROR, json_text, summary, text_lines
    from leaflets.checks.findings import strict as strict_findings
    from leaflets.checks.run import Report
    from leaflets.config.backup import backup_files, restore_backup, write_backup
    from leaflets.config.profile_file import Answers, profile_text, relative_to_profile
    from leaflets.config.schema import answer_problems
    from leaflets.deliver.bundle import BundleReceipt, email_bundle, print_bundle
    from leaflets.deliver.bundle import Item as BundleItem
    from leaflets.deliver.cups import PrintRequest, Queue
    from leaflets.deliver.cups import queues as printer_queues
    from leaflets.deliver.fhir import handout_bundle, patient_subject, write_bundle
    from leaflets.deliver.handout import PrintReceipt, print_leaflet
    from leaflets.deliver.mailing import MailReceipt, built_leaflet, mail_edition
    from leaflets.deliver.message import Leaflet, Recipient, recipient, render_bodies, subject
    from leaflets.deliver.message import unique as unique_addresses
    from leaflets.deliver.personal import (
        MAX_NAME,
        NOTE_FILE_CHARS,
        PersonalError,
        checked_name,
        checked_note,
    )
    from leaflets.deliver.recipients import recipients
    from leaflets.deliver.record import Handout
    from leaflets.deliver.smtp import check_transport as check_smtp_transport
    from leaflets.deliver.smtp import try_login as try_smtp_login
    from leaflets.deliver.testpage import print_test_page
    from leaflets.html.identity import online_address, reference, review_date, shared_meta, version
    from leaflets.pdf.conformance import (
        ACCESSIBLE,
        ARCHIVABLE,
        PROFILE_NAMES,
        Breach,
        breaches,
        declares_archive,
    )
    from leaflets.press.prepress import refuse_impossible, settle
    from leaflets.workers import Pool, Start, sweep_private_folders

# Where each name above lives; it is imported from there the first time it is used.
_HOMES: dict[str, tuple[str, ...]] = {
    "leaflets.article.codes": (
        "BY_OID",
        "CodeSystem",
        "SYSTEMS",
        "code_from_key",
        "code_problem",
        "leaflet_codes",
        "matches",
        "matching_key",
        "normal_code",
        "shown_codes",
    ),
    "leaflets.article.history": ("lines_differ",),
    "leaflets.article.linear": ("linear",),
    "leaflets.article.model": (
        "Article",
        "load_article",
    ),
    "leaflets.article.names": (
        "fold",
        "title_order",
    ),
    "leaflets.article.files": ("find_articles",),
    "leaflets.article.translation_status": (
        "ArticleStatus",
        "TranslationStatus",
        "translation_statuses",
    ),
    "leaflets.article.translations": (
        "mark_translation",
        "stale_translation",
        "translation_for",
    ),
    "leaflets.builder.batch": (
        "build_pool",
        "call_in",
    ),
    "leaflets.builder.catalogue": (
        "Catalogue",
        "IndexOutcome",
        "build_catalogue",
        "plan_catalogue",
        "private_copy",
    ),
    "leaflets.builder.edition": ("variant_suffix",),
    "leaflets.builder.gather": ("translation_fields",),
    "leaflets.builder.info": (
        "LeafletInfo",
        "is_overdue",
    ),
    "leaflets.builder.lookup": (
        "READING",
        "Listed",
        "find_leaflet",
        "list_catalogue",
    ),
    "leaflets.builder.digests": ("file_digest",),
    "leaflets.builder.manifest": ("likely_fresh",),
    "leaflets.builder.output": ("write_atomically",),
    "leaflets.builder.watch": (
        "watch_changes",
        "watched_paths",
    ),
    "leaflets.builder.outcome": ("Outcome",),
    "leaflets.checks.findings": (
        "ERROR",
        "json_text",
        "summary",
        "text_lines",
    ),
    "leaflets.checks.run": ("Report",),
    "leaflets.config.backup": (
        "backup_files",
        "restore_backup",
        "write_backup",
    ),
    "leaflets.config.profile_file": (
        "Answers",
        "profile_text",
        "relative_to_profile",
    ),
    "leaflets.config.schema": ("answer_problems",),
    "leaflets.deliver.bundle": (
        "BundleReceipt",
        "email_bundle",
        "print_bundle",
    ),
    "leaflets.deliver.cups": (
        "PrintRequest",
        "Queue",
    ),
    "leaflets.deliver.fhir": (
        "handout_bundle",
        "patient_subject",
        "write_bundle",
    ),
    "leaflets.deliver.handout": (
        "PrintReceipt",
        "print_leaflet",
    ),
    "leaflets.deliver.mailing": (
        "MailReceipt",
        "built_leaflet",
        "mail_edition",
    ),
    "leaflets.deliver.message": (
        "Leaflet",
        "Recipient",
        "recipient",
        "render_bodies",
        "subject",
    ),
    "leaflets.deliver.personal": (
        "MAX_NAME",
        "NOTE_FILE_CHARS",
        "PersonalError",
        "checked_name",
        "checked_note",
    ),
    "leaflets.deliver.recipients": ("recipients",),
    "leaflets.deliver.record": ("Handout",),
    "leaflets.deliver.testpage": ("print_test_page",),
    "leaflets.html.identity": (
        "online_address",
        "reference",
        "review_date",
        "shared_meta",
        "version",
    ),
    "leaflets.pdf.conformance": (
        "ACCESSIBLE",
        "ARCHIVABLE",
        "Breach",
        "PROFILE_NAMES",
        "breaches",
        "declares_archive",
    ),
    "leaflets.press.prepress": (
        "refuse_impossible",
        "settle",
    ),
    "leaflets.workers": (
        "Pool",
        "Start",
        "sweep_private_folders",
    ),
}
# Names that would say too little here, under a clearer one: (module, name there).
_RENAMED: dict[str, tuple[str, str]] = {
    "BundleItem": ("leaflets.deliver.bundle", "Item"),
    "printer_queues": ("leaflets.deliver.cups", "queues"),
    "check_smtp_transport": ("leaflets.deliver.smtp", "check_transport"),
    "try_smtp_login": ("leaflets.deliver.smtp", "try_login"),
    "strict_findings": ("leaflets.checks.findings", "strict"),
    "unique_addresses": ("leaflets.deliver.message", "unique"),
}
_FOUND_IN = {name: (module, name) for module, names in _HOMES.items() for name in names}
_FOUND_IN.update(_RENAMED)

__all__ = [
    "ACCESSIBLE",
    "ARCHIVABLE",
    "BY_OID",
    "ERROR",
    "MAX_NAME",
    "NOTE_FILE_CHARS",
    "PROFILE_NAMES",
    "READING",
    "SYSTEMS",
    "Answers",
    "Article",
    "ArticleStatus",
    "Breach",
    "BuildOptions",
    "BundleItem",
    "BundleReceipt",
    "Catalogue",
    "CodeSystem",
    "Handout",
    "IndexOutcome",
    "Leaflet",
    "LeafletError",
    "LeafletInfo",
    "Limits",
    "Listed",
    "MailReceipt",
    "Outcome",
    "Personal",
    "PersonalError",
    "Pool",
    "PrintReceipt",
    "PrintRequest",
    "Profile",
    "Queue",
    "Recipient",
    "Report",
    "Settled",
    "Start",
    "TranslationStatus",
    "WorkerError",
    "answer_problems",
    "backup_files",
    "breaches",
    "build_catalogue",
    "build_leaflet",
    "build_pool",
    "built_leaflet",
    "call_in",
    "check_articles",
    "check_smtp_transport",
    "checked_name",
    "checked_note",
    "code_from_key",
    "code_problem",
    "collect_warnings",
    "declares_archive",
    "email_bundle",
    "file_digest",
    "find_articles",
    "find_leaflet",
    "fold",
    "handout_bundle",
    "is_overdue",
    "json_text",
    "leaflet_codes",
    "likely_fresh",
    "linear",
    "lines_differ",
    "list_catalogue",
    "load_article",
    "load_profile",
    "mail_edition",
    "mark_translation",
    "matches",
    "matching_key",
    "normal_code",
    "online_address",
    "patient_subject",
    "plan_catalogue",
    "print_bundle",
    "print_leaflet",
    "print_test_page",
    "printer_queues",
    "private_copy",
    "profile_text",
    "recipient",
    "recipients",
    "reference",
    "refuse_impossible",
    "relative_to_profile",
    "render_bodies",
    "restore_backup",
    "review_date",
    "send_leaflet",
    "settle",
    "shared_meta",
    "shown_codes",
    "stale_translation",
    "strict_findings",
    "subject",
    "summary",
    "sweep_private_folders",
    "text_lines",
    "title_order",
    "translation_fields",
    "translation_for",
    "translation_statuses",
    "try_smtp_login",
    "unique_addresses",
    "variant_suffix",
    "version",
    "watch_changes",
    "watched_paths",
    "write_atomically",
    "write_backup",
    "write_bundle",
]


if not TYPE_CHECKING:  # hidden from mypy, which would otherwise take any name as Any

    def __getattr__(name: str) -> Any:
        """A re-exported name, imported from its stage the first time it is asked for."""
        if name not in _FOUND_IN:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        module, there = _FOUND_IN[name]
        value = getattr(importlib.import_module(module), there)
        globals()[name] = value
        return value


def load_profile(path: Path | None = None) -> Profile:
    """The clinic profile: `path`, or the project's own clinic.toml (neutral when absent)."""
    from leaflets.config.profile import load_profile as load

    return load(path or CLINIC_FILE)


def build_leaflet(
    source: Path,
    out: Path | None = None,
    profile: Profile | None = None,
    options: BuildOptions | None = None,
    limits: Limits | None = None,
    last_good: bool = False,
) -> Outcome:
    """Build one article's edition into the folder (or .pdf file) `out`, unless up to date.

    The outcome carries the PDF's path and the leaflet's `LeafletInfo`; a failure raises,
    unless `last_good` asks for the edition's last good PDF, then marked `stale_since`.
    """
    from leaflets.builder.catalogue import build_one

    return build_one(
        source,
        out if out is not None else OUTPUT_DIR,
        profile or load_profile(),
        options or BuildOptions(),
        limits,
        last_good=last_good,
    )


def check_articles(
    inputs: Sequence[Path], profile: Profile, today: dt.date, notes: bool = False
) -> Report:
    """The content checks of every article in `inputs` (files or folders), without rendering."""
    from leaflets.article.files import find_articles
    from leaflets.checks.run import check_files
    from leaflets.checks.settings import check_settings

    files = [article for path in inputs for article in find_articles(path)]
    return check_files(files, check_settings(profile), today, notes)


def send_leaflet(
    source: Path,
    profile: Profile,
    recipients: Sequence[Recipient | str],
    send: bool = True,
    eml: Path | None = None,
    server: str | None = None,
    options: BuildOptions | None = None,
    personal: Personal | None = None,
    out: Path | None = None,
    pool: Pool | None = None,
) -> MailReceipt:
    """Email the leaflet, one message a recipient ('recipient N' in errors), or keep it as `eml`."""
    from leaflets.deliver.mailing import email_leaflet
    from leaflets.deliver.message import Recipient

    given = [
        one if isinstance(one, Recipient) else Recipient(one, f"recipient {number}")
        for number, one in enumerate(recipients, 1)
    ]
    return email_leaflet(source, profile, given, send, eml, server, options, personal, out, pool)
