"""Addresses taken from the front matter, checked before any template may use them."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from leaflets.article.assets import AssetRefusedError, AssetRoots, resolve_image
from leaflets.config.errors import WarningSink

WEB_SCHEMES = frozenset({"https", "http"})
MAX_URL_LENGTH = 2000
_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x20\x7f\\<>\"'`]")


class UrlRefusedError(ValueError):
    """An address a leaflet must not show or link to."""


def check_web_url(value: object) -> str:
    """`value` as an absolute http or https address, or UrlRefusedError saying why not."""
    if not isinstance(value, str) or not value.strip():
        raise UrlRefusedError("not an address")
    url = value.strip()
    if len(url) > MAX_URL_LENGTH:
        raise UrlRefusedError(f"longer than {MAX_URL_LENGTH} characters")
    if _UNSAFE_CHARACTERS.search(url):
        raise UrlRefusedError("has spaces, quotes or control characters")
    try:
        parts = urlsplit(url)
    except ValueError:
        raise UrlRefusedError("not a valid address") from None
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        raise UrlRefusedError("only http and https addresses can be used")
    if parts.username is not None or parts.password is not None:
        raise UrlRefusedError("addresses with a user name or password are not shown")
    return url


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
