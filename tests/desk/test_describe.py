"""The desk's search text is made in time linear in the article, whatever the text holds.

As in `test_linear_time.py`: each shape is loaded at 100 000 and at 200 000 characters, and
`body_text` (describe's work on article text) may cost at most 3.5 times as much CPU time on
twice the text, measured in a forked child with a hang guard. Loading is not measured here.
"""

from __future__ import annotations

import gc
import multiprocessing
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from leaflets.article.model import Article, load_article
from leaflets.config.errors import LeafletError, collect_warnings
from leaflets.desk.describe import body_text

from ..security.test_linear_time import (
    HANG_GUARD_SECONDS,
    SIZES,
    Shape,
    article,
    shapes,
    within_ratio,
)


def describe_shapes() -> Iterator[tuple[str, Shape]]:
    """The shapes of the article checks, and indented brackets, which once took the desk down."""
    yield from shapes()
    yield "indented [ lines", lambda n: "  [\n" * (n // 4)
    yield "[ lines indented as code", lambda n: "    [\n" * (n // 6)
    yield "indented [ and < lines", lambda n: "  [ <\n" * (n // 6)
    yield "a link's start on every line", lambda n: "- [a](\n" * (n // 7)


def cpu_seconds(loaded: Article) -> float:
    gc.collect()
    gc.disable()  # the collector's pauses grow with the objects a large input makes
    try:
        start = time.process_time()
        body_text(loaded)
        return time.process_time() - start
    finally:
        gc.enable()


def best_of_three(loaded: Article) -> float:
    return min(cpu_seconds(loaded) for _ in range(3))


def measure(small: Path, large: Path, answer: Connection) -> None:
    """In the child: body_text's CPU time at each size, measured again if the ratio is high."""
    try:
        with collect_warnings():
            loaded = (load_article(small), load_article(large))
    except LeafletError:  # a refused article never reaches the desk's records
        answer.send((0.0, 0.0))
        return
    body_text(loaded[0])  # lazy imports and first-use work are done before timing
    times = (cpu_seconds(loaded[0]), cpu_seconds(loaded[1]))
    if not within_ratio(*times):
        times = (best_of_three(loaded[0]), best_of_three(loaded[1]))
    answer.send(times)


def timed_in_child(small: Path, large: Path) -> tuple[float, float]:
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=measure, args=(small, large, send))
    child.start()
    try:
        if not receive.poll(HANG_GUARD_SECONDS):
            pytest.fail(f"body_text did not finish in {HANG_GUARD_SECONDS} s")
        times: tuple[float, float] = receive.recv()
        return times
    finally:
        child.kill()
        child.join()


@pytest.mark.parametrize(
    ("name", "shape"), list(describe_shapes()), ids=[name for name, _ in describe_shapes()]
)
def test_body_text_grows_linearly(tmp_path: Path, name: str, shape: Shape) -> None:
    small, large = tmp_path / "small.md", tmp_path / "large.md"
    small.write_text(article(shape(SIZES[0])), encoding="utf-8")
    large.write_text(article(shape(SIZES[1])), encoding="utf-8")
    time_small, time_large = timed_in_child(small, large)
    assert within_ratio(time_small, time_large), (
        f"body_text of {name}: {time_small:.3f} s at {SIZES[0]} characters, "
        f"{time_large:.3f} s at {SIZES[1]}"
    )
