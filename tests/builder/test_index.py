"""The catalogue index: titles, references, review dates and QR codes that scan."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pdfplumber

from ..conftest import EXAMPLE


def test_the_index_lists_each_leaflet_and_its_codes_scan(cli, tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    shutil.copy(EXAMPLE, articles / EXAMPLE.name)
    (articles / "ankel.md").write_text(
        "---\ntitle: Forstuvet ankel\nid: 17\n"
        "datePublished: 2023-05-02\nlastUpdated: 2024-01-31\n---\nOm anklen.\n",
        "utf-8",
    )
    clinic = tmp_path / "clinic.toml"
    clinic.write_text(
        '[clinic]\nname = "Klinik Test"\n[leaflets]\nbase_url = "https://klinik.example/f/"\n'
        'id_prefix = "KT"\nreview_months = 25\n',
        "utf-8",
    )
    out = tmp_path / "out"
    result = cli("build", articles, "-o", out, "--clinic", clinic)
    assert result.code == 0, result.err
    with pdfplumber.open(out / "index.pdf") as document:
        assert len(document.pages) == 1
        text = document.pages[0].extract_text()
        words = {word["text"]: word for word in document.pages[0].extract_words()}
    assert "Patientfoldere" in text and "Klinik Test".upper() in text
    assert "Forstuvet ankel" in text and "Ref. KT-017" in text
    assert "Revideres senest: 28. februar 2026" in text  # 31 Jan 2024 + 25 months, clamped
    # The example, updated 24 November 2026, plus 25 months: its year may wrap in the column.
    assert "Revideres senest: 24. december" in text and "2028" in text
    assert "Ref. baekkensmerter" in text  # the example has no `id`: it goes by its slug
    first, second = words["Bækkensmerter"], words["Forstuvet"]  # reading order: æ after z
    assert (first["top"], first["x0"]) < (second["top"], second["x0"]) or first["x0"] < second["x0"]
    assert "2 foldere" in text
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", out / "index.pdf", tmp_path / "page"], check=True
    )
    scanned = subprocess.run(
        ["zbarimg", "-q", "--raw", tmp_path / "page-1.png"], capture_output=True, text=True
    ).stdout.split()
    assert sorted(scanned) == [
        "https://klinik.example/f/ankel",  # the same online address as on the leaflet
        "https://klinik.example/f/baekkensmerter",
    ]


def test_without_a_web_address_the_index_has_no_codes_and_says_why(cli, tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    shutil.copy(EXAMPLE, articles / EXAMPLE.name)
    clinic = tmp_path / "clinic.toml"
    clinic.write_text('[clinic]\nname = "Klinik Test"\n', "utf-8")
    assert cli("build", articles, "-o", tmp_path / "out", "--clinic", clinic).code == 0
    with pdfplumber.open(tmp_path / "out" / "index.pdf") as document:
        text = document.pages[0].extract_text()
    assert "Spørg i receptionen" in text
    assert "1 folder · Ingen netadresse" in text
