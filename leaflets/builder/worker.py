"""What a build worker runs: one job built into an outcome, or one call with its warnings."""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leaflets.builder.info import LeafletInfo
from leaflets.builder.job import Job, build_leaflet
from leaflets.builder.output import Staged
from leaflets.config.errors import LeafletError, collect_warnings
from leaflets.config.options import BuildOptions
from leaflets.config.profile import Profile
from leaflets.workers.ceiling import peak_rss


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
    worker: int = 0  # the process id of the worker that built it

    @property
    def ok(self) -> bool:
        """Whether the leaflet was written."""
        return self.error is None


def build_job(job: Job, profile: Profile, options: BuildOptions) -> Outcome:
    """In a worker: build one job. Never raises; running out of memory ends the worker, and
    the pool reports that."""
    outcome = Outcome(job, worker=os.getpid())
    with collect_warnings() as found, _guarded(outcome):
        built = build_leaflet(job, profile, options)
        outcome.target, outcome.info, outcome.staged = built.target, built.info, built.files
    outcome.warnings = found
    outcome.peak_rss = peak_rss()
    return outcome


def run_call(function: Callable[..., Any], args: tuple[Any, ...]) -> tuple[str, Any, list[str]]:
    """In a worker: ("ok", result, warnings), or ("error", one line, warnings)."""
    with collect_warnings() as found:
        try:
            result: tuple[str, Any] = ("ok", function(*args))
        except LeafletError as error:
            result = ("error", str(error))
        except RecursionError:
            result = ("error", "is nested too deeply")
    return (*result, found)


@contextmanager
def _guarded(outcome: Outcome) -> Iterator[None]:
    """Turn what goes wrong in the build into the outcome's error."""
    source = outcome.job.source
    try:
        yield
    except LeafletError as error:
        outcome.error = str(error)
        outcome.details = traceback.format_exc()
    except RecursionError:
        outcome.error = f"{source}: is nested too deeply to lay out"
        outcome.fatal = True
    except (MemoryError, SystemError):
        raise  # the pool ends the worker and reports it
    except Exception as error:
        outcome.error = f"{source}: unexpected failure: {type(error).__name__}: {error}"
        outcome.details = traceback.format_exc()
        outcome.fatal = True
