"""A new clinic.toml from a set-up's answers: checked by the same schema as every build, and
never written half valid."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w

from leaflets.config.profile import ProfileError
from leaflets.config.schema import SCHEMA, problems_in

HEADER = (
    "# The clinic profile: who publishes the leaflets, how to reach them, and how leaflets look.\n"
    "# Written by `make-leaflet init`; edit it freely. Paths are relative to this file.\n"
    "# The SMTP password is never kept here: set LEAFLET_SMTP_PASSWORD in the environment.\n\n"
)

Answers = dict[str, dict[str, Any]]


def profile_text(answers: Answers, target: Path) -> str:
    """The TOML text of a profile at `target`; ProfileError lists every problem at once."""
    tables = {name: values for name, values in answers.items() if values}
    tables = {name: tables[name] for name in SCHEMA if name in tables}  # the schema's order
    if problems := problems_in(tables, target.parent):
        raise ProfileError(target, problems)
    return HEADER + tomli_w.dumps(tables)


def relative_to_profile(path: Path, target: Path) -> str:
    """A file's path as the profile writes it: relative to the profile's folder when inside it."""
    resolved = path.resolve()
    folder = target.resolve().parent
    return (
        resolved.relative_to(folder).as_posix()
        if resolved.is_relative_to(folder)
        else str(resolved)
    )
