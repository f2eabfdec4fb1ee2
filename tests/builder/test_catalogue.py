"""Folder builds: parallel, incremental, one failure reported, and the catalogue index."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from leaflets.builder.manifest import MANIFEST_NAME

from ..conftest import CORPUS, EXAMPLE, PROJECT_ROOT

CATALOGUE_SIZE = 24


def copy_catalogue(corpus: Path, folder: Path, size: int = CATALOGUE_SIZE) -> list[Path]:
    """The example plus real corpus articles, `size` in all, with distinct names."""
    folder.mkdir(parents=True, exist_ok=True)
    copied = [Path(shutil.copy(EXAMPLE, folder / EXAMPLE.name))]
    for path in sorted(corpus.rglob("*.md")):
        if len(copied) == size:
            break
        if path.name != "SOURCES.md" and not (folder / path.name).exists():
            copied.append(Path(shutil.copy(path, folder / path.name)))
    assert len(copied) == size
    return copied


def built_lines(out: str) -> list[str]:
    """The `built ...` lines of a run."""
    return [line for line in out.splitlines() if line.startswith("built ")]


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The CLI in a fresh interpreter, reporting whether WeasyPrint was imported."""
    code = (
        "import sys; from leaflets.cli.main import main; code = main(sys.argv[1:]); "
        "print('weasyprint imported:', 'weasyprint' in sys.modules); sys.exit(code)"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """24 real articles built once in parallel: (articles folder, output folder)."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS} (it ships with CI, not with the repo)")
    root = tmp_path_factory.mktemp("catalogue")
    copy_catalogue(CORPUS, root / "articles")
    clinic = root / "clinic.toml"
    clinic.write_text(
        '[clinic]\nname = "Klinik Test"\n'
        '[leaflets]\nbase_url = "https://klinik.example/foldere"\nid_prefix = "KT"\n',
        encoding="utf-8",
    )
    result = run_cli("build", root / "articles", "-o", root / "out", "-j", "2", "--clinic", clinic)
    assert result.returncode == 0, result.stderr
    assert len(built_lines(result.stdout)) == CATALOGUE_SIZE + 1  # and the index
    return root / "articles", root / "out"


@pytest.mark.slow
@pytest.mark.corpus
def test_a_folder_of_24_articles_builds_in_parallel(catalogue: tuple[Path, Path]) -> None:
    articles, out = catalogue
    expected = {f"{source.stem}.pdf" for source in articles.glob("*.md")} | {"index.pdf"}
    assert {pdf.name for pdf in out.glob("*.pdf")} == expected
    for pdf in out.glob("*.pdf"):
        with pdfplumber.open(pdf) as document:
            assert document.pages, pdf
            assert document.pages[0].extract_text().strip(), pdf
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert len(manifest["leaflets"]) == CATALOGUE_SIZE
    assert all(not key.startswith("/") for key in manifest["leaflets"])


@pytest.mark.slow
@pytest.mark.corpus
def test_the_index_lists_every_leaflet_with_reference_review_date_and_qr(
    catalogue: tuple[Path, Path],
) -> None:
    _articles, out = catalogue
    with pdfplumber.open(out / "index.pdf") as document:
        assert 1 <= len(document.pages) <= 2
        text = "\n".join(page.extract_text() for page in document.pages)
        drawn = sum(len(page.rects) + len(page.curves) + len(page.lines) for page in document.pages)
    assert "Patientfoldere" in text
    assert "Bækkensmerter" in text
    # Newest date 19/02/2025 plus the default 36 months.
    assert "Revideres senest: 19. februar 2028" in text
    # None of these articles has an `id`: each goes by its slug, as its PDF does.
    assert "Ref. baekkensmerter" in text
    assert drawn > 0  # the QR codes are vector paths, not images


@pytest.mark.slow
@pytest.mark.corpus
def test_every_qr_code_of_the_index_reads_back_as_its_leaflets_address(
    catalogue: tuple[Path, Path], tmp_path: Path
) -> None:
    out = catalogue[1]
    # 100 dpi: a rough print or a small view on a screen still reads.
    subprocess.run(["pdftoppm", "-r", "100", "-png", out / "index.pdf", tmp_path / "p"], check=True)
    found = subprocess.run(
        ["zbarimg", "--quiet", "--raw", *sorted(tmp_path.glob("p*.png"))],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    leaflets = json.loads((out / MANIFEST_NAME).read_text("utf-8"))["leaflets"].values()
    assert sorted(found) == sorted(entry["standard"]["info"]["online"] for entry in leaflets)


@pytest.mark.slow
@pytest.mark.corpus
def test_a_no_op_rebuild_imports_no_weasyprint_and_writes_nothing(
    catalogue: tuple[Path, Path],
) -> None:
    articles, out = catalogue
    before = {path.name: path.stat().st_mtime_ns for path in out.iterdir()}
    clinic = articles.parent / "clinic.toml"
    result = run_cli("build", articles, "-o", out, "--clinic", clinic)
    assert result.returncode == 0, result.stderr
    assert built_lines(result.stdout) == []
    assert f"up to date: {CATALOGUE_SIZE} of {CATALOGUE_SIZE} leaflets" in result.stdout
    assert "weasyprint imported: False" in result.stdout
    assert {path.name: path.stat().st_mtime_ns for path in out.iterdir()} == before


@pytest.mark.slow
@pytest.mark.corpus
def test_editing_one_article_rebuilds_only_that_one(catalogue: tuple[Path, Path]) -> None:
    articles, out = catalogue
    clinic = articles.parent / "clinic.toml"
    source = articles / EXAMPLE.name
    others = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    others.pop("baekkensmerter.pdf")
    source.write_text(
        source.read_text(encoding="utf-8") + "\nEt nyt afsnit om hvile.\n", encoding="utf-8"
    )
    result = run_cli("build", articles, "-o", out, "--clinic", clinic)
    assert result.returncode == 0, result.stderr
    # The index shows the leaflet's title, reference and dates, not its text: it stays.
    assert built_lines(result.stdout) == [f"built {out / 'baekkensmerter.pdf'}"]
    assert {name: (out / name).stat().st_mtime_ns for name in others} == others
    with pdfplumber.open(out / "baekkensmerter.pdf") as document:
        assert "Et nyt afsnit om hvile." in "".join(p.extract_text() for p in document.pages)


@pytest.mark.slow
@pytest.mark.corpus
def test_a_new_title_is_in_the_index_laid_out_again(catalogue: tuple[Path, Path]) -> None:
    """The index is laid out while the leaflets build, with the lines it showed; a title that
    changed has it laid out again, never the early one put in place."""
    articles, out = catalogue
    clinic = articles.parent / "clinic.toml"
    source = articles / EXAMPLE.name
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("\ntitle: ", "\ntitle: Ondt i bækkenet – ", 1), "utf-8")
    try:
        for force in ([], ["--force"]):
            result = run_cli("build", articles, "-o", out, "--clinic", clinic, *force)
            assert result.returncode == 0, result.stderr
            assert f"built {out / 'index.pdf'}" in built_lines(result.stdout)
            with pdfplumber.open(out / "index.pdf") as document:
                shown = " ".join(" ".join(p.extract_text().split()) for p in document.pages)
            assert "Ondt i bækkenet" in shown
    finally:
        source.write_text(text, encoding="utf-8")


def test_force_a_changed_style_or_a_lost_pdf_rebuilds(cli, tmp_path: Path) -> None:
    source = Path(shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name))
    out = tmp_path / "out"
    out.mkdir()
    assert built_lines(cli("build", source, "-o", out).out) == [f"built {out / source.stem}.pdf"]
    assert built_lines(cli("build", source, "-o", out).out) == []
    assert built_lines(cli("build", source, "-o", out, "--force").out) != []
    (out / "baekkensmerter.pdf").unlink()
    assert built_lines(cli("build", source, "-o", out).out) != []
    (out / "baekkensmerter.pdf").write_bytes(b"%PDF- tampered")
    assert built_lines(cli("build", source, "-o", out).out) != []
    assert built_lines(cli("build", source, "-o", out, "--large-print").out) != []


def test_a_changed_image_rebuilds_the_article_that_uses_it(cli, tmp_path: Path) -> None:
    image = tmp_path / "figur.svg"
    image.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<rect width="10" height="10" fill="#000"/></svg>',
        encoding="utf-8",
    )
    source = tmp_path / "figur.md"
    source.write_text("---\ntitle: Figur\n---\nTekst.\n\n![En figur](figur.svg)\n", "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    assert cli("build", source, "-o", out).code == 0
    assert built_lines(cli("build", source, "-o", out).out) == []
    image.write_text(image.read_text(encoding="utf-8").replace("#000", "#333"), "utf-8")
    assert built_lines(cli("build", source, "-o", out).out) == [f"built {out / 'figur.pdf'}"]


def test_a_folder_with_one_broken_article_builds_the_rest_and_fails(cli, tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    shutil.copy(EXAMPLE, articles / EXAMPLE.name)
    (articles / "ankel.md").write_text("---\ntitle: Ankel\n---\nOm anklen.\n", "utf-8")
    (articles / "broken.md").write_text("---\ntitle: [unclosed\n---\nTekst.\n", "utf-8")
    out = tmp_path / "out"
    result = cli("build", articles, "-o", out, "-j", "2")
    assert result.code == 1
    assert len(result.errors) == 1
    broken = articles / "broken.md"
    assert result.errors[0].startswith(f"error: {broken}: front matter is not valid")
    assert (out / "baekkensmerter.pdf").is_file()
    assert (out / "ankel.pdf").is_file()
    assert not (out / "broken.pdf").exists()
    assert (out / "index.pdf").is_file()
    again = cli("build", articles, "-o", out)
    assert again.code == 1  # the broken one is tried again, the good ones are not
    assert built_lines(again.out) == []


def _two_articles(folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / EXAMPLE.name)
    (folder / "ankel.md").write_text("---\ntitle: Ankel\n---\nOm anklen.\n", "utf-8")
    return folder


def test_plain_lines_when_output_is_not_a_terminal(tmp_path: Path) -> None:
    articles = _two_articles(tmp_path / "articles")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, PROJECT_ROOT / "make_leaflet.py", "build", articles, "-o", out, "-j1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"built {out / 'ankel.pdf'}",
        f"built {out / 'baekkensmerter.pdf'}",
        f"built {out / 'index.pdf'}",
    ]


def test_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    import pty

    articles = _two_articles(tmp_path / "articles")
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, PROJECT_ROOT / "make_leaflet.py", "build", articles, "-o", tmp_path / "o"],
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "TERM": "xterm", "COLUMNS": "100"},
    )
    os.close(follower)
    shown = b""
    with contextlib.suppress(OSError):
        while chunk := os.read(leader, 4096):
            shown += chunk
    assert process.wait(timeout=120) == 0
    os.close(leader)
    assert b"Building leaflets" in shown
    assert b"built " in shown


def test_a_no_op_single_leaflet_loads_weasyprint_in_no_process(tmp_path: Path) -> None:
    source = Path(shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name))
    target = tmp_path / "leaflet.pdf"
    command = [sys.executable, "-X", "importtime", PROJECT_ROOT / "make_leaflet.py"]
    first = subprocess.run(
        [*command, "build", source, "-o", target], capture_output=True, text=True, check=False
    )
    assert first.returncode == 0, first.stderr
    assert "| weasyprint\n" in first.stderr  # -X importtime reports workers' imports too
    again = subprocess.run(
        [*command, "build", source, "-o", target], capture_output=True, text=True, check=False
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout == "up to date: 1 of 1 leaflets\n"
    assert "weasyprint" not in again.stderr
