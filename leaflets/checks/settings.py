"""The check settings of a clinic: `[checks]` in clinic.toml, and two `[leaflets]` keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from leaflets.config.profile import ChecksSettings, CleanupSettings, LeafletSettings, Profile

REVIEW_SOON_DAYS = 90


@dataclass(frozen=True)
class CheckSettings:
    """Limits for the content checks and the rules a clinic switched off."""

    max_lix: float = ChecksSettings.max_lix
    min_flesch: float = ChecksSettings.min_flesch
    max_pages: int = ChecksSettings.max_pages
    ignore: frozenset[str] = frozenset()
    review_months: int = LeafletSettings.review_months
    site_root: Path | None = None
    source: Path | None = None
    cleanup: CleanupSettings = field(default_factory=CleanupSettings)


def check_settings(profile: Profile) -> CheckSettings:
    """The settings from the profile's `[checks]` table and its review rule."""
    checks = profile.checks
    return CheckSettings(
        max_lix=checks.max_lix,
        min_flesch=checks.min_flesch,
        max_pages=checks.max_pages,
        ignore=frozenset(checks.ignore),
        review_months=profile.leaflets.review_months,
        site_root=profile.leaflets.site_root,
        source=profile.path,
        cleanup=profile.cleanup,
    )
