"""Fixed leaflet texts, one TOML file per language under leaflets/labels/."""

from __future__ import annotations

import tomllib
from functools import cache
from typing import Any

from .defaults import LABELS_DIR
from .errors import warn

FALLBACK_LANGUAGE = "en"

Labels = dict[str, Any]


def available_languages() -> list[str]:
    """The languages that have a label file."""
    return sorted(path.stem for path in LABELS_DIR.glob("*.toml"))


@cache
def _read_labels(language: str) -> Labels:
    with (LABELS_DIR / f"{language}.toml").open("rb") as handle:
        return tomllib.load(handle)


def labels_for(language: str) -> Labels:
    """The labels of `language`, or English ones with a warning when it has none."""
    base = language.split("-")[0].lower()
    if base in available_languages():
        return _read_labels(base)
    warn(f"no labels for language '{language}'; using English")
    return _read_labels(FALLBACK_LANGUAGE)
