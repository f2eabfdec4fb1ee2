"""Building leaflets in warm worker processes, each article under a time limit and every
worker under a memory ceiling."""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from leaflets.builder.job import Job
from leaflets.builder.standby import Standby, prepare_job
from leaflets.builder.worker import Call, Outcome, run_call, serve
from leaflets.config.errors import LeafletError, warn
from leaflets.config.options import BuildOptions, Limits
from leaflets.config.profile import Profile
from leaflets.press.prepress import rewrites_pdf


@dataclass
class _Worker:
    """A long-lived worker process and the job it is building, if any."""

    process: Any
    connection: Connection
    job: Job | None = None
    deadline: float = 0.0
    reusable: bool = True

    def stop(self) -> None:
        """End the worker: politely when idle, by force when busy."""
        if self.job is None and self.reusable and self.process.is_alive():
            with contextlib.suppress(OSError):
                self.connection.send(None)
            self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


class WorkerPool:
    """Warm worker processes for a build: the leaflets first, then (in a worker already warm)
    any call that follows, such as the folder's index. Close it to end every worker."""

    def __init__(self, profile: Profile, options: BuildOptions, limits: Limits) -> None:
        self.profile, self.options, self.limits = profile, options, limits
        self.idle: list[_Worker] = []

    def build(self, jobs: list[Job], standby: Standby | None = None) -> Iterator[Outcome]:
        """Build the jobs; yield outcomes as they finish.

        Each worker builds one article after another; an article that runs past the timeout
        has its worker killed and replaced, and each worker lives under the memory ceiling.
        """
        profile, options, limits = self.profile, self.options, self.limits
        context = _context(len(jobs))
        if rewrites_pdf(options):
            _preload_pikepdf(context)
        waiting = list(reversed(jobs))
        busy: list[_Worker] = []
        if standby is not None and len(jobs) == 1:
            busy.append(_hand_over(standby, waiting.pop(), profile, options, limits))
        try:
            while waiting or busy:
                while waiting and len(busy) < max(1, limits.workers):
                    worker = self.idle.pop() if self.idle else self._spawn(context)
                    _assign(worker, waiting.pop(), limits)
                    busy.append(worker)
                for worker, outcome in _collect(busy, limits):
                    # Filed before the yield, so that a caller who stops early leaves no
                    # worker behind.
                    if worker.reusable:
                        self.idle.append(worker)
                    else:
                        worker.stop()
                    yield outcome
        finally:
            for worker in busy:
                worker.stop()

    def call(self, function: Any, *args: Any, timeout: float = 120) -> Any:
        """`function(*args)` in an idle warm worker, or in a new one of the fork server."""
        if not self.idle:
            return call_in_worker(function, *args, timeout=timeout)
        worker = self.idle.pop()
        try:
            worker.connection.send(Call(function, args))
            if not worker.connection.poll(timeout):
                raise LeafletError(None, f"{function.__name__} took longer than {timeout:g} s")
            kind, value, found = worker.connection.recv()
        except (EOFError, OSError):
            worker.reusable = False
            raise LeafletError(None, f"{function.__name__}: {_death(worker.process)}") from None
        except BaseException:
            worker.reusable = False
            raise
        finally:
            if worker.reusable:
                self.idle.append(worker)
            else:
                worker.stop()
        return _result(function, kind, value, found)

    def close(self) -> None:
        """End every worker, and wait for each to be gone."""
        while self.idle:
            self.idle.pop().stop()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _spawn(self, context: Any) -> _Worker:
        return _spawn(context, self.profile, self.options, self.limits)


def run_jobs(
    jobs: list[Job],
    profile: Profile,
    options: BuildOptions,
    limits: Limits,
    standby: Standby | None = None,
) -> Iterator[Outcome]:
    """Build the jobs in a pool of warm worker processes; yield outcomes as they finish."""
    with WorkerPool(profile, options, limits) as pool:
        yield from pool.build(jobs, standby)


def _context(count: int) -> Any:
    if count == 1 or threading.active_count() == 1:
        # A fork of this process, when it runs no other thread (the command line): it has
        # the build stack imported already, and each worker loads WeasyPrint on its own core,
        # sooner than a fork server could start and load it all once (0.3-0.5 s sooner on
        # two cores, measured on a catalogue of 30).
        return multiprocessing.get_context("fork")
    # A process with threads (the desk's server) must not fork: the fork server, started
    # clean, imports the whole build stack once, and each worker starts from that warm copy.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["leaflets.builder.warm"])
    return context


