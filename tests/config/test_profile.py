"""The clinic profile: the schema, every problem at once, and the neutral defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflets.config.defaults import CLINIC_FILE
from leaflets.config.errors import LeafletError, collect_warnings
from leaflets.config.profile import (
    ChecksSettings,
    CleanupSettings,
    Profile,
    ProfileError,
    load_profile,
)
from leaflets.config.smtp import SmtpSettings

from ..conftest import EXAMPLE

GOOD = """
[clinic]
name = "Fysio Nord"
address = "Nørregade 1, 9000 Aalborg"
phone = "+45 98 00 00 00"
email = "info@fysionord.dk"
website = "https://fysionord.dk/"
opening_hours = "Man–fre 8–16"
logo = "logo.svg"

[leaflets]
language = "en"
review_months = 24
base_url = "https://fysionord.dk/artikler/"
site_root = "site"
id_prefix = "FN"

[style]
primary_color = "#123"
theme = "theme"

[print]
format = "a5"

[checks]
max_lix = 40
ignore = ["long-sentence"]
max_pages = 4

[smtp]
host = "127.0.0.1"
port = 2525
security = "none"
"""

BAD = """
colours = "red"

[clinic]
phone = 12345678
website = "www.fysionord.dk"
fax = "98 00 00 01"

[leaflets]
review_months = "24"
base_url = "fysionord.dk/artikler"

[style]
primary_color = "teal"

[checks]
max_lix = "forty"

