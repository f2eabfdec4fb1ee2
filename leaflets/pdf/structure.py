"""Repairs to WeasyPrint's structure tree where it breaks PDF/UA-1's rules for lists and tables.

WeasyPrint 70 tags a list item's paragraphs straight under its LI (a loose list, or a list in
a table cell), and gives table header cells no /Scope (its issue #2508). Both are mended on
WeasyPrint's own objects just before they are written.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# The only children PDF/UA-1 allows a list item.
LIST_ITEM_PARTS = frozenset({"/Lbl", "/LBody"})


def repair_structure(pdf: Any) -> None:
    """Make every list item hold only Lbl and LBody, and give every table header a scope."""
    elements = list(structure_elements(pdf))
    for element in elements:
        if element.get("S") == "/LI":
            wrap_list_item_body(pdf, element)
        elif element.get("S") == "/TH":
            scope_header_cell(pdf, element)


def structure_elements(pdf: Any) -> Iterator[Any]:
    """Every structure element among the PDF's objects."""
    for item in pdf.objects:
        if isinstance(item, dict) and item.get("Type") == "/StructElem":
            yield item


def wrap_list_item_body(pdf: Any, item: Any) -> None:
    """Gather an LI's children other than its label into one LBody, in their order."""
    kids = _kids(item)
    if all(_role(pdf, kid) in LIST_ITEM_PARTS for kid in kids):
        return
    import pydyf

    body = pydyf.Dictionary(
        {"Type": "/StructElem", "S": "/LBody", "P": item.reference, "K": pydyf.Array()}
    )
    if "Pg" in item:
        body["Pg"] = item["Pg"]
    pdf.add_object(body)
    labels = []
    for kid in kids:
        if _role(pdf, kid) == "/Lbl":
            labels.append(kid)
        elif _role(pdf, kid) == "/LBody":
            _adopt(pdf, body, _kids(_element(pdf, kid)))
        else:
            _adopt(pdf, body, [kid])
    if any(isinstance(kid, int) for kid in body["K"]):
        _repoint_parent_tree(pdf, item, body)
    item["K"] = pydyf.Array([*labels, body.reference])


def scope_header_cell(pdf: Any, cell: Any) -> None:
    """/Scope /Column for a header cell in a table's first row, /Row for any other."""
    import pydyf

    attributes = cell.get("A")
    if not isinstance(attributes, dict):
        attributes = cell["A"] = pydyf.Dictionary({"O": "/Table"})
    if "Scope" not in attributes:
        attributes["Scope"] = "/Column" if _in_first_row(pdf, cell) else "/Row"


def _in_first_row(pdf: Any, cell: Any) -> bool:
    """Whether the cell's row is the first row of its table (or of its THead)."""
    row = _element(pdf, cell["P"])
    group = _element(pdf, row["P"])
    if group.get("S") == "/THead":
        return True
    rows = [kid for kid in _kids(group) if _role(pdf, kid) == "/TR"]
    if group.get("S") == "/TBody" and _has_head(pdf, group):
        return False
    return bool(rows) and rows[0] == row.reference


def _has_head(pdf: Any, body: Any) -> bool:
    table = _element(pdf, body["P"])
    return any(_role(pdf, kid) == "/THead" for kid in _kids(table))


def _adopt(pdf: Any, parent: Any, kids: list[Any]) -> None:
    for kid in kids:
        if isinstance(kid, bytes):
            _element(pdf, kid)["P"] = parent.reference
        parent["K"].append(kid)


def _repoint_parent_tree(pdf: Any, old: Any, new: Any) -> None:
    """Marked content that belonged to `old` itself now belongs to `new`."""
    root = _element(pdf, pdf.catalog["StructTreeRoot"])
    nums = _element(pdf, root["ParentTree"])["Nums"]
    for value in nums[1::2]:
        if isinstance(value, list):
            value[:] = [new.reference if entry == old.reference else entry for entry in value]


def _kids(element: Any) -> list[Any]:
    kids = element.get("K", [])
    return list(kids) if isinstance(kids, list) else [kids]


def _role(pdf: Any, kid: Any) -> str:
    """The structure type of a child that is an element; '' for marked content."""
    if not isinstance(kid, bytes):
        return ""
    role = _element(pdf, kid).get("S")
    return role if isinstance(role, str) else ""


def _element(pdf: Any, reference: Any) -> Any:
    """The object behind an indirect reference such as b'12 0 R'."""
    text = reference.decode("ascii") if isinstance(reference, bytes) else str(reference)
    return pdf.objects[int(text.split()[0])]
