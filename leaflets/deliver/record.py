"""The line a therapist pastes into the patient record after handing out a leaflet.

It names exactly which text the patient got (reference, version, next review and the start of
the content hash) and how; never the patient's name, address or the note.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from babel.dates import format_date

from leaflets.builder.info import LeafletInfo
from leaflets.config.addresses import has_control
from leaflets.config.errors import shorten
from leaflets.config.labels import labels_for
from leaflets.config.options import BuildOptions, Personal
from leaflets.deliver.shown import MAX_SHOWN_TITLE, without_format_characters

PRINTED = "printed"
EMAILED = "emailed"
PREPARED = "prepared"  # written as .eml files for a mail program, not sent by the tool
STANDARD = "standard"
LARGE_PRINT = "large-print"


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


@dataclass(frozen=True)
class Handout:
    """One hand-out as the records tell it: which text, which edition, how and when.

    Both the record line and the FHIR record are made from it, so that they agree. It holds
    nothing about the patient: whether there was a personal note, never what it said.
    """

    info: LeafletInfo
    action: str
    count: int
    edition: str = STANDARD
    when: dt.datetime = field(default_factory=_now)
    size: int = 0  # the handed-out PDF's bytes
    sha1: str = ""  # the PDF's SHA-1, base64, as FHIR's Attachment.hash
    personal: bool = False

    def record(self, language: str) -> str:
        """The line for the patient record, in `language`."""
        day = self.when.date()
        return record_line(
            self.info, self.action, self.count, language, day, self.edition, self.personal
        )


def handout(
    info: LeafletInfo,
    action: str,
    count: int,
    pdf: bytes,
    options: BuildOptions,
    personal: Personal | None,
) -> Handout:
    """The hand-out of this PDF of the leaflet, now."""
    return Handout(
        info=info,
        action=action,
        count=count,
        edition=edition_of(options),
        size=len(pdf),
        sha1=base64.b64encode(hashlib.sha1(pdf).digest()).decode("ascii"),
        personal=bool(personal and personal.note),
    )


def edition_of(options: BuildOptions) -> str:
    """'large-print' or 'standard': the editions a patient can be given."""
    return LARGE_PRINT if options.large_print else STANDARD


def record_line(
    info: LeafletInfo,
    action: str,
    count: int,
    language: str,
    day: dt.date | None = None,
    edition: str = STANDARD,
    personal: bool = False,
) -> str:
    """'Patientinformation udleveret 01.12.2026: »Bækkensmerter« (FYS-012, …), udskrevet 2 stk.'

    It says whether a personal note went with it, never what the note said.
    """
    return handout_line([Given(info, edition, personal)], action, count, language, day)


@dataclass(frozen=True)
class Given:
    """One leaflet of a hand-out as its record line names it."""

    info: LeafletInfo
    edition: str = STANDARD
    personal: bool = False


def handout_line(
    leaflets: Sequence[Given],
    action: str,
    count: int,
    language: str,
    day: dt.date | None = None,
) -> str:
    """One line for a whole hand-out: every leaflet with its identity, then how it was given.

    'Patientinformation udleveret 01.12.2026: »A« (FYS-1, …); »B« (FYS-2, …), udskrevet 1 stk.'
    """
    labels = labels_for(language)["record"]
    named = [_named(one, labels, language) for one in leaflets]
    return str(labels["line"]).format(
        date=_date(day or dt.date.today(), labels["date_pattern"], language),
        leaflets=f"{labels['separator']} ".join(named),
        action=_action(action, count, labels),
    )


def bundle_record(handed: Sequence[Handout], language: str) -> str:
    """The record line of leaflets handed out together, in one print job or one message each."""
    first = handed[0]
    given = [Given(one.info, one.edition, one.personal) for one in handed]
    return handout_line(given, first.action, first.count, language, first.when.date())


def _named(one: Given, labels: dict[str, str], language: str) -> str:
    identity = _identity(one.info, labels, language, one.edition)
    if one.personal:
        identity.append(labels["personal_note"])
    return str(labels["leaflet"]).format(
        title=shorten(_one_line(one.info.title), MAX_SHOWN_TITLE), identity=", ".join(identity)
    )


def _identity(info: LeafletInfo, labels: dict[str, str], language: str, edition: str) -> list[str]:
    parts = [info.reference or info.slug]
    if info.version:
        parts.append(labels["version"].format(version=info.version))
    if info.review:
        parts.append(
            labels["review"].format(date=_date(info.review, labels["date_pattern"], language))
        )
    parts.append(labels["text"].format(hash=info.short_hash))
    # The record's own language and the standard edition go without saying.
    if _base(info.language) != _base(language):
        parts.append(str(labels_for(info.language)["language_name"]))
    if edition == LARGE_PRINT:
        parts.append(labels["large_print"])
    if info.translation_state == "stale":
        parts.append(labels["stale_translation"])
    return parts


def _base(language: str) -> str:
    return language.split("-")[0].lower()


def _action(action: str, count: int, labels: dict[str, str]) -> str:
    if action == PRINTED:
        return labels["printed"].format(copies=count)
    kind = "prepared" if action == PREPARED else "emailed"
    if count == 1:
        return labels[f"{kind}_one"]
    return labels[f"{kind}_many"].format(count=count)


def _one_line(text: str) -> str:
    """`text` as one visible line: a title can neither break the record's line nor hide text."""
    visible = without_format_characters(text)
    return " ".join("".join(" " if has_control(char) else char for char in visible).split())


def _date(day: dt.date, pattern: str, language: str) -> str:
    return str(format_date(day, format=pattern, locale=language.split("-")[0]))
