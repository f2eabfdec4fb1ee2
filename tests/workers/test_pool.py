"""The pool forks its workers only where a fork is safe and can live under the ceiling."""

from __future__ import annotations

import subprocess
import sys
import threading

from leaflets.workers.ceiling import address_space
from leaflets.workers.pool import safe_start

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
