"""A warm pool of worker processes (pebble's ProcessPool) for one long-lived caller.

Workers are started once and kept: each loads the named modules, then lives under a memory
ceiling and dies with its parent. A task that runs out of time or memory, or whose worker
dies, fails with `WorkerError`, and pebble starts a fresh worker in its place.
"""

from __future__ import annotations

import os
import tempfile
import threading
import traceback
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from leaflets.config.errors import WorkerError
from leaflets.workers.ceiling import address_space, prepare_worker
from leaflets.workers.private import private_folder

if TYPE_CHECKING:
    from concurrent.futures import Future

    from pebble import ProcessPool

T = TypeVar("T")

# "fork": a copy of the caller, quick to start, for a process that runs no other thread.
# "forkserver": a clean server process, preloaded once, that forks each worker; the only safe
# way for a process with threads (a web server), since a fork copies locks held by other threads.
Start = Literal["fork", "forkserver"]

# How often pebble's loops look at the pool's state in a process with a brief pool. Pebble's
# default, 0.1 s, is also how long a pool's ending waits for them: every command that built
# something ended 0.1-0.2 s later. A long-lived pool (the desk, watch) keeps the default: idle
# all day, its loops cost a third of the CPU they would at the brief pace. The setting is
# pebble's, for the whole process.
_BRIEF_LOOK = 0.02

# How a worker that ran out of memory ends, so that the pool can say so (see `_run`).
_OUT_OF_MEMORY = 75


class TaskError(Exception):
    """A task raised in its worker: its type, message and traceback, as text."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message, details)
        self.message, self.details = message, details

    def __str__(self) -> str:
        return self.message


class Pool:
    """Warm worker processes for one caller; close it (or use `with`) to end them all."""

    def __init__(
        self,
        workers: int,
        memory: int,
        preload: Sequence[str] = (),
        start: Start = "forkserver",
        brief: bool = False,
    ) -> None:
        """`brief`: the pool of one command, which should end the moment its work is done."""
        self.workers, self.memory, self.brief = max(1, workers), memory, brief
        self.preload, self.start_method = tuple(preload), safe_start(start, memory)
        self._lock = threading.Lock()
        self._pebble: ProcessPool | None = None
        # The workers' temporary folder (WeasyPrint copies fonts there): it ends with the pool.
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self._timeouts: weakref.WeakKeyDictionary[Future[Any], float] = weakref.WeakKeyDictionary()

    def start(self) -> Pool:
        """Start the workers now, so that they load while the caller does other work."""
        self._running()
        return self

    def submit(self, function: Callable[..., T], *args: Any, timeout: float) -> Future[T]:
        """Run `function(*args)` in a worker, stopped after `timeout` seconds of running."""
        with self._lock:
            try:
                future = self._running().schedule(_run, (function, args), timeout=timeout)
            except RuntimeError:  # the pebble pool broke (all its workers died at once)
                self._end_pebble()
                future = self._running().schedule(_run, (function, args), timeout=timeout)
        self._timeouts[future] = timeout
        return future

    def result(self, future: Future[T]) -> T:
        """The task's value; `WorkerError` when its worker ran out of time or memory or died,
        `TaskError` when the task itself raised."""
        from concurrent.futures import CancelledError
        from concurrent.futures.process import BrokenProcessPool

        from pebble import ProcessExpired

        timeout = self._timeouts.get(future, 0.0)
        try:
            return future.result()
        except TimeoutError:
            raise WorkerError(None, f"took longer than {timeout:g} s; stopped") from None
        except ProcessExpired as expired:
            raise WorkerError(None, self._death(expired.exitcode)) from None
        except BrokenProcessPool:
            raise WorkerError(None, "the workers stopped unexpectedly") from None
        except CancelledError:
            raise WorkerError(None, "the task was cancelled") from None

    def call(self, function: Callable[..., T], *args: Any, timeout: float) -> T:
        """`function(*args)` in a worker, waited for (see `result`)."""
        return self.result(self.submit(function, *args, timeout=timeout))

    @staticmethod
    def finished(futures: Iterable[Future[T]]) -> Iterator[Future[T]]:
        """The futures, each as soon as it is done."""
        from concurrent.futures import as_completed

        return as_completed(futures)

    def close(self) -> None:
        """Stop every worker, busy or not, and wait until each is gone."""
        with self._lock:
            self._end_pebble()

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _running(self) -> ProcessPool:
        if self._pebble is None:
            # pebble, multiprocessing and concurrent.futures are imported with the first worker
            # (about 70 ms): a command that finds its leaflets up to date never starts one.
            from pebble import CONSTS, ProcessPool

            if self.brief:
                CONSTS.sleep_unit = _BRIEF_LOOK
            parent = os.getpid() if self.start_method == "fork" else None
            self._scratch = private_folder("workers-")
            self._pebble = ProcessPool(
                max_workers=self.workers,
                initializer=prepare_worker,
                initargs=(self.preload, self.memory, parent, self._scratch.name),
                context=self._context(),
            )
        # pebble starts its workers on first use; asking whether it is active is that use.
        self._pebble.active  # noqa: B018
        return self._pebble

    def _context(self) -> Any:
        import multiprocessing

        context = multiprocessing.get_context(self.start_method)
        if self.start_method == "forkserver":
            # Takes effect when the fork server starts, the first time one is needed: it loads
            # the modules once, and every worker it forks has them.
            context.set_forkserver_preload(list(self.preload))
        return context

    def _end_pebble(self) -> None:
        if self._pebble is not None:
            pebble, self._pebble = self._pebble, None
            pebble.stop()  # type: ignore[no-untyped-call]
            pebble.join()
        if self._scratch is not None:
            scratch, self._scratch = self._scratch, None
            scratch.cleanup()

    def _death(self, code: int | None) -> str:
        if code == _OUT_OF_MEMORY:
            return f"needs more than {self.memory // 2**20} MiB of memory; stopped"
        if code is not None and code < 0:
            return f"the worker was killed by signal {-code} (out of memory?)"
        return f"the worker stopped unexpectedly (exit code {code})"


def safe_start(wanted: Start, memory: int) -> Start:
    """`wanted`, unless a fork would be unsafe or stillborn: a process that runs other threads
    (a fork copies locks they hold) or that is already too large for the workers' memory
    ceiling (a fork starts as big as its parent) gets the clean fork server instead."""
    if wanted == "fork" and (threading.active_count() > 1 or address_space() > memory // 2):
        return "forkserver"
    return wanted


def _run(function: Callable[..., T], args: tuple[Any, ...]) -> T:
    """In a worker: the task, its failure as `TaskError`. A worker that ran out of memory
    ends at once: a C library may be left in a broken state, and a fresh worker is safer."""
    try:
        return function(*args)
    # Under the ceiling, a C library whose allocation fails may say so only as a SystemError
    # without an exception set.
    except (MemoryError, SystemError):
        os._exit(_OUT_OF_MEMORY)
    except Exception as error:
        raise TaskError(f"{type(error).__name__}: {error}", traceback.format_exc()) from None
