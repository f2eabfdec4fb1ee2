"""Reading a leaflet's layout back from its real PDF: which block of the HTML sits on which page."""

from __future__ import annotations

import itertools
import re
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pdfplumber
from PIL import Image

MM = 72 / 25.4
EDGE = 5 * MM  # most printers cannot print nearer the paper's edge than this
HEADER_BAND = 30 * MM  # the running header sits above this line on every edition
Word = dict[str, object]
LEAF_TAGS = {"h1", "h2", "h3", "h4", "p", "li"}


@dataclass
class Block:
    """One leaf block of the HTML (heading, paragraph, list item) and where it was printed."""

    tag: str
    text: str
    question: int | None = None  # the FAQ entry a question or answer belongs to
    is_question: bool = False
    pages: list[int] = field(default_factory=list)  # the page of each printed line

    @property
    def is_heading(self) -> bool:
        return self.tag in {"h1", "h2", "h3", "h4"}


def squeeze(text: str) -> str:
    """Letters and digits only: immune to hyphenation, line breaks and list markers."""
    return "".join(char for char in text.lower() if char.isalnum())


class _BlockParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.depth = 0
        self.questions = -1
        self.qa_depth: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += 1
        classes = (dict(attrs).get("class") or "").split()
        if "qa" in classes:
            self.questions += 1
            self.qa_depth = self.depth
        if tag in LEAF_TAGS and self.current is None:
            in_qa = self.qa_depth is not None
            self.current = Block(
                tag,
                "",
                question=self.questions if in_qa else None,
                is_question=in_qa and tag == "h3",
            )
            self.current_depth = self.depth

    def handle_endtag(self, tag: str) -> None:
        if self.current is not None and self.depth == self.current_depth:
            if squeeze(self.current.text):
                self.blocks.append(self.current)
            self.current = None
        if self.qa_depth is not None and self.depth == self.qa_depth:
            self.qa_depth = None
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.current.text += data


def html_blocks(html: str) -> list[Block]:
    """The leaf blocks of the article in the leaflet's body, in reading order."""
    # The clinic's closing panel sets contact details beside a QR code: not running text.
    body = html.split("<body>", 1)[1].split('<aside class="closing"', 1)[0]
    parser = _BlockParser()
    parser.feed(body)
    return parser.blocks


def body_lines(
    pdf_path: Path, margin_top_mm: float, margin_bottom_mm: float
) -> list[tuple[int, str]]:
    """(page number, text) for every line between the running header and the footer."""
    lines = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            top = 0 if number == 1 else margin_top_mm * MM
            body = page.within_bbox((0, top, page.width, page.height - margin_bottom_mm * MM))
            lines += [(number, line["text"]) for line in body.extract_text_lines()]
    return lines


_MARKER = re.compile(r"^\s*(?:\d+\.|•|–)\s*")


def place_blocks(blocks: list[Block], lines: list[tuple[int, str]]) -> list[Block]:
    """Assign each printed line to the block it belongs to, in order."""
    index, seen = 0, ""
    for page, text in lines:
        if index == len(blocks):
            break  # the article is placed; what follows is the closing panel
        if blocks[index].tag == "li" and not seen:
            text = _MARKER.sub("", text)
        if not squeeze(text):
            continue
        block = blocks[index]
        seen += squeeze(text)
        block.pages.append(page)
        assert squeeze(block.text).startswith(seen), f"page {page}: {text!r} is out of order"
        if seen == squeeze(block.text):
            index, seen = index + 1, ""
    assert index == len(blocks), f"not printed: {blocks[index].text!r}"
    return blocks


# A fitted leaflet has smaller margins than the format's own: its body may reach this far
# below the format's bottom margin, while its footer begins further down still.
FITTED_REACH_MM = 3.5


def lowest_ink(page: pdfplumber.page.Page, body_bottom: float) -> float:
    """The bottom of the lowest character, rule, panel or picture of the page's body: what
    starts above `body_bottom` and does not run down into the footer."""
    bottoms = [
        item["bottom"]
        for kind in ("chars", "rects", "images", "lines", "curves")
        for item in getattr(page, kind)
        if item["top"] < body_bottom and item["bottom"] <= body_bottom + FITTED_REACH_MM * MM
    ]
    return max(bottoms, default=0.0)


