"""What a print designer counts on a finished leaflet, read back from its real PDF.

Each function takes one PDF and answers one question of `make pages`: furniture on two lines,
marks near the edge, characters per body line, dates in an impossible order, raw Markdown,
tables past the text area, words broken across a page turn, a last page holding only the
contact panel.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import statistics
from pathlib import Path

import pdfplumber
from babel import dates

from tests.layout import (
    MM,
    as_float,
    footer_rule,
    header_lines,
    ink_near_edge,
    lines_of,
    page_body_lines,
    words,
)


def footer_lines(page: pdfplumber.page.Page) -> int:
    """How many lines the footer under its rule takes."""
    rule = footer_rule(page)
    return len(lines_of(word for word in words(page) if as_float(word["top"]) > rule))


def two_line_furniture(pdf_path: Path) -> list[str]:
    """Each page whose running header or footer takes more than one line."""
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            if footer_lines(page) > 1:
                found.append(f"{pdf_path.name} p{number}: footer")
            if number > 1 and header_lines(page) > 1:
                found.append(f"{pdf_path.name} p{number}: header")
    return found


def marks_near_edge(pdf_path: Path) -> list[str]:
    """Each page with ink nearer than 5 mm to the paper's edge."""
    return [f"{pdf_path.name} p{number}" for number in ink_near_edge(pdf_path)]


def text_area(pdf: pdfplumber.PDF) -> tuple[float, float]:
    """The left and right edges of the text area: where the running header starts and ends."""
    for page in pdf.pages[1:]:
        above = [word for word in words(page) if as_float(word["bottom"]) < footer_rule(page)]
        lines = list(lines_of(above).values())
        if lines and header_lines(page):
            return min(as_float(w["x0"]) for w in lines[0]), max(
                as_float(w["x1"]) for w in lines[0]
            )
    return 0.0, float(pdf.pages[0].width)


def past_text_area(pdf_path: Path, tolerance: float = 1 * MM) -> list[str]:
    """Each page with a character or table rule past one side of the text area (the title
    band, which reaches past both sides, is not a table)."""
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        left, right = text_area(pdf)
        for number, page in enumerate(pdf.pages, 1):
            for item in [*page.chars, *page.lines, *page.rects]:
                past_left = as_float(item["x0"]) < left - tolerance
                past_right = as_float(item["x1"]) > right + tolerance
                if past_left != past_right:
                    found.append(f"{pdf_path.name} p{number}")
                    break
    return found


def body_line_lengths(pdf_path: Path) -> list[int]:
    """Characters in each full line of running text: lines in the body's type size, between the
    header and the footer, that are at least 80% as wide as the text area (a paragraph's short
    last line says nothing about the measure)."""
    lengths = []
    with pdfplumber.open(pdf_path) as pdf:
        left, right = text_area(pdf)
        sizes = [round(as_float(c["size"]), 1) for page in pdf.pages for c in page.chars]
        body_size = statistics.mode(sizes) if sizes else 0.0
        for number, page in enumerate(pdf.pages, 1):
            for whole in page_body_lines(page, number == 1):
                line = [w for w in whole if round(as_float(w["size"]), 1) == body_size]
                if not line:
                    continue
                width = max(as_float(w["x1"]) for w in line) - min(as_float(w["x0"]) for w in line)
                if width >= 0.8 * (right - left):
                    lengths.append(len(" ".join(str(w["text"]) for w in line)))
    return lengths


# Danish month names, as babel writes them in a leaflet's dates.
MONTHS = {name: number for number, name in dates.get_month_names("wide", locale="da").items()}
_DATE = r"(\d{1,2})\.\s+(\w+)\s+(\d{4})"


def printed_dates(text: str) -> tuple[dt.date | None, dt.date | None]:
    """The publication and update dates printed under a Danish leaflet's title."""

    def date(label: str) -> dt.date | None:
        match = re.search(label + r":?\s+" + _DATE, text)
        if not match or match.group(2).lower() not in MONTHS:
            return None
        day, month, year = match.group(1), match.group(2).lower(), match.group(3)
        return dt.date(int(year), MONTHS[month], int(day))

    return date("Udgivet"), date("[Ss]enest opdateret")


def impossible_dates(pdf_path: Path) -> bool:
    """Whether page 1 prints an update earlier than the publication."""
    with pdfplumber.open(pdf_path) as pdf:
        published, updated = printed_dates(pdf.pages[0].extract_text() or "")
    return published is not None and updated is not None and updated < published


_RAW_MARKDOWN = re.compile(r"\*\*|__\w|^#{1,6} |\]\(|```|~~~|^\s*[-*] \[[ x]\]", re.M)


def raw_markdown(pdf_path: Path) -> list[str]:
    """Each page showing Markdown syntax or a code block's monospace type."""
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            text = page.extract_text() or ""
            mono = any(re.search(r"Mono|Courier", str(c["fontname"])) for c in page.chars)
            if _RAW_MARKDOWN.search(text) or mono:
                found.append(f"{pdf_path.name} p{number}")
    return found


def hyphens_at_turns(pdf_path: Path) -> list[str]:
    """Each page (but the last) whose last body line ends in a hyphen that the next page's
    first line continues in lower case: a word broken across the page turn."""
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        bodies = [_body_lines(page, number == 1) for number, page in enumerate(pdf.pages, 1)]
    for number, (lines, following) in enumerate(itertools.pairwise(bodies), 1):
        if lines and following and lines[-1].endswith("-") and following[0][:1].islower():
            found.append(f"{pdf_path.name} p{number}")
    return found


def _body_lines(page: pdfplumber.page.Page, first: bool) -> list[str]:
    return [" ".join(str(w["text"]) for w in line) for line in page_body_lines(page, first)]
