"""Tables made for paper: a table that a narrow page would squeeze, or whose words no page
could fit side by side, becomes a list of label-value blocks, and the paragraph that
introduces a table (or a list, with a colon) keeps with it.

Decided here, from the table's words and the paper, by estimate: the leaflet is not laid out
twice to find out.
"""

from __future__ import annotations

import html as html_escape
from dataclasses import dataclass, field
from html.parser import HTMLParser

from leaflets.config.options import BuildOptions

MM = 72 / 25.4
# The text column and the table type as the stylesheets set them (tokens.css, small-page.css,
# large-print.css), and the width of one character of table text, on average, in the bundled
# font (Atkinson Hyperlegible Next, measured on Danish text, rounded up for bold headers).
TEXT_COLUMN_MM = {"wide": 174.0, "narrow": 124.0}
TABLE_TYPE_PT = {"standard": 12.0, "large": 16.0}
CHAR_EM = 0.5
CELL_PADDING_MM = 4.5  # 2 mm each side, and the rules between cells
LABEL_COLUMN_EM = 6.0  # --label-column in tokens.css
# A column narrower than this many characters reads as a stack of broken words.
NARROWEST_COLUMN = 12
FEWEST_COLUMNS = 3


@dataclass(frozen=True)
class Room:
    """The width a table has, and the width of one character of its text, in points; `narrow`
    where a squeezed column is reason enough for blocks (a small page, large print)."""

    width: float
    char: float
    narrow: bool

    def characters(self, columns: int) -> float:
        """Characters of text `columns` columns have between them, padding taken off."""
        return (self.width - columns * CELL_PADDING_MM * MM) / self.char


def table_room(options: BuildOptions) -> Room:
    """The room a table has on the leaflet's page."""
    small = options.booklet or options.paper == "a5"
    type_pt = TABLE_TYPE_PT["large" if options.large_print else "standard"]
    width = TEXT_COLUMN_MM["narrow" if small else "wide"] * MM
    return Room(width, type_pt * CHAR_EM, narrow=small or options.large_print)


@dataclass
class Cell:
    """One table cell: its markup, its text, and whether it spans rows or columns."""

    markup: str = ""
    text: str = ""
    spans: bool = False