def _preload_pikepdf(context: Any) -> None:
    """pikepdf in the fork server too, for bleed boxes and booklets; a running one keeps what
    it has (a worker then imports it on first use)."""
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(["leaflets.builder.warm", "pikepdf"])


def _spawn(context: Any, profile: Profile, options: BuildOptions, limits: Limits) -> _Worker:
    ours, theirs = context.Pipe()
    # A daemon, so that an interpreter that exits never waits on a worker left idle.
    process = context.Process(
        target=serve, args=(theirs, profile, options, limits.memory), daemon=True
    )
    process.start()
    theirs.close()
    return _Worker(process, ours)


def _assign(worker: _Worker, job: Job, limits: Limits) -> None:
    worker.connection.send(job)
    worker.job = job
    worker.deadline = time.monotonic() + limits.timeout


def _hand_over(
    standby: Standby, job: Job, profile: Profile, options: BuildOptions, limits: Limits
) -> _Worker:
    deadline = time.monotonic() + limits.timeout
    if standby.takes_prepared:
        # The HTML is made in a second process while the standby is still loading WeasyPrint.
        prepared = prepare_job(job, profile, options, limits, deadline)
        standby.connection.send((job, profile, options, limits.memory, prepared))
    else:
        standby.connection.send((job, profile, options, limits.memory))
    return _Worker(standby.process, standby.connection, job, deadline, reusable=False)


def _collect(busy: list[_Worker], limits: Limits) -> Iterator[tuple[_Worker, Outcome]]:
    soonest = min(worker.deadline for worker in busy)
    ready = wait(
        [worker.connection for worker in busy], timeout=max(0.0, soonest - time.monotonic())
    )
    for worker in list(busy):
        if worker.connection in ready:
            busy.remove(worker)
            yield worker, _finish(worker)
        elif time.monotonic() >= worker.deadline:
            busy.remove(worker)
            yield worker, _stop(worker, limits)


def _finish(worker: _Worker) -> Outcome:
    job = worker.job
    assert job is not None
    try:
        outcome: Outcome = worker.connection.recv()
    except (EOFError, OSError):
        worker.reusable = False
        outcome = Outcome(job, error=f"{job.source}: {_death(worker.process)}")
    worker.job = None
    if outcome.fatal:
        worker.reusable = False
    return outcome


def _stop(worker: _Worker, limits: Limits) -> Outcome:
    job = worker.job
    assert job is not None
    worker.reusable = False
    worker.process.kill()
    return Outcome(job, error=f"{job.source}: took longer than {limits.timeout:g} s; stopped")


def _death(process: Any) -> str:
    process.join()
    code = process.exitcode
    if code is not None and code < 0:
        return f"the worker was killed by signal {-code} (out of memory?)"
    return f"the worker stopped unexpectedly (exit code {code})"


def call_in_worker(function: Any, *args: Any, timeout: float = 120) -> Any:
    """`function(*args)` in a warm worker of the fork server, with its warnings passed on.

    A folder build has the fork server running already, so this avoids importing WeasyPrint
    in this process just for one more page.
    """
    context = _context(2)
    ours, theirs = context.Pipe(duplex=False)
    process = context.Process(target=_call, args=(theirs, function, args))
    process.start()
    theirs.close()
    try:
        if not ours.poll(timeout):
            raise LeafletError(None, f"{function.__name__} took longer than {timeout:g} s")
        kind, value, found = ours.recv()
    except EOFError:
        raise LeafletError(None, f"{function.__name__}: {_death(process)}") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        ours.close()
    return _result(function, kind, value, found)


def _result(function: Any, kind: str, value: Any, found: list[str]) -> Any:
    """A call's value, with its warnings passed on; LeafletError for its failure."""
    for message in found:
        warn(message)
    if kind == "error":
        raise LeafletError(None, value)
    return value


def _call(sender: Connection, function: Any, args: tuple[Any, ...]) -> None:
    sender.send(run_call(Call(function, args)))
    sender.close()
