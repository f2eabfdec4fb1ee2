"""Parsed stylesheets kept per process, so that a worker parses each stylesheet once."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

# Keyed by path and content, so that an edited stylesheet (in watch mode) is parsed afresh.
_parsed: dict[tuple[str, str], Any] = {}


def parsed_stylesheet(path: Path, fetcher: Any, fonts: Any) -> Any:
    """WeasyPrint's CSS for `path`, parsed (and its fonts loaded) at most once per content."""
    from weasyprint import CSS

    data = path.read_bytes()
    key = (str(path), hashlib.sha256(data).hexdigest())
    if key not in _parsed:
        _parsed[key] = CSS(
            string=data.decode("utf-8"),
            base_url=path.resolve().as_uri(),
            url_fetcher=fetcher,
            font_config=fonts,
        )
    return _parsed[key]
