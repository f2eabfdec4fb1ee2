"""A translation's QR code and printed address lead to the source's page online."""

import subprocess
from collections.abc import Callable
from pathlib import Path

import pdfplumber

from ..conftest import Run

BODY = "\n## Om smerterne\n\nSmerterne går ofte over af sig selv.\n"
SOURCE_PAGE = "https://fysio-soendergade.dk/artikler/knae"


def write_pair(folder: Path, translation_front: str = "") -> Path:
    (folder / "knae.md").write_text(f"---\ntitle: Ondt i knæet\n---\n{BODY}", encoding="utf-8")
    english = folder / "knae.en.md"
    text = f"---\ntitle: Knee pain\nlang: en\n{translation_front}---\n{BODY}"
    english.write_text(text, encoding="utf-8")
    return english


def built(cli: Callable[..., Run], source: Path) -> Path:
    target = source.parent / "out" / "knee.pdf"
    run = cli("build", source, "-o", target)
    assert run.code == 0, run.err
    return target


def qr_address(target: Path, folder: Path) -> str:
    with pdfplumber.open(target) as pdf:
        last = len(pdf.pages)
    prefix = folder / "page"
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", str(last), "-l", str(last), target, prefix],
        check=True,
    )
    (image,) = folder.glob("page*.png")
    found = subprocess.run(
        ["zbarimg", "--quiet", "--raw", image], capture_output=True, text=True, check=True
    )
    return found.stdout.strip()


def test_a_translation_points_to_its_sources_page(cli: Callable[..., Run], tmp_path: Path) -> None:
    target = built(cli, write_pair(tmp_path))
    assert qr_address(target, tmp_path) == SOURCE_PAGE
    with pdfplumber.open(target) as pdf:
        text = " ".join((pdf.pages[-1].extract_text() or "").split())
    assert "fysio-soendergade.dk/artikler/knae" in text
    assert "knae.en" not in text


def test_a_translation_with_its_own_url_keeps_it(cli: Callable[..., Run], tmp_path: Path) -> None:
    target = built(cli, write_pair(tmp_path, "url: https://example.org/en/knee\n"))
    assert qr_address(target, tmp_path) == "https://example.org/en/knee"
