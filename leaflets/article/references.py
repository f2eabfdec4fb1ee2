"""A web article's reference list as paper needs it: one short paragraph naming the sources,
under the leaflet's own word for them, with no address for the reader to copy by hand."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from leaflets.article.linear import TextMatch, linear
from leaflets.config.labels import available_languages, labels_for

Report = Callable[[int, str], None]

_HEADING = linear(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
# A paragraph of bold text alone on its line, used by some sites as a heading.
_BOLD_HEADING = linear(r"^ {0,3}(?:\*\*|__)([^*_\n]+)(?:\*\*|__)[ \t]*:?[ \t]*$")
_LIST_ITEM = linear(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")
_HTML_LINE = linear(r"^[ \t]*</?[A-Za-z]")
_LINK = linear(r"\[([^\]\n]*)\]\(([^)\n]*)\)")
_BARE_ADDRESS = linear(r"<?(?:https?://|www\.)[^\s<>]*>?")
_DOMAIN = linear(r"^(?:https?://)?(?:www\.)?([^/\s?#]+)")
_ADDRESS_WORDS = linear(r"^\s*(?:https?://|www\.)?[^\s/]+\.[A-Za-z]{2,}(?:/\S*)?\s*$")
_EDGES = " \t\\.,;:–—-"


def shorten_references(text: str, heading: str, report: Report) -> str:
    """Each reference list made one paragraph under `heading`, reported at its heading's line.

    A section counts as a reference list when its heading begins with a word for one (in
    any language the tool knows) and at least half its entries carry an address.
    """
    lines = text.split("\n")
    number = 0
    while number < len(lines):
        end = _section_end(lines, number)
        if end is not None:
            _rewrite(lines, number, end, heading, report)
            number = end
        else:
            number += 1
    return "\n".join(lines)


@cache
def reference_headings() -> tuple[str, ...]:
    """Every language's words that begin a reference list's heading, in lower case."""
    words = {str(word).lower() for lang in available_languages() for word in _headings_of(lang)}
    return tuple(sorted(words))


def _headings_of(language: str) -> list[object]:
    found = labels_for(language).get("sources_headings", [])
    return list(found) if isinstance(found, list) else []


def names_reference_list(title: str) -> bool:
    """Whether a heading's words name a reference list ('Referencer om restitution' does)."""
    lowered = title.strip().rstrip(":").strip().lower()
    return any(lowered == word or lowered.startswith(word + " ") for word in reference_headings())


def _section_end(lines: list[str], number: int) -> int | None:
    """Where the section opened at line `number` ends, if it opens a reference list."""
    heading = _HEADING.match(lines[number])
    bold = None if heading else _BOLD_HEADING.match(lines[number])
    title = heading.group(2) if heading else bold.group(1) if bold else None
    if title is None or not names_reference_list(title):
        return None
    # A bold line ends at the next heading of any kind, bold too, so that no line is read by
    # more than seven open sections, however many headings an article has.
    level = len(heading.group(1)) if heading else 7
    end = number + 1
    while end < len(lines):
        below = _HEADING.match(lines[end])
        if below is not None and len(below.group(1)) <= level:
            break
        if bold and _BOLD_HEADING.match(lines[end]):
            break
        end += 1
    entries = _entries(lines[number + 1 : end])
    with_address = sum(1 for entry in entries if _has_address(entry))
    return end if entries and with_address * 2 >= len(entries) else None


def _entries(lines: list[str]) -> list[str]:
    """The entries of a list: its items, or else its paragraphs; HTML lines are left out."""
    lines = [line for line in lines if not _HTML_LINE.match(line)]
    as_items = any(_LIST_ITEM.match(line) for line in lines)
    entries: list[list[str]] = []
    fresh = True
    for line in lines:
        if not line.strip():
            fresh = fresh or not as_items
            continue
        item = _LIST_ITEM.match(line)
        if item is not None or (fresh and not as_items) or not entries:
            entries.append([])
        entries[-1].append(line[item.end() :] if item else line.strip())
        fresh = False
    return [" ".join(entry) for entry in entries]


def _has_address(entry: str) -> bool:
    return bool(_LINK.search(entry) or _BARE_ADDRESS.search(entry))


def source_name(entry: str) -> str:
    """What an entry prints as: its title, else the domain it links to; never an address."""
    domains: list[str] = []

    def link_words(match: TextMatch) -> str:
        words = match.group(1).strip()
        if not words or _ADDRESS_WORDS.match(words):
            domains.append(_domain(words or match.group(2)))
            return ""
        return words

    def bare(match: TextMatch) -> str:
        domains.append(_domain(match.group(0).strip("<>")))
        return ""

    title = _BARE_ADDRESS.sub(bare, _LINK.sub(link_words, entry))
    title = " ".join(title.replace("\\", " ").split()).strip(_EDGES)
    return title or next((domain for domain in domains if domain), "")


def _domain(address: str) -> str:
    match = _DOMAIN.match(address.strip())
    return match.group(1).lower() if match else ""


def _count(sources: int) -> str:
    return "1 source" if sources == 1 else f"{sources} sources"


def _rewrite(lines: list[str], start: int, end: int, heading: str, report: Report) -> None:
    """Lines `start` to `end` become the heading and one paragraph; the count of lines stays."""
    entries = _entries(lines[start + 1 : end])
    names = list(dict.fromkeys(name for name in map(source_name, entries) if name))
    old = _HEADING.match(lines[start])
    marks = old.group(1) if old else ""
    lines[start] = f"{marks} {heading}" if marks else f"**{heading}**"
    report(
        start + 1,
        f"reference list addresses; {_count(len(entries))} printed as one paragraph",
    )
    for number in range(start + 1, end):
        lines[number] = ""
    paragraph = "; ".join(names)
    if paragraph and paragraph[-1] not in ".!?":
        paragraph += "."
    # A paragraph straight under a bold line would run on from it; under a heading it cannot.
    below = start + 1 if marks or end == start + 2 else start + 2
    lines[below] = paragraph
