"""The command line: `make-leaflet` or `python make_leaflet.py`."""

from __future__ import annotations

import importlib
import signal
import sys
import threading
import traceback
from collections.abc import Sequence
from typing import Any

import click

from leaflets.config.defaults import CLINIC_FILE, CONTENT_DIR, shown
from leaflets.config.errors import LeafletError, one_line, printable
from leaflets.config.options import BuildOptions, Limits

# Each command's module is imported only when that command runs: a build does not load the
# mail, printing and desk code (about 0.1 s of every start), nor they the build's.
COMMANDS = {
    "backup": "leaflets.cli.backup:backup",
    "build": "leaflets.cli.build:build",
    "check": "leaflets.cli.check:check",
    "email": "leaflets.cli.email:email",
    "init": "leaflets.cli.init:init",
    "list": "leaflets.cli.listing:list_leaflets",
    "print": "leaflets.cli.print:print_leaflet",
    "printers": "leaflets.cli.printers:printers",
    "watch": "leaflets.cli.watch:watch",
    "translations": "leaflets.cli.translations:translations",
    "validate": "leaflets.cli.validate:validate",
    "desk": "leaflets.cli.desk:desk",
    "desk-user": "leaflets.cli.desk:desk_user",
    "desk-audit": "leaflets.cli.desk:desk_audit",
    "desk-service": "leaflets.cli.service:desk_service",
    "restore": "leaflets.cli.backup:restore",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (click's documented lazy loading)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, _, name = COMMANDS[cmd_name].partition(":")
        command = getattr(importlib.import_module(module), name)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, invoke_without_command=True)
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(package_name="leaflets")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Build printable patient leaflets from Markdown articles.

    Without a command, builds every article in content/ into output/.
    """
    ctx.obj = {"debug": debug}
    if ctx.invoked_subcommand is None:
        from leaflets.cli.build import run_build

        ctx.exit(
            run_build([shown(CONTENT_DIR)], None, CLINIC_FILE, BuildOptions(), Limits.default())
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code, never raising for bad input."""
    args = list(sys.argv[1:] if argv is None else argv)
    before = _end_cleanly_on(signal.SIGTERM, signal.SIGHUP)
    try:
        from leaflets.api import sweep_private_folders

        # A personal copy left by a command that was killed without warning goes now.
        sweep_private_folders()
        return _run(args)
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


# The most a command takes to end once it is stopped. Its cleanup (private folders, workers)
# takes well under a second; one that hangs must not keep a stopped command alive.
ENDING_SECONDS = 20


def _end_cleanly_on(*signals: signal.Signals) -> dict[signal.Signals, Any]:
    """End on these signals as on Ctrl-C: every `finally` runs, so that private folders (the
    patient's note) and workers go with the command. A second signal cannot cut that short,
    but the ending is bounded: see `_bound_the_ending`. The handlers replaced are returned."""

    def stop(number: int, _frame: object) -> None:
        for each in signals:
            signal.signal(each, signal.SIG_IGN)
        _bound_the_ending()
        raise SystemExit(128 + number)

    def interrupted(_number: int, _frame: object) -> None:
        _bound_the_ending()
        raise KeyboardInterrupt

    before: dict[signal.Signals, Any] = {}
    if threading.current_thread() is not threading.main_thread():
        return before  # only the main thread may set handlers; a caller's thread keeps its own
    for each in signals:
        if signal.getsignal(each) is signal.SIG_DFL:  # one ignored (nohup) stays ignored
            before[each] = signal.signal(each, stop)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        before[signal.SIGINT] = signal.signal(signal.SIGINT, interrupted)
    return before


def _bound_the_ending() -> None:
    """Have the kernel end this process if it has not ended `ENDING_SECONDS` from now (SIGALRM's
    own action); its workers end with it, and the next command sweeps its private folders."""
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    if earlier := signal.alarm(ENDING_SECONDS):  # a second signal keeps the first one's bound
        signal.alarm(earlier)


def _bad_usage(problem: click.ClickException) -> int:
    """Bad input on the command line (an unknown option, a file that is not there) as one
    line and exit code 1, like bad input anywhere else; a usage error points to the help."""
    message = problem.format_message()
    if isinstance(problem, click.UsageError) and problem.ctx is not None:
        message += f" (see {problem.ctx.command_path} --help)"
    click.echo(f"error: {message}", err=True)
    return 1


def _run(args: list[str]) -> int:
    try:
        result = cli.main(args=args, prog_name="make-leaflet", standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as problem:
        return _bad_usage(problem)
    except click.exceptions.Abort:
        click.echo("error: aborted", err=True)
        return 1
    except LeafletError as error:
        return _fail(error, "--debug" in args)
    except Exception as error:
        return _fail(error, "--debug" in args, unexpected=True)
    return result if isinstance(result, int) else 0


def _fail(error: BaseException, debug: bool, unexpected: bool = False) -> int:
    if debug:
        traceback.print_exception(error)
    prefix = "unexpected failure: " if unexpected else ""
    hint = " (run with --debug for details)" if unexpected and not debug else ""
    for line in _error_lines(error):
        click.echo(f"error: {prefix}{printable(line)}{hint}", err=True)
    return 1


def _error_lines(error: BaseException) -> list[str]:
    """Most errors are one line; a clinic profile may have several problems, one a line."""
    if isinstance(error, LeafletError):
        return [one_line(line) for line in error.lines()]
    return [_one_line(error)]


def _one_line(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return one_line(text)
