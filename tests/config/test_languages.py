"""Label files, dates, FAQ headings, fonts and readability for every language."""

from __future__ import annotations

import datetime as dt
import re
import string
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from leaflets.article.dates import format_date
from leaflets.article.structure import outline
from leaflets.checks.run import check_files
from leaflets.checks.settings import CheckSettings
from leaflets.config.defaults import LABELS_DIR
from leaflets.pdf.coverage import bundled_characters, missing_characters

from ..conftest import EXAMPLE, Run

LANGUAGES = ("da", "en", "de", "sv", "nb", "pl", "uk", "tr", "ar")
REFERENCE = tomllib.loads((LABELS_DIR / "da.toml").read_text(encoding="utf-8"))


def labels(language: str) -> dict[str, Any]:
    return tomllib.loads((LABELS_DIR / f"{language}.toml").read_text(encoding="utf-8"))


def keys(table: dict[str, Any], prefix: str = "") -> set[str]:
    """Every key, tables included as 'index.title'."""
    found: set[str] = set()
    for key, value in table.items():
        found.add(prefix + key)
        if isinstance(value, dict):
            found |= keys(value, f"{prefix}{key}.")
    return found


def placeholders(value: Any) -> set[str]:
    if not isinstance(value, str):
        return set()
    return {name for _text, name, _spec, _conv in string.Formatter().parse(value) if name}


def flat(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            found.update(flat(value, f"{prefix}{key}."))
        else:
            found[prefix + key] = value
    return found


def test_there_is_a_label_file_for_every_language() -> None:
    assert {path.stem for path in LABELS_DIR.glob("*.toml")} >= set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_label_file_has_exactly_the_danish_keys(language: str) -> None:
    assert keys(labels(language)) == keys(REFERENCE)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_placeholder_survives_translation(language: str) -> None:
    theirs = flat(labels(language))
    for key, value in flat(REFERENCE).items():
        assert placeholders(theirs[key]) == placeholders(value), (language, key)


@pytest.mark.parametrize("language", LANGUAGES)
def test_direction_digits_and_faq_prefixes_are_well_formed(language: str) -> None:
    table = labels(language)
    assert table["direction"] == ("rtl" if language == "ar" else "ltr")
    assert table["digits"] in ("latn", "arab")
    assert table["faq_title"] in table["faq_prefixes"]
    for key, value in flat(table).items():
        if isinstance(value, str) and key != "digits":
            assert value.strip() == value and value, (language, key)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("da", "19. februar 2025"),
        ("en", "19 February 2025"),
        ("de", "19. Februar 2025"),
        ("sv", "19 februari 2025"),
        ("nb", "19. februar 2025"),
        ("pl", "19 lutego 2025"),
        ("uk", "19 лютого 2025\u202fр."),
        ("tr", "19 Şubat 2025"),
        ("ar", "١٩ فبراير ٢٠٢٥"),
    ],
)
def test_dates_are_written_in_each_language(language: str, expected: str) -> None:
    assert format_date(dt.date(2025, 2, 19), language) == expected


