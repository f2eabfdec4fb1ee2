"""Web leftovers: Liquid, kramdown, emoji, raw HTML, and calls to action meant for a screen."""

from __future__ import annotations

import re
from collections.abc import Iterator

from leaflets.article.linear import WORD, LineCounter, linear
from leaflets.article.structure import _FENCE
from leaflets.checks.context import Context
from leaflets.checks.findings import Finding
from leaflets.config.errors import shorten

_REMOVED_RULES = (
    ("Liquid", "liquid"),
    ("kramdown", "kramdown"),
    ("emoji", "emoji"),
    ("tracking", "tracking"),
    ("thematic break", "thematic-break"),
    ("indentation", "code-indent"),
    ("advert", "advert"),
    ("reference list", "references"),
)
_BACKTICKS = re.compile(r"`+")
_HTML = linear(rf"<!--|</?[A-Za-z](?:{WORD}|-)*(?:\s[^<>]*)?/?>")
_AUTOLINK = linear(r"(?i)<(?:[a-z][\p{L}\p{N}_+.-]*:|[^\s<>@]+@)[^\s<>]*>")

SCREEN_PHRASES = (
    "læs mere", "læs også", "læs videre", "klik her", "klik på", "klik ind", "tryk her",
    "tryk på linket", "se mere her", "se videoen", "scroll ned", "del artiklen",
    "click here", "click on", "read more", "learn more", "tap here", "see more",
    "watch the video", "scroll down", "share this",
)  # fmt: skip
# Look-arounds with Unicode letters, so not RE2; linear in `re` all the same, as each try is
# at most one phrase long. The address test after a phrase reads at most 200 characters.
_SCREEN = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(p) for p in SCREEN_PHRASES) + r")(?!\w)", re.IGNORECASE
)
# "Læs mere på www.sundhed.dk" gives the reader somewhere to go: that is fine on paper.
_ADDRESS_AFTER = re.compile(
    r"^[^.!?\n]*?(?:www\.|https?://|\b[\w-]+\.(?:dk|com|org|net|se|no|eu|uk|info|nu)\b|\d{8})",
    re.IGNORECASE,
)


def removed_leftovers(context: Context) -> Iterator[Finding]:
    """Web leftovers that the build leaves out: Liquid, kramdown, emoji, tracking and more."""
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
        if in_fence or "<" not in line:
            continue
        plain = _AUTOLINK.sub("", without_code_spans(line))
        if match := _HTML.search(plain):
            yield context.finding(
                context.file_line(index),
                f"raw HTML {shorten(match.group(0), 40)} (write it in Markdown)",
                "html",
            )


def without_code_spans(line: str) -> str:
    """`line` without its code spans: a run of backticks up to the next run of as many."""
    runs = list(_BACKTICKS.finditer(line))
    # The next run of the same length, found from the right in one pass: matching each
    # opening run against the rest of the line would be quadratic in the runs.
    closer: dict[int, int] = {}
    following: list[int | None] = [None] * len(runs)
    for index in range(len(runs) - 1, -1, -1):
        width = len(runs[index].group(0))
        following[index] = closer.get(width)
        closer[width] = index
    kept: list[str] = []
    position = index = 0
    while index < len(runs):
        close = following[index]
        if close is None:
            index += 1
            continue
        kept.append(line[position : runs[index].start()])
        position, index = runs[close].end(), close + 1
    kept.append(line[position:])
    return "".join(kept)


def screen_phrases(context: Context) -> Iterator[Finding]:
    """Calls to action such as 'klik her' or 'Læs mere' in the title or the text."""
    for block in context.blocks:
        lines = LineCounter(block.text, block.line)
        for match in _SCREEN.finditer(block.text):
            if _ADDRESS_AFTER.match(block.text[match.end() : match.end() + 200]):
                continue
            line = lines.line_at(match.start())
            yield context.finding(
                line,
                f"'{match.group(0)}' means nothing on paper (give an address or leave it out)",
                "paper-cta",
            )
