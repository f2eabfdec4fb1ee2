"""The one error type the tool raises for bad input, and the warning channel."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path


class LeafletError(Exception):
    """A problem with the user's input, reported as `error: <file>: <message>`."""

    def __init__(self, source: Path | str | None, message: str) -> None:
        super().__init__(message)
        self.source = source
        self.message = message

    def __str__(self) -> str:
        if self.source is None:
            return self.message
        return f"{self.source}: {self.message}"

    def lines(self) -> list[str]:
        """The error as printed, one problem a line."""
        return [str(self)]


# Where a warning goes: every stage reports through one of these, never by printing.
WarningSink = Callable[[str], None]


def one_line(value: object) -> str:
    """`value` as text on one line, its runs of white space made single spaces."""
    return " ".join(str(value).split())


def reporter_for(source: Path | str) -> WarningSink:
    """A sink that warns with `source: ` in front, so every warning names its file."""
    return lambda message: warn(f"{source}: {message}")


def shorten(text: str, limit: int = 60) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis, for messages."""
    flat = one_line(text)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# Control characters (C0 with ESC, DEL, C1), format characters (the bidi controls among
# them) and line and paragraph separators: a terminal acts on them instead of showing them.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def printable(text: str) -> str:
    """`text` safe to print on a terminal: every control or format character as an escape.

    An article's title, a file name or a crafted `lang` can hold an ESC sequence that recolours
    the terminal, moves the cursor or writes a fake `built ...` line; U+202E turns text around.
    """
    if text.isascii() and text.isprintable():
        return text
    return "".join(_escaped(char) for char in text)


def _escaped(char: str) -> str:
    if unicodedata.category(char) not in _UNPRINTABLE:
        return char
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def print_warning(message: str) -> None:
    """Print a warning to stderr; warnings never stop a build."""
    print(f"warning: {printable(message)}", file=sys.stderr, flush=True)


_sink: list[WarningSink] = [print_warning]


def warn(message: str) -> None:
    """Report a warning through the current sink."""
    _sink[-1](message)


class collect_warnings:  # noqa: N801 - used like a function: `with collect_warnings() as found:`
    """Capture warnings in a list instead of printing them, for tests and workers."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def __enter__(self) -> list[str]:
        _sink.append(self.messages.append)
        return self.messages

    def __exit__(self, *_exc: object) -> None:
        _sink.pop()


class WorkerError(LeafletError):
    """A worker ran out of time or memory, or died: the task's input may be at fault, or the machine."""
