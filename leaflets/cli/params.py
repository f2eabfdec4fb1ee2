"""Click options shared by the commands, and the build options they stand for."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from leaflets.config.defaults import CLINIC_FILE, RENDER_TIMEOUT_SECONDS
from leaflets.config.errors import LeafletError, warn
from leaflets.config.options import (
    PAPER_FORMATS,
    BuildOptions,
    Limits,
    Personal,
)
from leaflets.config.profile import Profile

# A click option, or several stacked, applied to a command function.
Decorator = Callable[[Any], Any]

clinic_option: Decorator = click.option(
    "--clinic",
    type=click.Path(path_type=Path),
    default=CLINIC_FILE,
    show_default=True,
    help="The clinic profile.",
)
paper_option: Decorator = click.option(
    "--format",
    "paper",
    type=click.Choice(PAPER_FORMATS, case_sensitive=False),
    default=None,
    help="Paper size (default: a4, or as clinic.toml says).",
)
booklet_option: Decorator = click.option(
    "--booklet", is_flag=True, help="A5 pages imposed two to an A4 sheet, folded."
)
large_print_option: Decorator = click.option(
    "--large-print", is_flag=True, help="Large print (18 pt, RNIB clear print)."
)


def stacked(*options: Decorator) -> Decorator:
    """Several click options as one decorator, in the order given."""

    def apply(func: Any) -> Any:
        for option in reversed(options):
            func = option(func)
        return func

    return apply


build_options: Decorator = stacked(
    clinic_option,
    paper_option,
    booklet_option,
    large_print_option,
    click.option("--bleed", default=None, help="Bleed for a print shop, e.g. 3mm."),
    click.option("--crop-marks", is_flag=True, help="Crop marks in the bleed."),
    click.option("--pdfa", is_flag=True, help="PDF/A-3b for archiving."),
    click.option(
        "--fit/--no-fit",
        default=None,
        help="Lay out tighter when that saves a sheet (default: on, or as clinic.toml says).",
    ),
    click.option("--strict", is_flag=True, help="Treat warnings about review dates as errors."),
)
"""The layout options shared by `build` and the commands that build on the way."""

worker_options: Decorator = stacked(
    click.option(
        "-j",
        "--jobs",
        type=click.IntRange(1, 64),
        default=None,
        help="Worker processes (default: the number of CPUs).",
    ),
    click.option(
        "--timeout",
        type=click.FloatRange(1, 3600),
        default=RENDER_TIMEOUT_SECONDS,
        show_default=True,
        help="Seconds one article may take.",
    ),
)

out_option: Decorator = click.option(
    "-o", "--out", type=click.Path(path_type=Path), help="Output file (one input) or folder."
)


def limits_from(params: dict[str, Any]) -> Limits:
    """The worker count and the time limit given with `worker_options`."""
    return Limits.default(params["jobs"], params["timeout"])


def options_from(params: dict[str, Any]) -> BuildOptions:
    """BuildOptions from the command's parameters."""
    return BuildOptions(
        paper=params.get("paper"),
        large_print=params.get("large_print", False),
        booklet=params.get("booklet", False),
        bleed=params.get("bleed"),
        crop_marks=params.get("crop_marks", False),
        pdfa=params.get("pdfa", False),
        fit=params.get("fit"),
        strict=params.get("strict", False),
        write_html=params.get("write_html", False),
    )


def personal_options(func: Any) -> Any:
    """--note, --note-file and --patient: a therapist's word on this one copy."""
    return stacked(
        click.option("--note", default=None, help="A personal note on page 1 (plain text)."),
        click.option(
            "--note-file",
            type=click.File("r", encoding="utf-8"),
            default=None,
            help="The note from a file, or - for standard input.",
        ),
        click.option("--patient", default=None, help="The patient's name, shown with the note."),
        click.option(
            "--journal-file",
            type=click.Path(path_type=Path, dir_okay=False),
            default=None,
            help="Append the record line to FILE instead of printing it.",
        ),
    )(func)


def personal_from(params: dict[str, Any]) -> Personal | None:
    """The note and the name given on the command line, for this copy only."""
    from leaflets.api import NOTE_FILE_CHARS, checked_name, checked_note

    note, where = params.get("note") or "", "--note"
    if params.get("note_file") is not None:
        if note:
            raise LeafletError(None, "give either --note or --note-file, not both")
        # Read a little past the limit, never a whole disk: the check then names the length.
        note, where = params["note_file"].read(NOTE_FILE_CHARS + 1), "--note-file"
    note, patient = checked_note(note, where), checked_name(params.get("patient") or "")
    if not (note or patient):
        return None
    return Personal(note=note, patient=patient)


lang_option: Decorator = click.option(
    "--lang",
    default=None,
    metavar="LANG",
    help="The leaflet's translation into LANG (da, en, de, pl, uk, ar, ...).",
)


def in_language(source: Path, lang: str | None, profile: Profile) -> Path:
    """The article itself, or its translation into `lang` when one is asked for; a warning
    when what is handed out is a translation of an earlier text."""
    from leaflets.api import stale_translation, translation_for

    chosen = translation_for(source, lang, profile.leaflets.language) if lang else source
    stale = stale_translation(chosen)
    if stale is not None:
        warn(
            f"{chosen}: translated from an earlier version of {stale.source}, which has changed"
            " since (`make-leaflet translations list` shows how)"
        )
    return chosen


def format_option(what: str) -> Decorator:
    """--format text|json for a command that lists things: `what` says what a text line is."""
    return click.option(
        "--format",
        "output",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=f"{what}, or a JSON list on stdout.",
    )
