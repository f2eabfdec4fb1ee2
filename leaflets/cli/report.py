"""How the command line reports errors: one line each, a traceback only with --debug."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from leaflets.config.errors import one_line, printable

if TYPE_CHECKING:
    from leaflets.api import Outcome


def report_error(error: BaseException, unexpected: bool = False) -> None:
    """One line on stderr; the traceback too with --debug."""
    if debug_wanted():
        traceback.print_exception(error)
    prefix = f"unexpected failure: {type(error).__name__}: " if unexpected else ""
    click.echo(f"error: {printable(prefix + one_line(error))}", err=True)


def report_outcome(outcome: Outcome) -> None:
    if debug_wanted() and outcome.details:
        click.echo(outcome.details, err=True, nl=False)
    click.echo(f"error: {printable(str(outcome.error))}", err=True)


def debug_wanted() -> bool:
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    return bool(root and root.obj and root.obj.get("debug"))


@contextmanager
def stdout_may_close() -> Iterator[None]:
    """Stop writing quietly when the reader goes away (`check | head`): that is no error."""
    try:
        yield
    except BrokenPipeError:
        # Later writes, and the flush at exit, go nowhere instead of raising again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