[smtp]
port = 99999
"""


def write_profile(folder: Path, text: str) -> Path:
    (folder / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (folder / "site").mkdir(exist_ok=True)
    (folder / "theme").mkdir(exist_ok=True)
    path = folder / "clinic.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_full_profile_is_read_with_paths_relative_to_it(tmp_path: Path) -> None:
    profile = load_profile(write_profile(tmp_path, GOOD))
    assert profile.clinic.name == "Fysio Nord"
    assert profile.clinic.logo == tmp_path / "logo.svg"
    assert profile.leaflets.site_root == tmp_path / "site"
    assert profile.leaflets.review_months == 24
    assert profile.style.theme == tmp_path / "theme"
    assert profile.style.primary_color == "#123"
    assert profile.print.format == "a5"
    assert profile.checks == ChecksSettings(max_lix=40, ignore=("long-sentence",), max_pages=4)
    assert profile.smtp == SmtpSettings(host="127.0.0.1", port=2525, security="none")


def test_no_profile_means_neutral_defaults(tmp_path: Path) -> None:
    profile = load_profile(None)
    assert profile == Profile()
    assert profile.clinic.name == ""
    assert profile.clinic.logo is None


def test_a_profile_named_on_purpose_must_exist(tmp_path: Path) -> None:
    with pytest.raises(LeafletError, match="no such clinic profile"):
        load_profile(tmp_path / "absent.toml")


def test_the_shipped_profile_is_valid() -> None:
    profile = load_profile(CLINIC_FILE)
    assert profile.clinic.name
    assert profile.clinic.logo is not None and profile.clinic.logo.is_file()
    assert profile.leaflets.review_months == 24


def test_every_problem_is_reported_at_once_each_naming_its_key(tmp_path: Path) -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile(write_profile(tmp_path, BAD))
    problems = caught.value.problems
    expected = [
        "[colours]: unknown table",
        "clinic.fax: unknown key",
        "clinic.name: is missing",
        "clinic.phone: must be text, not a number (12345678)",
        "clinic.website: must be an http(s) address",
        "leaflets.review_months: must be a whole number, not text ('24')",
        "leaflets.base_url: must be an http(s) address",
        "style.primary_color: must be a hex colour like #1f4e5f, not 'teal'",
        "checks.max_lix: must be a number, not text ('forty')",
        "smtp.port: must be from 1 to 65535, not 99999",
    ]
    for start in expected:
        assert any(problem.startswith(start) for problem in problems), (start, problems)
    assert len(problems) == len(expected)


@pytest.mark.parametrize(
    ("table", "line", "problem"),
    [
        ("clinic", 'name = ""', "clinic.name: must not be empty"),
        ("clinic", 'name = "X"\nemail = "not-an-address"', "clinic.email: is not an email"),
        ("clinic", 'name = "X"\nlogo = "missing.svg"', "clinic.logo: no such file"),
        ("clinic", 'name = "X"\nlogo = "logo.gif"', "clinic.logo: must be a SVG or PNG"),
        ("leaflets", 'language = "xx"', "leaflets.language: has no label file for 'xx'"),
        ("leaflets", "review_months = 48", "leaflets.review_months: must be from 1 to 36"),
        ("leaflets", "review_months = true", "leaflets.review_months: must be a whole number"),
        ("leaflets", 'site_root = "nowhere"', "leaflets.site_root: no such folder"),
        ("leaflets", 'id_prefix = "F Y S"', "leaflets.id_prefix: must be up to 12 letters"),
        ("style", 'primary_color = "#12345"', "style.primary_color: must be a hex colour"),
        ("print", 'format = "a3"', "print.format: must be one of a4, a5, letter"),
        ("checks", 'ignore = "long-sentence"', "checks.ignore: must be a list of texts"),
        (
            "smtp",
            'security = "tls"',
            "smtp.security: must be one of starttls, ssl, none, not 'tls'",
        ),
        ("smtp", 'password = "hemmelig"', "smtp.password: must not be in the file"),
        (
            "cleanup",
            'advert_patterns = ["(?<=book)"]',
            "cleanup.advert_patterns: '(?<=book)' is not a pattern RE2 can use (invalid perl",
        ),
        ("cleanup", 'advert_sections = ["a("]', "cleanup.advert_sections: 'a(' is not a pattern"),
        ("cleanup", f'advert_patterns = ["{"x" * 201}"]', "cleanup.advert_patterns: 'xxx"),
        (
            "cleanup",
            "advert_patterns = [" + '"a",' * 51 + "]",
            "cleanup.advert_patterns: must be at",
        ),
        ("cleanup", 'advert_patterns = "fysfinder"', "cleanup.advert_patterns: must be a list"),
    ],
)
def test_each_kind_of_problem_names_its_key(
    tmp_path: Path, table: str, line: str, problem: str
) -> None:
    clinic = "" if table == "clinic" else '[clinic]\nname = "X"\n'
    path = write_profile(tmp_path, f"{clinic}[{table}]\n{line}\n")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert [p for p in caught.value.problems if p.startswith(problem)], caught.value.problems


def test_a_table_that_is_not_a_table(tmp_path: Path) -> None:
    path = write_profile(tmp_path, 'style = "dark"\n[clinic]\nname = "X"\n')
    with pytest.raises(ProfileError, match=r"style: must be a table, written \[style\]"):
        load_profile(path)


def test_the_cli_prints_one_error_line_per_problem_and_builds_nothing(cli, tmp_path: Path) -> None:
    path = write_profile(tmp_path, BAD)
    target = tmp_path / "out.pdf"
    run = cli("build", EXAMPLE, "-o", target, "--clinic", path)
    assert run.code == 1
    assert len(run.errors) == 10
    assert all(line.startswith(f"error: {path}: ") for line in run.errors)
    assert f"error: {path}: clinic.name: is missing" in run.errors
    assert "Traceback" not in run.err
    assert not target.exists()


def test_invalid_toml_is_one_clean_line(cli, tmp_path: Path) -> None:
    path = tmp_path / "clinic.toml"
    path.write_text('[clinic]\nname = "unclosed\n', encoding="utf-8")
    run = cli("build", EXAMPLE, "-o", tmp_path / "out.pdf", "--clinic", path)
    assert run.code == 1
    assert len(run.errors) == 1
    assert run.errors[0].startswith(f"error: {path}: is not valid TOML")


def test_a_named_profile_that_does_not_exist_is_an_error(cli, tmp_path: Path) -> None:
    run = cli("build", EXAMPLE, "-o", tmp_path / "out.pdf", "--clinic", tmp_path / "nope.toml")
    assert run.code == 1
    assert run.errors == [f"error: {tmp_path / 'nope.toml'}: no such clinic profile"]


def test_a_light_primary_colour_is_warned_about(tmp_path: Path) -> None:
    path = write_profile(tmp_path, '[clinic]\nname = "X"\n[style]\nprimary_color = "#ffd700"\n')
    with collect_warnings() as found:
        profile = load_profile(path)
    assert profile.style.primary_color == "#ffd700"
    assert found == [
        f"{path}: style.primary_color #ffd700 is too light for the white title text "
        "(contrast 1.4:1, at least 4.5:1 is needed)"
    ]
    with collect_warnings() as found:
        load_profile(CLINIC_FILE)
    assert found == []


def test_an_unknown_checks_key_is_named(tmp_path: Path) -> None:
    path = tmp_path / "clinic.toml"
    path.write_text('[clinic]\nname = "K"\n\n[checks]\nmax_lx = 40\n')
    with pytest.raises(LeafletError) as refused:
        load_profile(path)
    assert "checks.max_lx: unknown key" in str(refused.value)


def test_a_huge_clinic_name_is_a_clear_profile_error(cli, tmp_path: Path) -> None:
    path = write_profile(tmp_path, f'[clinic]\nname = "{"Fysio" * 4000}"\n')
    result = cli("build", tmp_path / "none.md", "--clinic", path)
    assert result.code == 1
    assert result.errors == [
        f"error: {path}: clinic.name: must be at most 120 characters, not 20000"
    ]


def test_adverts_for_the_articles_own_site_go_unless_the_clinic_keeps_them(tmp_path: Path) -> None:
    assert Profile().cleanup.advert_patterns == ("(?i)fysfinder",)
    assert load_profile(CLINIC_FILE).cleanup == CleanupSettings()
    without = write_profile(tmp_path, '[clinic]\nname = "X"\n')
    assert load_profile(without).cleanup == CleanupSettings()
    keep = write_profile(tmp_path, '[clinic]\nname = "X"\n[cleanup]\nadvert_patterns = []\n')
    assert load_profile(keep).cleanup == CleanupSettings(advert_patterns=())


def test_a_bad_advert_pattern_is_one_error_line_naming_the_file_and_key(
    cli, tmp_path: Path
) -> None:
    path = write_profile(tmp_path, '[clinic]\nname = "X"\n[cleanup]\nadvert_patterns = ["(a"]\n')
    run = cli("build", EXAMPLE, "-o", tmp_path / "out.pdf", "--clinic", path)
    assert run.code == 1
    assert run.errors == [
        f"error: {path}: cleanup.advert_patterns: '(a' is not a pattern RE2 can use (missing ): (a)"
    ]
    assert "Traceback" not in run.err