FAQ_HEADINGS = {
    "da": "Ofte stillede spørgsmål om knæ",
    "en": "Frequently asked questions about knees",
    "de": "Häufig gestellte Fragen zum Knie",
    "sv": "Vanliga frågor om knän",
    "nb": "Ofte stilte spørsmål om kne",
    "pl": "Często zadawane pytania o kolano",
    "uk": "Поширені запитання про коліно",
    "tr": "Sıkça sorulan sorular: diz ağrısı",
    "ar": "أسئلة شائعة عن الركبة",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_faq_heading_of_each_language_is_recognised(language: str) -> None:
    heading = FAQ_HEADINGS[language]
    body = f"Intro.\n\n## Noget\n\nTekst.\n\n## {heading}\n\n### Et spørgsmål?\n\nEt svar.\n"
    found = outline(body, 1, "Titel", labels(language)["faq_prefixes"])
    assert found.faq is not None and found.faq.heading == heading
    assert [item.heading for item in found.faq_items] == ["Et spørgsmål?"]


# Letters that show whether a font covers a language; each must come from a bundled font.
SAMPLES = {
    "de": "Größe, Übungen und Schmerzen im Rücken",
    "sv": "Smärta i bäckenet går ofta över",
    "nb": "Smerter i bekkenet går ofte over av seg selv, særlig etter fødsel",
    "pl": "Żółć, łagodzenie bólu, ćwiczenia, źródło",
    "tr": "Ağrı, şişlik ve İyileşme; ılık duş",
    "uk": "Біль, ґанок, їжа, Є, й, ь",
    "ar": "ألم الحوض، ١٢٣؟",
}


@pytest.mark.parametrize("language", SAMPLES)
def test_the_bundled_fonts_cover_each_language(language: str) -> None:
    assert missing_characters(SAMPLES[language], bundled_characters()) == []


@pytest.mark.engine_warnings  # WeasyPrint also says it drew .notdef, having found no font at all
def test_a_character_no_bundled_font_has_is_a_build_warning_naming_it(
    article: Callable[..., Path], cli: Callable[..., Run], tmp_path: Path
) -> None:
    source = article("---\ntitle: Hilsen\nlang: da\n---\n\nHun sagde नमस्ते og gik.\n")
    done = cli("build", source, "-o", tmp_path / "x.pdf")
    assert done.code == 0
    named = [line for line in done.warnings if "no bundled font has" in line]
    assert len(named) == 1
    assert "'न' (U+0928 DEVANAGARI LETTER NA)" in named[0]
    assert str(source) in named[0]


@pytest.mark.engine_warnings
def test_a_fitted_leaflet_names_a_missing_character_once(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    # The example is laid out twice to fit one sheet; the second layout finds the same.
    source = tmp_path / "hilsen.md"
    text = EXAMPLE.read_text("utf-8").replace("\n## ", "\n## नमस्ते ", 1)
    source.write_text(text, "utf-8")
    done = cli("build", source, "-o", tmp_path / "x.pdf")
    assert done.code == 0, done.err
    with pikepdf.open(tmp_path / "x.pdf") as pdf:
        assert str(pdf.docinfo["/LeafletDensity"]) != "0"  # it was laid out twice
    assert len([line for line in done.warnings if "no bundled font has" in line]) == 1


@pytest.mark.parametrize("language", ["de", "tr", "uk"])
def test_a_leaflet_in_each_script_builds_without_a_font_warning(
    language: str, article: Callable[..., Path], cli: Callable[..., Run], tmp_path: Path
) -> None:
    text = SAMPLES[language]
    source = article(f"---\ntitle: {text[:12]}\nlang: {language}\n---\n\n{text}.\n")
    done = cli("build", source, "-o", tmp_path / "x.pdf")
    assert done.code == 0
    assert not [line for line in done.warnings if "font" in line]
    with pikepdf.open(tmp_path / "x.pdf") as pdf:
        assert str(pdf.Root.Lang) == language


def findings_for(files: list[Path]) -> list[Any]:
    return check_files(files, CheckSettings(), dt.date(2025, 6, 1), notes=True).findings


def write(folder: Path, name: str, language: str, body: str) -> Path:
    path = folder / name
    path.write_text(f"---\ntitle: T\nlang: {language}\ndatePublished: 2025-01-01\n---\n\n{body}\n")
    return path


def test_german_gets_amstads_reading_ease(tmp_path: Path) -> None:
    body = "Die Physiotherapie hilft bei Rückenschmerzen. Übungen stärken die Muskulatur."
    found = findings_for([write(tmp_path, "a.md", "de", body)])
    score = next(finding for finding in found if finding.rule == "flesch")
    assert score.message == "Flesch reading ease (Amstad) 42 (hard) is below the limit of 60"
    assert score.data["measure"] == "amstad"
    # 10 words in 3 sentences (the title "T" is one), 23 syllables as groups of vowels:
    # T 1; Die 1, Phy-sio-the-ra-pie 5, hilft 1, bei 1, Rü-cken-schmer-zen 4;
    # Ü-bun-gen 3, stär-ken 2, die 1, Mus-ku-la-tur 4.
    assert score.data["flesch"] == round(180 - 10 / 3 - 58.5 * 23 / 10, 1)


@pytest.mark.parametrize("language", ["sv", "nb"])
def test_swedish_and_norwegian_get_lix(tmp_path: Path, language: str) -> None:
    found = findings_for([write(tmp_path, "a.md", language, "Det er lett å lese korte setninger.")])
    note = next(finding for finding in found if finding.rule == "readability")
    assert note.message.startswith("LIX ")


def test_a_language_without_a_score_is_said_once_per_run(tmp_path: Path) -> None:
    files = [
        write(tmp_path, "a.md", "pl", "Ból pleców mija zwykle sam."),
        write(tmp_path, "b.md", "pl", "Ćwiczenia pomagają."),
        write(tmp_path, "c.md", "uk", "Біль зазвичай минає сам."),
    ]
    notes = [f for f in findings_for(files) if "no readability score" in f.message]
    assert [(f.path.name, f.message.split(":")[0]) for f in notes] == [
        ("a.md", "no readability score is made for Polish (pl)"),
        ("c.md", "no readability score is made for Ukrainian (uk)"),
    ]


def test_check_prints_the_missing_score_once(cli: Callable[..., Run], tmp_path: Path) -> None:
    write(tmp_path, "a.md", "tr", "Ağrı genellikle kendiliğinden geçer.")
    write(tmp_path, "b.md", "tr", "Egzersiz yardımcı olur.")
    done = cli("check", tmp_path)
    assert len(re.findall(r"no readability score is made for Turkish \(tr\)", done.out)) == 1
    assert done.code == 0


def test_an_arabic_email_body_reads_right_to_left() -> None:
    from leaflets.config.defaults import CLINIC_FILE
    from leaflets.config.profile import load_profile
    from leaflets.deliver.message import Leaflet, render_bodies

    profile = load_profile(CLINIC_FILE)
    text, html = render_bodies(Leaflet("ألم الحوض", "ar", "x.ar.md", b""), profile, None)
    assert '<html lang="ar" dir="rtl">' in html
    assert "«ألم الحوض»" in text
    _text, danish = render_bodies(Leaflet("Bækkensmerter", "da", "x.md", b""), profile, None)
    assert '<html lang="da">' in danish
