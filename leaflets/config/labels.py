"""Fixed leaflet texts, one TOML file per language under leaflets/labels/."""

from __future__ import annotations

import os
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


SETUP_LABELS_DIR = LABELS_DIR / "setup"


def system_language() -> str:
    """The language of this system's locale ('da' for da_DK.UTF-8); English when none is set."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return _base(value.replace("_", "-").split(".")[0])
    return FALLBACK_LANGUAGE


@cache
def setup_texts(language: str) -> dict[str, str]:
    """The set-up commands' words in `language`, else in English."""
    chosen = _base(language)
    if not (SETUP_LABELS_DIR / f"{chosen}.toml").is_file():
        chosen = FALLBACK_LANGUAGE
    with (SETUP_LABELS_DIR / f"{chosen}.toml").open("rb") as handle:
        return {key: str(value) for key, value in tomllib.load(handle).items()}
