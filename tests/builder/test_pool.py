"""The worker pool: a slow article is stopped, a dead worker is replaced, the rest build."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import time
from pathlib import Path

import pytest

from leaflets.builder import worker
from leaflets.builder.batch import build_jobs, build_pool
from leaflets.builder.job import Job
from leaflets.builder.make import Built
from leaflets.config.defaults import RENDER_MEMORY_BYTES
from leaflets.config.options import BuildOptions, Limits
from leaflets.config.profile import Profile
from leaflets.workers.ceiling import address_space

from ..conftest import EXAMPLE

real_build = worker.build_leaflet


def slow_or_broken_build(job: Job, profile: Profile, options: BuildOptions) -> Built:
    """The real build, except for articles that hang, recurse too deeply or kill their worker."""
    if job.source.stem == "slow":
        time.sleep(60)
    if job.source.stem == "deep":
        raise RecursionError
    if job.source.stem == "dies":
        os._exit(3)
    return real_build(job, profile, options)


@pytest.fixture
def articles(tmp_path: Path) -> list[Path]:
    """The example under several names, and the two troublesome articles."""
    folder = tmp_path / "articles"
    folder.mkdir()
    names = ["a", "slow", "b", "deep", "c", "dies", "d"]
    return [Path(shutil.copy(EXAMPLE, folder / f"{name}.md")) for name in names]


def test_a_slow_article_is_stopped_and_a_broken_worker_replaced(
    articles: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A plain fork carries the patched build into the workers; the pool logic is the same. A
    # test process grown by earlier layouts would get the fork server instead (the workers'
    # ceiling is about half a fork's size): this pool's ceiling leaves room for the fork.
    monkeypatch.setattr(worker, "build_leaflet", slow_or_broken_build)
    jobs = [Job(source, folder=tmp_path / "out") for source in articles]
    limits = Limits(2, memory=max(RENDER_MEMORY_BYTES, 4 * address_space()))
    with build_pool(limits, start="fork") as pool:
        assert pool.start_method == "fork"
        outcomes = {
            outcome.job.source.stem: outcome
            for outcome in build_jobs(pool, jobs, Profile(), BuildOptions(), timeout=5)
        }
    assert outcomes["slow"].error == f"{articles[1]}: took longer than 5 s; stopped"
    assert outcomes["deep"].error == f"{articles[3]}: is nested too deeply to lay out"
    assert outcomes["dies"].error == f"{articles[5]}: the worker stopped unexpectedly (exit code 3)"
    for name in "abcd":
        assert outcomes[name].ok, outcomes[name].error
        assert outcomes[name].target == tmp_path / "out" / f"{name}.pdf"
        # Staged beside its target: the catalogue puts it in place.
        assert outcomes[name].staged[0].temporary.read_bytes().startswith(b"%PDF-")
    assert all(outcome.peak_rss > 0 for outcome in outcomes.values() if outcome.ok)
    # Two workers at a time, kept warm from one article to the next: only the two stopped
    # with their article were replaced.
    assert len({outcome.worker for outcome in outcomes.values() if outcome.worker}) <= 4
    assert not multiprocessing.active_children()
