"""A build worker kept warm while the desk runs, so that a changed leaflet is rebuilt at once.

The worker is forked from the pool's fork server, which has WeasyPrint, the fonts and the
whole build stack loaded already, and it lays out one leaflet at start, so that the first
print after a change pays for no first-time set-up. It then builds one job after another
under the pool's memory ceiling; a job past its time limit has the worker killed and
replaced.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import tempfile
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from leaflets.build.job import Job
from leaflets.build.pool import Outcome
from leaflets.build.pool import _serve as serve_jobs
from leaflets.config.options import BuildOptions, Limits
from leaflets.config.profile import Profile


class WarmWorker:
    """One long-lived build worker for one set of build options."""

    def __init__(self, profile: Profile, options: BuildOptions, limits: Limits) -> None:
        self.profile = profile
        self.options = options
        self.limits = limits
        self._lock = threading.Lock()
        self._process: Any = None
        self._connection: Connection | None = None

    def start(self, warm_up: Path | None = None) -> None:
        """Start the worker, and lay out `warm_up` once in a scratch folder."""
        with self._lock:
            self._ensure()
        if warm_up is not None:
            with tempfile.TemporaryDirectory(prefix="leaflet-warm-") as scratch:
                self.build(Job(warm_up, target=Path(scratch) / "warm.pdf"))

    def build(self, job: Job) -> Outcome:
        """Build one job in the warm worker; a worker that fails or hangs is replaced."""
        with self._lock:
            connection = self._ensure()
            connection.send(job)
            if not connection.poll(self.limits.timeout):
                self._discard()
                return Outcome(job, error=f"{job.source}: took too long; stopped")
            try:
                outcome: Outcome = connection.recv()
            except (EOFError, OSError):
                self._discard()
                return Outcome(job, error=f"{job.source}: the worker stopped unexpectedly")
            if outcome.fatal:
                self._discard()
            return outcome

    def stop(self) -> None:
        """Stop the worker: politely, then by force."""
        with self._lock:
            if self._connection is not None:
                with contextlib.suppress(OSError):
                    self._connection.send(None)
                self._process.join(timeout=5)
            self._discard()

    def _ensure(self) -> Connection:
        if self._process is None or not self._process.is_alive():
            self._discard()
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["leaflets.build.warm"])
            ours, theirs = context.Pipe()
            arguments = (theirs, self.profile, self.options, self.limits.memory)
            self._process = context.Process(target=serve_jobs, args=arguments, daemon=True)
            self._process.start()
            theirs.close()
            self._connection = ours
        assert self._connection is not None
        return self._connection

    def _discard(self) -> None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
        if self._connection is not None:
            self._connection.close()
        self._process = None
        self._connection = None
