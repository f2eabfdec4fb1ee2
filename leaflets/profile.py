"""The clinic profile (clinic.toml): who publishes the leaflets and how they look."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .defaults import DEFAULT_LANGUAGE
from .errors import LeafletError


@dataclass(frozen=True)
class Clinic:
    """The publisher's identity and contact details."""

    name: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    opening_hours: str = ""
    logo: Path | None = None


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
class Profile:
    """Everything clinic.toml says, with neutral defaults for what it leaves out."""

    clinic: Clinic = field(default_factory=Clinic)
    leaflets: LeafletSettings = field(default_factory=LeafletSettings)
    style: Style = field(default_factory=Style)
    path: Path | None = None
    smtp: dict[str, object] = field(default_factory=dict, hash=False, compare=False)


def load_profile(path: Path | None) -> Profile:
    """The profile at `path`, or the neutral defaults when there is none."""
    if path is None or not path.exists():
        return Profile()
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise LeafletError(path, f"is not valid TOML: {exc}") from None
    return _profile_from(data, path)


def _profile_from(data: dict[str, object], path: Path) -> Profile:
    base = path.parent
    clinic = dict(_table(data, "clinic"))
    leaflets = dict(_table(data, "leaflets"))
    style = dict(_table(data, "style"))
    if clinic.get("logo"):
        clinic["logo"] = base / str(clinic["logo"])
    if leaflets.get("site_root"):
        leaflets["site_root"] = base / str(leaflets["site_root"])
    else:
        leaflets.pop("site_root", None)
    if style.get("theme"):
        style["theme"] = base / str(style["theme"])
    else:
        style.pop("theme", None)
    return Profile(
        Clinic(**clinic),  # type: ignore[arg-type]
        LeafletSettings(**leaflets),  # type: ignore[arg-type]
        Style(**style),  # type: ignore[arg-type]
        path,
        smtp=dict(_table(data, "smtp")),
    )


def _table(data: dict[str, object], name: str) -> dict[str, object]:
    table = data.get(name, {})
    return table if isinstance(table, dict) else {}
