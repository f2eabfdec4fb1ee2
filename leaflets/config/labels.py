"""Fixed texts, one TOML file a language: the leaflets' in leaflets/labels/, the desk's in
desk/, the set-up commands' in setup/."""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from leaflets.config.defaults import LABELS_DIR

DESK_LABELS_DIR = LABELS_DIR / "desk"
SETUP_LABELS_DIR = LABELS_DIR / "setup"
FALLBACK_LANGUAGE = "en"

Labels = dict[str, Any]


@cache
def available_languages(folder: Path = LABELS_DIR) -> list[str]:
    """The languages that have a label file in `folder`."""
    return sorted(path.stem for path in folder.glob("*.toml"))


@cache
def _read_labels(folder: Path, language: str) -> Labels:
    with (folder / f"{language}.toml").open("rb") as handle:
        return tomllib.load(handle)


def has_labels(language: str, folder: Path = LABELS_DIR) -> bool:
    """Whether `language` (or its base, 'da' for 'da-DK') has a label file in `folder`."""
    return _base(language) in available_languages(folder)


def labels_language(language: str, folder: Path = LABELS_DIR) -> str:
    """The language whose labels stand for `language`: its base, or English when it has none."""
    return _base(language) if has_labels(language, folder) else FALLBACK_LANGUAGE


def labels_for(language: str, folder: Path = LABELS_DIR) -> Labels:
    """The labels of `language` in `folder`, or the English ones when it has none."""
    return _read_labels(folder, labels_language(language, folder))


@cache
def language_name(code: str, in_language: str) -> str:
    """The name of language `code` as written in `in_language` ('engelsk' for 'en' in 'da')."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(in_language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse(FALLBACK_LANGUAGE)
    return str(locale.languages.get(code, code))


@cache
def language_names(code: str) -> tuple[str, ...]:
    """Every name staff may know language `code` by: its own ('Polski') and its name in each
    language of the desk ('polsk', 'Polish')."""
    own = labels_for(code).get("language_name") if has_labels(code) else None
    names = [str(own or language_name(code, code))]
    names += [language_name(code, desk) for desk in available_languages(DESK_LABELS_DIR)]
    return tuple(dict.fromkeys(names))


def _base(language: str) -> str:
    return language.split("-")[0].lower()


def system_language() -> str:
    """The language of this system's locale ('da' for da_DK.UTF-8); English when none is set."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return _base(value.replace("_", "-").split(".")[0])
    return FALLBACK_LANGUAGE


@cache
def setup_texts(language: str) -> dict[str, str]:
    """The set-up commands' words (init, printers) in `language`, else in English."""
    return {key: str(value) for key, value in labels_for(language, SETUP_LABELS_DIR).items()}
