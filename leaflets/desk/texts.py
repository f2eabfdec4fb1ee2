"""The desk's fixed texts, one TOML file per language under leaflets/labels/desk/."""

from __future__ import annotations

from functools import cache

from leaflets.config.labels import DESK_LABELS_DIR, labels_for, labels_language

Texts = dict[str, str]


@cache
def desk_texts(language: str) -> Texts:
    """The desk's texts in `language` (or its base), else in English."""
    return {key: str(value) for key, value in labels_for(language, DESK_LABELS_DIR).items()}


def desk_language(language: str) -> str:
    """The language the page declares in its `lang` attribute."""
    return labels_language(language, DESK_LABELS_DIR)
