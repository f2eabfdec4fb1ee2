"""Translations: the example in Danish with English, Polish, Ukrainian and Arabic translations,
built and read back; staleness found by `check` and cleared by `translations mark`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pypdf
import pytest
from fontTools.ttLib import TTFont

from leaflets.article.history import changed_lines
from leaflets.article.model import load_article
from leaflets.article.translation_status import translation_statuses
from leaflets.article.translations import (
    mark_translation,
    source_hash,
    translation_for,
    translations_of,
)
from leaflets.cli.main import main
from leaflets.config.defaults import STYLES_DIR
from leaflets.config.errors import LeafletError

from ..conftest import EXAMPLE, Run
from ..paths import TESTS

FIXTURES = TESTS / "fixtures" / "translations"
LANGUAGES = ("en", "pl", "uk", "ar")
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
ARABIC_WORD = re.compile("[\u0600-\u06ff]+")

# What each leaflet must say: its labels and its dates in its own language.
# The translations were updated before they were published: one date, the newest, is printed.
EXPECTED = {
    "da": [
        "Senest opdateret 24. november 2026",
        "Side 1 af",
        "Kontakt os",
        "Næste revision: 24. november 2028",
    ],
    "en": [
        "Updated 19 February 2025",
        "Page 1 of",
        "Contact us",
        "Next review: 19 February 2027",
    ],
    "pl": ["Zaktualizowano 19 lutego 2025", "Strona 1 z", "Często zadawane pytania", "Kontakt"],
    "uk": ["Оновлено 19 лютого 2025 р.", "Сторінка 1 з", "Зв’яжіться з нами"],
    "ar": ["تم التحديث ١٩ فبراير ٢٠٢٥", "الصفحة ١ من", "تواصل معنا", "أسئلة شائعة"],
}
VERSION_WORD = {"da": "version", "en": "version", "pl": "wersja", "uk": "версія", "ar": "الإصدار"}


def catalogue_folder(folder: Path) -> Path:
    """The example (with a reference and a version) and its four translations, all marked."""
    folder.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    (folder / EXAMPLE.name).write_text(text.replace("---\n", "---\nid: 12\nversion: 3\n", 1))
    for language in LANGUAGES:
        shutil.copy(FIXTURES / f"baekkensmerter.{language}.md", folder)
        mark_translation(folder / f"baekkensmerter.{language}.md")
    return folder


def run(*args: str | Path) -> int:
    return main([str(arg) for arg in args])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The five leaflets, built as one folder."""
    root = tmp_path_factory.mktemp("languages")
    articles = catalogue_folder(root / "articles")
    assert run("build", articles, "-o", root / "out", "-j", "2") == 0
    pdfs = {"da": root / "out" / "baekkensmerter.pdf"}
    pdfs.update({lang: root / "out" / f"baekkensmerter.{lang}.pdf" for lang in LANGUAGES})
    return pdfs


def comparable(text: str, language: str) -> str:
    """Arabic text without spaces and middle dots: poppler places those by guesswork."""
    return re.sub(r"[\s·]", "", text) if language == "ar" else text


def poppler_text(path: Path) -> str:
    """The text as poppler reads it (it orders right-to-left runs), without direction marks."""
    done = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True)
    return " ".join(BIDI_MARKS.sub("", done.stdout).split())


def pypdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(path).pages).split())


@pytest.mark.parametrize("language", ["da", *LANGUAGES])
def test_each_leaflet_has_its_own_labels_dates_and_language_tag(
    built: dict[str, Path], language: str
) -> None:
    text = poppler_text(built[language])
    for expected in EXPECTED[language]:
        assert comparable(expected, language) in comparable(text, language), (language, expected)
    with pikepdf.open(built[language]) as pdf:
        assert str(pdf.Root.Lang) == language
        assert str(pdf.docinfo["/leafletreference"]) == "FYS-012"
        assert str(pdf.docinfo["/leafletversion"]) == "3"


@pytest.mark.parametrize("language", ["da", *LANGUAGES])
def test_a_translation_shares_the_reference_and_version_of_its_source(
    built: dict[str, Path], language: str
) -> None:
    if language == "ar":
        # The reference line mixes directions; each part is checked in its own reading.
        assert "FYS-012" in poppler_text(built[language])
        assert VERSION_WORD[language] in pypdf_text(built[language])
    else:
        assert f"FYS-012 · {VERSION_WORD[language]} 3" in poppler_text(built[language])