@dataclass
class Table:
    """A table read from safe HTML: its own markup, its caption and its rows of cells."""

    markup: list[str] = field(default_factory=list)
    caption: str = ""
    rows: list[list[Cell]] = field(default_factory=list)
    header_rows: int = 0
    nested: bool = False

    @property
    def columns(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    @property
    def header(self) -> list[Cell]:
        """The column heads: the one header row, or none."""
        return self.rows[0] if self.header_rows == 1 else []

    @property
    def body(self) -> list[list[Cell]]:
        return self.rows[self.header_rows :]

    @property
    def plain(self) -> bool:
        """No spans and no table inside: each row reads as one record."""
        return not self.nested and not any(cell.spans for row in self.rows for cell in row)


def longest_word(text: str) -> int:
    """The length of the longest word in `text`: the narrowest its column can be."""
    return max((len(word) for word in text.split()), default=0)


def column_texts(table: Table) -> list[list[str]]:
    """The text of each cell, column by column."""
    return [[_text(row, index) for row in table.rows] for index in range(table.columns)]


def _text(row: list[Cell], index: int) -> str:
    return row[index].text if index < len(row) else ""


def longest_words(columns: list[list[str]]) -> list[float]:
    """The longest word of each column, in characters: the narrowest each can be."""
    return [float(max(map(longest_word, column), default=0)) for column in columns]


def overflows(table: Table, room: Room) -> bool:
    """Whether the longest word of each column, side by side, is wider than the page: the
    table would run past the text area, however its columns shared the width."""
    return sum(longest_words(column_texts(table))) > room.characters(table.columns)


def squeezes_a_column(table: Table, room: Room) -> bool:
    """Whether a column would have to wrap narrower than NARROWEST_COLUMN characters, with the
    width shared as CSS's automatic table layout shares it: each column its longest word (the
    label column at least its minimum), the rest by how much more each one wants."""
    columns = column_texts(table)
    least = longest_words(columns)
    least[0] = max(least[0], LABEL_COLUMN_EM / CHAR_EM)
    longest = [max(map(len, column), default=0) for column in columns]
    most = [max(high, low) for high, low in zip(longest, least, strict=True)]
    available = room.characters(len(columns))
    if sum(most) <= available:
        return False
    if sum(least) >= available:
        return True
    spare, wanted = available - sum(least), sum(most) - sum(least)
    for low, high in zip(least, most, strict=True):
        if low + spare * (high - low) / wanted < min(NARROWEST_COLUMN, high):
            return True
    return False


def heads_fit_one_line(table: Table, room: Room) -> bool:
    """Whether every column head can stay on one line, beside the longest words of the other
    columns: a head broken over two lines makes the table taller for a word's width."""
    if not table.header:
        return False
    heads = [float(len(cell.text.strip())) for cell in table.header]
    heads += [0.0] * (table.columns - len(heads))
    least = longest_words(column_texts(table))
    widest = [max(low, head) for low, head in zip(least, heads, strict=True)]
    return sum(widest) <= room.characters(table.columns)


def as_records(table: Table) -> str:
    """The table as label-value blocks: one block a row, its first cell the label, each other
    cell under its column's head."""
    heads = [cell.markup for cell in table.header]
    parts = ['<div class="records">']
    if table.caption:
        parts.append(f'<p class="records-caption">{table.caption}</p>')
    for row in table.body:
        parts.append('<div class="record">')
        parts.append(f'<p class="record-label">{row[0].markup}</p>' if row else "")
        for index, cell in enumerate(row[1:], start=1):
            if not cell.text.strip():
                continue
            head = heads[index] if index < len(heads) and table.header[index].text.strip() else ""
            key = f'<span class="record-key">{head}:</span> ' if head else ""
            parts.append(f'<p class="record-value">{key}{cell.markup}</p>')
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)


_VOID = frozenset({"br", "hr", "img", "wbr"})


