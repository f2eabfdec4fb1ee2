"""The one rule for a web address a leaflet may show: in an article and in the clinic profile."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

WEB_SCHEMES = frozenset({"https", "http"})
MAX_URL_LENGTH = 2000
_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x20\x7f\\<>\"'`]")
# Beyond ASCII: C1 controls such as U+0085, format characters (the bidi controls U+202A–E and
# U+2066–9 among them, which turn a printed address around), and every kind of space and
# line or paragraph separator. None belongs in an address a patient types in.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})


class UrlRefusedError(ValueError):
    """An address a leaflet must not show or link to."""


def check_web_url(value: object) -> str:
    """`value` as an absolute http or https address, or UrlRefusedError saying why not."""
    if not isinstance(value, str) or not value.strip():
        raise UrlRefusedError("not an address")
    url = value.strip()
    if len(url) > MAX_URL_LENGTH:
        raise UrlRefusedError(f"longer than {MAX_URL_LENGTH} characters")
    if _UNSAFE_CHARACTERS.search(url) or _has_invisible_characters(url):
        raise UrlRefusedError("has spaces, quotes, control or invisible formatting characters")
    try:
        parts = urlsplit(url)
    except ValueError:
        raise UrlRefusedError("not a valid address") from None
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        raise UrlRefusedError("only http and https addresses can be used")
    if parts.username is not None or parts.password is not None:
        raise UrlRefusedError("addresses with a user name or password are not shown")
    return url


def _has_invisible_characters(url: str) -> bool:
    return not url.isascii() and any(
        unicodedata.category(char) in _UNSAFE_CATEGORIES for char in url
    )
