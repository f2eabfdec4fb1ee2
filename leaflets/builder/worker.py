"""What a build worker runs: one job built into an outcome, or one call with its warnings."""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from leaflets.builder.job import Job
from leaflets.builder.make import build_leaflet
from leaflets.builder.outcome import Outcome
from leaflets.config.errors import LeafletError, collect_warnings
from leaflets.config.options import BuildOptions
from leaflets.config.profile import Profile
from leaflets.workers.ceiling import peak_rss


def build_job(job: Job, profile: Profile, options: BuildOptions) -> Outcome:
    """In a worker: build one job. Never raises; running out of memory ends the worker, and
    the pool reports that."""
    outcome = Outcome(job, worker=os.getpid())
    with collect_warnings() as found, _guarded(outcome):
        built = build_leaflet(job, profile, options)
        outcome.target, outcome.info, outcome.staged = built.target, built.info, built.files
    # A front-matter address is checked wherever the leaflet shows it: said once is enough.
    outcome.warnings = list(dict.fromkeys(found))
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
