"""A build worker kept warm while the desk runs, so that a changed leaflet is rebuilt at once.

The worker is forked from the pool's fork server, which has WeasyPrint, the fonts and the
whole build stack loaded already. It lays out one leaflet in a scratch folder (under the
pool's memory ceiling), so that the first build it is given pays for no first-time set-up,
and then waits for one job, handed over like the pool's own standby worker. Once that job is
done the next one is started in the background.
"""

from __future__ import annotations

import multiprocessing
import tempfile
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from leaflets.builder.job import Job, build_leaflet
from leaflets.builder.standby import Standby
from leaflets.config.errors import LeafletError, collect_warnings
from leaflets.config.options import BuildOptions
from leaflets.config.profile import Profile
from leaflets.desk.describe import limit_memory

WarmUp = tuple[Path, Profile, BuildOptions, int]


class WarmWorker:
    """One ready standby worker at a time, replaced as soon as it has been taken."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ready: Standby | None = None
        self._warm_up: WarmUp | None = None

    def start(self, warm_up: WarmUp | None = None) -> None:
        """Make a worker ready, laying out `warm_up` (article, profile, options, memory) once."""
        with self._lock:
            self._warm_up = warm_up or self._warm_up
            if self._ready is None or not self._ready.process.is_alive():
                self._ready = _fork_standby(self._warm_up)

    def take(self) -> Standby:
        """The ready worker, for one job; call `replenish()` once the job is done."""
        with self._lock:
            ready, self._ready = self._ready, None
            if ready is None or not ready.process.is_alive():
                ready = _fork_standby(self._warm_up)
        return ready

    def replenish(self) -> None:
        """Start the next worker in the background. Not sooner: its warm-up layout would take
        the CPU from the job it is meant to speed up."""
        threading.Thread(target=self.start, daemon=True).start()

    def stop(self) -> None:
        """Stop the ready worker."""
        with self._lock:
            if self._ready is not None:
                self._ready.discard()
                self._ready = None


def _fork_standby(warm_up: WarmUp | None) -> Standby:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["leaflets.builder.warm"])
    ours, theirs = context.Pipe()
    process = context.Process(target=_warm_then_wait, args=(theirs, warm_up), daemon=True)
    process.start()
    theirs.close()
    return Standby(process, ours)


def _warm_then_wait(connection: Connection, warm_up: WarmUp | None) -> None:
    """The standby's life: lay out the warm-up leaflet, then build the one job it is sent."""
    from leaflets.builder.worker import work

    if warm_up is not None:
        _lay_out_once(*warm_up)
    try:
        job, profile, options, memory = connection.recv()
    except EOFError:
        return
    work(job, profile, options, memory, connection)


def _lay_out_once(source: Path, profile: Profile, options: BuildOptions, memory: int) -> None:
    limit_memory(memory)
    with tempfile.TemporaryDirectory(prefix="leaflet-warm-") as scratch, collect_warnings():
        try:
            built = build_leaflet(Job(source, target=Path(scratch) / "warm.pdf"), profile, options)
        except (LeafletError, MemoryError, RecursionError):
            return
        for staged in built.files:
            staged.discard()