def blank_at_bottom(pdf_path: Path, margin_bottom_mm: float) -> list[float]:
    """For each page but the last, the share of the page height left blank above the footer."""
    shares = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages[:-1]:
            body_bottom = page.height - margin_bottom_mm * MM
            shares.append(max(0.0, body_bottom - lowest_ink(page, body_bottom)) / page.height)
    return shares


def smallest_type(pdf_path: Path) -> float:
    """The size in points of the smallest character printed, anywhere on any page."""
    with pdfplumber.open(pdf_path) as pdf:
        return min(
            (
                round(char["size"], 2)
                for page in pdf.pages
                for char in page.chars
                if char["text"].strip()
            ),
            default=0.0,
        )


def ink_near_edge(pdf_path: Path, dpi: int = 50) -> list[int]:
    """The pages with ink nearer than 5 mm to the paper's edge, read off each page as printed
    (pdftoppm): WeasyPrint draws a border as a clipped box, which the PDF's shapes overstate."""
    band = round(EDGE / 72 * dpi)
    found = []
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf_path), f"{folder}/page"],
            check=True,
        )
        for number, picture in enumerate(sorted(Path(folder).glob("*.png")), 1):
            with Image.open(picture) as image:
                if _inked_border(image.convert("L"), band):
                    found.append(number)
    return found


def _inked_border(image: Image.Image, band: int) -> bool:
    """Whether anything visibly darker than the paper lies in the border `band` pixels wide
    (anti-aliasing leaves a faint grey, which is not a mark)."""
    width, height = image.size
    masked = image.copy()
    masked.paste(Image.new("L", (width - 2 * band, height - 2 * band), 255), (band, band))
    darkest, _lightest = masked.getextrema()
    return bool(darkest < 200)


def words(page: pdfplumber.page.Page) -> list[Word]:
    return page.extract_words(keep_blank_chars=False, use_text_flow=True, extra_attrs=["size"])


def lines_of(found: Iterable[Word]) -> dict[int, list[Word]]:
    """Words grouped into lines by their bottoms, top line first. A character from a fallback
    font can sit a few points lower on the same line, so bottoms closer than 0.6 of the type
    size are one line."""
    grouped: dict[int, list[Word]] = {}
    last = -1000.0
    for word in sorted(found, key=lambda word: as_float(word["bottom"])):
        bottom, size = as_float(word["bottom"]), as_float(word.get("size", 10))
        if bottom - last > 0.6 * size:
            last = bottom
        grouped.setdefault(round(last), []).append(word)
    return grouped


def header_lines(page: pdfplumber.page.Page) -> int:
    """How many lines the running header takes: the lines from the top of the page set in the
    header's colour and size, down to the first line of the body, which differs in one."""
    top = [
        char
        for char in page.chars
        if char["text"].strip() and as_float(char["bottom"]) < HEADER_BAND
    ]
    lines = [
        {(char["non_stroking_color"], round(as_float(char["size"]), 1)) for char in line}
        for line in lines_of(top).values()
    ]
    if not lines or len(lines[0]) != 1:
        return len(lines[:1])
    return len(list(itertools.takewhile(lambda line: line == lines[0], lines)))


def footer_rule(page: pdfplumber.page.Page) -> float:
    """The top of the footer's rule: the lowest rule a quarter of the page wide or more."""
    rules = [
        as_float(edge["top"])
        for edge in page.horizontal_edges
        if as_float(edge["width"]) > page.width / 4 and as_float(edge["top"]) < page.height - 1
    ]
    return max(rules, default=page.height)


def page_body_lines(page: pdfplumber.page.Page, first: bool) -> list[list[Word]]:
    """The lines of the page's body, top first: above the footer's rule, below the running
    header (which the first page has not)."""
    above = [word for word in words(page) if as_float(word["bottom"]) < footer_rule(page)]
    lines = list(lines_of(above).values())
    return lines if first else lines[header_lines(page) :]


def panel_only_last_page(pdf_path: Path, contact_heading: str = "Kontakt os") -> bool:
    """Whether the last page's body begins with the contact panel: nothing of the article."""
    with pdfplumber.open(pdf_path) as pdf:
        if len(pdf.pages) < 2:
            return False
        lines = page_body_lines(pdf.pages[-1], first=False)
        first = " ".join(str(w["text"]) for w in lines[0]) if lines else ""
        return first.startswith(contact_heading)


def as_float(value: object) -> float:
    return float(value)  # type: ignore[arg-type]
