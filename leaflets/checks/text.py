"""The words a reader sees on paper, block by block, with the line each block starts on."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from leaflets.article.linear import linear
from leaflets.article.structure import _FENCE, atx_heading

HEADING = "heading"
PARAGRAPH = "paragraph"
ITEM = "item"
CELL = "cell"

# Anchored, each part a run that the next cannot start: linear in `re`.
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")
_QUOTE = re.compile(r"^[ \t]*(>[ \t]?)+")
# Runs of spaces on both sides of an optional bar, and any number of cells: RE2.
_TABLE_RULE = linear(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
_THEMATIC_BREAK = linear(r"^[ \t]*(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")

_IMAGE = linear(r"!\[[^\[\]]*\]\([^()]*\)")
_LINK = linear(r"\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)|\[([^\[\]]*)\]\[[^\[\]]*\]")
_AUTOLINK = linear(r"<(?:https?://|mailto:)[^<>]*>")
_TAG = linear(r"</?[A-Za-z][^<>]*>|<!--|-->")
# Look-arounds, so not RE2; linear in `re` all the same: each branch is at most three
# characters, or one run of backticks that the match takes whole.
_MARKS = re.compile(r"(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)|`+|\\(?=[^\w\s])")


@dataclass(frozen=True)
class TextBlock:
    """A heading, paragraph, list item or table cell as printed, and where it starts."""

    kind: str
    line: int
    text: str
    level: int = 0


def text_blocks(lines: list[str], first_line: int) -> list[TextBlock]:
    """The printed blocks of Markdown `lines`, whose first line is file line `first_line`."""
    collector = _Collector()
    in_fence = False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
            collector.flush()
        elif not in_fence:
            collector.add(_QUOTE.sub("", line), first_line + index)
    collector.flush()
    return [block for block in collector.blocks if block.text.strip()]


class _Collector:
    """Gathers lines into blocks: blank lines, headings, items and table rows start new ones."""

    def __init__(self) -> None:
        self.blocks: list[TextBlock] = []
        self.kind = PARAGRAPH
        self.start = 0
        self.lines: list[str] = []

    def add(self, line: str, number: int) -> None:
        """Take one line of Markdown (outside code) that is file line `number`."""
        if not line.strip() or _is_rule(line):
            self.flush()
        elif heading := atx_heading(line):
            self.flush()
            level, text = heading
            self.blocks.append(TextBlock(HEADING, number, visible(text), level))
        elif line.lstrip().startswith("|"):
            self.flush()
            cells = line.strip().strip("|").split("|")
            self.blocks.extend(TextBlock(CELL, number, visible(cell)) for cell in cells)
        elif _LIST_ITEM.match(line):
            self.flush()
            self.kind, self.start, self.lines = ITEM, number, [_LIST_ITEM.sub("", line, 1)]
        else:
            if not self.lines:
                self.kind, self.start = PARAGRAPH, number
            self.lines.append(line)

    def flush(self) -> None:
        """Close the open paragraph or list item."""
        if self.lines:
            self.blocks.append(TextBlock(self.kind, self.start, visible("\n".join(self.lines))))
            self.lines = []


def _is_rule(line: str) -> bool:
    """A table's header rule or a thematic break; only those lines hold three of a mark."""
    if "---" in line and _TABLE_RULE.match(line):
        return True
    return line.lstrip(" \t")[:1] in ("-", "*", "_") and bool(_THEMATIC_BREAK.match(line))


def visible(markdown: str) -> str:
    """The text of inline Markdown as a reader sees it: no images, link targets or tags."""
    text = markdown
    # Each pattern only where its first character is: a call into RE2 costs more than a look.
    if "[" in text:
        text = _IMAGE.sub(" ", text)
        text = _LINK.sub(lambda match: match.group(1) or match.group(2) or "", text)
    if "<" in text or "-->" in text:
        text = _TAG.sub(" ", _AUTOLINK.sub(" ", text))
    return html.unescape(_MARKS.sub("", text))
