"""The desk's fixed texts, one TOML file per language under leaflets/labels/desk/."""

from __future__ import annotations

import tomllib
from functools import cache

from leaflets.config.defaults import LABELS_DIR

DESK_LABELS_DIR = LABELS_DIR / "desk"
FALLBACK_LANGUAGE = "en"

Texts = dict[str, str]


@cache
def desk_languages() -> list[str]:
    """The languages the desk speaks."""
    return sorted(path.stem for path in DESK_LABELS_DIR.glob("*.toml"))


@cache
def desk_texts(language: str) -> Texts:
    """The desk's texts in `language` (or its base), else in English."""
    base = language.split("-")[0].lower()
    chosen = base if base in desk_languages() else FALLBACK_LANGUAGE
    with (DESK_LABELS_DIR / f"{chosen}.toml").open("rb") as handle:
        return {key: str(value) for key, value in tomllib.load(handle).items()}


def desk_language(language: str) -> str:
    """The language the page declares in its `lang` attribute."""
    base = language.split("-")[0].lower()
    return base if base in desk_languages() else FALLBACK_LANGUAGE