def bundled_font_names() -> set[str]:
    """The names of the bundled fonts, written as a PDF names them (no spaces or hyphens)."""
    names: set[str] = set()
    for path in (STYLES_DIR / "fonts").glob("*.ttf"):
        with TTFont(path, lazy=True) as font:
            for name_id in (1, 4, 6):
                names.add(re.sub(r"[\s-]", "", font["name"].getDebugName(name_id)))
    return names


def pdf_fonts(path: Path) -> Iterator[tuple[str, pikepdf.Object]]:
    """(base font name without the subset tag, font) for every font the pages use."""
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for _key, font in page.Resources.get("/Font", {}).items():
                yield str(font.BaseFont).lstrip("/").split("+", 1)[-1], font


@pytest.mark.parametrize("language", ["da", *LANGUAGES])
def test_every_glyph_comes_from_a_bundled_font(built: dict[str, Path], language: str) -> None:
    bundled = bundled_font_names()
    used = {name for name, _font in pdf_fonts(built[language])}
    assert used, "no fonts found"
    assert {re.sub(r"[\s-]", "", name) for name in used} <= bundled, used
    assert not glyph_zero_shown(built[language])


def glyph_zero_shown(path: Path) -> bool:
    """Whether any text operator draws glyph 0 (.notdef) of a two-byte (Identity-H) font."""
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) not in ("Tj", "TJ"):
                    continue
                strings = operands[0] if str(operator) == "TJ" else operands
                for item in strings:
                    if isinstance(item, pikepdf.String) and _has_glyph_zero(bytes(item)):
                        return True
    return False


def _has_glyph_zero(data: bytes) -> bool:
    return any(data[i : i + 2] == b"\0\0" for i in range(0, len(data) - 1, 2))


def test_the_polish_and_ukrainian_leaflets_use_noto_sans(built: dict[str, Path]) -> None:
    for language in ("pl", "uk"):
        assert any(name.startswith("Noto-Sans") for name, _ in pdf_fonts(built[language]))
    assert any(name.startswith("Noto-Sans-Arabic") for name, _ in pdf_fonts(built["ar"]))


def test_arabic_text_is_letters_in_logical_order(built: dict[str, Path]) -> None:
    source = (FIXTURES / "baekkensmerter.ar.md").read_text(encoding="utf-8").split("---", 2)[2]
    expected = set(ARABIC_WORD.findall(source))
    extracted = pypdf_text(built["ar"])
    assert not PRESENTATION_FORMS.search(extracted)
    assert expected <= set(ARABIC_WORD.findall(extracted))
    assert "ألم الحوض هو ألم في أسفل البطن" in extracted


def test_arabic_lines_run_right_to_left_from_the_right_margin(
    built: dict[str, Path], tmp_path: Path
) -> None:
    with pdfplumber.open(built["ar"]) as pdf:
        page = pdf.pages[0]
        title = [char for char in page.chars if char["size"] > 25]
        words = [c for c in page.extract_words() if ARABIC_WORD.search(c["text"])]
        right_margin = page.width - side_margin(built["ar"])
        # Letters of the title follow each other from right to left.
        letters = [c for c in sorted(title, key=lambda c: -c["x0"]) if c["text"].strip()]
        assert "".join(c["text"] for c in letters) == "ألمالحوض"
        # Text starts at the right margin, as a right-aligned, right-to-left page does.
        assert max(word["x1"] for word in words) == pytest.approx(right_margin, abs=2)
        lede = drawn(words, "الوركين،")[0]
        middle = (lede["top"] + lede["bottom"]) / 2
        assert bar_side(built["ar"], middle, page.width, tmp_path) == "right"
        numbers = drawn(page.extract_words(), "الصفحة")
        assert numbers and numbers[0]["x0"] < page.width / 2  # the outer corner, bottom left


