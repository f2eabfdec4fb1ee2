"""Cleaning what a web page needs and paper does not: tracking parameters, thematic breaks,
text indented like code that is really a list or a paragraph, adverts for other websites, and
reference lists full of addresses."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from leaflets.article.adverts import drop_adverts
from leaflets.article.cleanup import strip_emoji, strip_web_leftovers
from leaflets.article.linear import LineCounter, TextMatch, linear
from leaflets.article.references import shorten_references
from leaflets.config.defaults import DEFAULT_LANGUAGE
from leaflets.config.errors import shorten
from leaflets.config.labels import labels_for
from leaflets.config.profile import CleanupSettings

Report = Callable[[int, str], None]

# Query parameters that only tell a website where its visitor came from. On paper they make
# an address longer to type and nothing else; a clinic edits this list to add its own.
TRACKING_PREFIXES = ("utm_",)
TRACKING_NAMES = frozenset(
    {"gclid", "fbclid", "mc_eid", "mc_cid", "msclkid", "dclid", "yclid", "igshid", "_ga", "_gl"}
)

_URL = linear(r"https?://[^\s<>()\[\]\"']+\?[^\s<>()\[\]\"']+")
_THEMATIC_BREAK = linear(r"^ {0,3}(?:(?:- *){3,}|(?:\* *){3,}|(?:_ *){3,})$")
_LIST_ITEM = linear(r"^\s*(?:[-*+]|\d{1,9}[.)])\s")
# What marks indented text as program code rather than prose: code is rare in a leaflet.
_CODE_SIGN = linear(r"[{};=<>]|\(\)|^\s*(?:def|function|import|return|if|for)\b")


def clean_for_paper(
    text: str,
    report: Report,
    cleanup: CleanupSettings | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> str:
    """The body as it is printed: every web leftover removed and reported by line.

    `cleanup` is the clinic's `[cleanup]` (its defaults when None); `language` names the
    heading a reference list is printed under.
    """
    text = strip_emoji(strip_web_leftovers(text, report), report)
    for step in (strip_tracking, drop_thematic_breaks, unindent_prose):
        text = step(text, report)
    text = drop_adverts(text, cleanup or CleanupSettings(), report)
    return shorten_references(text, str(labels_for(language)["sources"]), report)


def is_tracking(name: str) -> bool:
    """Whether a query parameter only serves a website's statistics."""
    lowered = name.lower()
    return lowered in TRACKING_NAMES or lowered.startswith(TRACKING_PREFIXES)


def strip_tracking(text: str, report: Report) -> str:
    """Link addresses without tracking parameters, each change reported by line."""
    lines = LineCounter(text)

    def clean(match: TextMatch) -> str:
        address = match.group(0)
        parts = urlsplit(address)
        query = parse_qsl(parts.query, keep_blank_values=True)
        kept = [(name, value) for name, value in query if not is_tracking(name)]
        if len(kept) == len(query):
            return address
        dropped = sorted({name for name, _value in query if is_tracking(name)})
        report(lines.line_at(match.start()), "tracking parameters " + ", ".join(dropped))
        return urlunsplit(parts._replace(query=urlencode(kept)))

    return _URL.sub(clean, text)


def drop_thematic_breaks(text: str, report: Report) -> str:
    """No `---` rule: sections are already set apart by their headings.

    A `---` under a line of text is a heading's underline, not a break, and stays.
    """
    lines = text.split("\n")
    for number, line in enumerate(lines):
        after_blank = number == 0 or not lines[number - 1].strip()
        if after_blank and _THEMATIC_BREAK.fullmatch(line):
            report(number + 1, f"thematic break '{shorten(line.strip(), 20)}'")
            lines[number] = ""
    return "\n".join(lines)


def unindent_prose(text: str, report: Report) -> str:
    """Text indented by four spaces after a paragraph is prose or a list, not a code block."""
    lines = text.split("\n")
    number, previous = 0, ""
    while number < len(lines):
        if _starts_code_block(lines, number, previous):
            end = _block_end(lines, number)
            if not any(_CODE_SIGN.search(line) for line in lines[number:end]):
                lines[number:end] = _dedented(lines[number:end])
                report(number + 1, "indentation that would have printed the text as code")
            number = end - 1
        if lines[number].strip():
            previous = lines[number]
        number += 1
    return "\n".join(lines)


def _indented(line: str) -> bool:
    return line.startswith(("    ", "\t")) and bool(line.strip())


def _starts_code_block(lines: list[str], number: int, previous: str) -> bool:
    """Whether line `number` opens an indented code block; `previous` is the last non-blank line."""
    if not _indented(lines[number]) or (number > 0 and lines[number - 1].strip()):
        return False
    # After a list item or its indented continuation, indentation nests in the list.
    return not previous or not (_indented(previous) or _LIST_ITEM.match(previous))


def _block_end(lines: list[str], start: int) -> int:
    end = start
    for number in range(start, len(lines)):
        if _indented(lines[number]):
            end = number + 1
        elif lines[number].strip():
            break
    return end


def _dedented(block: list[str]) -> list[str]:
    expanded = [line.expandtabs(4) for line in block]
    depth = min(len(line) - len(line.lstrip(" ")) for line in expanded if line.strip())
    return [line[depth:] for line in expanded]
