"""Addresses taken from the front matter, checked before any template may use them."""

from __future__ import annotations

from pathlib import Path

from leaflets.article.assets import AssetRefusedError, AssetRoots, resolve_image
from leaflets.config.errors import WarningSink
from leaflets.config.urls import UrlRefusedError, check_web_url


def web_url(value: object) -> str:
    """The template filter: `value` if it is a safe web address, else an empty string."""
    try:
        return check_web_url(value)
    except UrlRefusedError:
        return ""


def front_matter_url(meta: dict[str, object], key: str, report: WarningSink) -> str:
    """The web address in `meta[key]`, checked; a refused one is reported and left out."""
    value = meta.get(key)
    if value is None or value == "":
        return ""
    try:
        return check_web_url(value)
    except UrlRefusedError as refusal:
        report(f"'{key}' left out: {refusal}")
        return ""


def front_matter_image(
    meta: dict[str, object], key: str, article_dir: Path, roots: AssetRoots, report: WarningSink
) -> str:
    """The `file:` URI of the local image in `meta[key]`, under the rules for body images."""
    value = meta.get(key)
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        report(f"'{key}' left out: not a file name")
        return ""
    try:
        return resolve_image(value, article_dir, roots).as_uri()
    except AssetRefusedError as refusal:
        report(f"'{key}' left out: {refusal}")
        return ""
