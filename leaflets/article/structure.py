"""Cutting an article's Markdown body into its lede, its sections and its FAQ."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

# The closing hashes are cut off in code: a lazy `(.+?)[ \t#]*$` backtracks quadratically
# over `# a`, a long run of spaces and one more character. Anchored, and each part a run the
# next cannot start, this is linear.
_HEADING_START = re.compile(r"(#{1,6})[ \t]+(.*)")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")


@dataclass
class Block:
    """A heading with the Markdown lines under it, and the line the heading is on."""

    heading: str
    line: int
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The Markdown under the heading."""
        return "\n".join(self.lines).strip("\n")


@dataclass
class Outline:
    """The body cut at its top-level headings."""

    lede: Block
    sections: list[Block]
    faq: Block | None
    faq_items: list[Block]


def atx_heading(line: str) -> tuple[int, str] | None:
    """The level and text of the heading on `line` (closing hashes left out), or None."""
    match = _HEADING_START.fullmatch(line)
    if match is None or len(line) - len(match.group(1)) < 2:
        return None  # a heading needs a space and one character more after its hashes
    text = match.group(2)
    return len(match.group(1)), text.rstrip(" \t#") or text[:1]


def headings(lines: Iterable[str]) -> Iterator[tuple[int, int, str]]:
    """(index, level, text) for each ATX heading outside fenced code."""
    in_fence = False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (heading := atx_heading(line)):
            yield index, heading[0], heading[1].strip()


def split_blocks(body: str, first_line: int, levels: tuple[int, ...]) -> tuple[Block, list[Block]]:
    """The text before the first heading of `levels`, then one block per such heading."""
    lines = body.split("\n")
    starts = {index: text for index, level, text in headings(lines) if level in levels}
    head = Block("", first_line)
    blocks: list[Block] = []
    current = head
    for index, line in enumerate(lines):
        if index in starts:
            current = Block(starts[index], first_line + index)
            blocks.append(current)
        else:
            current.lines.append(line)
    return head, blocks


def is_faq_heading(heading: str, prefixes: Iterable[str]) -> bool:
    """Whether a section heading opens the FAQ, such as 'Ofte stillede spørgsmål om …'."""
    folded = heading.casefold()
    return any(folded.startswith(prefix.casefold()) for prefix in prefixes)


def outline(body: str, first_line: int, title: str, faq_prefixes: Iterable[str]) -> Outline:
    """Lede, sections and FAQ of a body; a leading '# Title' that repeats the title is dropped."""
    lede, blocks = split_blocks(body, first_line, (1, 2))
    if blocks and blocks[0].heading.casefold() == title.casefold() and not lede.text:
        lede = Block("", blocks[0].line, blocks.pop(0).lines)
    faq = next((block for block in blocks if is_faq_heading(block.heading, faq_prefixes)), None)
    sections = [block for block in blocks if block is not faq]
    items: list[Block] = []
    if faq is not None:
        intro, items = split_blocks("\n".join(faq.lines), faq.line + 1, (3,))
        faq.lines = intro.lines
    return Outline(lede, sections, faq, items)
