"""An article's text split into its front matter, read safely, and its body."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leaflets.article.files import read_text


@dataclass(frozen=True)
class Source:
    """An article's text split into front matter and body."""

    path: Path
    text: str
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line of the file where the body starts


def load_source(path: Path) -> Source:
    """Read `path` and parse its YAML front matter (safe YAML, no aliases)."""
    text = read_text(path)
    if not text.startswith("---"):
        return Source(path, text, {}, text, 1)
    # Loaded on first use: a command that parses no front matter (printing an edition that is
    # up to date) does without YAML.
    from leaflets.article.front_matter import split_front_matter

    found = split_front_matter(text, path)
    if found is None:
        return Source(path, text, {}, text, 1)
    meta, body = found
    body_line = text[: len(text) - len(body)].count("\n") + 1
    return Source(path, text, meta, body, body_line)
