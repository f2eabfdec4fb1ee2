"""The choices a user makes for one build."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

from leaflets.config.defaults import RENDER_MEMORY_BYTES, RENDER_TIMEOUT_SECONDS
from leaflets.config.errors import LeafletError

PAPER_FORMATS = ("a4", "a5", "letter")
DEFAULT_PAPER = "a4"


@dataclass(frozen=True)
class BuildOptions:
    """How to lay out and write a leaflet."""

    paper: str | None = None  # None: as clinic.toml says, else A4
    large_print: bool = False
    booklet: bool = False
    bleed: str | None = None
    crop_marks: bool = False
    pdfa: bool = False
    fit: bool | None = None  # None: as clinic.toml says (default: fit to paper)
    strict: bool = False
    write_html: bool = False

    def fingerprint(self) -> dict[str, object]:
        """The options that change the PDF's bytes."""
        data = asdict(self)
        for unprinted in ("write_html", "strict"):
            data.pop(unprinted)
        return data


@dataclass(frozen=True)
class Settled(BuildOptions):
    """Build options with nothing left undecided: made once, where a command or call starts.

    `house_paper` is the clinic's own paper, whose edition is the standard one.
    """

    paper: str = DEFAULT_PAPER
    fit: bool = True
    house_paper: str = DEFAULT_PAPER

    def fingerprint(self) -> dict[str, object]:
        """The options that change the PDF's bytes (the house paper only names the file)."""
        data = super().fingerprint()
        data.pop("house_paper")
        return data


@dataclass(frozen=True)
class Limits:
    """How many workers build at once, and what each article may use."""

    workers: int = 1
    timeout: float = RENDER_TIMEOUT_SECONDS
    memory: int = RENDER_MEMORY_BYTES

    @classmethod
    def default(cls, workers: int | None = None, timeout: float | None = None) -> Limits:
        """One worker per CPU (or `workers`), with the default time (or `timeout`) and memory."""
        return cls(
            workers=workers or os.cpu_count() or 1,
            timeout=timeout if timeout is not None else RENDER_TIMEOUT_SECONDS,
        )


MAX_NOTE_CHARS = 600


@dataclass(frozen=True)
class Personal:
    """A therapist's note and the patient's name, for one copy only: never stored."""

    note: str = ""
    patient: str = ""

    def __post_init__(self) -> None:
        if len(self.note) > MAX_NOTE_CHARS:
            raise LeafletError(
                None, f"the note has {len(self.note)} characters; at most {MAX_NOTE_CHARS} fit"
            )

    def __repr__(self) -> str:
        # Never in a log or a traceback: the note and the name are the patient's.
        return "Personal(...)"

    def __bool__(self) -> bool:
        return bool(self.note.strip() or self.patient.strip())
