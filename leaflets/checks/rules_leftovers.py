"""Web leftovers: Liquid, kramdown, emoji, raw HTML, and calls to action meant for a screen."""

from __future__ import annotations

import re
from collections.abc import Iterator

from leaflets.article.structure import _FENCE
from leaflets.checks.context import Context
from leaflets.checks.findings import Finding
from leaflets.config.errors import shorten

_REMOVED_RULES = (("Liquid", "liquid"), ("kramdown", "kramdown"), ("emoji", "emoji"))
_CODE_SPAN = re.compile(r"(`+).*?\1")
_HTML = re.compile(r"<!--|</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
_AUTOLINK = re.compile(r"<(?:[a-z][\w+.-]*:|[^\s<>@]+@)[^\s<>]*>", re.IGNORECASE)

SCREEN_PHRASES = (
    "læs mere", "læs også", "læs videre", "klik her", "klik på", "klik ind", "tryk her",
    "tryk på linket", "se mere her", "se videoen", "scroll ned", "del artiklen",
    "click here", "click on", "read more", "learn more", "tap here", "see more",
    "watch the video", "scroll down", "share this",
)  # fmt: skip
_SCREEN = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(p) for p in SCREEN_PHRASES) + r")(?!\w)", re.IGNORECASE
)
# "Læs mere på www.sundhed.dk" gives the reader somewhere to go: that is fine on paper.
_ADDRESS_AFTER = re.compile(
    r"^[^.!?\n]*?(?:www\.|https?://|\b[\w-]+\.(?:dk|com|org|net|se|no|eu|uk|info|nu)\b|\d{8})",
    re.IGNORECASE,
)


def removed_leftovers(context: Context) -> Iterator[Finding]:
    """Liquid tags, kramdown attributes and emoji that the build leaves out."""
    for line, what in context.removed:
        rule = next(rule for prefix, rule in _REMOVED_RULES if what.startswith(prefix))
        if rule == "emoji":
            yield context.finding(line, "emoji (left out on paper: the print font has none)", rule)
        else:
            yield context.finding(line, f"{what} (left out on paper)", rule)


def raw_html(context: Context) -> Iterator[Finding]:
    """HTML written into the Markdown, outside code: one finding per line."""
    in_fence = False
    for index, line in enumerate(context.clean_lines):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        plain = _AUTOLINK.sub("", _CODE_SPAN.sub("", line))
        if not in_fence and (match := _HTML.search(plain)):
            yield context.finding(
                context.file_line(index),
                f"raw HTML {shorten(match.group(0), 40)} (write it in Markdown)",
                "html",
            )


def screen_phrases(context: Context) -> Iterator[Finding]:
    """Calls to action such as 'klik her' or 'Læs mere' in the title or the text."""
    for block in context.blocks:
        for match in _SCREEN.finditer(block.text):
            if _ADDRESS_AFTER.match(block.text[match.end() : match.end() + 200]):
                continue
            line = block.line + block.text.count("\n", 0, match.start())
            yield context.finding(
                line,
                f"'{match.group(0)}' means nothing on paper (give an address or leave it out)",
                "paper-cta",
            )
