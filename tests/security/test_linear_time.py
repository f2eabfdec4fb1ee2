"""The work on an article's text is linear in its length, whatever the text holds.

Each hostile shape is checked and loaded at 100 000 and at 200 000 characters; twice the text
may cost at most 3.5 times the CPU time (a quadratic pattern costs four times, a cubic one
eight). Each shape runs in a forked child with a hang guard, so that a pattern that backtracks
for hours fails the test instead of stopping the suite.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import multiprocessing
import string
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from leaflets.article.model import load_article
from leaflets.checks.run import check_files
from leaflets.checks.settings import CheckSettings
from leaflets.config.errors import LeafletError, collect_warnings

SIZES = (100_000, 200_000)
MAX_RATIO = 3.5
# Below this much CPU time at the larger size, the work is too small to measure a ratio on.
NOISE_SECONDS = 0.03
HANG_GUARD_SECONDS = 120
TODAY = dt.date(2026, 1, 1)

Shape = Callable[[int], str]


def shapes() -> Iterator[tuple[str, Shape]]:
    """Every punctuation mark Markdown, Liquid or kramdown gives a meaning to, and known traps."""
    for char in string.punctuation:
        yield f"run of {char}", lambda n, c=char: c * n
        yield f"{char} between letters", lambda n, c=char: (c + "a") * (n // 2)
    yield "{% repeated", lambda n: "{%" * (n // 2)
    yield "{: repeated", lambda n: "{:" * (n // 2)
    yield "{{ repeated", lambda n: "{{" * (n // 2)
    yield "# a and spaces", lambda n: "# a" + " " * n
    yield "# a, spaces and a character", lambda n: "# a" + " " * n + "x"
    yield "spaces before a character", lambda n: " " * n + "x"
    yield "tabs before a character", lambda n: "\t" * n + "x"
    yield "one long word", lambda n: "a" * n
    yield "backticks around letters", lambda n: "`a" * (n // 2)
    yield "short sentences", lambda n: "A. " * (n // 3)
    yield "a bracket on every line", lambda n: "[\n" * (n // 2)
    yield "table cells", lambda n: "|a" * (n // 2)
    yield "headings", lambda n: "# a\n" * (n // 4)
    yield "screen phrases on lines", lambda n: "klik her\n" * (n // 9)
    yield "addresses", lambda n: "x@y.dk " * (n // 7)
    yield "advert sentences", lambda n: "Se Fysfinder. " * (n // 14)
    yield "adverts under headings", lambda n: "# a\nFysfinder.\n" * (n // 14)
    yield "advert links", lambda n: "[a](https://fysfinder.dk) " * (n // 27)
    yield "bold reference headings", lambda n: "**Kilder**\n" * (n // 11)
    yield "nested reference headings", lambda n: "###### Kilder\n# Kilder\n" * (n // 23)
    yield (
        "a long reference list",
        lambda n: "## Kilder\n" + "- [www.a.dk](https://a.dk)\n" * (n // 27),
    )


def article(body: str) -> str:
    return f"---\ntitle: Fuzz\nlang: da\n---\n{body}\n"


def work(kind: str, path: Path) -> None:
    """One check or one load of `path`, quietly."""
    with collect_warnings():
        if kind == "check":
            check_files([path], CheckSettings(), TODAY, notes=True)
            return
        with contextlib.suppress(LeafletError):  # a refusal is an answer too
            load_article(path)


def cpu_seconds(kind: str, path: Path) -> float:
    # The cyclic garbage collector runs more often the more objects a large input makes; its
    # pauses say nothing about how the work grows, so they are kept out of the measurement.
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        work(kind, path)
        return time.process_time() - start
    finally:
        gc.enable()


def measure(kind: str, small: Path, large: Path, answer: Connection) -> None:
    """In the child: the CPU time at each size, measured again if the ratio is too high."""
    warm = small.with_name("warm.md")
    warm.write_text(article("Varm op."), encoding="utf-8")
    work(kind, warm)  # labels, locale data and lazy imports are loaded once, before timing
    times = (cpu_seconds(kind, small), cpu_seconds(kind, large))
    if not within_ratio(*times):
        # On a busy machine one run can be slow for reasons of its own: take the best of three.
        times = (best_of_three(kind, small), best_of_three(kind, large))
    answer.send(times)


def best_of_three(kind: str, path: Path) -> float:
    return min(cpu_seconds(kind, path) for _ in range(3))


def within_ratio(small: float, large: float) -> bool:
    return large < NOISE_SECONDS or large < MAX_RATIO * small


def timed_in_child(kind: str, small: Path, large: Path) -> tuple[float, float]:
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=measure, args=(kind, small, large, send))
    child.start()
    try:
        if not receive.poll(HANG_GUARD_SECONDS):
            pytest.fail(f"{kind} did not finish in {HANG_GUARD_SECONDS} s")
        times: tuple[float, float] = receive.recv()
        return times
    finally:
        child.kill()
        child.join()


@pytest.mark.parametrize("kind", ["check", "load"])
@pytest.mark.parametrize(("name", "shape"), list(shapes()), ids=[name for name, _ in shapes()])
def test_work_grows_linearly(tmp_path: Path, kind: str, name: str, shape: Shape) -> None:
    small, large = tmp_path / "small.md", tmp_path / "large.md"
    small.write_text(article(shape(SIZES[0])), encoding="utf-8")
    large.write_text(article(shape(SIZES[1])), encoding="utf-8")
    time_small, time_large = timed_in_child(kind, small, large)
    assert within_ratio(time_small, time_large), (
        f"{kind} of {name}: {time_small:.3f} s at {SIZES[0]} characters, "
        f"{time_large:.3f} s at {SIZES[1]}"
    )


def test_front_matter_questions_and_a_long_body_grow_linearly(tmp_path: Path) -> None:
    # Each listed question once looked itself up in the whole file: questions × file size.
    def with_questions(size: int) -> str:
        questions = "".join(f"  - question: Spørgsmål {n}?\n" for n in range(size // 200))
        return f"---\ntitle: Fuzz\nfaq:\n{questions}---\n" + "Tekst.\n" * (size // 7)

    small, large = tmp_path / "small.md", tmp_path / "large.md"
    small.write_text(with_questions(SIZES[0]), encoding="utf-8")
    large.write_text(with_questions(SIZES[1]), encoding="utf-8")
    time_small, time_large = timed_in_child("check", small, large)
    assert within_ratio(time_small, time_large), (time_small, time_large)
