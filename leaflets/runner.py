"""Building leaflets in worker processes, each under a time limit and a memory ceiling."""

from __future__ import annotations

import multiprocessing
import resource
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from .build import Job, build_leaflet
from .errors import LeafletError, collect_warnings
from .options import BuildOptions, Limits
from .profile import Profile
from .standby import Standby


@dataclass
class Outcome:
    """What became of one job: the PDF written, or one line saying why not."""

    job: Job
    target: Path | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    details: str = ""
    peak_rss: int = 0

    @property
    def ok(self) -> bool:
        """Whether the leaflet was written."""
        return self.error is None


@dataclass
class _Running:
    job: Job
    process: Any
    connection: Connection
    deadline: float


def run_jobs(
    jobs: list[Job],
    profile: Profile,
    options: BuildOptions,
    limits: Limits,
    standby: Standby | None = None,
) -> Iterator[Outcome]:
    """Build every job in its own worker process; yield outcomes as they finish."""
    context = _context(len(jobs))
    waiting = list(reversed(jobs))
    running: list[_Running] = []
    if standby is not None and len(jobs) == 1:
        running.append(_hand_over(standby, waiting.pop(), profile, options, limits))
    while waiting or running:
        while waiting and len(running) < max(1, limits.workers):
            running.append(_start(context, waiting.pop(), profile, options, limits))
        yield from _collect(running, limits)


def _context(count: int) -> Any:
    if count == 1:
        # One leaflet: a fork of this process, which has already imported everything but
        # WeasyPrint, starts sooner than a fork server that has to import it all again.
        return multiprocessing.get_context("fork")
    # The fork server imports WeasyPrint and lays out a warm-up leaflet once; each worker
    # starts from that warm copy, so a catalogue does not pay that for every leaflet.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["leaflets.warm"])
    return context


def _start(
    context: Any, job: Job, profile: Profile, options: BuildOptions, limits: Limits
) -> _Running:
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_work, args=(job, profile, options, limits.memory, sender))
    process.start()
    sender.close()
    return _Running(job, process, receiver, time.monotonic() + limits.timeout)


def _hand_over(
    standby: Standby, job: Job, profile: Profile, options: BuildOptions, limits: Limits
) -> _Running:
    standby.connection.send((job, profile, options, limits.memory))
    return _Running(job, standby.process, standby.connection, time.monotonic() + limits.timeout)


def _collect(running: list[_Running], limits: Limits) -> Iterator[Outcome]:
    soonest = min(item.deadline for item in running)
    ready = wait(
        [item.connection for item in running], timeout=max(0.0, soonest - time.monotonic())
    )
    for item in list(running):
        if item.connection in ready:
            running.remove(item)
            yield _finish(item)
        elif time.monotonic() >= item.deadline:
            running.remove(item)
            yield _stop(item, limits)


def _finish(item: _Running) -> Outcome:
    try:
        outcome: Outcome = item.connection.recv()
    except EOFError:
        outcome = Outcome(item.job, error=f"{item.job.source}: {_death(item.process)}")
    item.process.join()
    item.connection.close()
    return outcome


def _stop(item: _Running, limits: Limits) -> Outcome:
    item.process.kill()
    item.process.join()
    item.connection.close()
    return Outcome(
        item.job, error=f"{item.job.source}: took longer than {limits.timeout:g} s; stopped"
    )


def _death(process: Any) -> str:
    process.join()
    code = process.exitcode
    if code is not None and code < 0:
        return f"the worker was killed by signal {-code} (out of memory?)"
    return f"the worker stopped unexpectedly (exit code {code})"


def _work(
    job: Job, profile: Profile, options: BuildOptions, memory: int, sender: Connection
) -> None:
    _limit_memory(memory)
    outcome = Outcome(job)
    with collect_warnings() as found:
        try:
            outcome.target = build_leaflet(job, profile, options)
        except LeafletError as error:
            outcome.error = str(error)
            outcome.details = traceback.format_exc()
        except MemoryError:
            outcome.error = (
                f"{job.source}: needs more than {memory // 2**20} MiB of memory; stopped"
            )
        except RecursionError:
            outcome.error = f"{job.source}: is nested too deeply to lay out"
        except Exception as error:
            outcome.error = f"{job.source}: unexpected failure: {type(error).__name__}: {error}"
            outcome.details = traceback.format_exc()
    outcome.warnings = found
    outcome.peak_rss = _peak_rss()
    sender.send(outcome)
    sender.close()


def _peak_rss() -> int:
    """This process's peak resident memory in bytes, shared pages from the fork included."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _limit_memory(limit: int) -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > limit:
        resource.setrlimit(
            resource.RLIMIT_AS, (limit, limit if hard == resource.RLIM_INFINITY else hard)
        )
