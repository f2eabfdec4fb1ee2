"""Finishing touches on WeasyPrint's tagged PDF: page furniture as artifacts, PDF/UA in PDF/A."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import Element, SubElement, fromstring, register_namespace, tostring

from leaflets.pdf.structure import repair_structure
from leaflets.pdf.written import Written, written_of

UA_VARIANT = "pdf/ua-1"
ARCHIVE_VARIANT = "pdf/a-3b"

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
for _prefix, _uri in NS.items():
    register_namespace(_prefix, _uri)

XMP_HEADER = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">'
)
XMP_FOOTER = b'</x:xmpmeta>\n<?xpacket end="r"?>'


def pdf_variant(archive: bool) -> str:
    """PDF/UA-1 for every leaflet; PDF/A-3b (still tagged, and declared UA) for the archive."""
    return ARCHIVE_VARIANT if archive else UA_VARIANT


class Finisher:
    """The post-processing WeasyPrint runs on a leaflet PDF before writing it; keeps what it saw."""

    def __init__(self, archive: bool) -> None:
        self.archive = archive
        self.written: Written | None = None

    def __call__(self, document: Any, pdf: Any) -> None:
        mark_page_furniture_as_artifacts(pdf)
        repair_structure(pdf)
        declare_reading_direction(document, pdf)
        if self.archive:
            declare_pdfua_in_pdfa(document, pdf)
        leave_metadata_uncompressed(pdf)
        self.written = written_of(document, pdf)


def declare_reading_direction(document: Any, pdf: Any) -> None:
    """Say in the viewer preferences that a right-to-left leaflet reads right to left.

    Viewers then show facing pages the other way round, and a booklet is imposed for binding
    on the right. The page's direction is inherited from the root element's `dir`.
    """
    pages = document.pages
    if not pages or pages[0]._page_box.style["direction"] != "rtl":  # WeasyPrint 70's layout
        return
    preferences = pdf.catalog.get("ViewerPreferences")
    if preferences is None:
        import pydyf

        preferences = pdf.catalog["ViewerPreferences"] = pydyf.Dictionary()
    preferences["Direction"] = "/R2L"


def _object(pdf: Any, reference: bytes | str) -> Any:
    """The pydyf object behind an indirect reference such as b'12 0 R'."""
    text = reference.decode("ascii") if isinstance(reference, bytes) else reference
    return pdf.objects[int(text.split()[0])]


def mark_page_furniture_as_artifacts(pdf: Any) -> None:
    """Turn running headers and footers into /Artifact content.

    WeasyPrint tags margin-box text with MCIDs whose structure elements hang nowhere in the
    tree (PDF 1.7 has no artifact element). Screen readers then meet page numbers that belong
    to no structure; as artifacts they are skipped, as PDF/UA asks.
    """
    if "StructTreeRoot" not in pdf.catalog:
        return
    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    reachable = set(_reachable(pdf, root))
    orphans = [
        item for item in pdf.objects if _is_structure_element(item) and item.number not in reachable
    ]
    by_page: dict[bytes, set[int]] = {}
    for element in orphans:
        for kid in element.get("K", []):
            if isinstance(kid, int):
                by_page.setdefault(element["Pg"], set()).add(kid)
    for page_number, page_reference in enumerate(pdf.page_references):
        mcids = by_page.get(page_reference, set())
        if mcids:
            page = _object(pdf, page_reference)
            _artifact_marked_content(_object(pdf, page["Contents"]), mcids)
            _forget_in_parent_tree(pdf, root, page_number, mcids)
    for element in orphans:
        element.clear()


def _reachable(pdf: Any, node: Any) -> Iterator[int]:
    """Object numbers of the structure elements below `node`."""
    kids = node.get("K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        if isinstance(kid, bytes) and kid.endswith(b" R"):
            child = _object(pdf, kid)
            if _is_structure_element(child):
                yield child.number
                yield from _reachable(pdf, child)


def _is_structure_element(item: Any) -> bool:
    return isinstance(item, dict) and item.get("Type") == "/StructElem"


def _artifact_marked_content(stream: Any, mcids: set[int]) -> None:
    """Rewrite `/Span <</MCID n>> BDC` as `/Artifact <</Type /Pagination>> BDC` for `mcids`."""
    import pydyf

    operations = stream.stream
    for index, item in enumerate(operations):
        if (
            isinstance(item, dict)
            and item.get("MCID") in mcids
            and index > 0
            and index + 1 < len(operations)
            and operations[index + 1] == b"BDC"
        ):
            operations[index - 1] = "/Artifact"
            operations[index] = pydyf.Dictionary({"Type": "/Pagination"})


def _forget_in_parent_tree(pdf: Any, root: Any, page_number: int, mcids: set[int]) -> None:
    """Drop the artifacts' entries from the page's MCID-to-element map."""
    nums = _object(pdf, root["ParentTree"])["Nums"]
    for key, value in zip(nums[::2], nums[1::2], strict=True):
        if key == page_number:
            for mcid in mcids:
                if mcid < len(value):
                    value[mcid] = "null"


def leave_metadata_uncompressed(pdf: Any) -> None:
    """Write the XMP metadata as plain text: PDF/A-1 forbids a filter on it, and every reader
    (search engines and archives among them) finds it there without inflating anything."""
    if "Metadata" in pdf.catalog:
        _object(pdf, pdf.catalog["Metadata"]).compress = False


def declare_pdfua_in_pdfa(document: Any, pdf: Any) -> None:
    """Add the PDF/UA-1 identification to a PDF/A file's XMP, with the schema PDF/A asks for."""
    rdf = fromstring(document.metadata.generate_rdf_metadata("a", 3, "B"))
    ua = SubElement(rdf, f"{{{NS['rdf']}}}Description", {f"{{{NS['rdf']}}}about": ""})
    SubElement(ua, f"{{{NS['pdfuaid']}}}part").text = "1"
    rdf.append(_pdfuaid_extension_schema())
    packet = b"\n".join((XMP_HEADER, tostring(rdf, encoding="utf-8"), XMP_FOOTER))
    _object(pdf, pdf.catalog["Metadata"]).stream = [packet]


def _pdfuaid_extension_schema() -> Element:
    """PDF/A allows only predefined XMP schemas unless the file describes the others."""
    rdf = NS["rdf"]
    description = Element(f"{{{rdf}}}Description", {f"{{{rdf}}}about": ""})
    schemas = SubElement(description, f"{{{NS['pdfaExtension']}}}schemas")
    bag = SubElement(schemas, f"{{{rdf}}}Bag")
    schema = SubElement(bag, f"{{{rdf}}}li", {f"{{{rdf}}}parseType": "Resource"})
    _text(schema, "pdfaSchema", "schema", "PDF/UA identification schema")
    _text(schema, "pdfaSchema", "namespaceURI", NS["pdfuaid"])
    _text(schema, "pdfaSchema", "prefix", "pdfuaid")
    properties = SubElement(SubElement(schema, f"{{{NS['pdfaSchema']}}}property"), f"{{{rdf}}}Seq")
    part = SubElement(properties, f"{{{rdf}}}li", {f"{{{rdf}}}parseType": "Resource"})
    _text(part, "pdfaProperty", "name", "part")
    _text(part, "pdfaProperty", "valueType", "Integer")
    _text(part, "pdfaProperty", "category", "internal")
    _text(
        part,
        "pdfaProperty",
        "description",
        "Indicates, which part of ISO 14289 standard is followed",
    )
    return description


def _text(parent: Element, prefix: str, name: str, value: str) -> None:
    SubElement(parent, f"{{{NS[prefix]}}}{name}").text = value
