"""Reference lists printed as one paragraph of sources, without addresses, checked in the PDF."""

from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader

from leaflets.article.references import names_reference_list, shorten_references, source_name

from ..conftest import Run

Found = list[tuple[int, str]]


def shortened(text: str, heading: str = "Kilder") -> tuple[str, Found]:
    found: Found = []
    out = shorten_references(text, heading, lambda line, what: found.append((line, what)))
    return out, found


NUMBERED = """## Øvelser

Bøj knæet.

## Referenceliste

1. Spinal stenosis – Symptoms and causes.
[ www.mayoclinic.org](http://www.mayoclinic.org/diseases-conditions/spinal-stenosis)
2. Exercise therapy versus surgery for lumbar spinal stenosis. \\
[ www.ncbi.nlm.nih.gov](http://www.ncbi.nlm.nih.gov/pmc/articles/PMC6115590/)
3. [www.sundhed.dk](https://www.sundhed.dk/borger/patienthaandbogen/)

## Kontakt

Ring til os.
"""


def test_a_numbered_list_becomes_one_paragraph_of_titles_under_kilder() -> None:
    out, found = shortened(NUMBERED)
    assert out.split("\n")[4:7] == [
        "## Kilder",
        "Spinal stenosis – Symptoms and causes; Exercise therapy versus surgery for lumbar "
        "spinal stenosis; sundhed.dk.",
        "",
    ]
    assert "http" not in out and "www." not in out
    assert "## Kontakt\n\nRing til os." in out
    assert out.count("\n") == NUMBERED.count("\n")
    assert found == [(5, "reference list addresses; 3 sources printed as one paragraph")]


def test_paragraph_entries_and_a_bold_heading() -> None:
    text = (
        "**Referencer**\n\n"
        "Migræne – Patienthåndbogen. [www.sundhed.dk](https://www.sundhed.dk)\n\n"
        "Migræne og behandling. [www.herlevhospital.dk](https://www.herlevhospital.dk)\n\n"
        "Migræne – Patienthåndbogen. [www.sundhed.dk](https://www.sundhed.dk/x)\n"
    )
    out, found = shortened(text, "Sources")
    assert out.split("\n")[:3] == [
        "**Sources**",
        "",
        "Migræne – Patienthåndbogen; Migræne og behandling.",
    ]
    assert [line for line, _what in found] == [1]


def test_an_entry_is_named_by_its_title_else_by_its_domain() -> None:
    assert source_name("[Why We Sleep](https://sleepdiplomat.com/book)") == "Why We Sleep"
    assert source_name("<https://doi.org/10.1123/japa.16.1.97>") == "doi.org"
    assert source_name("Walker. “Sleep”. 2008. <https://doi.org/1>.") == "Walker. “Sleep”. 2008"
    assert (
        source_name("[ www.pubmed.ncbi.nlm.nih.gov](http://x.org/1)") == "pubmed.ncbi.nlm.nih.gov"
    )


def test_headings_in_any_known_language_name_a_reference_list() -> None:
    for heading in ("Kilder", "Referencer om restitution", "References", "Sources:", "Quellen"):
        assert names_reference_list(heading), heading
    assert not names_reference_list("Kildevand")
    assert not names_reference_list("Øvelser")


def test_a_list_under_such_a_heading_without_addresses_is_left_alone() -> None:
    text = "## Kilder til protein\n\n- Bønner\n- Linser\n- Æg\n"
    assert shortened(text) == (text, [])


ARTICLE = """---
title: Ondt i ryggen
datePublished: 19/02/2025
lang: en
---

Keep moving.

## References

- Low back pain. [www.nhs.uk](https://www.nhs.uk/conditions/back-pain/)
- [Exercise for back pain](https://pubmed.ncbi.nlm.nih.gov/12345/)
"""


def test_the_printed_leaflet_lists_the_sources_without_addresses(
    article: Callable[[str, str], Path], cli: Callable[..., Run], tmp_path: Path
) -> None:
    source = article(ARTICLE, "back.md")
    target = tmp_path / "back.pdf"
    run = cli("build", source, "-o", target)
    assert run.code == 0, run.err
    assert any(":9: reference list addresses" in line for line in run.warnings), run.warnings
    text = "\n".join(page.extract_text() or "" for page in PdfReader(target).pages)
    sources = text.split("Sources", 1)[1].split("Contact us", 1)[0]
    assert "Low back pain; Exercise for back pain." in " ".join(sources.split())
    assert "http" not in sources and "nhs.uk" not in sources and "pubmed" not in sources
