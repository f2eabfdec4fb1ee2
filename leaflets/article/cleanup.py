"""Removing what a web CMS leaves in Markdown that means nothing on paper."""

from __future__ import annotations

from collections.abc import Callable

from leaflets.article.linear import LineCounter, TextMatch, TextPattern, linear
from leaflets.config.errors import shorten

# Liquid tags are always site machinery; a Liquid output tag is a variable path such as
# {{ page.title | upcase }}. Anything else in double braces, like {{ 7*7 }}, is text.
_LIQUID_TAG = linear(r"(?s)\{%-?.*?-?%\}")
_LIQUID_OUTPUT = linear(r"\{\{-?\s*[A-Za-z_][\p{L}\p{N}_.\[\]'\"-]*\s*(\|[^{}]*)?-?\}\}")
_KRAMDOWN_LINE = linear(r"(?m)^[ \t]*\{:[^}\n]*\}[ \t]*$")
_KRAMDOWN_INLINE = linear(r"\{:[^}\n]*\}")

# Pictographs and the joiners and selectors that build emoji sequences. The bundled
# font has none of them, and a box where a picture was meant helps nobody.
_EMOJI = linear(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U00002b00-\U00002bff"
    "\U0000fe0e\U0000fe0f\U0000200d\U000020e3\U000e0020-\U000e007f]"
)

Report = Callable[[int, str], None]


def strip_web_leftovers(text: str, report: Report) -> str:
    """Remove Liquid tags and kramdown attributes, reporting each by line."""
    for pattern, what in (
        (_LIQUID_TAG, "Liquid tag"),
        (_LIQUID_OUTPUT, "Liquid output tag"),
        (_KRAMDOWN_LINE, "kramdown attribute line"),
        (_KRAMDOWN_INLINE, "kramdown attribute"),
    ):
        text = _remove(pattern, text, _labelled(report, what))
    return text


def _labelled(report: Report, what: str) -> Report:
    return lambda line, found: report(line, f"{what} {found}")


def strip_emoji(text: str, report: Report) -> str:
    """Drop emoji, reporting the lines that had any."""
    return _remove(_EMOJI, text, lambda line, _found: report(line, "emoji dropped"))


def _remove(pattern: TextPattern, text: str, report: Report) -> str:
    reported: set[int] = set()
    lines = LineCounter(text)

    def replace(match: TextMatch) -> str:
        line = lines.line_at(match.start())
        if line not in reported:
            reported.add(line)
            report(line, shorten(match.group(0), 40))
        # Keep the line count so later findings still point at the right line.
        return "\n" * match.group(0).count("\n")

    return pattern.sub(replace, text)
