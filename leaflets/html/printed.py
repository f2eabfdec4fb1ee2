"""Typography for paper on the article's safe HTML: link addresses spelled out, Danish
compounds marked where they may be hyphenated, titles that never end in a lone word."""

from __future__ import annotations

import html as html_escape
import re
import unicodedata
import urllib.parse
from functools import cache

SOFT_HYPHEN = "\u00ad"
NO_BREAK_SPACE = "\u00a0"
# Two last words joined only while they fit a line of the narrowest title (large print on A5).
LAST_WORDS_MAX = 20
# Danish compounds, written with the joins between their parts: the only places a leaflet's
# text is ever hyphenated (leaflet.css sets hyphens: manual). A break inside a part
# ("strækø-velser", "bæk-kensmerter") or at a syllable makes an older reader stop and
# re-read; unhyphenated, the lines are a little more ragged and the leaflet no longer.
DANISH_BREAKS = (
    "bækken-smerter", "bækken-bunds-musklerne", "bækken-bunds-muskler", "bækken-området",
    "skulder-smerter", "lænde-smerter", "knæ-smerter", "ryg-smerter", "nakke-smerter",
    "stræk-øvelser", "styrke-øvelser", "styrke-øvelserne", "krops-holdning",
    "krops-holdningen", "muskel-opbygning", "muskel-opbygningen", "søvn-optimering",
    "færdsels-uheld", "smerte-stillende", "helbreds-problemer", "leds-problemer",
    "blod-cirkulation", "blod-cirkulationen", "livs-kvaliteten", "søvn-kvaliteten",
    "muskel-udholdenhed", "stille-siddende", "svang-sene-problematik", "fysio-terapeut",
    "fysio-terapeuten", "fysio-terapeuter", "fysio-terapeuterne", "fysio-terapi",
    "fysio-terapien",
)  # fmt: skip
BREAKS = {"da": DANISH_BREAKS}

_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_LINK = re.compile(r'<a href="(https?://[^"]+)"([^>]*)>(.*?)</a>', re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_TABLE_OPENS = re.compile(r"<table[\s>]", re.IGNORECASE)
_TABLE_CLOSES = re.compile(r"</table\s*>", re.IGNORECASE)


@cache
def _exceptions(language: str) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    words = {
        word.replace("-", ""): word.replace("-", SOFT_HYPHEN) for word in BREAKS.get(language, ())
    }
    if not words:
        return None, {}
    alternatives = "|".join(sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)({alternatives})(?!\w)", re.IGNORECASE), words


def hyphenate_exceptions(html: str, language: str) -> str:
    """Soft hyphens at the good break points of listed words, in text only (never in tags),
    and never in a table: its cells are not hyphenated (and WeasyPrint takes a cell with a
    soft hyphen for wider than it is, so that its table runs off the page)."""
    pattern, words = _exceptions(language)
    if pattern is None:
        return html
    parts = _TAG_OR_TEXT.split(html)
    tables = 0
    for index, part in enumerate(parts):
        if index % 2:
            tables += _TABLE_OPENS.match(part) is not None
            tables -= _TABLE_CLOSES.match(part) is not None
        elif tables <= 0:
            parts[index] = pattern.sub(lambda match: _keep_case(match.group(0), words), part)
    return "".join(parts)


def _keep_case(found: str, words: dict[str, str]) -> str:
    marked = words[found.lower()]
    return found[0] + marked[1:] if found[0].isupper() else marked


def spell_out_links(html: str, own_address: str = "") -> str:
    """Mark each web link whose words do not show its address, so that print adds it."""
    return _LINK.sub(lambda match: _marked_link(match, own_address), html)


def _marked_link(match: re.Match[str], own_address: str) -> str:
    href, rest, words = match.group(1), match.group(2), match.group(3)
    address = bare_address(html_escape.unescape(href))
    shown = _squeeze(html_escape.unescape(_TAG.sub("", words)))
    if not address or _squeeze(address) in shown or href.rstrip("/") == own_address.rstrip("/"):
        return match.group(0)
    escaped = html_escape.escape(address, quote=True)
    return f'<a href="{href}" data-print-url="{escaped}"{rest}>{words}</a>'


def bare_address(url: str) -> str:
    """A web address as a reader would type it: no scheme, no www., no trailing slash; and as
    it really goes, with no name or password before its host and every invisible character
    (a bidi override that would print 'exe.pdf' as 'fdp.exe') spelt out as the browser does."""
    text = re.sub(r"^https?://(www\.)?", "", url, flags=re.IGNORECASE)
    host, slash, path = text.split("#", 1)[0].partition("/")
    text = host.rpartition("@")[2] + slash + path
    return "".join(_spelt_out(char) for char in text).rstrip("/")


def _spelt_out(char: str) -> str:
    if unicodedata.category(char) in _INVISIBLE:
        return urllib.parse.quote(char)
    return char


# Controls, format characters (the bidi controls among them) and line and paragraph separators.
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp"})


def _squeeze(text: str) -> str:
    return "".join(char for char in text.lower().replace(SOFT_HYPHEN, "") if char.isalnum())


def keep_last_words(title: str) -> str:
    """`title` with its last two words joined by a no-break space, so that a title of three or
    more words that wraps never leaves its last word alone on the line below (WeasyPrint has
    no `text-wrap: balance`)."""
    words = title.split()
    if len(words) < 3 or len(words[-2]) + len(words[-1]) + 1 > LAST_WORDS_MAX:
        return title
    return " ".join(words[:-2]) + " " + words[-2] + NO_BREAK_SPACE + words[-1]
