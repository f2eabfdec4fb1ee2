"""The line a therapist pastes into the patient record: which text was handed out, and how.

It names the leaflet exactly (reference, version, next review, the start of the content hash)
and never the patient: no address, name or note goes into it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from leaflets.config.addresses import has_control
from leaflets.config.labels import labels_for
from leaflets.deliver.headers import without_format_characters

Action = Literal["printed", "emailed", "prepared"]
HASH_DIGITS = 8


def record_line(
    *,
    title: str,
    reference: str,
    version: str,
    next_review: dt.date | None,
    content_hash: str,
    action: Action,
    count: int,
    language: str,
    day: dt.date,
) -> str:
    """The record line, e.g. "Patientinformation udleveret 01.12.2026: ..., udskrevet 2 stk."."""
    texts = record_labels(language)
    details = [_one_line(reference)] if reference.strip() else []
    if version.strip():
        details.append(texts["version"].format(version=_one_line(version)))
    if next_review is not None:
        details.append(texts["next_review"].format(date=next_review.strftime(texts["date_format"])))
    digits = content_hash.removeprefix("sha256:")[:HASH_DIGITS]
    if digits:
        details.append(texts["text"].format(hash=digits))
    return str(texts["line"]).format(
        date=day.strftime(texts["date_format"]),
        title=_one_line(title),
        details=", ".join(details),
        action=_action(texts, action, count),
    )


def record_labels(language: str) -> dict[str, Any]:
    """The `[record]` texts of `language`, English where it has none."""
    own = labels_for(language).get("record", {})
    return {**labels_for("en")["record"], **own}


def _action(texts: dict[str, Any], action: Action, count: int) -> str:
    key = f"{action}_one" if count == 1 and f"{action}_one" in texts else action
    return str(texts[key]).format(count=count)


def _one_line(text: str) -> str:
    """`text` as one printable line: a title cannot break the record's line or hide text."""
    visible = without_format_characters(text)
    return " ".join("".join(" " if has_control(c) else c for c in visible).split())
