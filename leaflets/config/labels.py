"""Fixed leaflet texts, one TOML file per language under leaflets/labels/."""

from __future__ import annotations

import tomllib
from functools import cache
from typing import Any

from leaflets.config.defaults import LABELS_DIR

FALLBACK_LANGUAGE = "en"

Labels = dict[str, Any]


@cache
def available_languages() -> list[str]:
    """The languages that have a label file."""
    return sorted(path.stem for path in LABELS_DIR.glob("*.toml"))


@cache
def _read_labels(language: str) -> Labels:
    with (LABELS_DIR / f"{language}.toml").open("rb") as handle:
        return tomllib.load(handle)


def has_labels(language: str) -> bool:
    """Whether `language` (or its base, 'da' for 'da-DK') has a label file."""
    return _base(language) in available_languages()


def labels_for(language: str) -> Labels:
    """The labels of `language`, or the English ones when it has none."""
    return _read_labels(_base(language) if has_labels(language) else FALLBACK_LANGUAGE)


def _base(language: str) -> str:
    return language.split("-")[0].lower()
