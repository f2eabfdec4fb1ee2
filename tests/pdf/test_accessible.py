"""Accessible and archival PDFs, read back with pikepdf and poppler: tags, language, XMP, size."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
import segno

from leaflets.article.model import load_article
from leaflets.cli.main import main
from leaflets.config.defaults import TEMPLATES_DIR

from ..conftest import EXAMPLE

SIZE_BUDGET = 100_000  # bytes, for the example leaflet with fonts, logo and QR code
PDFUAID = "http://www.aiim.org/pdfua/ns/id/"
PDFAID = "http://www.aiim.org/pdfa/ns/id/"
XMP_DATES = ("{http://ns.adobe.com/xap/1.0/}CreateDate", "{http://ns.adobe.com/xap/1.0/}ModifyDate")


@pytest.fixture(scope="module")
def archive_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example leaflet built with --pdfa."""
    target = tmp_path_factory.mktemp("pdfa") / "baekkensmerter.pdf"
    assert main(["build", str(EXAMPLE), "-o", str(target), "--pdfa"]) == 0
    return target


def structure_elements(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every structure element reachable from the structure tree root."""
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                yield kid
                stack.append(kid)


def element_counts(path: Path) -> Counter[str]:
    with pikepdf.open(path) as pdf:
        return Counter(str(element.S) for element in structure_elements(pdf))


def xmp(path: Path) -> dict[str, str]:
    """The XMP properties, as attributes or simple elements, keyed '{namespace}name'."""
    with pikepdf.open(path) as pdf:
        root = ET.fromstring(pdf.Root.Metadata.read_bytes())
    found: dict[str, str] = {}
    for element in root.iter():
        found.update(element.attrib)
        if element.text and element.text.strip() and len(element) == 0:
            found.setdefault(element.tag, element.text.strip())
    return found


def test_pdfinfo_says_tagged(example_pdf: Path) -> None:
    info = subprocess.run(["pdfinfo", example_pdf], capture_output=True, text=True, check=True)
    assert "Tagged:          yes" in info.stdout


def test_catalog_is_marked_with_language_and_shown_title(example_pdf: Path) -> None:
    with pikepdf.open(example_pdf) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "da"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo.Title) == "Bækkensmerter"


def test_headings_are_h1_h2_h3(example_pdf: Path) -> None:
    article = load_article(EXAMPLE)
    counts = element_counts(example_pdf)
    assert counts["/H1"] == 1
    # The sections, the FAQ and the clinic's contact panel.
    assert counts["/H2"] == len(article.outline.sections) + 2
    assert counts["/H3"] == len(article.faq)
    assert counts["/P"] > 0


def test_every_font_has_a_font_file(example_pdf: Path) -> None:
    with pikepdf.open(example_pdf) as pdf:
        fonts = [font for page in pdf.pages for font in page.Resources.Font.values()]
        assert fonts
        for font in fonts:
            descriptor = font.DescendantFonts[0].FontDescriptor
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), font.BaseFont


def test_xmp_declares_pdf_ua_with_the_article_dates(example_pdf: Path) -> None:
    properties = xmp(example_pdf)
    assert properties[f"{{{PDFUAID}}}part"] == "1"
    assert f"{{{PDFAID}}}part" not in properties
    # Created when published; modified when last updated.
    assert [properties[key] for key in XMP_DATES] == [
        "2025-02-19T00:00:00Z",
        "2026-11-24T00:00:00Z",
    ]
    assert "{http://ns.adobe.com/xap/1.0/}MetadataDate" not in properties


def test_running_headers_and_footers_are_artifacts(example_pdf: Path) -> None:
    with pikepdf.open(example_pdf) as pdf:
        reachable = {element.objgen for element in structure_elements(pdf)}
        parent_tree = pdf.Root.StructTreeRoot.ParentTree.Nums
        for number, page in enumerate(pdf.pages):
            operations = pikepdf.parse_content_stream(page, "BDC")
            artifacts = [ops for ops, _ in operations if ops[0] == "/Artifact"]
            assert artifacts, f"page {number + 1} has no artifacts"
            assert all(ops[1].Type == "/Pagination" for ops in artifacts)
            owners = parent_tree[2 * number + 1]
            for ops, _ in operations:
                if "/MCID" in ops[1]:
                    assert owners[int(ops[1].MCID)].objgen in reachable


def test_lists_are_tagged_as_lists(cli, article, tmp_path: Path) -> None:
    source = article("---\ntitle: Øvelser\n---\n\nIntro.\n\n## Gør sådan\n\n- Stå\n- Gå\n\n1. Et\n")
    target = tmp_path / "lists.pdf"
    assert cli("build", source, "-o", target).code == 0
    counts = element_counts(target)
    assert counts["/L"] == 2
    assert counts["/LI"] == 3
    assert counts["/LBody"] == 3


def test_images_carry_their_alt_text(cli, article, tmp_path: Path) -> None:
    segno.make("https://example.org/artikel").save(tmp_path / "qr.png", scale=4)
    text = "---\ntitle: Billede\n---\n\nIntro.\n\n## Se her\n\n![QR-kode til artiklen](qr.png)\n"
    target = tmp_path / "image.pdf"
    assert cli("build", article(text), "-o", target).code == 0
    with pikepdf.open(target) as pdf:
        alts = [str(e.Alt) for e in structure_elements(pdf) if e.S == "/Figure"]
    # The article's image, the clinic logo and the QR code to the online article.
    assert sorted(alts) == [
        "Logo for Fysioterapi Søndergade",
        "QR-kode til artiklen",
        "QR-kode til artiklen online: https://fysio-soendergade.dk/artikler/article",
    ]


@pytest.mark.engine_warnings
def test_an_image_without_alt_text_is_a_warning(cli, article, tmp_path: Path) -> None:
    segno.make("https://example.org").save(tmp_path / "qr.png", scale=4)
    text = "---\ntitle: Billede\n---\n\nIntro.\n\n## Se her\n\n![](qr.png)\n"
    result = cli("build", article(text), "-o", tmp_path / "image.pdf")
    assert result.code == 0
    assert any("no required alt description" in line for line in result.warnings)


def test_pdfa_carries_pdfa_and_pdfua_identification(archive_pdf: Path) -> None:
    properties = xmp(archive_pdf)
    assert properties[f"{{{PDFAID}}}part"] == "3"
    assert properties[f"{{{PDFAID}}}conformance"] == "B"
    assert properties[f"{{{PDFUAID}}}part"] == "1"
    # PDF/A accepts the pdfuaid schema only when the file describes it.
    assert properties["{http://www.aiim.org/pdfa/ns/schema#}namespaceURI"] == PDFUAID
    # Created when published; modified when last updated.
    assert [properties[key] for key in XMP_DATES] == [
        "2025-02-19T00:00:00Z",
        "2026-11-24T00:00:00Z",
    ]


def test_pdfa_is_still_tagged_with_an_srgb_output_intent(archive_pdf: Path) -> None:
    with pikepdf.open(archive_pdf) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "da"
        assert [str(intent.S) for intent in pdf.Root.OutputIntents] == ["/GTS_PDFA1"]
        assert not pdf.attachments
    assert element_counts(archive_pdf)["/H1"] == 1


def test_pdfa_builds_are_reproducible(cli, archive_pdf: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.pdf"
    assert cli("build", EXAMPLE, "-o", again, "--pdfa").code == 0
    assert again.read_bytes() == archive_pdf.read_bytes()


def test_example_leaflet_keeps_to_the_size_budget(example_pdf: Path, archive_pdf: Path) -> None:
    assert example_pdf.stat().st_size <= SIZE_BUDGET
    assert archive_pdf.stat().st_size <= SIZE_BUDGET


def test_every_image_in_the_templates_has_alt_text() -> None:
    # The logo, the QR code and any other picture a template adds must say what it shows.
    for path in TEMPLATES_DIR.rglob("*.j2"):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<img\b[^>]*>", text):
            assert re.search(r"\balt=\"[^\"]+\"", tag), f"{path.name}: {tag}"
        if "<svg" in text:
            assert "<title>" in text, f"{path.name}: an inline SVG needs a <title>"
