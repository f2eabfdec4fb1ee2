"""Every kind of PDF the tool writes, proven PDF/UA-1 (and PDF/A-3b for the archive) by a
validator that passes the veraPDF corpus: page-validation, not our own reading of the PDF."""

from __future__ import annotations

import email
import shutil
from pathlib import Path

import pytest
from page import validate_pdf

from leaflets.api import BuildOptions, Personal, load_profile, private_copy, send_leaflet
from leaflets.cli.main import main
from leaflets.config.defaults import CLINIC_FILE, PROJECT_ROOT

from ..conftest import CORPUS, EXAMPLE
from ..variants import VARIANTS, build_variant

TRANSLATIONS = PROJECT_ROOT / "tests" / "fixtures" / "translations"


def failed_rules(pdf: Path, profile: str = "ua1") -> list[str]:
    """The ids of the rules `pdf` breaks under `profile`; empty when it conforms."""
    report = validate_pdf(str(pdf), profile=profile)
    return sorted({failure.rule_id for failure in report.failures})


def assert_conforms(pdfs: list[Path], profile: str = "ua1") -> None:
    """Each PDF conforms; a failure names every file and the rules it breaks."""
    broken = {pdf.name: rules for pdf in pdfs if (rules := failed_rules(pdf, profile))}
    assert not broken, f"{profile} fails: {broken}"


@pytest.mark.parametrize("variant", sorted(set(VARIANTS) - {"booklet"}))
def test_every_edition_of_the_example_is_pdf_ua(variant: str, tmp_path: Path) -> None:
    assert_conforms([build_variant(variant, tmp_path)])


def test_a_validator_failure_names_the_file_and_the_rule(tmp_path: Path) -> None:
    untagged = tmp_path / "untagged.pdf"
    import weasyprint

    weasyprint.HTML(string="<p>Ingen struktur</p>").write_pdf(untagged)
    with pytest.raises(AssertionError, match=r"untagged\.pdf.*PDFUA1-TAGGED-DOCUMENT-001"):
        assert_conforms([untagged])


def test_a_booklet_sent_to_a_patient_is_the_tagged_reading_order(tmp_path: Path) -> None:
    copy = tmp_path / "booklet.eml"
    send_leaflet(
        EXAMPLE,
        load_profile(),
        ["patient@example.org"],
        send=False,
        eml=copy,
        options=BuildOptions(booklet=True),
    )
    message = email.message_from_bytes(copy.read_bytes())
    (attachment,) = [
        part for part in message.walk() if part.get_content_type() == "application/pdf"
    ]
    pdf = tmp_path / "attached.pdf"
    pdf.write_bytes(attachment.get_payload(decode=True))
    assert_conforms([pdf])
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        first = document.pages[0]
        assert first.width < first.height  # A5 pages in reading order, not imposed sheets


def test_the_index_is_pdf_ua(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    shutil.copy(EXAMPLE, articles)
    assert main(["build", str(articles), "-o", str(tmp_path / "out")]) == 0
    assert_conforms([tmp_path / "out" / "index.pdf"])


def test_a_personal_copy_is_pdf_ua() -> None:
    personal = Personal(note="Husk øvelserne morgen og aften.", patient="Anna Jensen")
    with private_copy(EXAMPLE, load_profile(), BuildOptions(), personal) as outcome:
        assert outcome.target is not None
        assert_conforms([outcome.target])


def test_every_translation_is_pdf_ua(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    shutil.copy(EXAMPLE, articles)
    for translation in sorted(TRANSLATIONS.glob("*.md")):
        shutil.copy(translation, articles)
    assert main(["build", str(articles), "-o", str(tmp_path / "out")]) == 0
    built = sorted((tmp_path / "out").glob("baekkensmerter.*.pdf"))
    assert {pdf.stem.split(".")[-1] for pdf in built} >= {"ar", "en", "pl", "uk"}
    assert_conforms(built)


def test_the_archive_copy_is_pdf_a_3b_and_pdf_ua(tmp_path: Path) -> None:
    target = tmp_path / "archive.pdf"
    assert main(["build", str(EXAMPLE), "-o", str(target), "--pdfa"]) == 0
    assert_conforms([target], "pdfa-3b")
    assert_conforms([target], "ua1")


def test_loose_and_nested_lists_tables_and_skipped_headings_pass(article, tmp_path: Path) -> None:
    source = article(
        "---\ntitle: Lister\ndatePublished: 2025-01-01\n---\n\n## Øvelser\n\n"
        "- Første punkt\n\n  med et afsnit mere\n\n- Andet punkt\n  1. indlejret\n\n"
        "     med afsnit\n\n## Tabel\n\n| Øvelse | Gentagelser |\n|---|---|\n| Bro | 10 |\n\n"
        "## Overskrift\n\n#### For dybt\n\nTekst.\n"
    )
    target = tmp_path / "lists.pdf"
    assert main(["build", str(source), "-o", str(target)]) == 0
    assert_conforms([target])


@pytest.mark.slow
@pytest.mark.corpus
def test_every_article_of_the_shared_corpus_is_pdf_ua(tmp_path: Path) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS} (it ships with CI, not with the repo)")
    articles = tmp_path / "articles"
    articles.mkdir()
    for source in sorted(CORPUS.rglob("*.md")):
        if source.name != "SOURCES.md":
            (articles / source.name).symlink_to(source)
    profile = CLINIC_FILE.read_text(encoding="utf-8")
    clinic = tmp_path / "clinic.toml"
    clinic.write_text(profile.replace('logo = "', f'logo = "{PROJECT_ROOT}/'), encoding="utf-8")
    out = tmp_path / "out"
    main(["build", str(articles), "-o", str(out), "--clinic", str(clinic), "-j", "2"])
    built = sorted(out.glob("*.pdf"))
    assert len(built) >= 70
    assert_conforms(built)


def test_every_table_header_cell_says_what_it_heads(example_pdf: Path) -> None:
    import pikepdf

    with pikepdf.open(example_pdf) as pdf:
        scopes = [
            str(item.A.get("/Scope"))
            for item in pdf.objects
            if isinstance(item, pikepdf.Dictionary) and item.get("/S") == "/TH"
        ]
    assert scopes, "the contact panel has header cells"
    assert set(scopes) <= {"/Column", "/Row"}, scopes


def test_the_xmp_metadata_is_plain_text(example_pdf: Path) -> None:
    import pikepdf

    with pikepdf.open(example_pdf) as pdf:
        assert "/Filter" not in pdf.Root.Metadata
        assert b"pdfuaid:part" in pdf.Root.Metadata.read_raw_bytes()
