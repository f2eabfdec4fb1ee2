"""Diagnosis codes: their shapes, `check`, a translation's codes, search, `list` and the index."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflets.article.codes import code_problem, leaflet_codes, verhoeff_valid
from leaflets.article.model import load_article
from leaflets.builder.gather import leaflet_info
from leaflets.builder.index import index_entries, index_html
from leaflets.builder.info import LeafletInfo
from leaflets.config.profile import load_profile
from leaflets.desk.records import LeafletRecord
from leaflets.desk.search import SearchIndex

from ..coded import coded_content, with_codes
from ..conftest import EXAMPLE


@pytest.mark.parametrize(
    ("system", "code"),
    [
        ("icpc2", "L03"),
        ("icpc2", "A97"),
        ("sks", "DM545"),
        ("sks", "DS834A"),
        ("icd10", "M54.5"),
        ("icd10", "M54"),
        ("snomed", "279039007"),
        ("snomed", "138875005"),
        ("snomed", "404684003"),
    ],
)
def test_good_codes_pass(system: str, code: str) -> None:
    assert code_problem(system, code) is None


@pytest.mark.parametrize(
    ("system", "code", "says"),
    [
        ("icpc2", "C03", "chapter letter"),  # ICPC-2 has no chapter C
        ("icpc2", "L3", "chapter letter"),
        ("icpc2", "L033", "chapter letter"),
        ("sks", "M545", "D and an ICD-10 code"),
        ("sks", "DM54.5", "D and an ICD-10 code"),
        ("icd10", "M545X9", "a letter, two digits"),
        ("icd10", "54.5", "a letter, two digits"),
        ("snomed", "279039008", "wrong check digit"),
        ("snomed", "012345", "Verhoeff"),
        ("snomed", "27903900X", "Verhoeff"),
        ("icpc", "L03", "unknown code system"),
        ("icpc2", "", "missing"),
    ],
)
def test_bad_codes_are_named_with_what_is_wrong(system: str, code: str, says: str) -> None:
    problem = code_problem(system, code)
    assert problem is not None and says in problem


def test_verhoeff_catches_a_single_wrong_digit_and_a_swap() -> None:
    assert verhoeff_valid("279039007")
    assert not any(verhoeff_valid(f"27903900{digit}") for digit in "12345689")
    assert not verhoeff_valid("729039007")


def test_check_names_each_bad_code_by_its_line(cli, article) -> None:
    text = with_codes(
        EXAMPLE.read_text(encoding="utf-8"),
        [("icpc2", "L03"), ("sks", "M545"), ("snomed", "279039008"), ("loinc", "1234-5")],
    )
    path = article(text, "coded.md")
    run = cli("check", path)
    found = [line for line in run.out.splitlines() if "[code-invalid]" in line]
    assert [line.split(":")[1] for line in found] == ["4", "5", "6"]
    assert "entry 2: SKS code 'M545'" in found[0]
    assert "wrong check digit" in found[1]
    assert "unknown code system 'loinc'" in found[2]
    good = cli("check", article(with_codes(EXAMPLE.read_text("utf-8"), [("icpc2", "L03")])))
    assert "code-invalid" not in good.out


def test_codes_that_are_not_a_list_are_one_finding(cli, article) -> None:
    path = article(EXAMPLE.read_text("utf-8").replace("---\n", "---\ncodes: L03\n", 1))
    run = cli("check", path)
    assert "'codes' must be a list of {system, code} entries [code-invalid]" in run.out


def test_a_translation_has_its_sources_codes(tmp_path: Path) -> None:
    content = coded_content(tmp_path)
    profile = load_profile(None)
    source = leaflet_info(load_article(content / "baekkensmerter.md"), profile, 0)
    translation = leaflet_info(load_article(content / "baekkensmerter.en.md"), profile, 0)
    assert source.codes == ("icpc2:L03", "sks:DM545")
    assert translation.codes == source.codes
    assert LeafletInfo.from_dict(translation.as_dict()) == translation


def test_a_bad_code_is_left_out_of_the_leaflet() -> None:
    meta = {"codes": [{"system": "icpc2", "code": "l03"}, {"system": "sks", "code": "M545"}]}
    assert leaflet_codes(meta) == ("icpc2:L03",)


def record(slug: str, title: str, codes: list[str]) -> LeafletRecord:
    return LeafletRecord(slug, title, f"/c/{slug}.md", f"{slug}.pdf", f"{slug}:x", codes=codes)


def test_the_desk_search_finds_leaflets_by_code(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path)
    index.put(
        [
            record("baekkensmerter", "Bækkensmerter", ["icpc2:L03", "sks:DM545"]),
            record("knae", "Knæ", ["icpc2:L15", "snomed:30989003"]),
            record("skulder", "Skuldersmerter", ["icd10:M75.1"]),
        ]
    )
    assert index.search("L03") == ["baekkensmerter"]
    assert index.search("dm545") == ["baekkensmerter"]
    assert index.search("M54.5") == ["baekkensmerter"]  # the SKS code's ICD-10 form
    assert index.search("30989003") == ["knae"]
    assert index.search("M75.1") == ["skulder"]
    assert index.search("L99") == []
    index.close()


def test_list_shows_the_codes(cli, tmp_path: Path) -> None:
    content = coded_content(tmp_path)
    run = cli("list", content, "-o", tmp_path / "output")
    assert run.code == 0, run.err
    lines = [line for line in run.out.splitlines() if "Bækkensmerter" in line or "Pelvic" in line]
    assert len(lines) == 2 and all("codes L03, DM545" in line for line in lines)
    as_json = cli("list", content, "-o", tmp_path / "output", "--format", "json")
    assert '"icpc2:L03"' in as_json.out


def test_the_index_has_one_short_line_of_codes() -> None:
    profile = load_profile(None)
    info = LeafletInfo("Bækkensmerter", "baekkensmerter", "da", codes=("icpc2:L03", "sks:DM545"))
    plain = LeafletInfo("Skulder", "skulder", "da")
    html = index_html(
        index_entries([(info, Path("a.pdf")), (plain, Path("b.pdf"))], profile), profile
    )
    assert html.count("Koder: ") == 1
    assert "Koder: L03, DM545" in html
