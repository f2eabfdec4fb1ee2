"""The article model: titles, dates, language, lede, sections and both FAQ styles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from leaflets.article.model import load_article
from leaflets.config.errors import LeafletError, collect_warnings

from ..conftest import EXAMPLE

Write = Callable[..., Path]


def test_the_example_article_is_read_whole() -> None:
    with collect_warnings() as warned:
        article = load_article(EXAMPLE)
    assert article.title == "Bækkensmerter"
    assert article.slug == "baekkensmerter"
    assert article.language == "da"
    assert article.published == dt.date(2025, 2, 19)
    assert article.updated == dt.date(2026, 11, 24)
    assert article.outline.lede.text.startswith("Bækkensmerter refererer til smerter")
    assert len(article.outline.sections) == 6
    assert (
        article.outline.sections[0].heading
        == "Hvad er de mest almindelige årsager til bækkensmerter?"
    )
    assert article.outline.sections[0].line == 10
    assert article.faq[0].question == "Hvad er bækkensmerter?"
    assert len(article.faq) == 5
    assert article.faq[-1].answer.startswith("Du bør kontakte en fysioterapeut")
    assert not any("lastUpdated" in w for w in warned)  # the shipped example's dates are in order


@pytest.mark.parametrize(
    ("meta_title", "title"),
    [
        ("Løberknæ – Hvad er et løberknæ? Læs mere", "Løberknæ"),
        ("Iskias → Symptomer og behandling", "Iskias"),
        ("Knæ - Anatomi", "Knæ"),
        ("Skulder | Fysioterapi", "Skulder"),
        ("Uden hale", "Uden hale"),
    ],
)
def test_meta_title_is_cut_at_its_seo_tail(article: Write, meta_title: str, title: str) -> None:
    path = article(f"---\nmetaTitle: {meta_title}\n---\nTekst.\n")
    with collect_warnings() as warned:
        assert load_article(path).title == title
    assert any("no 'title'" in message for message in warned)


def test_an_article_without_any_title_is_an_error(article: Write) -> None:
    with pytest.raises(LeafletError, match="has no title"):
        load_article(article("---\ndatePublished: 01/01/2024\n---\nTekst.\n"))


def test_an_impossible_date_names_the_field(article: Write) -> None:
    with pytest.raises(LeafletError, match=r"'datePublished': '31/02/2025' is not a real date"):
        load_article(article("---\ntitle: T\ndatePublished: 31/02/2025\n---\nTekst.\n"))


def test_yaml_dates_and_iso_dates_are_read(article: Write) -> None:
    loaded = load_article(
        article("---\ntitle: T\ndatePublished: 2024-04-03\nlastUpdated: '2024-05-01'\n---\nx\n")
    )
    assert loaded.published == dt.date(2024, 4, 3)
    assert loaded.updated == dt.date(2024, 5, 1)


def test_crlf_bom_and_no_final_newline_are_normal(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n").rstrip()
    path = tmp_path / "crlf.md"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    crlf = load_article(path)
    plain = load_article(EXAMPLE)
    assert crlf.title == plain.title
    assert [s.heading for s in crlf.outline.sections] == [s.heading for s in plain.outline.sections]
    assert [entry.answer for entry in crlf.faq] == [entry.answer for entry in plain.faq]


def test_mixed_line_endings(article: Write) -> None:
    loaded = load_article(article("---\r\ntitle: T\n---\rIntro.\r\n## A\rText a.\n## B\r\nText b."))
    assert [s.heading for s in loaded.outline.sections] == ["A", "B"]
    assert loaded.outline.sections[1].text == "Text b."


def test_faq_from_front_matter(article: Write) -> None:
    path = article(
        "---\ntitle: T\nfaq:\n  - question: Hvad?\n    answer: Det.\n"
        "  - question: Hvorfor?\n    answer: Derfor.\n---\nIntro.\n\n## Afsnit\n\nTekst.\n"
    )
    loaded = load_article(path)
    assert [(e.question, e.answer) for e in loaded.faq] == [
        ("Hvad?", "Det."),
        ("Hvorfor?", "Derfor."),
    ]
    assert loaded.outline.faq is None


def test_english_faq_heading_and_language(article: Write) -> None:
    path = article(
        "---\ntitle: Back pain\nlang: en\n---\nIntro.\n\n## Causes\n\nText.\n\n"
        "## Frequently asked questions about back pain\n\n### Is it serious?\n\nRarely.\n"
    )
    loaded = load_article(path)
    assert loaded.language == "en"
    assert [s.heading for s in loaded.outline.sections] == ["Causes"]
    assert [(e.question, e.answer) for e in loaded.faq] == [("Is it serious?", "Rarely.")]


def test_no_faq_means_no_entries(article: Write) -> None:
    loaded = load_article(article("---\ntitle: T\n---\nIntro.\n\n## A\n\nTekst.\n"))
    assert loaded.faq == []
    assert loaded.outline.faq is None


def test_a_leading_h1_that_repeats_the_title_is_not_a_section(article: Write) -> None:
    loaded = load_article(article("---\ntitle: Knæ\n---\n# Knæ\n\nIntro.\n\n## A\n\nTekst.\n"))
    assert loaded.outline.lede.text == "Intro."
    assert [s.heading for s in loaded.outline.sections] == ["A"]


def test_headings_inside_code_fences_do_not_cut(article: Write) -> None:
    loaded = load_article(article("---\ntitle: T\n---\n## A\n\n```\n## not a heading\n```\n"))
    assert [s.heading for s in loaded.outline.sections] == ["A"]


def test_other_keys_are_kept(article: Write) -> None:
    loaded = load_article(article("---\ntitle: T\nauthor: Jens\nrelated: [a, b]\n---\nx\n"))
    assert loaded.meta["author"] == "Jens"
    assert loaded.meta["related"] == ["a", "b"]


def test_web_leftovers_and_emoji_are_removed_with_line_numbers(article: Write) -> None:
    path = article(
        "---\ntitle: T\n---\nIntro 💪🏽.\n\n{: .notice--info}\n\n{% include figure.html %}\n"
        "Mand: 🏋️‍♂️ løft.\n"
    )
    with collect_warnings() as warned:
        loaded = load_article(path)
    text = loaded.outline.lede.text
    assert "{:" not in text and "{%" not in text
    assert "💪" not in text and "\u200d" not in text
    assert any(f"{path}:6: removed kramdown attribute line" in w for w in warned)
    assert any(f"{path}:8: removed Liquid tag" in w for w in warned)
    assert any(f"{path}:4: removed emoji" in w for w in warned)


def test_a_slug_that_is_a_path_is_refused(article: Write) -> None:
    with pytest.raises(LeafletError, match="'slug' must be"):
        load_article(article("---\ntitle: T\nslug: ../../etc/x\n---\nx\n"))
