"""Ending the helper processes a build started, so that none outlives the command.

The pool's workers are stopped and joined as the build ends, but multiprocessing keeps its
fork server (and the resource tracker it starts) until the interpreter exits, and they
would then go down a moment after the command has returned. Waiting for them here means a
caller never sees a leftover process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from typing import Any


def end_children() -> None:
    """Join any child processes still running, then stop the fork server and tracker."""
    for child in multiprocessing.active_children():
        child.join(timeout=5)
        if child.is_alive():
            child.kill()
            child.join()
    server = _helper("multiprocessing.forkserver", "_forkserver")
    pid = getattr(server, "_forkserver_pid", None)
    if pid is not None:
        # It holds nothing to save once its workers are joined, and a polite exit would
        # tear down its whole WeasyPrint heap first (a quarter of a second): kill it.
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        _stop(server)
    # The resource tracker may still have to clean up after a worker: asked, not killed.
    _stop(_helper("multiprocessing.resource_tracker", "_resource_tracker"))


def _helper(module_name: str, attribute: str) -> Any:
    """One of multiprocessing's helper processes; None when its module was never imported."""
    return getattr(sys.modules.get(module_name), attribute, None)


def _stop(helper: Any) -> None:
    """Close the helper's pipe and reap it; nothing happens when it was never started."""
    stop = getattr(helper, "_stop", None)
    if stop is not None:
        with contextlib.suppress(OSError, ChildProcessError):
            stop()
