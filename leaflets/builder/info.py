"""What the rest of the tool needs to know about a built leaflet, gathered where it is built.

The worker that builds a leaflet fills this in, and the manifest keeps it, so that printing,
email, the index and the desk never parse an untrusted article again in their own process.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from leaflets.article.codes import leaflet_codes
from leaflets.article.model import Article, article_slug
from leaflets.config.profile import Profile
from leaflets.html.identity import online_address, reference, review_date, shared_meta, version


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


def leaflet_info(article: Article, profile: Profile, pages: int) -> LeafletInfo:
    """The info for a leaflet just laid out from `article`."""
    return LeafletInfo(
        title=article.title,
        slug=article.slug,
        language=article.language,
        reference=reference(article, profile),
        version=version(article),
        content_hash=article.source_hash,
        published=article.published,
        updated=article.updated,
        review=review_date(article, profile),
        online=online_address(article, profile),
        pages=pages,
        codes=leaflet_codes(shared_meta(article)),
        **translation_fields(article),
    )


def translation_fields(article: Article) -> dict[str, str]:
    """The source's slug and the state of a translation; nothing for an article of its own."""
    translation = article.translation
    if translation is None:
        return {}
    source_slug = article_slug(translation.source_meta, translation.source)
    return {"translation_of": source_slug, "translation_state": translation.state}


def is_overdue(info: LeafletInfo, today: dt.date | None = None) -> bool:
    """Whether the leaflet's review date has passed."""
    return info.review is not None and info.review < (today or dt.date.today())
