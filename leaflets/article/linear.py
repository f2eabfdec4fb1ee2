"""Patterns for untrusted text, matched by RE2 in time linear in the text, whatever it holds.

Python's `re` backtracks: a pattern such as `\\{%.*?%\\}` over 400 KB of `{%` takes minutes.
RE2 has no backtracking (so no backreferences or look-arounds) and its `\\w`, `\\s` and `\\b`
are ASCII only; the constants below give the Unicode classes a Danish text needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

import re2

# What Python's `re` means by \w, \W and \S, spelled for RE2.
WORD = r"[\p{L}\p{N}_]"
NOT_WORD = r"[^\p{L}\p{N}_]"
NOT_SPACE = r"[^\s\p{Z}]"


class TextMatch(Protocol):
    """The part of a match object that the tool uses."""

    def group(self, index: int = 0, /) -> str: ...

    def groups(self) -> tuple[str | None, ...]: ...

    def start(self, index: int = 0, /) -> int: ...

    def end(self, index: int = 0, /) -> int: ...


class TextPattern(Protocol):
    """A compiled linear-time pattern, used like a `re.Pattern`."""

    def match(self, text: str) -> TextMatch | None: ...

    def search(self, text: str) -> TextMatch | None: ...

    def fullmatch(self, text: str) -> TextMatch | None: ...

    def finditer(self, text: str) -> Iterator[TextMatch]: ...

    def sub(self, repl: str | Callable[[TextMatch], str], text: str, count: int = 0) -> str: ...


def linear(pattern: str) -> TextPattern:
    """`pattern` (RE2 syntax; flags inline, such as `(?m)`) compiled for linear-time matching."""
    options = re2.Options()
    options.log_errors = False  # a mistake raises re2.error; RE2 would also print it raw
    compiled: TextPattern = re2.compile(pattern, options)
    return compiled


class LineCounter:
    """The line of each offset into `text`, for offsets given in increasing order.

    Counting the line ends from the top for every match would make a text full of matches
    quadratic; this counts on from the offset asked before.
    """

    def __init__(self, text: str, first_line: int = 1) -> None:
        self.text = text
        self.offset = 0
        self.line = first_line

    def line_at(self, offset: int) -> int:
        """The line `offset` is on; an offset before the last one asked starts again."""
        if offset < self.offset:
            self.offset, self.line = 0, self.line - self.text.count("\n", 0, self.offset)
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line
