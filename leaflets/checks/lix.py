"""Readability: LIX for Danish and the other Scandinavian languages, Flesch for English and
its German form (Amstad) for German."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from leaflets.article.linear import NOT_SPACE, WORD, LineCounter, TextMatch, linear
from leaflets.checks.text import HEADING, TextBlock

# Abbreviations whose full stop is not the end of a sentence. Those in _MAY_END_SENTENCE
# often close one too, so they end it when the next word starts with a capital letter.
_ABBREVIATIONS = (
    *("f.eks", "bl.a", "dvs", "d.v.s", "ca", "evt", "inkl", "ekskl", "jf", "jvf", "pga", "p.g.a"),
    *("mht", "m.h.t", "hhv", "h.h.v", "nr", "kr", "kl", "maks", "ml", "mg", "dr", "mr", "mrs"),
    *("ms", "st", "fig", "e.g", "i.e", "vs", "approx", "osv", "mv", "m.v", "m.m", "etc", "o.l"),
    "el.lign",
)
_MAY_END_SENTENCE = frozenset({"osv", "mv", "m.v", "m.m", "etc", "o.l", "el.lign"})
_ABBREVIATION = "|".join(re.escape(name) for name in sorted(_ABBREVIATIONS, key=len, reverse=True))
# Look-behind and Unicode classes, so not RE2; linear in `re` all the same: an abbreviation is
# at most seven characters, and a word or a run of stops is taken whole by the match.
_TOKEN = re.compile(
    rf"(?P<abbr>(?<![^\W_])(?:{_ABBREVIATION})\.)"
    r"|(?P<word>[^\W_]+(?:['’‐-][^\W_]+)*(?:[.,][0-9]+)*)"
    r"|(?P<stop>[.!?:]+)",
    re.IGNORECASE,
)
_ADDRESS = linear(rf"(?:https?://|www\.){NOT_SPACE}+|{NOT_SPACE}+@{NOT_SPACE}+\.{WORD}+")
_LONG = 6
# Plain-language guidance keeps a sentence to about 15-20 words: a longer one is named.
LONG_SENTENCE = 20
LIX_LANGUAGES = frozenset({"da", "sv", "no", "nb", "nn"})


@dataclass(frozen=True)
class Sentence:
    """A sentence: its words, its text and the line it starts on."""

    line: int
    words: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Counts:
    """Words, sentences and long words of a stretch of text."""

    sentences: tuple[Sentence, ...] = ()

    @cached_property
    def words(self) -> list[str]:
        """Every word, in order."""
        return [word for sentence in self.sentences for word in sentence.words]

    @cached_property
    def long_words(self) -> list[str]:
        """The words of more than six letters."""
        return [word for word in self.words if is_long(word)]

    @property
    def lix(self) -> float:
        """Words per sentence plus the percentage of long words."""
        words = self.words
        if not words:
            return 0.0
        return len(words) / len(self.sentences) + 100 * len(self.long_words) / len(words)

    def flesch(self) -> float:
        """Flesch reading ease, with syllables counted as groups of vowels."""
        words = self.words
        if not words:
            return 100.0
        syllables = sum(count_syllables(word) for word in words)
        return 206.835 - 1.015 * len(words) / len(self.sentences) - 84.6 * syllables / len(words)

    def amstad(self) -> float:
        """Amstad's Flesch reading ease for German: 180 - words/sentence - 58.5 x syllables/word."""
        words = self.words
        if not words:
            return 100.0
        syllables = sum(count_german_syllables(word) for word in words)
        return 180 - len(words) / len(self.sentences) - 58.5 * syllables / len(words)

    def longest(self, number: int = 3) -> list[Sentence]:
        """The longest of the sentences longer than plain language asks (LONG_SENTENCE words),
        longest first."""
        long = [sentence for sentence in self.sentences if len(sentence.words) > LONG_SENTENCE]
        return sorted(long, key=lambda sentence: -len(sentence.words))[:number]

    def frequent_long_words(self, number: int = 5) -> list[tuple[str, int]]:
        """The long words used most, with how often (at least twice)."""
        counted = Counter(word.casefold() for word in self.long_words)
        return [(word, n) for word, n in counted.most_common(number) if n > 1]


def is_long(word: str) -> bool:
    """Whether a word has more than six letters (digits, hyphens and stops not counted)."""
    if len(word) <= _LONG:
        return False
    return word.isalpha() or sum(1 for char in word if char.isalpha()) > _LONG


def lix_band(lix: float) -> str:
    """The name of the LIX band a score falls in."""
    score = round(lix)
    for upper, name in ((24, "very easy"), (34, "easy"), (44, "medium"), (54, "hard")):
        if score <= upper:
            return name
    return "very hard"


def flesch_band(score: float) -> str:
    """The usual name of a Flesch reading-ease score."""
    for lower, name in (
        (90, "very easy"),
        (70, "easy"),
        (60, "plain English"),
        (50, "fairly hard"),
    ):
        if score >= lower:
            return name
    return "hard" if score >= 30 else "very hard"


def count(blocks: Iterable[TextBlock], headings: bool = True) -> Counts:
    """The sentences of the blocks; each heading counts as a sentence unless left out."""
    return Counts(
        tuple(
            sentence
            for block in blocks
            if headings or block.kind != HEADING
            for sentence in sentences(block)
        )
    )


def sentences(block: TextBlock) -> Iterator[Sentence]:
    """The sentences of one block; the end of a block always ends a sentence."""
    text = _ADDRESS.sub(_blank, block.text) if _may_hold_address(block.text) else block.text
    lines = LineCounter(text, block.line)
    words: list[str] = []
    start = 0
    stop_seen = False
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if match.lastgroup == "stop":
            stop_seen = bool(words)
            continue
        if stop_seen and not token[0].islower():
            yield _sentence(lines, text, start, match.start(), words)
            words, start = [], match.start()
        stop_seen = match.lastgroup == "abbr" and token[:-1].casefold() in _MAY_END_SENTENCE
        words.append(token)
    if words:
        yield _sentence(lines, text, start, len(text), words)


def _sentence(lines: LineCounter, text: str, start: int, end: int, words: list[str]) -> Sentence:
    return Sentence(lines.line_at(start), tuple(words), " ".join(text[start:end].split()))


def _may_hold_address(text: str) -> bool:
    # A call into RE2 costs more than a look for the characters every address has.
    return "@" in text or "www." in text or "://" in text


def _blank(match: TextMatch) -> str:
    return " " * len(match.group(0))


_VOWEL_GROUP = re.compile(r"[aeiouy]+")


def count_syllables(word: str) -> int:
    """English syllables, estimated: groups of vowels, less a silent final e."""
    lower = word.casefold()
    groups = len(_VOWEL_GROUP.findall(lower))
    if groups > 1 and lower.endswith("e") and not lower.endswith(("le", "ee")):
        groups -= 1
    return max(1, groups)


_GERMAN_VOWEL_GROUP = re.compile(r"[aeiouyäöü]+")


def count_german_syllables(word: str) -> int:
    """German syllables, estimated as groups of vowels (ei, au, eu, ie are one each)."""
    return max(1, len(_GERMAN_VOWEL_GROUP.findall(word.casefold())))
