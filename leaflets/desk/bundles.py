"""Named bundles: leaflets that often go together ("Efter knæoperation"), kept by the clinic in
`bundles.toml` beside `clinic.toml`, a file staff can edit:

    [[bundle]]
    name = "Efter knæoperation"
    leaflets = ["knaesmerter", "knaeoevelser"]
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from leaflets.config.errors import LeafletError

BUNDLES_FILE_NAME = "bundles.toml"
MAX_BUNDLES_BYTES = 64 * 1024  # a hand-edited list; anything larger is not one
MAX_BUNDLES = 50
MAX_NAME = 80


@dataclass(frozen=True)
class Bundle:
    """A name staff know, and the slugs of its leaflets in the order they are handed out."""

    name: str
    slugs: tuple[str, ...]


def bundles_file(clinic: Path | None) -> Path | None:
    """Where the clinic's bundles are: beside its profile; None without a profile."""
    return clinic.parent / BUNDLES_FILE_NAME if clinic is not None else None


def load_bundles(path: Path | None) -> list[Bundle]:
    """The bundles in `path`; no file means none. A file that is wrong says where."""
    if path is None:
        return []
    try:
        with path.open("rb") as handle:
            text = handle.read(MAX_BUNDLES_BYTES + 1)
    except FileNotFoundError:
        return []
    except OSError as error:
        raise LeafletError(path, f"cannot read the bundles: {error.strerror}") from None
    if len(text) > MAX_BUNDLES_BYTES:
        raise LeafletError(path, f"is larger than {MAX_BUNDLES_BYTES // 1024} KiB")
    try:
        data = tomllib.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise LeafletError(path, f"is not TOML: {error}") from None
    return _bundles(data.get("bundle", []), path)


def _bundles(tables: object, path: Path) -> list[Bundle]:
    if not isinstance(tables, list) or len(tables) > MAX_BUNDLES:
        raise LeafletError(path, f"give at most {MAX_BUNDLES} [[bundle]] tables")
    found = []
    for number, table in enumerate(tables, 1):
        name = table.get("name") if isinstance(table, dict) else None
        slugs = table.get("leaflets") if isinstance(table, dict) else None
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
            raise LeafletError(path, f"bundle {number} needs a name of 1 to {MAX_NAME} characters")
        if not isinstance(slugs, list) or not slugs or not all(isinstance(s, str) for s in slugs):
            raise LeafletError(path, f"bundle {number} needs a list of leaflets (their slugs)")
        found.append(Bundle(" ".join(name.split()), tuple(slugs)))
    return found
