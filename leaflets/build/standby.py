"""A worker started before the build knows what to do, so that WeasyPrint loads meanwhile.

For a single leaflet from a cold start, loading WeasyPrint is most of the time. A standby
worker forked at once loads it on the second core while this process reads the profile,
plans the build and checks the manifest. When nothing needs building, the worker is
stopped unused, and this process never imports WeasyPrint.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any


@dataclass
class Standby:
    """A forked worker that is loading WeasyPrint and waits for one job."""

    process: Any
    connection: Connection

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
    return Standby(process, ours)


def _wait_for_job(connection: Connection) -> None:
    import pikepdf  # noqa: F401 - loaded now, while the parent is still planning
    import weasyprint  # noqa: F401

    from leaflets.build.worker import work
    from leaflets.pdf.engine import font_configuration

    font_configuration()
    try:
        job, profile, options, memory = connection.recv()
    except EOFError:
        return
    work(job, profile, options, memory, connection)
