"""The worker's side of the pool: build each job it is sent, under a memory ceiling."""

from __future__ import annotations

import resource
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from leaflets.builder.info import LeafletInfo
from leaflets.builder.job import Job, Prepared, build_leaflet, lay_out, prepare_leaflet
from leaflets.builder.output import Staged
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
    # A failed rebuild whose last good PDF is `target`: since when that PDF is stale (ISO).
    stale_since: str = ""

    @property
    def ok(self) -> bool:
        """Whether the leaflet was written."""
        return self.error is None


@dataclass(frozen=True)
class Call:
    """A function for a warm worker to run, such as the index after the leaflets."""

    function: Callable[..., Any]
    args: tuple[Any, ...]


def serve(connection: Connection, profile: Profile, options: BuildOptions, memory: int) -> None:
    """A worker's life: build each job (or run each call) it is sent, until told to stop or
    it goes wrong."""
    _load_engine(options)
    _limit_memory(memory)
    while True:
        try:
            task = connection.recv()
        except EOFError:
            return
        if task is None:
            return
        if isinstance(task, Call):
            connection.send(run_call(task))
            continue
        outcome = _build_one(task, profile, options, memory)
        connection.send(outcome)
        if outcome.fatal:
            return  # after running out of memory or stack, a fresh worker is safer


def run_call(call: Call) -> tuple[str, Any, list[str]]:
    """("ok", result, warnings), or ("error", one line, warnings): never raises."""
    with collect_warnings() as found:
        try:
            result: tuple[str, Any] = ("ok", call.function(*call.args))
        except LeafletError as error:
            result = ("error", str(error))
        except Exception as error:
            result = ("error", f"unexpected failure: {type(error).__name__}: {error}")
    return (*result, found)


def work(
    job: Job,
    profile: Profile,
    options: BuildOptions,
    memory: int,
    sender: Connection,
    prepared: Prepared | Outcome | None = None,
) -> None:
    """Build one job and send its outcome; `prepared` is the job's HTML made elsewhere, or
    the outcome of a failure to make it."""
    _limit_memory(memory)
    if isinstance(prepared, Outcome):
        outcome = prepared
    else:
        outcome = _build_one(job, profile, options, memory, prepared)
    sender.send(outcome)
    sender.close()


def prepare(
    job: Job, profile: Profile, options: BuildOptions, memory: int, sender: Connection
) -> None:
    """Check, load and render one job to HTML, under the memory ceiling, and send the result:
    the prepared leaflet, or the outcome of its failure."""
    _limit_memory(memory)
    outcome = Outcome(job)
    prepared: Prepared | None = None
    with collect_warnings() as found, _guarded(outcome, memory):
        prepared = prepare_leaflet(job, profile, options)
    if prepared is None:
        outcome.warnings = found
        sender.send(outcome)
    else:
        sender.send(replace(prepared, warnings=found))
    sender.close()


def _build_one(
    job: Job,
    profile: Profile,
    options: BuildOptions,
    memory: int,
    prepared: Prepared | None = None,
) -> Outcome:
    outcome = Outcome(job)
    with collect_warnings() as found, _guarded(outcome, memory):
        if prepared is None:
            built = build_leaflet(job, profile, options)
        else:
            built = lay_out(prepared, profile)
        outcome.target, outcome.info, outcome.staged = built.target, built.info, built.files
    outcome.warnings = (prepared.warnings if prepared else []) + found
    outcome.peak_rss = _peak_rss()
    return outcome


@contextmanager
def _guarded(outcome: Outcome, memory: int) -> Iterator[None]:
    """Turn what goes wrong in a step into the outcome's error; never raise."""
    source = outcome.job.source
    try:
        yield
    except LeafletError as error:
        outcome.error = str(error)
        outcome.details = traceback.format_exc()
    # Under the ceiling, a C library whose allocation fails may say so only as a
    # SystemError without an exception set.
    except (MemoryError, SystemError):
        outcome.error = f"{source}: needs more than {memory // 2**20} MiB of memory; stopped"
        outcome.fatal = True
    except RecursionError:
        outcome.error = f"{source}: is nested too deeply to lay out"
        outcome.fatal = True
    except Exception as error:
        outcome.error = f"{source}: unexpected failure: {type(error).__name__}: {error}"
        outcome.details = traceback.format_exc()
        outcome.fatal = True


def _load_engine(options: BuildOptions) -> None:
    """WeasyPrint, its fonts and the rest of the build stack, loaded before the memory ceiling:
    a library mapped in under it could fail as a baffling ImportError instead of a clear
    MemoryError. A worker of the fork server has them already; a worker forked from the
    command loads them now, on its own core."""
    import leaflets.builder.warm  # noqa: F401
    from leaflets.press.prepress import rewrites_pdf

    if rewrites_pdf(options):
        import pikepdf  # noqa: F401 - for bleed boxes and booklets


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
