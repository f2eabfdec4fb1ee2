"""A worker started before the build knows what to do, so that WeasyPrint loads meanwhile.

For a single leaflet from a cold start, loading WeasyPrint is most of the time. A standby
worker forked at once loads it on the second core while this process reads the profile,
plans the build and checks the manifest. Meanwhile a second fork of this process, which has
Jinja2 and Markdown loaded already, checks the article and renders its HTML (`prepare_job`),
so that the standby only lays it out. When nothing needs building, the worker is stopped
unused, and this process never imports WeasyPrint.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from leaflets.builder.job import Job, Prepared
    from leaflets.builder.worker import Outcome
    from leaflets.config.options import BuildOptions, Limits
    from leaflets.config.profile import Profile


@dataclass
class Standby:
    """A forked worker that is loading WeasyPrint and waits for one job."""

    process: Any
    connection: Connection
    # Whether it takes the job's HTML made by a fork of the command (see `prepare_job`).
    takes_prepared: bool = False

    def discard(self) -> None:
        """Stop the worker when it was not needed."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


def start_standby() -> Standby:
    """Fork a worker that loads WeasyPrint now and builds whatever job it is sent later."""
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    process = context.Process(target=_wait_for_job, args=(theirs,), daemon=True)
    process.start()
    theirs.close()
    return Standby(process, ours, takes_prepared=True)


def _wait_for_job(connection: Connection) -> None:
    import weasyprint  # noqa: F401 - loaded now, while the parent is still planning

    from leaflets.builder.worker import work
    from leaflets.pdf.engine import font_configuration
    from leaflets.press.prepress import rewrites_pdf

    font_configuration()
    try:
        job, profile, options, memory, prepared = connection.recv()
    except EOFError:
        return
    if rewrites_pdf(options):
        import pikepdf  # noqa: F401 - loaded before the memory ceiling, like the rest
    work(job, profile, options, memory, connection, prepared)


def prepare_job(
    job: Job, profile: Profile, options: BuildOptions, limits: Limits, deadline: float
) -> Prepared | Outcome:
    """The job's prepared HTML (or the outcome of its failure), made in a forked process."""
    from leaflets.builder.worker import Outcome, prepare

    result: Prepared | Outcome
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe(duplex=False)
    process = context.Process(
        target=prepare, args=(job, profile, options, limits.memory, theirs), daemon=True
    )
    process.start()
    theirs.close()
    try:
        if ours.poll(max(0.0, deadline - time.monotonic())):
            result = ours.recv()
        else:
            stopped = f"{job.source}: took longer than {limits.timeout:g} s; stopped"
            result = Outcome(job, error=stopped)
    except EOFError:
        result = Outcome(job, error=f"{job.source}: the worker stopped while preparing it")
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        ours.close()
    return result
