"""Running another program to its end, in a plain locale and within a time limit."""

from __future__ import annotations

import os
import shutil
import subprocess


class ProgramMissingError(LookupError):
    """The program is not installed (not on PATH)."""


class ProgramTimeoutError(TimeoutError):
    """The program gave no answer within its time limit, and was stopped."""


def run_program(name: str, *arguments: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """`name` (found on PATH) with `arguments`, its output captured as text. It runs in the C
    locale, so that its replies read the same on every machine."""
    program = shutil.which(name)
    if program is None:
        raise ProgramMissingError(name)
    environment = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    try:
        return subprocess.run(
            [program, *arguments],
            capture_output=True,
            text=True,
            env=environment,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ProgramTimeoutError(name) from None
