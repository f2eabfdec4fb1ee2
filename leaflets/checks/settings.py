"""The check settings of a clinic: `[checks]` in clinic.toml, and two `[leaflets]` keys."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leaflets.config.errors import LeafletError
from leaflets.config.profile import Profile

DEFAULT_MAX_LIX = 45.0
DEFAULT_MIN_FLESCH = 60.0
DEFAULT_MAX_PAGES = 4
DEFAULT_REVIEW_MONTHS = 36
REVIEW_SOON_DAYS = 90


@dataclass(frozen=True)
class CheckSettings:
    """Limits for the content checks and the rules a clinic switched off."""

    max_lix: float = DEFAULT_MAX_LIX
    min_flesch: float = DEFAULT_MIN_FLESCH
    max_pages: int = DEFAULT_MAX_PAGES
    ignore: frozenset[str] = frozenset()
    review_months: int = DEFAULT_REVIEW_MONTHS
    site_root: Path | None = None
    source: Path | None = None


def check_settings(profile: Profile) -> CheckSettings:
    """The settings from the profile's `[checks]` table and its review rule."""
    table = _checks_table(profile)
    where = profile.path
    return CheckSettings(
        max_lix=_number(table, "max_lix", DEFAULT_MAX_LIX, where),
        min_flesch=_number(table, "min_flesch", DEFAULT_MIN_FLESCH, where),
        max_pages=int(_number(table, "max_pages", DEFAULT_MAX_PAGES, where)),
        ignore=frozenset(_names(table.get("ignore", []), where)),
        review_months=profile.leaflets.review_months,
        site_root=profile.leaflets.site_root,
        source=where,
    )


def _checks_table(profile: Profile) -> dict[str, Any]:
    return dict(profile.checks)


def _number(table: dict[str, Any], key: str, default: float, where: Path | None) -> float:
    value = table.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise LeafletError(where, f"[checks] {key} must be a positive number, not {value!r}")
    return float(value)


def _names(value: object, where: Path | None) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple, set, frozenset)) and all(isinstance(v, str) for v in value):
        return list(value)
    raise LeafletError(where, "[checks] ignore must be a list of rule names")
