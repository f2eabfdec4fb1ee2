"""The check command: findings with the right lines, exit codes, JSON, ignores, the build."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import segno
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaflets.checks.run import check_file
from leaflets.checks.settings import CheckSettings, check_settings
from leaflets.config.profile import load_profile

from ..conftest import EXAMPLE

TODAY = dt.date(2026, 6, 1)

PROBLEMS = """\
---
title: Klik her for at læse om knæ
datePublished: 01/01/2027
lastUpdated: 01/12/2026
check:
  ignore: [lix]
---
Knæet er et led. {: .lead}

## Tom sektion

## Billeder

![](mangler.png)

Se [pjecen](pjece.pdf) og <span>klik her</span>.

#### For dybt

{% include cta.html %}

## Ofte stillede spørgsmål

### Gør det ondt?

### Gør det ondt?

Nogle gange.
"""


def _findings(path: Path, settings: CheckSettings | None = None) -> set[tuple[int, str]]:
    return {(f.line, f.rule) for f in check_file(path, settings or CheckSettings(), TODAY)}


def test_each_rule_reports_its_line(article) -> None:
    path = article(PROBLEMS)
    assert _findings(path) == {
        (2, "paper-cta"),  # the title
        (3, "date-future"),
        (4, "date-future"),
        (4, "date-order"),
        (8, "kramdown"),
        (10, "empty-section"),
        (14, "image-alt"),
        (14, "image-missing"),
        (16, "link-missing"),
        (16, "html"),
        (16, "paper-cta"),
        (18, "heading-skip"),
        (18, "empty-section"),  # the Liquid tag under it is not printed
        (20, "liquid"),
        (24, "faq-no-answer"),
        (26, "faq-duplicate"),
    }


def test_review_dates_against_the_clinic_interval(article) -> None:
    overdue = article("---\ntitle: T\ndatePublished: 2023-01-15\n---\nTekst.\n", "old.md")
    soon = article("---\ntitle: T\ndatePublished: 2023-07-01\n---\nTekst.\n", "soon.md")
    missing = article("---\ntitle: T\n---\nTekst.\n", "undated.md")
    assert _findings(overdue) == {(3, "review-overdue")}  # due 2026-01-15
    assert _findings(soon) == {(3, "review-due")}  # due 2026-07-01, in 30 days
    assert _findings(soon, CheckSettings(review_months=12)) == {(3, "review-overdue")}
    assert _findings(missing) == {(1, "date-missing")}


def test_a_front_matter_faq_without_an_answer(article) -> None:
    path = article(
        "---\ntitle: T\ndatePublished: 2026-01-01\nfaq:\n"
        "  - question: Hvad?\n    answer: Dette.\n  - question: Hvorfor?\n---\nTekst.\n"
    )
    assert _findings(path) == {(7, "faq-no-answer")}


def test_too_long_and_site_paths(article, tmp_path: Path) -> None:
    (tmp_path / "site" / "img").mkdir(parents=True)
    segno.make("ok").save(tmp_path / "site" / "img" / "ok.png")
    paragraph = "Ord " * 60 + "slut.\n\n"
    path = article(
        "---\ntitle: T\ndatePublished: 2026-01-01\n---\n"
        "![Knæ](/img/ok.png)\n\n![Knæ](/img/væk.png)\n\n" + paragraph * 80
    )
    site = tmp_path / "site"
    settings = CheckSettings(site_root=site, max_pages=4, max_lix=100)
    assert _findings(path, settings) == {(7, "image-missing"), (2, "too-long")}
    roomy = CheckSettings(site_root=site, max_pages=20, max_lix=100)
    assert _findings(path, roomy) == {(7, "image-missing")}


def test_the_example_in_text_form(cli, web_example: Path, plain_clinic: Path) -> None:
    result = cli("check", "--clinic", plain_clinic, "--as-of", "2026-01-01", web_example)
    assert result.code == 0
    lines = result.out.splitlines()
    source = web_example
    assert f"{source}:3: warning: 'lastUpdated' (2024-02-24) is earlier than 'datePublished'" in (
        result.out
    )
    assert f"{source}:8: warning: LIX 57 (very hard) is above the limit of 45 [lix]" in lines
    assert f"{source}:8: note: LIX 57.3 = 446 words / 38 sentences" in result.out
    assert sum("note: long sentence" in line for line in lines) == 3
    assert "most frequent long words: bækkensmerter" in result.out
    assert lines[-1] == "1 article checked: 0 errors, 2 warnings"
    assert all(re.match(r"^.+:\d+: (warning|error|note): ", line) for line in lines[:-1])


def test_strict_makes_warnings_errors(cli, web_example: Path, plain_clinic: Path) -> None:
    result = cli(
        "check", "--strict", "--clinic", plain_clinic, "--as-of", "2026-01-01", web_example
    )
    assert result.code == 1
    assert f"{web_example}:8: error: LIX 57" in result.out
    assert result.out.splitlines()[-1] == "1 article checked: 2 errors, 0 warnings"


def test_json_output(cli, web_example: Path, plain_clinic: Path) -> None:
    result = cli(
        "check", "--format", "json", "--clinic", plain_clinic, "--as-of", "2026-01-01", web_example
    )
    assert result.code == 0
    found = json.loads(result.out)
    assert [(f["line"], f["severity"], f["rule"]) for f in found] == [
        (3, "warning", "date-order"),
        (8, "warning", "lix"),
    ]
    assert found[1]["data"]["lix"] == 57.3
    assert found[1]["data"]["sentences"] == 38
    assert "1 article checked" in result.err


def test_readability_for_every_article(cli, article) -> None:
    path = article("---\ntitle: Ro\nlang: en\ndatePublished: 2026-01-01\n---\nThe cat sat.\n")
    result = cli("check", "--readability", "--format", "json", path)
    (note,) = json.loads(result.out)
    assert note["severity"] == "note"
    assert note["data"]["measure"] == "flesch"
    assert note["data"]["longest_sentences"] == []  # three words are no long sentence


def test_rules_switched_off_by_the_clinic(cli, tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.toml"
    clinic.write_text(
        '[clinic]\nname = "K"\n\n[checks]\nmax_lix = 60\nignore = ["date-order", "no-such-rule"]\n'
    )
    result = cli("check", "--clinic", clinic, "--as-of", "2026-01-01", EXAMPLE)
    assert result.code == 0
    assert "[date-order]" not in result.out
    assert "[lix]" not in result.out
    assert f"{clinic}:1: warning: unknown rule 'no-such-rule' in [checks] ignore" in result.out
    assert check_settings(load_profile(clinic)).max_lix == 60


def test_a_bad_clinic_setting_is_one_error(cli, tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.toml"
    clinic.write_text('[clinic]\nname = "K"\n\n[checks]\nmax_lix = "high"\n')
    result = cli("check", "--clinic", clinic, EXAMPLE)
    assert result.code == 1
    assert result.errors == [
        f"error: {clinic}: checks.max_lix: must be a number, not text ('high')"
    ]


def test_an_unloadable_article_is_an_error_and_its_body_still_checked(cli, article) -> None:
    path = article("---\ntitle: T\ntags: &a [x]\n---\nTekst {% include x %}.\n")
    result = cli("check", path)
    assert result.code == 1
    assert f"{path}:3: error: front matter is not valid YAML" in result.out
    assert f"{path}:5: warning: Liquid tag" in result.out


def test_unknown_rules_in_an_article_are_reported(article) -> None:
    path = article(
        "---\ntitle: T\ndatePublished: 2026-01-01\ncheck: {ignore: [lixx]}\n---\nTo ord.\n"
    )
    assert _findings(path) == {(4, "check-config")}


@pytest.mark.corpus
def test_corpus_leftovers_are_flagged_on_their_lines(corpus: Path) -> None:
    jekyll = sorted((corpus / "motionsplan+motionsplan-dk-jekyll").glob("*.md"))
    assert jekyll
    for path in jekyll:
        found = {(f.line, f.rule) for f in check_file(path, CheckSettings(), TODAY)}
        lines = path.read_text(encoding="utf-8").split("\n")
        body_start = lines.index("---", 1) + 2
        for number, line in enumerate(lines[body_start - 1 :], body_start):
            if "{%" in line:
                assert (number, "liquid") in found, (path.name, number)
            if "{:" in line:
                assert (number, "kramdown") in found, (path.name, number)
    assert any(rule == "kramdown" for path in jekyll for _l, rule in _findings(path))


@pytest.mark.parametrize(
    ("name", "line", "problem"),
    [
        ("faq.md", "faq: 3", "'faq' must be a list of {question, answer} entries"),
        ("id.md", "id: [1, 2]", "'id' must be letters, digits and '-' only: '[1, 2]'"),
        ("other.md", "slug: faq", "its slug 'faq' is the name of faq.md; give it another slug"),
    ],
)
def test_what_stops_a_build_is_an_error_of_the_check(
    cli, tmp_path: Path, name: str, line: str, problem: str
) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    for each in {"faq.md", name}:
        given = line if each == name else "faq:\n  - question: Hvad?\n    answer: Dette."
        text = f"---\ntitle: T\ndatePublished: 2026-01-01\n{given}\n---\nTekst.\n"
        (articles / each).write_text(text, encoding="utf-8")
    path = articles / name
    checked = cli("check", "--as-of", "2026-06-01", path)
    assert checked.code == 1
    assert f"{path}:4: error: {problem} [load]" in checked.out.splitlines()
    built = cli("build", path, "-o", tmp_path / "out.pdf")
    assert built.code == 1 and built.errors == [f"error: {path}: {problem}"]


def test_check_never_imports_the_renderer() -> None:
    code = (
        "import sys\n"
        "from leaflets.cli.main import main\n"
        f"code = main(['check', {str(EXAMPLE)!r}])\n"
        "heavy = [m for m in ('weasyprint', 'jinja2', 'markdown') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "assert code == 0\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_build_prints_the_findings_once(
    cli, web_example: Path, plain_clinic: Path, tmp_path: Path
) -> None:
    result = cli("build", web_example, "-o", tmp_path / "leaflet.pdf", "--clinic", plain_clinic)
    assert result.code == 0
    assert f"warning: {web_example}:8: LIX 57 (very hard) is above the limit of 45 [lix]" in (
        result.warnings
    )
    about_dates = [line for line in result.warnings if "'lastUpdated' (2024-02-24)" in line]
    assert about_dates == [
        f"warning: {web_example}:3: 'lastUpdated' (2024-02-24) is earlier than "
        f"'datePublished' (2025-02-19, line 5) [date-order]"
    ]


def test_the_build_does_not_repeat_removed_leftovers(cli, article, tmp_path: Path) -> None:
    path = article(
        "---\ntitle: T\ndatePublished: 2026-01-01\nlastUpdated: 2026-02-01\n---\n"
        "Tekst. {% include x.html %}\n"
    )
    result = cli("build", path, "-o", tmp_path / "leaflet.pdf")
    assert result.code == 0
    assert [line for line in result.warnings if "include x.html" in line] == [
        f"warning: {path}:6: Liquid tag {{% include x.html %}} (left out on paper) [liquid]"
    ]


MARKDOWN_BITS = st.sampled_from(
    ["\n", "## H", "### Q?", "#### D", "- ", "| a | b |", "|---|", "```", "![", "](x.png)", "[",
     "](/a)", "<div>", "{% x %}", "{: .c}", "f.eks.", "Ord.", " klik her ", "*", "`", "😀"]
)  # fmt: skip


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(MARKDOWN_BITS, st.text(max_size=12)), max_size=40))
def test_any_body_is_checked_without_a_crash(article, parts: list[str]) -> None:
    path = article("---\ntitle: T\n---\n" + "".join(parts))
    for finding in check_file(path, CheckSettings(), TODAY):
        assert finding.line >= 1


def test_adverts_and_reference_lists_are_flagged_on_their_lines(article) -> None:
    path = article(
        "---\ntitle: T\ndatePublished: 2026-01-01\n---\n"
        "Hvil benet. Book tid via FysFinder.\n\n"
        "## Kilder\n\n- Knæ. [www.sundhed.dk](https://www.sundhed.dk/knae)\n"
    )
    found = _findings(path)
    assert (5, "advert") in found
    assert (7, "references") in found
    ignored = CheckSettings(ignore=frozenset({"advert", "references"}))
    assert not {rule for _line, rule in _findings(path, ignored)} & {"advert", "references"}
