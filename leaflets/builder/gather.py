"""A leaflet's info gathered from its article, in the worker that reads it."""

from __future__ import annotations

from leaflets.article.codes import leaflet_codes
from leaflets.article.model import Article, article_slug
from leaflets.builder.info import LeafletInfo
from leaflets.config.profile import Profile
from leaflets.html.identity import online_address, reference, review_date, shared_meta, version


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
