"""Where the line for the patient record goes: the terminal, or appended to a journal file."""

from __future__ import annotations

from pathlib import Path

import click

from leaflets.config.errors import LeafletError, printable


def give_record(line: str, journal: Path | None) -> None:
    """Show the record line, or append it to `journal` (one line each, never rewritten)."""
    if journal is None:
        click.echo(printable(line))
        return
    try:
        with journal.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    except OSError as error:
        raise LeafletError(journal, f"cannot append the record line: {error.strerror}") from None
    click.echo(f"record line added to {journal}")
