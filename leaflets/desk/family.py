"""A leaflet and its translations, offered together: one card, one page, a choice of language."""

from __future__ import annotations

from leaflets.config.labels import labels_for
from leaflets.desk.catalogue import Catalogue
from leaflets.desk.records import LeafletRecord

STALE = "stale"


def family(catalogue: Catalogue, record: LeafletRecord) -> list[LeafletRecord]:
    """The leaflet a record belongs to, then its translations by language."""
    head = record.family_head
    members = catalogue.family_members(head)
    return sorted(members or [record], key=lambda r: (r.slug != head, r.language))


def language_name(record: LeafletRecord) -> str:
    """The leaflet's language in its own words: 'Dansk', 'English', 'Polski'."""
    return str(labels_for(record.language).get("language_name", record.language))


def badges(members: list[LeafletRecord]) -> str:
    """'Dansk · English · Polski' for a leaflet with translations, '' for one without."""
    return " · ".join(language_name(r) for r in members) if len(members) > 1 else ""


def cards(catalogue: Catalogue, found: list[LeafletRecord]) -> list[LeafletRecord]:
    """The records to show as cards: a translation found is shown on its source's card."""
    shown: dict[str, LeafletRecord] = {}
    for record in found:
        source = catalogue.record(record.translation_of) if record.translation_of else None
        card = source or record
        shown.setdefault(card.slug, card)
    return list(shown.values())


def is_stale(record: LeafletRecord) -> bool:
    """Whether a translation follows an older text of its source."""
    return record.translation_state == STALE
