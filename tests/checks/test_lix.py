"""LIX and Flesch against small texts worked out by hand."""

from __future__ import annotations

import pytest

from leaflets.checks.lix import count, count_syllables, flesch_band, lix_band
from leaflets.checks.text import HEADING, PARAGRAPH, TextBlock, text_blocks


def _lix(*paragraphs: str) -> float:
    return count(TextBlock(PARAGRAPH, 1, text) for text in paragraphs).lix


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 7 words, 2 sentences, no word over 6 letters: 7/2 + 0.
        ("Jeg har ondt. Det gør meget ondt.", 3.5),
        # 4 words, 1 sentence, all 4 long: 4/1 + 100.
        ("Fysioterapeuten undersøgte patienten grundigt.", 104.0),
        # A hyphenated word is one word; its letters count, the hyphen not: MR-scanning has 10.
        ("MR-scanning viser skaden.", 3 + 100 / 3),
        # Numbers are words but never long; 'kl.' does not end the sentence: 7 words, 2 long.
        ("Tag 2 tabletter kl. 8 om morgenen.", 7 + 100 * 2 / 7),
        # 'f.eks.' is one short word and no sentence end: 6 words, 2 sentences, 1 long.
        ("Gå f.eks. en tur. Det hjælper.", 3 + 100 / 6),
        # A colon before a small letter does not end the sentence: 4 words, 1 long.
        ("Symptomer: hoste og feber.", 4 + 25),
        # ... before a capital it does: 3 words, 2 sentences.
        ("Husk: Drik vand.", 1.5),
        # Web addresses are not words: 4 words, 1 sentence.
        ("Læs på www.sundhed.dk om ryg.", 4.0),
        # A line without a full stop still ends its sentence at the end of the block.
        ("Hvil dig", 2.0),
    ],
)
def test_lix_of_hand_counted_texts(text: str, expected: float) -> None:
    assert _lix(text) == pytest.approx(expected)


def test_a_heading_counts_as_a_sentence() -> None:
    blocks = [
        TextBlock(HEADING, 1, "Hvad er LIX?", 2),
        TextBlock(PARAGRAPH, 2, "LIX måler læsbarhed."),
    ]
    counts = count(blocks)
    # 6 words, 2 sentences, 1 long (læsbarhed): 3 + 100/6.
    assert (len(counts.words), len(counts.sentences), len(counts.long_words)) == (6, 2, 1)
    assert counts.lix == pytest.approx(3 + 100 / 6)
    assert count(blocks, headings=False).lix == pytest.approx(3 + 100 / 3)


def test_markdown_is_read_as_printed_text() -> None:
    lines = [
        "Se [vores **guide**](https://x.dk/guide) og ![foto](a.png) nu.",
        "",
        "- Første punkt",
        "- Andet punkt",
        "",
        "| Øvelse | Gentagelser |",
        "|---|---|",
        "| Squat | 10 |",
        "",
        "```",
        "kode tæller ikke",
        "```",
    ]
    blocks = text_blocks(lines, 10)
    assert [(b.kind, b.line, b.text) for b in blocks] == [
        ("paragraph", 10, "Se vores guide og   nu."),
        ("item", 12, "Første punkt"),
        ("item", 13, "Andet punkt"),
        ("cell", 15, " Øvelse "),
        ("cell", 15, " Gentagelser "),
        ("cell", 17, " Squat "),
        ("cell", 17, " 10 "),
    ]


@pytest.mark.parametrize(
    ("score", "band"),
    [(24, "very easy"), (24.4, "very easy"), (25, "easy"), (34, "easy"), (35, "medium"),
     (44, "medium"), (45, "hard"), (54, "hard"), (54.6, "very hard"), (57.3, "very hard")],
)  # fmt: skip
def test_lix_bands(score: float, band: str) -> None:
    assert lix_band(score) == band


def test_flesch_of_a_hand_counted_sentence() -> None:
    counts = count([TextBlock(PARAGRAPH, 1, "The cat sat on the mat.")])
    # 6 words of one syllable in 1 sentence: 206.835 - 1.015 × 6 - 84.6 × 1.
    assert counts.flesch() == pytest.approx(206.835 - 1.015 * 6 - 84.6)
    assert flesch_band(counts.flesch()) == "very easy"
    assert [count_syllables(w) for w in ("make", "table", "reading", "physiotherapy")] == [
        1,
        2,
        2,
        5,
    ]
