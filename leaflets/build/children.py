"""Ending the helper processes a build started, so that none outlives the command.

The pool's workers are stopped and joined as the build ends, but multiprocessing keeps its
fork server (and the resource tracker it starts) until the interpreter exits, and they
would then go down a moment after the command has returned. Waiting for them here means a
caller never sees a leftover process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys


def end_children() -> None:
    """Join any child processes still running, then stop the fork server and tracker."""
    for child in multiprocessing.active_children():
        child.join(timeout=5)
        if child.is_alive():
            child.kill()
            child.join()
    _stop_helper("multiprocessing.forkserver", "_forkserver")
    _stop_helper("multiprocessing.resource_tracker", "_resource_tracker")


def _stop_helper(module_name: str, attribute: str) -> None:
    """Stop one of multiprocessing's helper processes, if this process started it."""
    module = sys.modules.get(module_name)  # never imported: never started
    helper = getattr(module, attribute, None)
    stop = getattr(helper, "_stop", None)
    if stop is None:
        return
    # The helper is gone already when its process ended on its own.
    with contextlib.suppress(OSError, ChildProcessError):
        stop()
