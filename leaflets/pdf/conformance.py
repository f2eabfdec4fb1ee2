"""Whether a PDF is accessible (PDF/UA-1) and archivable (PDF/A-3b), by a validator that passes
the veraPDF test corpus, told in plain words a clinic can act on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from leaflets.config.errors import LeafletError

ACCESSIBLE = "ua1"
ARCHIVABLE = "pdfa-3b"
PROFILE_NAMES = {ACCESSIBLE: "PDF/UA-1", ARCHIVABLE: "PDF/A-3b"}

# Rule ids by family, in words for the person who has to fix the file or ask for a better one.
PLAIN_WORDS = (
    ("TAGGED-DOCUMENT", "it is not tagged: a screen reader finds no headings, lists or order"),
    ("STRUCT-TREE-ROOT", "it is not tagged: a screen reader finds no headings, lists or order"),
    ("CONTENT-TAGGING", "some text is neither tagged nor marked as page decoration"),
    ("TEXT-LANGUAGE", "the language of its text is not given, so it may be read aloud wrongly"),
    ("METADATA-TITLE", "it has no title for a screen reader to announce"),
    ("VIEWER-PREFERENCES", "viewers are not told to show its title rather than its file name"),
    ("HEADING", "its headings skip a level, so its outline has a gap"),
    ("LI-", "a list is tagged wrongly, so it is not read out as a list"),
    ("TABLE", "a table is tagged wrongly, so its cells are read without their headers"),
    ("FIGURE", "a picture has no text alternative"),
    ("ALT", "a picture has no text alternative"),
    ("FONT", "a font is not embedded, so the text may not show or be read correctly"),
    ("ID-", "its metadata does not declare the standard it claims"),
    ("METADATA", "its metadata is damaged or in a form the standard forbids"),
)


@dataclass(frozen=True)
class Breach:
    """One rule a PDF breaks: its id, and what that means in plain words."""

    rule: str
    words: str


def breaches(pdf: Path, profile: str = ACCESSIBLE) -> list[Breach]:
    """The rules `pdf` breaks under `profile`, once each, in plain words; none when it conforms."""
    from page import PageError, validate_pdf

    try:
        report = validate_pdf(str(pdf), profile=profile)
    except (OSError, PageError) as error:
        raise LeafletError(pdf, f"cannot be read as a PDF: {error}") from None
    found = {failure.rule_id: failure.message for failure in report.failures}
    return [Breach(rule, plain_words(rule, message)) for rule, message in sorted(found.items())]


def plain_words(rule: str, message: str) -> str:
    """What a broken rule means for a reader; the validator's own words for a rare one."""
    return next((words for key, words in PLAIN_WORDS if key in rule), message)


def declares_archive(pdf: Path) -> bool:
    """Whether the PDF says in its metadata that it is PDF/A (then it is checked as PDF/A too)."""
    import pikepdf

    try:
        with pikepdf.open(pdf) as document:
            metadata = document.Root.get("/Metadata")
            return metadata is not None and b"pdfaid:part" in metadata.read_bytes()
    except (OSError, pikepdf.PdfError):
        return False
