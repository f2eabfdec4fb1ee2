"""What the rest of the tool needs to know about a built leaflet, gathered where it is built.

The worker that builds a leaflet fills this in (`builder/gather.py`), and the manifest keeps it,
so that printing, email, the index and the desk never parse an untrusted article again in their
own process, nor load what parses one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class LeafletInfo:
    """A built leaflet's title, identity and size, as plain values."""

    title: str
    slug: str
    language: str
    reference: str = ""
    version: str = ""
    content_hash: str = ""
    published: dt.date | None = None
    updated: dt.date | None = None
    review: dt.date | None = None
    online: str = ""
    pages: int = 0
    # A translation: the slug of the leaflet it translates, and 'current', 'stale' or 'unmarked'.
    translation_of: str = ""
    translation_state: str = ""
    # The diagnoses it is written for, as 'icpc2:L03'; a translation has its source's.
    codes: tuple[str, ...] = ()
    # The last good leaflet of a text whose rebuild failed: since when (ISO), and why.
    stale_since: str = ""
    error: str = ""

    def indexed(self) -> list[str]:
        """What a catalogue index may show of the leaflet, before it is formatted: its line
        there changes only when this does."""
        review = self.review.isoformat() if self.review else ""
        found = [self.title, self.slug, self.language, self.reference, review, self.online]
        return [*found, self.translation_of, *self.codes]

    def as_dict(self) -> dict[str, Any]:
        """The info for JSON, dates as ISO text."""
        data = asdict(self)
        for key in ("published", "updated", "review"):
            data[key] = data[key].isoformat() if data[key] else ""
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LeafletInfo:
        """The info as kept in a manifest; raises ValueError or TypeError when it is not."""
        values = dict(data)
        for key in ("published", "updated", "review"):
            values[key] = dt.date.fromisoformat(values[key]) if values.get(key) else None
        values["codes"] = tuple(str(code) for code in values.get("codes", ()))
        info = cls(**values)
        info.check_types()
        return info

    def check_types(self) -> None:
        """Raise TypeError unless every value has its field's type (a manifest may lie)."""
        for name, value in vars(self).items():
            if name in ("published", "updated", "review"):
                wanted: type | tuple[type, ...] = (dt.date, type(None))
            elif name == "pages":
                wanted = int
            elif name == "codes":
                wanted = tuple
            else:
                wanted = str
            if not isinstance(value, wanted) or isinstance(value, bool):
                raise TypeError(f"{name} is not a {getattr(wanted, '__name__', 'date')}")

    @property
    def short_hash(self) -> str:
        """The first 8 hex digits of the article's content hash, as shown to people."""
        return self.content_hash[:8]


def is_overdue(info: LeafletInfo, today: dt.date | None = None) -> bool:
    """Whether the leaflet's review date has passed."""
    return info.review is not None and info.review < (today or dt.date.today())
