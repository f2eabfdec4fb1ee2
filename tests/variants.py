"""The example leaflet in each print variant, as the visual and fitting tests build it."""

from __future__ import annotations

from pathlib import Path

from leaflets.cli.main import main
from leaflets.config.defaults import CLINIC_FILE, PROJECT_ROOT

from .conftest import EXAMPLE

VARIANTS = {
    "a4": [],
    "a5": ["--format", "a5"],
    "letter": ["--format", "letter"],
    "booklet": ["--booklet"],
    "large-print": ["--large-print"],
    "high-contrast": [],
    "bleed": ["--bleed", "3mm", "--crop-marks"],
}


def high_contrast_clinic(folder: Path) -> Path:
    """The shipped clinic profile with the high-contrast theme."""
    profile = CLINIC_FILE.read_text(encoding="utf-8")
    profile = profile.replace('logo = "', f'logo = "{PROJECT_ROOT}/')
    profile = profile.replace(
        'theme = ""', f'theme = "{PROJECT_ROOT / "themes" / "high-contrast"}"'
    )
    clinic = folder / "high-contrast.toml"
    clinic.write_text(profile, encoding="utf-8")
    return clinic


def build_variant(variant: str, folder: Path, *extra: str) -> Path:
    """The example built in `variant` into `folder`."""
    target = folder / f"{variant}.pdf"
    options = [*VARIANTS[variant], *extra]
    if variant == "high-contrast":
        options += ["--clinic", str(high_contrast_clinic(folder))]
    assert main(["build", str(EXAMPLE), "-o", str(target), *options]) == 0
    return target
