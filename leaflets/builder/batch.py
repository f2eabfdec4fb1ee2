"""Building in a pool of warm workers: the pool for a build, each job's outcome as it finishes,
and one call in a warm worker with its warnings passed on."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from leaflets.config.errors import LeafletError, WorkerError, warn
from leaflets.config.options import BuildOptions, Limits
from leaflets.config.profile import Profile
from leaflets.press.prepress import rewrites_pdf
from leaflets.workers import Pool, Start, TaskError

# The build's own modules are imported on first use, not here: a command starts its pool
# before it loads them, so that its workers are forked (and load WeasyPrint) meanwhile.
if TYPE_CHECKING:
    from concurrent.futures import Future

    from leaflets.builder.job import Job
    from leaflets.builder.outcome import Outcome


@dataclass(frozen=True)
class Call:
    """A function called in a worker: its name, for errors, and the task."""

    name: str
    future: Future[tuple[str, Any, list[str]]]


# The whole build stack, imported by each worker before its memory ceiling (see warm.py).
WARM = "leaflets.builder.warm"
CALL_TIMEOUT = 120.0


def build_pool(
    limits: Limits,
    options: BuildOptions | None = None,
    start: Start = "forkserver",
    workers: int | None = None,
    brief: bool = False,
) -> Pool:
    """A pool for builds under `limits`: workers warm with the build stack (and pikepdf, when
    the options rewrite the PDFs); `brief` for one command's (see `Pool`)."""
    preload = [WARM]
    if options is not None and rewrites_pdf(options):
        preload.append("pikepdf")  # for bleed boxes and booklets
    return Pool(workers or limits.workers, limits.memory, preload, start, brief)


def build_jobs(
    pool: Pool, jobs: list[Job], profile: Profile, options: BuildOptions, timeout: float
) -> Iterator[Outcome]:
    """Build the jobs in the pool's workers; yield each outcome as it finishes."""
    if not jobs:
        return  # nothing to build: the build stack is not even loaded
    from leaflets.builder.outcome import Outcome
    from leaflets.builder.worker import build_job

    futures = {pool.submit(build_job, job, profile, options, timeout=timeout): job for job in jobs}
    try:
        for future in pool.finished(futures):
            job = futures[future]
            try:
                outcome = pool.result(future)
            except WorkerError as error:
                outcome = Outcome(job, error=f"{job.source}: {error}")
            except TaskError as error:
                message = f"{job.source}: unexpected failure: {error}"
                outcome = Outcome(job, error=message, details=error.details, fatal=True)
            yield outcome
    finally:
        # A caller that stops early leaves no job running: a running one has its worker
        # stopped, and the pool starts another.
        for future in futures:
            future.cancel()


def call_in(
    pool: Pool, function: Callable[..., Any], *args: Any, timeout: float = CALL_TIMEOUT
) -> Any:
    """`function(*args)` in a warm worker of the pool, its warnings passed on; its failure as
    `LeafletError`."""
    return call_result(pool, start_call(pool, function, *args, timeout=timeout))


def start_call(
    pool: Pool, function: Callable[..., Any], *args: Any, timeout: float = CALL_TIMEOUT
) -> Call:
    """`function(*args)` started in a warm worker of the pool; `call_result` waits for it."""
    from leaflets.builder.worker import run_call

    return Call(function.__name__, pool.submit(run_call, function, args, timeout=timeout))


def call_result(pool: Pool, call: Call) -> Any:
    """What a started call returned, its warnings passed on; its failure as `LeafletError`."""
    try:
        kind, value, found = pool.result(call.future)
    except WorkerError as error:
        raise WorkerError(None, f"{call.name}: {error}") from None
    for message in found:
        warn(message)
    if kind == "error":
        raise LeafletError(None, value)
    return value
