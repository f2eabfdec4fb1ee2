"""The line that tells a patient which other editions of the leaflet there are."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from babel.lists import format_list

from leaflets.article.model import Article
from leaflets.article.translations import own_language, translations_of
from leaflets.config.labels import Labels, language_name


def written_in(article: Article, default_language: str) -> list[str]:
    """Every language the article is written in: its source's and each translation's."""
    if article.translation is None:  # the article is its own source, already read
        return sorted({article.language, *translations_of(article.path)})
    original = article.translation.source
    return sorted({own_language(original, default_language), *translations_of(original)})


def also_available(
    article: Article, labels: Labels, large_print: bool, default_language: str
) -> str:
    """'Fås også med stor skrift og på engelsk og polsk'; empty when there is nothing else.

    The languages come in the alphabetical order of their names as the reader reads them.
    """
    others = [code for code in written_in(article, default_language) if code != article.language]
    ways = [] if large_print else [labels["also_large_print"]]
    if others:
        names = format_list(
            sorted(language_name(code, article.language) for code in others),
            locale=_locale(article.language),
        )
        ways.append(labels["also_languages"].replace("{languages}", names))
    if not ways:
        return ""
    return str(labels["also_available"]).replace(
        "{ways}", format_list(ways, locale=_locale(article.language))
    )


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")