class _PaperTables(HTMLParser):
    """Safe HTML passed through, each top-level table replaced where it would be squeezed,
    and the paragraph before a table (or before a list, when it ends in a colon) marked."""

    def __init__(self, room: Room | None) -> None:
        super().__init__(convert_charrefs=True)
        self.room = room
        self.out: list[str] = []
        self.depth = 0
        self.table: Table | None = None
        self.table_depth = 0
        self.cell: Cell | None = None
        self.cell_depth = 0
        self.in_head = False
        self.in_caption = False
        self.paragraph: int | None = None  # where the open top-level <p> is in `out`
        self.paragraph_text: list[str] = []
        self.last_paragraph: tuple[int, str] | None = None  # the <p> just closed, its text
        self.tables: list[Table] = []  # every top-level table, as read

    def result(self) -> str:
        """The HTML, rewritten; a table left open is passed on as it was."""
        self.close()
        return "".join(self.out + (self.table.markup if self.table else []))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or f"<{tag}>"
        if tag in _VOID:
            self.text_or_markup(raw, " " if tag == "br" else "")
            return
        if self.table is None and self.depth == 0 and tag in ("table", "ul", "ol"):
            self.mark_lead_in(tag)
        self.depth += 1
        if self.table is None and tag == "table":
            self.table, self.table_depth = Table(markup=[raw]), self.depth
        elif self.table is None:
            if tag == "p" and self.depth == 1:
                self.paragraph, self.paragraph_text = len(self.out), []
            self.out.append(raw)
        else:
            self.table.markup.append(raw)
            self.open_in_table(self.table, tag, attrs, raw)

    def open_in_table(
        self, table: Table, tag: str, attrs: list[tuple[str, str | None]], raw: str
    ) -> None:
        table.nested = table.nested or tag == "table"
        if self.cell is not None:
            self.cell.markup += raw
        elif self.in_caption:
            table.caption += raw
        elif tag in ("thead", "caption"):
            self.in_head = self.in_head or tag == "thead"
            self.in_caption = tag == "caption"
        elif tag == "tr":
            table.rows.append([])
            table.header_rows += 1 if self.in_head else 0
        elif tag in ("td", "th"):
            self.open_cell(table, attrs)

    def open_cell(self, table: Table, attrs: list[tuple[str, str | None]]) -> None:
        if not table.rows:
            table.rows.append([])
        spanned = (value for name, value in attrs if name in ("colspan", "rowspan"))
        self.cell = Cell(spans=any(value not in (None, "1") for value in spanned))
        self.cell_depth = self.depth
        table.rows[-1].append(self.cell)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self.table is None:
            self.out.append(f"</{tag}>")
            self.closed_outside_table(tag)
        else:
            self.table.markup.append(f"</{tag}>")
            self.closed_in_table(self.table, tag)
        self.depth -= 1

    def closed_outside_table(self, tag: str) -> None:
        if self.depth != 1:
            return
        if tag == "p" and self.paragraph is not None:
            self.last_paragraph = (self.paragraph, "".join(self.paragraph_text))
        else:
            self.last_paragraph = None
        self.paragraph = None

    def closed_in_table(self, table: Table, tag: str) -> None:
        if self.cell is not None:
            if self.depth == self.cell_depth:
                self.cell = None
            else:
                self.cell.markup += f"</{tag}>"
        elif self.depth == self.table_depth:
            self.out.append(self.finished(table))
            self.table, self.last_paragraph = None, None
        elif tag == "caption":
            self.in_caption = False
        elif self.in_caption:
            table.caption += f"</{tag}>"
        elif tag == "thead":
            self.in_head = False

    def finished(self, table: Table) -> str:
        self.tables.append(table)
        if self.room is not None and table.plain and self.as_blocks(table, self.room):
            return as_records(table)
        markup = table.markup
        if (
            self.room is not None
            and markup[0] == "<table>"
            and heads_fit_one_line(table, self.room)
        ):
            markup = ['<table class="one-line-heads">', *markup[1:]]
        return "".join(markup)

    @staticmethod
    def as_blocks(table: Table, room: Room) -> bool:
        if overflows(table, room):
            return True
        return room.narrow and table.columns >= FEWEST_COLUMNS and squeezes_a_column(table, room)

    def handle_data(self, data: str) -> None:
        if self.table is None and self.depth == 0 and data.strip():
            self.last_paragraph = None
        self.text_or_markup(html_escape.escape(data, quote=False), data)

    def text_or_markup(self, markup: str, text: str) -> None:
        if self.table is None:
            self.out.append(markup)
            if self.paragraph is not None:
                self.paragraph_text.append(text)
        elif self.cell is not None:
            self.table.markup.append(markup)
            self.cell.markup += markup
            self.cell.text += text
        else:
            self.table.markup.append(markup)
            self.table.caption += markup if self.in_caption else ""

    def mark_lead_in(self, tag: str) -> None:
        if self.last_paragraph is None:
            return
        index, text = self.last_paragraph
        if tag == "table" or text.rstrip().endswith(":"):
            self.out[index] = self.out[index].replace("<p", '<p class="lead-in"', 1)


def paper_tables(html: str, room: Room | None) -> str:
    """Safe HTML with its tables made for paper in `room` (None: tables stay tables), and the
    paragraphs that introduce a table or list marked to keep with it."""
    parser = _PaperTables(room)
    parser.feed(html)
    return parser.result()


def tables_in(html: str) -> list[Table]:
    """The top-level tables of safe HTML, as the decision above reads them."""
    parser = _PaperTables(None)
    parser.feed(html)
    parser.result()
    return parser.tables
