"""Sending a PDF to a CUPS printer queue with `lp`, after checking the queue can take it."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from leaflets.config.errors import LeafletError
from leaflets.workers.programs import ProgramMissingError, ProgramTimeoutError, run_program

if TYPE_CHECKING:
    import subprocess

COMMAND_TIMEOUT_SECONDS = 30
_JOB_ID = re.compile(r"request id is (\S+)")
_PRINTER_LINE = re.compile(r"^printer (\S+) (is idle|now printing|disabled)")
_QUIET = frozenset({"none", "paused"})


@dataclass(frozen=True)
class PrintRequest:
    """What to print, where, and how the printer should handle the paper."""

    pdf: Path
    title: str
    copies: int = 1
    sides: str = "two-sided-long-edge"
    media: str = "A4"


@dataclass(frozen=True)
class Queue:
    """A CUPS printer queue as staff need to know it."""

    name: str
    state: str  # "idle", "printing" or "stopped", as CUPS reports it
    accepting: bool = True
    reason: str = ""  # why it is stopped or refusing jobs, in the words CUPS was given
    default: bool = False

    @property
    def out_of_paper(self) -> bool:
        """Whether the printer or its operator says the paper has run out."""
        words = self.reason.casefold()
        return "media-empty" in words or "papir" in words or "paper" in words


def queues() -> list[Queue]:
    """Every CUPS queue with its state, the default first; none when CUPS has no queues."""
    if run_cups("lpstat", "-r").stdout.strip() != "scheduler is running":
        raise cannot_print("the CUPS scheduler is not running")
    refusing = _refusing(run_cups("lpstat", "-a").stdout)
    default = re.search(r"default destination: (\S+)", run_cups("lpstat", "-d").stdout)
    found = [
        Queue(name, state, name not in refusing, _joined(reason, refusing.get(name, "")))
        for name, state, reason in _printer_states(run_cups("lpstat", "-l", "-p").stdout)
    ]
    chosen = default.group(1) if default else ""
    marked = [replace(queue, default=queue.name == chosen) for queue in found]
    return sorted(marked, key=lambda queue: (not queue.default, queue.name))


def _printer_states(report: str) -> list[tuple[str, str, str]]:
    """(name, state, reason) from `lpstat -l -p`: a line per printer, then indented lines: the
    operator's reason first, then details ("Key: value"), among them the printer's alerts."""
    printers: list[tuple[str, str, list[str]]] = []
    reasons_end = True
    for line in report.splitlines():
        head = _PRINTER_LINE.match(line)
        text = line.strip()
        if head:
            printers.append((head.group(1), _state(head.group(2)), []))
            reasons_end = False
        elif printers and text.startswith("Alerts:"):
            printers[-1][2].extend(_alerts(text))
        elif printers and text and not reasons_end and ":" not in text:
            printers[-1][2].append(text)
        else:
            reasons_end = True
    return [(name, state, _joined(*notes)) for name, state, notes in printers]


def _state(words: str) -> str:
    if words.startswith("disabled"):
        return "stopped"
    return "printing" if words.startswith("now printing") else "idle"


def _alerts(line: str) -> list[str]:
    """A printer's own alerts, such as media-empty; not the ones that say nothing new."""
    return [alert for alert in line.removeprefix("Alerts:").split() if alert not in _QUIET]


def _refusing(report: str) -> dict[str, str]:
    """Queues not accepting jobs, with the reason given."""
    refusing: dict[str, str] = {}
    name = ""
    for line in report.splitlines():
        if " not accepting requests " in line:
            name = line.split()[0]
            refusing[name] = ""
        elif name and line[:1].isspace() and line.strip():
            refusing[name] = line.strip()
        else:
            name = ""
    return refusing


def _joined(*reasons: str) -> str:
    return "; ".join(dict.fromkeys(reason for reason in reasons if reason))


def cannot_print(message: str) -> LeafletError:
    """The error for a print that cannot go ahead."""
    return LeafletError(None, f"cannot print: {message}")


def ready_queue(printer: str | None) -> str:
    """The queue to print on (the named one, or CUPS's default), checked to be ready."""
    if printer and _looks_ready(printer):
        return printer
    # Otherwise ask question by question, to say exactly what is wrong.
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


def _looks_ready(queue: str) -> bool:
    """Whether the scheduler runs and `queue` is enabled and accepting jobs: one `lpstat`."""
    report = run_cups("lpstat", "-r", "-p", queue, "-a", queue)
    lines = report.stdout.splitlines()
    return (
        report.returncode == 0
        and bool(lines)
        and lines[0].strip() == "scheduler is running"
        and " disabled since " not in report.stdout
        and " not accepting requests " not in report.stdout
    )


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
    try:
        return run_program(command, *arguments, timeout=COMMAND_TIMEOUT_SECONDS)
    except ProgramMissingError:
        raise cannot_print(
            f"CUPS is not installed (no `{command}` command; install cups-client)"
        ) from None
    except ProgramTimeoutError:
        raise cannot_print(
            f"`{command}` got no answer from CUPS in {COMMAND_TIMEOUT_SECONDS} s"
        ) from None
