"""The pool forks its workers only where a fork is safe and can live under the ceiling, and
its workers start ready for long work."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading

from leaflets.workers.ceiling import address_space
from leaflets.workers.pool import Pool, safe_start

GIB = 2**30


def test_a_small_process_without_threads_forks() -> None:
    probe = "from leaflets.workers.pool import safe_start; print(safe_start('fork', 2**30))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "fork"


def test_a_process_with_another_thread_never_forks() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert safe_start("fork", 64 * GIB) == "forkserver"
    finally:
        stop.set()
        other.join()


def test_a_process_too_large_for_the_ceiling_never_forks() -> None:
    assert safe_start("fork", address_space()) == "forkserver"


def test_a_fork_server_is_kept_as_asked() -> None:
    assert safe_start("forkserver", 64 * GIB) == "forkserver"


def test_what_a_worker_loaded_before_its_first_task_is_left_out_of_collection() -> None:
    with Pool(1, 2 * GIB, ["json"], "forkserver") as pool:
        frozen = pool.call(gc.get_freeze_count, timeout=60)
    assert frozen > 1000  # the interpreter and its preloaded modules
    assert gc.get_freeze_count() == 0  # the caller's own objects are collected as before
