"""Adverts for another website left off paper, each removal named by line, checked in the PDF."""

from collections.abc import Callable
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from leaflets.article.adverts import drop_adverts, sentences
from leaflets.config.profile import CleanupSettings

from ..conftest import Run

SITE = CleanupSettings()  # the defaults: FysFinder, the site the shipped articles come from
NONE = CleanupSettings(advert_patterns=(), advert_sections=())

Found = list[tuple[int, str]]


def cleaned(text: str, settings: CleanupSettings = SITE) -> tuple[str, Found]:
    found: Found = []
    out = drop_adverts(text, settings, lambda line, what: found.append((line, what)))
    return out, found


def test_a_sentence_naming_the_site_goes_and_the_advice_around_it_stays() -> None:
    text = (
        "Søg læge ved stærke smerter. På FysFinder kan du se klinikker. Spørg om deres erfaring.\n"
    )
    out, found = cleaned(text)
    assert out == "Søg læge ved stærke smerter. Spørg om deres erfaring.\n"
    assert found == [(1, "advert sentence 'På FysFinder kan du se klinikker.'")]


def test_a_paragraph_opened_by_the_site_goes_whole() -> None:
    text = "Intro.\n\nBrug Fysfinder.dk til at finde en. Her kan du se priser.\n\nSidste afsnit.\n"
    out, found = cleaned(text)
    assert out == "Intro.\n\n\n\nSidste afsnit.\n"
    assert [line for line, what in found if what.startswith("advert paragraph")] == [3]


def test_a_link_to_the_site_keeps_its_words_and_loses_its_address() -> None:
    text = "Gå til [en fysioterapeut](https://www.fysfinder.dk/), hvis det gør ondt.\n"
    out, found = cleaned(text)
    assert out == "Gå til en fysioterapeut, hvis det gør ondt.\n"
    assert found == [(1, "advert link address")]


def test_other_links_stay() -> None:
    text = "Læs [Patienthåndbogen](https://www.sundhed.dk/borger/) om knæ.\n"
    assert cleaned(text) == (text, [])


def test_a_list_item_naming_the_site_goes() -> None:
    text = "- Hvil benet\n- Book tid via FysFinder\n- Brug is\n"
    out, found = cleaned(text)
    assert out == "- Hvil benet\n\n- Brug is\n"
    assert found == [(2, "advert list item '- Book tid via FysFinder'")]


def test_a_question_left_without_an_answer_goes_with_its_answer() -> None:
    text = (
        "## Ofte stillede spørgsmål\n\n"
        "### Hvordan finder jeg en fysioterapeut?\n\n"
        "Du kan søge på Fysfinder.dk og sammenligne klinikker.\n\n"
        "### Gør det ondt?\n\nLidt.\n"
    )
    out, found = cleaned(text)
    assert "Hvordan finder jeg" not in out
    assert "## Ofte stillede spørgsmål" in out and "### Gør det ondt?\n\nLidt." in out
    assert out.count("\n") == text.count("\n")
    assert (3, "advert-only section heading 'Hvordan finder jeg en fysioterapeut?'") in found


def test_a_heading_with_sections_below_stays_when_its_own_text_goes() -> None:
    text = "## Hjælp\n\nSe FysFinder.\n\n### Hos lægen\n\nRing først.\n"
    out, _found = cleaned(text)
    assert out == "## Hjælp\n\n\n\n### Hos lægen\n\nRing først.\n"


def test_a_section_under_a_heading_that_names_the_site_goes_with_its_subsections() -> None:
    text = "## Om FysFinder\n\nEn oversigt.\n\n### Priser\n\nGratis.\n\n## Øvelser\n\nBøj knæet.\n"
    out, found = cleaned(text)
    assert out == "\n" * 8 + "## Øvelser\n\nBøj knæet.\n"
    assert found == [(1, "advert section 'Om FysFinder'")]


def test_a_clinic_pattern_of_its_own_and_no_patterns_at_all() -> None:
    text = "Ring i dag. Book tid hos Klinik X. Se også FysFinder.\n"
    own = CleanupSettings(advert_patterns=("(?i)klinik x",), advert_sections=())
    assert cleaned(text, own)[0] == "Ring i dag. Se også FysFinder.\n"
    assert cleaned(text, NONE) == (text, [])


def test_code_is_left_alone() -> None:
    text = "```\nfysfinder = 1\n```\n"
    assert cleaned(text) == (text, [])


def test_an_abbreviation_does_not_end_a_sentence() -> None:
    assert sentences("Tag f.eks. en pause. Så går det.") == ["Tag f.eks. en pause. ", "Så går det."]


@given(st.text(alphabet="ab .!?\n[]()ÆF", max_size=80))
def test_sentences_join_back_to_the_text(text: str) -> None:
    assert "".join(sentences(text)) == text


@given(st.text(alphabet="ab .#-\n[]()fysinder", max_size=120))
def test_the_body_keeps_its_line_count(text: str) -> None:
    assert cleaned(text)[0].count("\n") == text.count("\n")


ARTICLE = """---
title: Forstuvet ankel
datePublished: 19/02/2025
---

Hvil anklen de første dage. På FysFinder kan du finde en fysioterapeut nær dig.

Læg is på i tyve minutter ad gangen.
"""


def text_of(pdf: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


def test_a_profile_without_cleanup_leaves_the_advert_out_and_an_empty_list_keeps_it(
    article: Callable[[str, str], Path], cli: Callable[..., Run], tmp_path: Path
) -> None:
    source = article(ARTICLE, "ankel.md")
    plain = tmp_path / "plain.toml"
    plain.write_text('[clinic]\nname = "Klinik"\n', encoding="utf-8")
    keep = tmp_path / "keep.toml"
    keep.write_text('[clinic]\nname = "Klinik"\n\n[cleanup]\nadvert_patterns = []\n')
    run = cli("build", source, "-o", tmp_path / "plain.pdf", "--clinic", plain)
    assert run.code == 0, run.err
    assert any(":6: advert sentence 'På FysFinder kan du" in line for line in run.warnings)
    assert cli("build", source, "-o", tmp_path / "keep.pdf", "--clinic", keep).code == 0
    cleaned_text, kept_text = text_of(tmp_path / "plain.pdf"), text_of(tmp_path / "keep.pdf")
    assert "Hvil anklen de første dage." in cleaned_text
    assert "Læg is på" in cleaned_text
    assert "fysfinder" not in cleaned_text.lower()
    assert "FysFinder" in kept_text
