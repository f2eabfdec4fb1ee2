"""Limits: a huge article stops cleanly in time, a greedy one at its memory ceiling."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from leaflets.builder.batch import build_jobs, build_pool
from leaflets.builder.job import Job
from leaflets.config.defaults import MAX_ARTICLE_BYTES
from leaflets.config.options import BuildOptions, Limits
from leaflets.config.profile import Profile

from ..conftest import EXAMPLE, Run

PARAGRAPH = "Smerter i bækkenet kan skyldes mange ting, og de fleste går over af sig selv. "


def test_an_article_over_the_size_limit_is_refused(cli: Callable[..., Run], tmp_path: Path) -> None:
    article = tmp_path / "big.md"
    article.write_text("---\ntitle: Stor\n---\n" + "x" * MAX_ARTICLE_BYTES)
    result = cli("build", article, "-o", tmp_path / "big.pdf")
    assert result.code == 1
    assert result.errors == [f"error: {article}: is larger than 2 MB"]


@pytest.mark.slow
def test_a_huge_article_stops_at_the_time_limit(cli: Callable[..., Run], tmp_path: Path) -> None:
    article = tmp_path / "huge.md"
    paragraphs = (MAX_ARTICLE_BYTES - 1000) // (len(PARAGRAPH.encode()) + 2)
    article.write_text("---\ntitle: Stor\n---\n" + f"{PARAGRAPH}\n\n" * paragraphs)
    (tmp_path / "huge.pdf").write_bytes(b"%PDF- earlier")
    result = cli("build", article, "-o", tmp_path / "huge.pdf", "--timeout", "3")
    assert result.code == 1
    assert result.errors == [f"error: {article}: took longer than 3 s; stopped"]
    assert (tmp_path / "huge.pdf").read_bytes() == b"%PDF- earlier"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["huge.md", "huge.pdf"]


def test_a_build_over_the_memory_ceiling_stops_cleanly(tmp_path: Path) -> None:
    ceiling = Limits(workers=1, timeout=60, memory=100 * 2**20)
    job = Job(EXAMPLE, target=tmp_path / "leaflet.pdf")
    with build_pool(ceiling, start="fork") as pool:
        (outcome,) = build_jobs(pool, [job], Profile(), BuildOptions(), ceiling.timeout)
    # Usually a MemoryError in Python; an allocation failing inside a C library may kill instead.
    assert outcome.error in (
        f"{EXAMPLE}: needs more than 100 MiB of memory; stopped",
        f"{EXAMPLE}: the worker was killed by signal 11 (out of memory?)",
    )
    assert not (tmp_path / "leaflet.pdf").exists()