def drawn(words: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """The words that are `text`; pdfplumber keeps letters in drawing order, right to left."""
    return [word for word in words if text in (word["text"], word["text"][::-1])]


def side_margin(path: Path) -> float:
    """Page 1's side margin, in points: where the footer's left-aligned text starts."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        footer = [word for word in page.extract_words() if word["top"] > page.height - 50]
    return min(word["x0"] for word in footer)


def bar_side(path: Path, y: float, width: float, folder: Path) -> str:
    """Which side of the text column has the clinic-coloured bar at height `y` (points)."""
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-r", "72", "-f", "1", "-l", "1", "-png", path, folder / "p"], check=True
    )
    image = Image.open(next(folder.glob("p*.png"))).convert("RGB")
    margin = side_margin(path)

    def coloured(x: float) -> bool:
        red, green, blue = image.getpixel((round(x), round(y)))
        return green > red + 40 and blue > red + 40 and green < 140  # the band's dark teal

    left = any(coloured(margin + dx) for dx in range(1, 5))
    right = any(coloured(width - margin - dx) for dx in range(1, 5))
    return {(True, False): "left", (False, True): "right"}.get((left, right), "none")


def test_the_danish_lede_bar_stays_on_the_left(built: dict[str, Path], tmp_path: Path) -> None:
    with pdfplumber.open(built["da"]) as pdf:
        page = pdf.pages[0]
        lede = next(word for word in page.extract_words() if word["text"] == "refererer")
    middle = (lede["top"] + lede["bottom"]) / 2
    assert bar_side(built["da"], middle, page.width, tmp_path) == "left"


def test_the_arabic_structure_tree_is_in_reading_order(built: dict[str, Path]) -> None:
    headings = structure_headings(built["ar"])
    assert headings[:3] == ["ألمالحوض", "ماأسبابألمالحوض؟", "كيفيساعدالعلاجالطبيعي؟"]
    assert headings[3].startswith("أسئلةشائعة")


def structure_headings(path: Path) -> list[str]:
    """The text of each H1-H3 structure element, in the order of the structure tree."""
    with pdfplumber.open(path) as pdf:
        chars = {(page.page_number, c["mcid"]): [] for page in pdf.pages for c in page.chars}
        for page in pdf.pages:
            for char in page.chars:
                chars[(page.page_number, char["mcid"])].append(char)
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages, 1)}
        found = []
        for element, page in _elements(pdf.Root.StructTreeRoot, None, pages):
            if str(element.S) in ("/H1", "/H2", "/H3"):
                marked = [c for mcid in _mcids(element) for c in chars.get((page, mcid), [])]
                letters = sorted(marked, key=lambda c: -c["x0"])
                found.append("".join(c["text"] for c in letters if c["text"].strip()))
    return found


def _elements(
    node: pikepdf.Object, page: int | None, pages: dict[tuple[int, int], int]
) -> Iterator[tuple[pikepdf.Object, int | None]]:
    if "/Pg" in node:
        page = pages.get(node.Pg.objgen, page)
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            kid_page = pages.get(kid.Pg.objgen, page) if "/Pg" in kid else page
            yield kid, kid_page
            yield from _elements(kid, kid_page, pages)


def _mcids(element: pikepdf.Object) -> list[int]:
    kids = element.get("/K")
    found = []
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int):
            found.append(int(kid))
        elif isinstance(kid, pikepdf.Dictionary) and "/MCID" in kid:
            found.append(int(kid.MCID))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            found.extend(_mcids(kid))
    return found


def test_editing_the_source_makes_each_translation_stale_until_marked(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    articles = catalogue_folder(tmp_path / "articles")
    assert "translation-stale" not in cli("check", articles).out
    source = articles / "baekkensmerter.md"
    source.write_text(source.read_text().replace("refererer til", "er"), encoding="utf-8")

    checked = cli("check", articles)
    stale = [line for line in checked.out.splitlines() if "[translation-stale]" in line]
    assert len(stale) == len(LANGUAGES)
    for language in LANGUAGES:
        assert any(
            f"baekkensmerter.{language}.md" in line and str(source) in line for line in stale
        )
    assert checked.code == 0
    assert cli("check", "--strict", articles).code == 1

    assert cli("translations", "mark", articles / "baekkensmerter.en.md").code == 0
    after = cli("check", articles).out
    assert "baekkensmerter.en.md" not in "".join(
        line for line in after.splitlines() if "translation-stale" in line
    )
    assert after.count("[translation-stale]") == len(LANGUAGES) - 1


def test_a_stale_translation_builds_with_a_warning_and_says_which_edition(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    articles = catalogue_folder(tmp_path / "articles")
    source = articles / "baekkensmerter.md"
    source.write_text(source.read_text() + "\nEt nyt afsnit.\n", encoding="utf-8")
    for language, line in (
        ("en", "Translated from the Danish edition of 19 February 2025"),
        ("pl", "Tłumaczenie duńskiego wydania z 19 lutego 2025"),
    ):
        target = tmp_path / f"{language}.pdf"
        done = cli("build", articles / f"baekkensmerter.{language}.md", "-o", target)
        assert done.code == 0
        assert any("translation-stale" in warning for warning in done.warnings)
        assert line in poppler_text(target)


def test_a_current_translation_says_nothing_about_its_edition(built: dict[str, Path]) -> None:
    assert "Translated from" not in poppler_text(built["en"])


def test_the_translations_command_lists_states_as_text_and_json(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    articles = catalogue_folder(tmp_path / "articles")
    subprocess.run(["git", "init", "-q", articles], check=True)
    git = ["git", "-C", articles, "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "articles"], check=True)
    source = articles / "baekkensmerter.md"
    text = source.read_text()
    source.write_text(text.replace("Bækkensmerter kan", "Smerter i bækkenet kan"), encoding="utf-8")
    (articles / "baekkensmerter.uk.md").write_text(
        re.sub(r"source_hash: \w+\n", "", (articles / "baekkensmerter.uk.md").read_text())
    )

    listed = cli("translations", "list", articles)
    assert listed.code == 0
    lines = listed.out.splitlines()
    assert lines[0] == f"{source} (da): ar, en, pl, uk"
    assert re.search(
        r"en .*baekkensmerter\.en\.md +stale: 1 line differs, source changed \d{4}-", listed.out
    )
    assert "baekkensmerter.uk.md  no source_hash" in listed.out

    data = json.loads(cli("translations", "list", "--format", "json", articles).out)
    # The group's option, given before the command, holds for it too.
    assert json.loads(cli("translations", "--format", "json", "list", articles).out) == data
    assert [entry["language"] for entry in data[0]["translations"]] == ["ar", "en", "pl", "uk"]
    english = data[0]["translations"][1]
    assert english["state"] == "stale" and english["lines_changed"] == 1
    assert english["changed_known_from"] == "git"
    assert data[0]["translations"][3]["state"] == "unmarked"


def test_without_git_a_stale_translation_reports_the_source_file_date(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    articles = catalogue_folder(tmp_path / "articles")
    source = articles / "baekkensmerter.md"
    source.write_text(source.read_text() + "\nMere.\n", encoding="utf-8")
    listed = cli("translations", "list", articles).out
    assert re.search(r"stale: source file changed \d{4}-\d\d-\d\d", listed)


def test_mark_rewrites_only_the_hash_line(tmp_path: Path) -> None:
    articles = catalogue_folder(tmp_path / "articles")
    translation = articles / "baekkensmerter.en.md"
    before = translation.read_bytes()
    assert b"source_hash: " + source_hash(articles / "baekkensmerter.md").encode() in before
    source = articles / "baekkensmerter.md"
    source.write_text(source.read_text() + "\nMere.\n", encoding="utf-8")
    digest = mark_translation(translation)
    after = translation.read_bytes()
    assert after == before.replace(before.split(b"source_hash: ")[1][:12], digest.encode())


def test_mark_keeps_crlf_line_ends_and_adds_a_missing_hash_before_the_closing_line(
    tmp_path: Path,
) -> None:
    (tmp_path / "x.md").write_text("---\ntitle: X\n---\n\nTekst.\n")
    translation = tmp_path / "x.en.md"
    translation.write_bytes(b"---\r\ntitle: X\r\n---\r\n\r\nText.\r\n")
    digest = mark_translation(translation)
    expected = f"---\r\ntitle: X\r\nsource_hash: {digest}\r\n---\r\n\r\nText.\r\n"
    assert translation.read_bytes() == expected.encode()


def test_translations_of_and_translation_for(tmp_path: Path) -> None:
    articles = catalogue_folder(tmp_path / "articles")
    source = articles / "baekkensmerter.md"
    found = translations_of(source)
    assert found == {lang: articles / f"baekkensmerter.{lang}.md" for lang in sorted(LANGUAGES)}
    assert translation_for(source, "pl") == articles / "baekkensmerter.pl.md"
    assert translation_for(source, "da") == source
    assert translation_for(articles / "baekkensmerter.en.md", "uk") == found["uk"]
    assert translation_for(articles / "baekkensmerter.en.md", "da") == source
    with pytest.raises(
        LeafletError, match=r"no translation into 'de' \(languages: da, ar, en, pl, uk\)"
    ):
        translation_for(source, "de")


def test_a_translation_named_otherwise_is_found_by_translation_of(tmp_path: Path) -> None:
    (tmp_path / "x.md").write_text("---\ntitle: X\n---\n\nTekst.\n")
    other = tmp_path / "pelvic-pain.md"
    other.write_text("---\ntitle: Y\nlang: en\ntranslation_of: x.md\n---\n\nText.\n")
    assert translations_of(tmp_path / "x.md") == {"en": other}


def test_the_language_comes_from_the_file_name_and_the_slug_keeps_it(tmp_path: Path) -> None:
    articles = catalogue_folder(tmp_path / "articles")
    article = load_article(articles / "baekkensmerter.uk.md")
    assert (article.language, article.slug) == ("uk", "baekkensmerter.uk")
    assert article.translation is not None
    assert article.translation.source == articles / "baekkensmerter.md"


def test_a_lang_that_contradicts_the_file_name_is_an_error(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    (tmp_path / "x.md").write_text("---\ntitle: X\n---\n\nTekst.\n")
    (tmp_path / "x.en.md").write_text("---\ntitle: X\nlang: de\n---\n\nText.\n")
    done = cli("build", tmp_path / "x.en.md", "-o", tmp_path / "x.pdf")
    assert done.code == 1
    assert done.errors == [
        f"error: {tmp_path / 'x.en.md'}: 'lang' is 'de' but the file name says 'en'"
    ]
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("named", ["../x.md", "/etc/passwd", "sub/x.md", "x.txt", "nowhere.md"])
def test_translation_of_names_an_article_in_the_same_folder_only(
    tmp_path: Path, cli: Callable[..., Run], named: str
) -> None:
    (tmp_path / "x.md").write_text("---\ntitle: X\n---\n\nTekst.\n")
    article = tmp_path / "y.en.md"
    article.write_text(f"---\ntitle: Y\ntranslation_of: {named}\n---\n\nText.\n")
    done = cli("build", article, "-o", tmp_path / "y.pdf")
    assert done.code == 1
    assert len(done.errors) == 1 and "'translation_of'" in done.errors[0]


def test_no_slug_can_take_a_translations_pdf_name(tmp_path: Path, cli: Callable[..., Run]) -> None:
    article = tmp_path / "other.md"
    article.write_text("---\ntitle: Z\nslug: baekkensmerter.en\n---\n\nTekst.\n")
    done = cli("build", article, "-o", tmp_path / "out")
    assert done.code == 1
    assert "'slug' must be letters, digits" in done.errors[0]


def test_a_bad_source_hash_is_an_error(tmp_path: Path, cli: Callable[..., Run]) -> None:
    (tmp_path / "x.md").write_text("---\ntitle: X\n---\n\nTekst.\n")
    (tmp_path / "x.en.md").write_text("---\ntitle: X\nsource_hash: yes\n---\n\nText.\n")
    done = cli("check", tmp_path / "x.en.md")
    assert done.code == 1
    assert "'source_hash' must be 12 hex digits" in done.out


def test_changed_lines_counts_a_changed_line_once() -> None:
    assert changed_lines(["a", "b", "c"], ["a", "B", "c", "d"]) == 2
    assert changed_lines(["a"], ["a"]) == 0


def test_marking_a_file_that_is_no_translation_is_a_one_line_error(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    article = tmp_path / "x.md"
    article.write_text("---\ntitle: X\n---\n\nTekst.\n")
    before = article.read_bytes()
    done = cli("translations", "mark", article)
    assert done.code == 1
    problem = "is no translation (no 'translation_of', and no language in the file name)"
    assert done.errors == [f"error: {article}: {problem}"]
    assert "Traceback" not in done.err
    assert article.read_bytes() == before


def test_an_article_without_translations_is_listed_as_such(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    (tmp_path / "x.md").write_text("---\ntitle: X\nlang: en\n---\n\nText.\n")
    assert (
        cli("translations", "list", tmp_path).out == f"{tmp_path / 'x.md'} (en): no translations\n"
    )


def test_an_arabic_leaflet_tells_viewers_it_reads_right_to_left(built: dict[str, Path]) -> None:
    with pikepdf.open(built["ar"]) as pdf:
        assert pdf.Root.ViewerPreferences.Direction == pikepdf.Name.R2L
    with pikepdf.open(built["da"]) as pdf:
        assert "/Direction" not in pdf.Root.ViewerPreferences


@pytest.mark.parametrize(("language", "cover_side"), [("da", "right"), ("ar", "left")])
def test_a_right_to_left_booklet_is_bound_on_the_right(
    tmp_path: Path, cli: Callable[..., Run], language: str, cover_side: str
) -> None:
    articles = catalogue_folder(tmp_path / "articles")
    name = "baekkensmerter.md" if language == "da" else f"baekkensmerter.{language}.md"
    target = tmp_path / "booklet.pdf"
    assert cli("build", articles / name, "-o", target, "--booklet").code == 0
    with pdfplumber.open(target) as pdf:
        front = pdf.pages[0]
        title = [char for char in front.chars if char["size"] > 20]
        middle = front.width / 2
    assert title
    assert all((char["x0"] > middle) == (cover_side == "right") for char in title)


def commit_all(folder: Path, message: str) -> None:
    git = ["git", "-C", folder, "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", message], check=True)


def test_git_history_counts_the_lines_changed_over_several_commits(tmp_path: Path) -> None:
    articles = catalogue_folder(tmp_path / "articles")
    subprocess.run(["git", "init", "-q", articles], check=True)
    commit_all(articles, "translated")
    source = articles / "baekkensmerter.md"
    source.write_text(source.read_text() + "\nFørste tilføjelse.\n", encoding="utf-8")
    commit_all(articles, "one more paragraph")
    source.write_text(source.read_text().replace("Bækkensmerter kan", "Smerter kan"))
    commit_all(articles, "plainer words")

    (status,) = translation_statuses([articles / "baekkensmerter.en.md"], "da")
    (english,) = status.translations
    assert (english.state, english.known_from) == ("stale", "git")
    assert english.lines_changed == 3  # a blank line and a paragraph added, one line changed


def test_a_hash_that_git_never_saw_falls_back_to_the_file_date(tmp_path: Path) -> None:
    articles = catalogue_folder(tmp_path / "articles")
    subprocess.run(["git", "init", "-q", articles], check=True)
    translation = articles / "baekkensmerter.en.md"
    translation.write_text(
        re.sub(r"source_hash: \w+", "source_hash: 0123456789ab", translation.read_text())
    )
    commit_all(articles, "articles")
    (status,) = translation_statuses([translation], "da")
    assert status.translations[0].known_from == "file date"
    assert status.translations[0].lines_changed is None


def test_a_hash_of_digits_only_keeps_its_leading_zero(tmp_path: Path) -> None:
    (tmp_path / "x.md").write_text("---\ntitle: X\n---\n\nTekst.\n")
    translation = tmp_path / "x.en.md"
    translation.write_text("---\ntitle: X\nsource_hash: 012345678901\n---\n\nText.\n")
    article = load_article(translation)
    assert article.translation is not None
    assert article.translation.recorded_hash == "012345678901"
    assert article.translation.state == "stale"


def test_a_translations_info_names_its_source_and_state(tmp_path: Path) -> None:
    from leaflets.builder.gather import leaflet_info
    from leaflets.config.defaults import CLINIC_FILE
    from leaflets.config.profile import load_profile

    articles = catalogue_folder(tmp_path / "articles")
    profile = load_profile(CLINIC_FILE)
    info = leaflet_info(load_article(articles / "baekkensmerter.pl.md"), profile, 2)
    assert (info.slug, info.language, info.reference) == ("baekkensmerter.pl", "pl", "FYS-012")
    assert (info.translation_of, info.translation_state) == ("baekkensmerter", "current")
    assert info.from_dict(info.as_dict()) == info
    own = leaflet_info(load_article(articles / "baekkensmerter.md"), profile, 2)
    assert (own.translation_of, own.translation_state) == ("", "")


def test_a_source_that_links_out_of_the_folder_is_refused(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "notes.md").write_text("---\ntitle: Hemmelig\nid: 99\n---\n\nHemmelig tekst.\n")
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "x.md").symlink_to(secret / "notes.md")
    translation = articles / "y.en.md"
    translation.write_text("---\ntitle: Y\ntranslation_of: x.md\n---\n\nText.\n")
    done = cli("check", translation)
    assert done.code == 1
    assert "links to a file in another folder" in done.out
    (articles / "x.en.md").write_text("---\ntitle: X\n---\n\nText.\n")
    assert load_article(articles / "x.en.md").translation is None
