"""How the command line reports errors: one line each, a traceback only with --debug."""

from __future__ import annotations

import traceback
from typing import TYPE_CHECKING

import click

from leaflets.config.errors import printable

if TYPE_CHECKING:
    from leaflets.build.pool import Outcome


def report_error(error: BaseException) -> None:
    """One line on stderr; the traceback too with --debug."""
    if debug_wanted():
        traceback.print_exception(error)
    click.echo(f"error: {printable(str(error))}", err=True)


def report_outcome(outcome: Outcome) -> None:
    if debug_wanted() and outcome.details:
        click.echo(outcome.details, err=True, nl=False)
    click.echo(f"error: {printable(str(outcome.error))}", err=True)


def debug_wanted() -> bool:
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    return bool(root and root.obj and root.obj.get("debug"))
