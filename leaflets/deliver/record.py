"""The line a therapist pastes into the patient record after handing out a leaflet.

It names exactly which text the patient got (reference, version, next review and the start of
the content hash) and how; never the patient's name, address or the note.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from leaflets.builder.info import LeafletInfo
from leaflets.config.addresses import has_control
from leaflets.config.labels import labels_for
from leaflets.deliver.headers import without_format_characters

PRINTED = "printed"
EMAILED = "emailed"
PREPARED = "prepared"  # written as .eml files for a mail program, not sent by the tool


def record_line(
    info: LeafletInfo, action: str, count: int, language: str, day: dt.date | None = None
) -> str:
    """'Patientinformation udleveret 01.12.2026: »Bækkensmerter« (FYS-012, …), udskrevet 2 stk.'"""
    labels = labels_for(language)["record"]
    when = _date(day or dt.date.today(), labels["date_pattern"], language)
    return str(labels["line"]).format(
        date=when,
        title=_one_line(info.title),
        identity=", ".join(_identity(info, labels, language)),
        action=_action(action, count, labels),
    )


def _identity(info: LeafletInfo, labels: dict[str, str], language: str) -> list[str]:
    parts = [info.reference or info.slug]
    if info.version:
        parts.append(labels["version"].format(version=info.version))
    if info.review:
        parts.append(
            labels["review"].format(date=_date(info.review, labels["date_pattern"], language))
        )
    parts.append(labels["text"].format(hash=info.short_hash))
    return parts


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
