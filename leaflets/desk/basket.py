"""The basket: leaflets gathered in a session to be printed or sent together.

It lives in the session on the server, for as long as the login lasts, and holds only which
leaflet (the slug of the language chosen) and which edition: nothing about a patient.
"""

from __future__ import annotations

from dataclasses import dataclass

from leaflets.desk.catalogue import VARIANTS, Catalogue
from leaflets.desk.family import family
from leaflets.desk.forms import FormError, choice_from
from leaflets.desk.guard import Session
from leaflets.desk.records import LeafletRecord

MAX_BASKET = 10


@dataclass(frozen=True)
class Item:
    """One leaflet in the basket, as the catalogue knows it now, and its edition."""

    number: int  # from 1, as staff see it
    record: LeafletRecord
    variant: str


def add(catalogue: Catalogue, session: Session, slug: str, variant: str) -> LeafletRecord:
    """Put a leaflet in the basket; one already there stays as it is, in its edition."""
    record = catalogue.record(slug)
    if record is None:
        raise FormError("error_basket_unknown")
    chosen = choice_from(variant or "standard", VARIANTS, "error_variant")
    if slug in (kept for kept, _edition in session.basket):
        return record
    if len(session.basket) >= MAX_BASKET:
        raise FormError("error_basket_full", limit=MAX_BASKET)
    session.basket.append((slug, chosen))
    return record


def add_all(catalogue: Catalogue, session: Session, slugs: tuple[str, ...]) -> None:
    """Put every leaflet of a named bundle in the basket, or none when one is unknown."""
    missing = [slug for slug in slugs if catalogue.record(slug) is None]
    if missing:
        raise FormError("error_bundle_unknown", slug=missing[0])
    kept = {slug for slug, _edition in session.basket}
    new = [slug for slug in dict.fromkeys(slugs) if slug not in kept]
    if len(session.basket) + len(new) > MAX_BASKET:
        raise FormError("error_basket_full", limit=MAX_BASKET)
    session.basket.extend((slug, "standard") for slug in new)


def change(catalogue: Catalogue, session: Session, number: str, slug: str, variant: str) -> None:
    """Choose another language (a translation of the same leaflet) or edition for one item."""
    index = _index(session, number)
    record = catalogue.record(session.basket[index][0])
    if record is None:
        raise FormError("error_basket_unknown")
    members = [member.slug for member in family(catalogue, record)]
    chosen = choice_from(slug or record.slug, members, "error_language")
    session.basket[index] = (chosen, choice_from(variant, VARIANTS, "error_variant"))


def remove(session: Session, number: str) -> None:
    """Take one leaflet out of the basket."""
    del session.basket[_index(session, number)]


def empty(session: Session) -> None:
    """Take every leaflet out of the basket."""
    session.basket.clear()


def items(catalogue: Catalogue, session: Session) -> list[Item]:
    """The basket's leaflets as the catalogue knows them now; one removed since is left out."""
    found: list[Item] = []
    for slug, variant in list(session.basket):
        record = catalogue.record(slug)
        if record is not None:
            found.append(Item(len(found) + 1, record, variant))
    return found


def filled(catalogue: Catalogue, session: Session) -> list[Item]:
    """The basket's leaflets, at least one."""
    found = items(catalogue, session)
    if not found:
        raise FormError("error_basket_empty")
    return found


def printable_together(found: list[Item]) -> list[Item]:
    """The leaflets, when one print job can take them: a job turns every sheet the same way,
    and an A5 booklet turns on the short edge, the other editions on the long edge."""
    if len({item.variant == "booklet" for item in found}) > 1:
        raise FormError("error_basket_mixed")
    return found


def contents_key(found: list[Item]) -> str:
    """What a send preview is bound to: every leaflet, its language and its edition, in order."""
    return "basket:" + ",".join(f"{item.record.slug}/{item.variant}" for item in found)


def _index(session: Session, number: str) -> int:
    """The basket's item `number` (from 1), as a list index."""
    if not number.isascii() or not number.isdigit() or not 1 <= int(number) <= len(session.basket):
        raise FormError("error_basket_item")
    return int(number) - 1
