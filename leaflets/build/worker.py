"""The worker's side of the pool: build each job it is sent, under a memory ceiling."""

from __future__ import annotations

import resource
import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from leaflets.build.info import LeafletInfo
from leaflets.build.job import Job, build_leaflet
from leaflets.build.output import Staged
from leaflets.config.errors import LeafletError, collect_warnings
from leaflets.config.options import BuildOptions
from leaflets.config.profile import Profile


@dataclass
class Outcome:
    """What became of one job: the PDF written, or one line saying why not."""

    job: Job
    target: Path | None = None
    info: LeafletInfo | None = None
    staged: list[Staged] = field(default_factory=list)
    fresh: bool = False
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    details: str = ""
    peak_rss: int = 0
    fatal: bool = False

    @property
    def ok(self) -> bool:
        """Whether the leaflet was written."""
        return self.error is None


def serve(connection: Connection, profile: Profile, options: BuildOptions, memory: int) -> None:
    """A worker's life: build each job it is sent, until told to stop or it goes wrong."""
    _limit_memory(memory)
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job is None:
            return
        outcome = _build_one(job, profile, options, memory)
        connection.send(outcome)
        if outcome.fatal:
            return  # after running out of memory or stack, a fresh worker is safer


def work(
    job: Job, profile: Profile, options: BuildOptions, memory: int, sender: Connection
) -> None:
    _limit_memory(memory)
    sender.send(_build_one(job, profile, options, memory))
    sender.close()


def _build_one(job: Job, profile: Profile, options: BuildOptions, memory: int) -> Outcome:
    outcome = Outcome(job)
    with collect_warnings() as found:
        try:
            built = build_leaflet(job, profile, options)
            outcome.target, outcome.info, outcome.staged = built.target, built.info, built.files
        except LeafletError as error:
            outcome.error = str(error)
            outcome.details = traceback.format_exc()
        # Under the ceiling, a C library whose allocation fails may say so only as a
        # SystemError without an exception set.
        except (MemoryError, SystemError):
            outcome.error = (
                f"{job.source}: needs more than {memory // 2**20} MiB of memory; stopped"
            )
            outcome.fatal = True
        except RecursionError:
            outcome.error = f"{job.source}: is nested too deeply to lay out"
            outcome.fatal = True
        except Exception as error:
            outcome.error = f"{job.source}: unexpected failure: {type(error).__name__}: {error}"
            outcome.details = traceback.format_exc()
            outcome.fatal = True
    outcome.warnings = found
    outcome.peak_rss = _peak_rss()
    return outcome


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
