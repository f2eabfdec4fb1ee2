"""Which printed characters no bundled font has: a leaflet never falls back to a system font."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from leaflets.config.defaults import STYLES_DIR

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

FONTS_DIR = STYLES_DIR / "fonts"
FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".otf")
MAX_NAMED = 8
# Characters that are never drawn: spaces are positioned, controls and format marks steer
# shaping and direction (ZWJ, ZWNJ, RLM, the soft hyphen).
_UNDRAWN_CATEGORIES = ("Z", "C")


@cache
def bundled_characters(folder: Path = FONTS_DIR) -> frozenset[int]:
    """Every code point some bundled font maps to a glyph; read once per process."""
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for path in sorted(folder.iterdir()):
        if path.suffix in FONT_SUFFIXES:
            with TTFont(path, lazy=True) as font:
                covered.update(_code_points(font))
    return frozenset(covered)


def _code_points(font: TTFont) -> dict[int, str]:
    """The font's character map. Its glyphs get placeholder names: only the code points count,
    and reading the real names (the `post` table) took four fifths of the time."""
    glyphs = font["maxp"].numGlyphs
    font.setGlyphOrder([".notdef", *(f"glyph{number}" for number in range(1, glyphs))])
    return font.getBestCmap() or {}


class _PrintedText(HTMLParser):
    """The text of a page's body, without what is never drawn (styles, scripts, alt texts)."""

    _HIDDEN = frozenset({"head", "style", "script", "title", "svg"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def printed_characters(html: str) -> set[str]:
    """The distinct characters the body of `html` prints."""
    parser = _PrintedText()
    parser.feed(html)
    parser.close()
    return {char for part in parser.parts for char in part}


def missing_characters(chars: Iterable[str], covered: frozenset[int]) -> list[str]:
    """The drawn characters among `chars` that no bundled font has, in code-point order."""
    return sorted(
        (char for char in set(chars) if ord(char) not in covered and _drawn(char)), key=ord
    )


def _drawn(char: str) -> bool:
    return not unicodedata.category(char).startswith(_UNDRAWN_CATEGORIES)


def report_missing_glyphs(html: str, report: Callable[[str], None], private: bool = False) -> None:
    """Warn, naming them, about characters of the leaflet that no bundled font has.

    On a `private` copy, which holds a patient's note or name, only how many: the characters
    would spell out the patient's text in a log. (Its article's own were named when it was
    built.)
    """
    missing = missing_characters(printed_characters(html), bundled_characters())
    if not missing:
        return
    if private:
        count = f"{len(missing)} character{'s' if len(missing) > 1 else ''}"
        report(
            f"no bundled font has {count} of this personal copy (its note or name); the PDF"
            " would show a stranger font or an empty box there"
        )
        return
    named = ", ".join(_named(char) for char in missing[:MAX_NAMED])
    more = f" and {len(missing) - MAX_NAMED} more" if len(missing) > MAX_NAMED else ""
    report(
        f"no bundled font has {named}{more}; the PDF would show a stranger font or an empty box"
        " there"
    )


def _named(char: str) -> str:
    return f"'{char}' (U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')})"
