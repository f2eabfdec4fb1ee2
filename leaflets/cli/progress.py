"""Progress of a build: a rich bar on a terminal, plain lines everywhere else."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import click

from leaflets.config.errors import printable


class Progress(Protocol):
    """Reports each finished leaflet."""

    def line(self, text: str) -> None:
        """A line of output (e.g. 'built output/x.pdf')."""

    def advance(self) -> None:
        """One more leaflet finished."""


class _Plain:
    def line(self, text: str) -> None:
        click.echo(printable(text))

    def advance(self) -> None:
        pass


class _Bar:
    def __init__(self, progress: Any, task: Any) -> None:
        self.progress = progress
        self.task = task

    def line(self, text: str) -> None:
        self.progress.console.print(printable(text), markup=False, highlight=False)

    def advance(self) -> None:
        self.progress.advance(self.task)


@contextmanager
def progress_for(total: int, label: str = "Building leaflets") -> Iterator[Progress]:
    """A bar when stdout is a terminal and there is more than one leaflet; else plain lines."""
    if total < 2 or not sys.stdout.isatty():
        yield _Plain()
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import Progress as RichProgress

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with RichProgress(*columns, transient=True) as progress:
        yield _Bar(progress, progress.add_task(label, total=total))
