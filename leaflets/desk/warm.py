"""A worker kept warm while the desk runs, so that a changed leaflet is rebuilt at once.

The worker is forked from the pool's fork server, which has WeasyPrint, the fonts and the
whole build stack loaded already; it waits for one job. After each job a fresh one is made
ready, so that the next print does not wait for WeasyPrint to load.
"""

from __future__ import annotations

import multiprocessing
import threading

from leaflets.build.standby import Standby
from leaflets.build.standby import _wait_for_job as wait_for_job


class WarmWorker:
    """One standby worker at a time, replaced as soon as it has been taken."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ready: Standby | None = None

    def start(self) -> None:
        """Make a worker ready (this starts the fork server on first use)."""
        with self._lock:
            if self._ready is None or not self._ready.process.is_alive():
                self._ready = _fork_standby()

    def take(self) -> Standby:
        """The ready worker, for one job; the next one is started in the background."""
        with self._lock:
            ready = self._ready
            self._ready = None
        if ready is None or not ready.process.is_alive():
            ready = _fork_standby()
        threading.Thread(target=self.start, daemon=True).start()
        return ready

    def stop(self) -> None:
        """Stop the ready worker."""
        with self._lock:
            if self._ready is not None:
                self._ready.discard()
                self._ready = None


def _fork_standby() -> Standby:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["leaflets.build.warm"])
    ours, theirs = context.Pipe()
    process = context.Process(target=wait_for_job, args=(theirs,), daemon=True)
    process.start()
    theirs.close()
    return Standby(process, ours)
