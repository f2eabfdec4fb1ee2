"""Leaving out what sends the reader to another website: a clinic hands its own leaflet over
the counter, and a directory's "book via us" has no place on it.

The clinic's patterns (`[cleanup]` in clinic.toml) are RE2, so each search is linear in the
text whatever the article holds. A link to the site loses its address and keeps its words; a
sentence or list item that names the site goes, and a paragraph whose first sentence names it;
a section under a heading that names it goes whole, and so does a section left empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from leaflets.article.linear import TextMatch, TextPattern, linear
from leaflets.config.errors import shorten
from leaflets.config.profile import CleanupSettings

Report = Callable[[int, str], None]

_HEADING = linear(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_FENCE = linear(r"^ {0,3}(?:```|~~~)")
_LIST_ITEM = linear(r"^\s*(?:>\s*)*(?:[-*+]|\d{1,9}[.)])\s")
_LEAD = linear(r"^[ \t]*(?:>[ \t]*)*")
_LINK = linear(r"\[([^\]\n]*)\]\(([^)\n]*)\)")
# A sentence ends at . ! ? or … (with any closing quote or emphasis) and a space before a
# capital, a digit or the start of a link; "f.eks. at" runs on.
_SENTENCE_END = linear(r"[.!?…]+[\"'”’)*_]*[ \t]+")
_STARTS = frozenset('[*_"“„«')


@dataclass(frozen=True)
class Adverts:
    """The clinic's advert patterns, compiled."""

    text: tuple[TextPattern, ...]
    sections: tuple[TextPattern, ...]

    def in_text(self, text: str) -> bool:
        """Whether `text` advertises."""
        return any(pattern.search(text) for pattern in self.text)

    def in_heading(self, text: str) -> bool:
        """Whether a heading opens a section that advertises."""
        return any(pattern.search(text) for pattern in self.sections)


@cache
def adverts_of(settings: CleanupSettings) -> Adverts:
    """The patterns of `settings`, compiled once (clinic.toml has checked them)."""
    return Adverts(
        tuple(linear(pattern) for pattern in settings.advert_patterns),
        tuple(linear(pattern) for pattern in settings.advert_sections),
    )


def drop_adverts(text: str, settings: CleanupSettings, report: Report) -> str:
    """The body without what advertises another website, each removal reported by line."""
    adverts = adverts_of(settings)
    if not adverts.text and not adverts.sections:
        return text
    lines = text.split("\n")
    had_text = _text_under_headings(lines)
    found: list[tuple[int, str]] = []

    def noted(line: int, what: str) -> None:
        found.append((line, what))

    _drop_advert_sections(lines, adverts, noted)
    for number in _prose_lines(lines):
        lines[number] = _without_adverts(lines[number], adverts, _on_line(noted, number + 1))
    _drop_emptied_headings(lines, had_text, noted)
    for line, what in sorted(found, key=lambda item: item[0]):  # a heading before its text
        report(line, what)
    return "\n".join(lines)


def _drop_advert_sections(lines: list[str], adverts: Adverts, report: Report) -> None:
    """Blank each section whose heading advertises, down to the next heading as high."""
    dropping_below = 0
    for number, line in enumerate(lines):
        heading = _HEADING.match(line)
        if heading is not None and not (dropping_below and len(heading.group(1)) > dropping_below):
            dropping_below = 0
            if adverts.in_heading(heading.group(2)):
                report(number + 1, f"advert section '{shorten(heading.group(2), 40)}'")
                dropping_below = len(heading.group(1))
        if dropping_below:
            lines[number] = ""


def _prose_lines(lines: list[str]) -> list[int]:
    """The numbers of the lines of text: not blank, not headings, not in fenced code."""
    found, in_fence = [], False
    for number, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and line.strip() and not _HEADING.match(line):
            found.append(number)
    return found


def _without_adverts(line: str, adverts: Adverts, report: Callable[[str], None]) -> str:
    """One line without the links, list item or sentences that advertise."""
    unlinked = _unlinked(line, adverts)
    if unlinked != line:
        report("advert link address")
    if _LIST_ITEM.match(unlinked):
        if adverts.in_text(unlinked):
            report(f"advert list item '{shorten(unlinked.strip(), 40)}'")
            return ""
        return unlinked
    lead = _LEAD.match(unlinked)
    start = lead.end() if lead else 0
    found = sentences(unlinked[start:])
    # What follows a first sentence that names the site is about the site: "Her kan du ...".
    if adverts.in_text(found[0]):
        report(f"advert paragraph '{shorten(unlinked[start:].strip(), 40)}'")
        return ""
    kept = []
    for sentence in found:
        if adverts.in_text(sentence):
            report(f"advert sentence '{shorten(sentence.strip(), 40)}'")
        else:
            kept.append(sentence)
    if len(kept) == len(found):
        return unlinked
    rest = "".join(kept).rstrip()
    return unlinked[:start] + rest if rest else ""


def _on_line(report: Report, line: int) -> Callable[[str], None]:
    return lambda what: report(line, what)


def _unlinked(line: str, adverts: Adverts) -> str:
    """Links to an advertised address become their words: the advice stays, the address goes."""

    def words(match: TextMatch) -> str:
        return match.group(1) if adverts.in_text(match.group(2)) else match.group(0)

    return _LINK.sub(words, line)


def sentences(text: str) -> list[str]:
    """`text` cut into sentences, each with the space after it, so that joining gives `text`."""
    pieces: list[str] = []
    start = 0
    for end in _SENTENCE_END.finditer(text):
        following = text[end.end() : end.end() + 1]
        if following and (following.isupper() or following.isdigit() or following in _STARTS):
            pieces.append(text[start : end.end()])
            start = end.end()
    pieces.append(text[start:])
    return pieces


def _text_under_headings(lines: list[str]) -> set[int]:
    """The lines of headings that have text of their own before the next heading."""
    having: set[int] = set()
    current = None
    for number, line in enumerate(lines):
        if _HEADING.match(line):
            current = number
        elif current is not None and line.strip():
            having.add(current)
    return having


def _drop_emptied_headings(lines: list[str], had_text: set[int], report: Report) -> None:
    """A heading whose text has all gone, and that has no subsections, goes with it."""
    for number in sorted(had_text):
        heading = _HEADING.match(lines[number])
        if heading is None:
            continue
        level = len(heading.group(1))
        following = next((line for line in lines[number + 1 :] if line.strip()), "")
        below = _HEADING.match(following)
        if not following or (below is not None and len(below.group(1)) <= level):
            report(number + 1, f"advert-only section heading '{shorten(heading.group(2), 40)}'")
            lines[number] = ""
