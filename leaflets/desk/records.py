"""What the desk knows about one built leaflet: shown on its pages, indexed for search."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field

from leaflets.api import title_order

REVIEW_SOON_DAYS = 90


@dataclass(frozen=True)
class LeafletRecord:
    """One leaflet: its identity, its dates, its PDF and the text that search looks in."""

    slug: str
    title: str
    source: str  # the article's path
    pdf: str  # the PDF's file name in the output folder
    key: str  # the article's and the PDF's hashes: a new key means a new record
    content_hash: str = ""  # SHA-256 of the article file, as in the PDF's information
    reference: str = ""
    version: str = ""
    language: str = "da"
    published: str = ""  # ISO dates, '' when the article has none
    updated: str = ""
    review: str = ""
    url: str = ""
    pages: int = 0
    headings: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    body: str = ""
    codes: list[str] = field(default_factory=list)  # 'icpc2:L03'; a translation's are its source's
    translation_of: str = ""  # the slug of the leaflet a translation translates
    translation_state: str = ""  # a translation's: 'current', 'stale' or 'unmarked'
    # The last good leaflet of an article that now fails to build: since when (ISO), and why.
    stale_since: str = ""
    error: str = ""

    def to_json(self) -> str:
        """The record as JSON, for the search index."""
        return json.dumps(asdict(self), ensure_ascii=False)

    def review_status(self, today: dt.date) -> str:
        """'overdue', 'due' (within 90 days), 'ok' or 'none'."""
        if not self.review:
            return "none"
        review = dt.date.fromisoformat(self.review)
        if review < today:
            return "overdue"
        return "due" if (review - today).days <= REVIEW_SOON_DAYS else "ok"

    @property
    def family_head(self) -> str:
        """The slug its family goes by: the translated leaflet's for a translation, else its own."""
        return self.translation_of or self.slug

    @property
    def sort_key(self) -> str:
        """Alphabetical by title, Danish letters last."""
        return title_order(self.title)


def record_from_json(text: str) -> LeafletRecord:
    """A record from the search index."""
    return LeafletRecord(**json.loads(text))
