"""The clinic profile (clinic.toml): who publishes the leaflets and how they look."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leaflets.config.defaults import (
    CLINIC_FILE,
    DEFAULT_ADVERT_PATTERNS,
    DEFAULT_ADVERT_SECTIONS,
    DEFAULT_LANGUAGE,
)
from leaflets.config.errors import LeafletError, warn
from leaflets.config.schema import SCHEMA, problems_in
from leaflets.config.smtp import SmtpSettings, smtp_settings


@dataclass(frozen=True)
class Clinic:
    """The publisher's identity and contact details."""

    name: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    opening_hours: str = ""  # in the clinic's own language
    opening_hours_by_language: tuple[tuple[str, str], ...] = ()
    logo: Path | None = None

    def opening_hours_in(self, language: str) -> str | None:
        """The opening hours written in `language`, or None when the profile has none."""
        return dict(self.opening_hours_by_language).get(language.split("-")[0].lower())


@dataclass(frozen=True)
class LeafletSettings:
    """How leaflets are dated, referenced and linked."""

    language: str = DEFAULT_LANGUAGE
    review_months: int = 36
    base_url: str = ""
    site_root: Path | None = None
    id_prefix: str = ""


@dataclass(frozen=True)
class Style:
    """The look: one colour and an optional theme folder."""

    primary_color: str = "#1f4e5f"
    theme: Path | None = None


@dataclass(frozen=True)
class PrintSettings:
    """Defaults for printing: the paper format when the command line names none, and whether
    a leaflet is laid out tighter when that saves a sheet of paper."""

    format: str = "a4"
    fit: bool = True
    printer: str | None = None  # the CUPS queue to use when none is named; else CUPS's default


@dataclass(frozen=True)
class ChecksSettings:
    """`[checks]`: the limits of the content checks and the rules a clinic switched off."""

    max_lix: float = 45.0
    min_flesch: float = 60.0
    max_pages: int = 4
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class CleanupSettings:
    """`[cleanup]`: what in an article advertises another website and is left off paper.

    `advert_patterns` find sentences and list items, `advert_sections` headings whose whole
    section goes; both are RE2 patterns, searched for anywhere in the text.
    """

    advert_patterns: tuple[str, ...] = DEFAULT_ADVERT_PATTERNS
    advert_sections: tuple[str, ...] = DEFAULT_ADVERT_SECTIONS


@dataclass(frozen=True)
class Profile:
    """Everything clinic.toml says, with neutral defaults for what it leaves out."""

    clinic: Clinic = field(default_factory=Clinic)
    leaflets: LeafletSettings = field(default_factory=LeafletSettings)
    style: Style = field(default_factory=Style)
    path: Path | None = None
    print: PrintSettings = field(default_factory=PrintSettings)
    checks: ChecksSettings = field(default_factory=ChecksSettings)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    cleanup: CleanupSettings = field(default_factory=CleanupSettings)


class ProfileError(LeafletError):
    """Every problem found in a clinic profile, reported together, one per line."""

    def __init__(self, source: Path, problems: list[str]) -> None:
        super().__init__(source, "; ".join(problems))
        self.problems = problems

    def lines(self) -> list[str]:
        """One `<file>: <key>: <problem>` line per problem."""
        return [f"{self.source}: {problem}" for problem in self.problems]


def load_profile(path: Path | None) -> Profile:
    """The profile at `path`; without one, the neutral defaults.

    Only the project's own clinic.toml may be absent: a profile named on purpose must exist.
    """
    if path is None or (not path.exists() and path.resolve() == CLINIC_FILE):
        return Profile()
    if not path.exists():
        raise LeafletError(path, "no such clinic profile")
    return profile_from(read_toml(path), path)


def _by_language(table: dict[str, Any], key: str, own_language: str) -> None:
    """A text given one a language: kept by language, and in the clinic's own language."""
    value = table.get(key)
    if isinstance(value, dict):
        texts = {language.lower(): text for language, text in value.items()}
        table[f"{key}_by_language"] = tuple(sorted(texts.items()))
        table[key] = texts.get(own_language, next(iter(texts.values()), ""))


def read_toml(path: Path) -> dict[str, Any]:
    """The TOML document at `path`; a syntax error names the line."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise LeafletError(path, f"is not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LeafletError(path, f"cannot be read: {exc}") from None


def profile_from(data: dict[str, Any], path: Path) -> Profile:
    """A checked Profile from parsed TOML; every problem is reported at once."""
    base = path.parent
    if problems := problems_in(data, base):
        raise ProfileError(path, problems)
    tables = {name: dict(data.get(name, {})) for name in SCHEMA}
    clinic, leaflets, style = tables["clinic"], tables["leaflets"], tables["style"]
    _as_path(clinic, "logo", base)
    _by_language(clinic, "opening_hours", tables["leaflets"].get("language", DEFAULT_LANGUAGE))
    _as_path(leaflets, "site_root", base)
    _as_path(style, "theme", base)
    warn_about_contrast(style.get("primary_color", Style.primary_color), path)
    return Profile(
        clinic=Clinic(**clinic),
        leaflets=LeafletSettings(**leaflets),
        style=Style(**style),
        path=path,
        print=PrintSettings(**tables["print"]),
        checks=checks_settings(tables["checks"]),
        smtp=smtp_settings(tables["smtp"], base),
        cleanup=CleanupSettings(**{key: tuple(value) for key, value in tables["cleanup"].items()}),
    )


def checks_settings(table: dict[str, Any]) -> ChecksSettings:
    """The `[checks]` table, already checked against the schema, as typed settings."""
    defaults = ChecksSettings()
    return ChecksSettings(
        max_lix=float(table.get("max_lix", defaults.max_lix)),
        min_flesch=float(table.get("min_flesch", defaults.min_flesch)),
        max_pages=int(table.get("max_pages", defaults.max_pages)),
        ignore=tuple(table.get("ignore", ())),
    )


def warn_about_contrast(colour: str, path: Path) -> None:
    """Warn when white title text on the clinic colour is too faint to read (WCAG AA, 4.5:1)."""
    ratio = 1.05 / (relative_luminance(colour) + 0.05)
    if ratio < 4.5:
        warn(
            f"{path}: style.primary_color {colour} is too light for the white title text "
            f"(contrast {ratio:.1f}:1, at least 4.5:1 is needed)"
        )


def relative_luminance(colour: str) -> float:
    """The WCAG relative luminance of a #rgb or #rrggbb colour."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(char * 2 for char in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _as_path(table: dict[str, Any], key: str, base: Path) -> None:
    """Turn a path relative to clinic.toml into a Path; an empty one means none."""
    value = table.pop(key, "")
    if value:
        table[key] = base / str(value)
