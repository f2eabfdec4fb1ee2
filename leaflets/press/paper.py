"""Paper formats: the page size a leaflet is laid out on, and the sheet it is printed on."""

from __future__ import annotations

from dataclasses import dataclass

from leaflets.config.options import DEFAULT_PAPER, BuildOptions

MM = 72 / 25.4


@dataclass(frozen=True)
class Paper:
    """A named paper size, portrait, in PostScript points."""

    name: str
    width: float
    height: float

    @property
    def landscape(self) -> tuple[float, float]:
        """Width and height with the long side across."""
        return self.height, self.width


PAPERS = {
    "a4": Paper("a4", 210 * MM, 297 * MM),
    "a5": Paper("a5", 148 * MM, 210 * MM),
    "letter": Paper("letter", 612, 792),
    "half-letter": Paper("half-letter", 396, 612),
}

# A booklet is folded from a sheet; its pages are half the sheet. An A5 booklet is A4 folded.
BOOKLET_SHEET = {"a4": "a4", "a5": "a4", "letter": "letter"}
BOOKLET_PAGE = {"a4": "a5", "letter": "half-letter"}
# The media name CUPS knows each sheet by.
# Pages small enough to need the tighter layout of small-page.css.
SMALL_PAGES = ("a5", "half-letter")
CUPS_MEDIA = {"a4": "A4", "a5": "A5", "letter": "Letter", "half-letter": "Letter"}


def sheet_paper(options: BuildOptions) -> Paper:
    """The paper that goes through the printer."""
    name = options.paper or DEFAULT_PAPER
    return PAPERS[BOOKLET_SHEET[name] if options.booklet else name]


def page_paper(options: BuildOptions) -> Paper:
    """The paper size each page of the leaflet is laid out on."""
    if options.booklet:
        return PAPERS[BOOKLET_PAGE[sheet_paper(options).name]]
    return sheet_paper(options)


def print_stylesheets(options: BuildOptions) -> list[str]:
    """The stylesheets a build adds to leaflet.css, in cascade order: the tokens come first,
    so that each format, large print and the theme after them change the tokens."""
    page = page_paper(options).name
    names = [
        "tokens.css",
        "scripts.css",  # the fonts for every script
        f"format-{page}.css",
        *(["small-page.css"] if page in SMALL_PAGES else []),
    ]
    if options.booklet:
        names.append("booklet.css")
    if options.large_print:
        names.append("large-print.css")
    if options.bleed is not None or options.crop_marks:
        names.append("bleed.css")
    # Last: they mirror whatever the layout above set, for leaflets written right to left.
    names.append("rtl.css")
    if page in SMALL_PAGES or options.large_print:
        names.append("rtl-stacked.css")
    return names
