"""Opening hours in the leaflet's language, from the clinic profile, with a named fallback."""

from collections.abc import Callable
from pathlib import Path

import pdfplumber

from leaflets.config.defaults import CLINIC_FILE, PROJECT_ROOT

from ..conftest import Run

BODY = "\n## Om smerterne\n\nSmerterne går ofte over af sig selv.\n"
HOURS = 'opening_hours = { da = "Man–fre 8–16", en = "Mon–Fri 8am–4pm" }'


def clinic_by_language(folder: Path) -> Path:
    lines = CLINIC_FILE.read_text(encoding="utf-8").replace('logo = "', f'logo = "{PROJECT_ROOT}/')
    text = "\n".join(
        HOURS if line.startswith("opening_hours") else line for line in lines.splitlines()
    )
    clinic = folder / "clinic.toml"
    clinic.write_text(text + "\n", encoding="utf-8")
    return clinic


def built(cli: Callable[..., Run], folder: Path, language: str, title: str) -> tuple[Run, str]:
    source = folder / f"knae.{language}.md"
    source.write_text(f"---\ntitle: {title}\nlang: {language}\n---\n{BODY}", encoding="utf-8")
    target = folder / f"{language}.pdf"
    run = cli("build", source, "-o", target, "--clinic", clinic_by_language(folder))
    assert run.code == 0, run.err
    with pdfplumber.open(target) as pdf:
        return run, " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)


def test_each_language_prints_its_own_opening_hours(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    run, text = built(cli, tmp_path, "en", "Knee pain")
    assert "Mon–Fri 8am–4pm" in text
    assert "Man–fre" not in text
    assert not [line for line in run.warnings if "opening hours" in line]


def test_a_language_without_hours_falls_back_with_a_warning(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    run, text = built(cli, tmp_path, "pl", "Ból kolana")
    assert "Man–fre 8–16" in text
    assert any("no opening hours in 'pl'" in line and "'da'" in line for line in run.warnings)


def test_a_table_of_texts_is_the_only_other_form(cli: Callable[..., Run], tmp_path: Path) -> None:
    clinic = clinic_by_language(tmp_path)
    clinic.write_text(clinic.read_text("utf-8").replace(HOURS, "opening_hours = 7"), "utf-8")
    source = tmp_path / "knae.md"
    source.write_text(f"---\ntitle: Knæ\n---\n{BODY}", encoding="utf-8")
    run = cli("build", source, "-o", tmp_path / "x.pdf", "--clinic", clinic)
    assert run.code == 1
    assert "opening_hours" in run.err and "table of texts by language" in run.err
