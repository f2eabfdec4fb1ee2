"""Sending a PDF to a CUPS printer queue with `lp`, after checking the queue can take it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from leaflets.config.errors import LeafletError

COMMAND_TIMEOUT_SECONDS = 30
_JOB_ID = re.compile(r"request id is (\S+)")


@dataclass(frozen=True)
class PrintRequest:
    """What to print, where, and how the printer should handle the paper."""

    pdf: Path
    title: str
    copies: int = 1
    sides: str = "two-sided-long-edge"
    media: str = "A4"


def cannot_print(message: str) -> LeafletError:
    """The error for a print that cannot go ahead."""
    return LeafletError(None, f"cannot print: {message}")


def ready_queue(printer: str | None) -> str:
    """The queue to print on (the named one, or CUPS's default), checked to be ready."""
    if run_cups("lpstat", "-r").stdout.strip() != "scheduler is running":
        raise cannot_print("the CUPS scheduler is not running")
    queue = printer or default_destination()
    state = run_cups("lpstat", "-p", queue)
    if state.returncode != 0:
        raise cannot_print(f"there is no printer queue named {queue!r}{known_queues()}")
    if " disabled since " in state.stdout:
        raise cannot_print(f"printer {queue!r} is stopped{_reason(state.stdout)}")
    accepting = run_cups("lpstat", "-a", queue).stdout
    if " not accepting requests " in accepting:
        raise cannot_print(f"printer {queue!r} is not accepting jobs{_reason(accepting)}")
    return queue


def default_destination() -> str:
    """The CUPS default destination (from LPDEST, PRINTER, lpoptions or the server)."""
    found = re.search(r"default destination: (\S+)", run_cups("lpstat", "-d").stdout)
    if not found:
        raise cannot_print("no --printer given and CUPS has no default destination")
    return found.group(1)


def known_queues() -> str:
    """' (queues: a, b)' for an error message, or nothing when there are none."""
    names = run_cups("lpstat", "-e").stdout.split()
    return f" (queues: {', '.join(names)})" if names else " (CUPS has no printer queues)"


def _reason(report: str) -> str:
    lines = [line.strip() for line in report.splitlines()[1:] if line.strip()]
    return f" ({'; '.join(lines)})" if lines else ""


def submit(request: PrintRequest, queue: str) -> str:
    """Send the PDF to `queue` and return the CUPS job id."""
    result = run_cups(*lp_arguments(request, queue))
    found = _JOB_ID.search(result.stdout)
    if result.returncode != 0 or not found:
        problem = (result.stderr or result.stdout).strip().removeprefix("lp: ")
        raise cannot_print(problem or f"lp failed with exit code {result.returncode}")
    return found.group(1)


def lp_arguments(request: PrintRequest, queue: str) -> list[str]:
    """The `lp` command line for a request."""
    return [
        "lp",
        "-d",
        queue,
        "-n",
        str(request.copies),
        "-t",
        request.title,
        "-o",
        f"sides={request.sides}",
        "-o",
        f"media={request.media}",
        "-o",
        "collate=true",
        "--",
        str(request.pdf),
    ]


def run_cups(command: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run a CUPS client command in the C locale, so that its replies can be read."""
    program = shutil.which(command)
    if program is None:
        raise cannot_print(f"CUPS is not installed (no `{command}` command; install cups-client)")
    environment = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    try:
        return subprocess.run(
            [program, *arguments],
            capture_output=True,
            text=True,
            env=environment,
            timeout=COMMAND_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise cannot_print(
            f"`{command}` got no answer from CUPS in {COMMAND_TIMEOUT_SECONDS} s"
        ) from None
