"""What holds a worker process: its memory ceiling, and its parent's death ending it."""

from __future__ import annotations

import ctypes
import gc
import importlib
import os
import resource
import signal
import sys
import tempfile
from collections.abc import Sequence

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def prepare_worker(
    preload: Sequence[str], memory: int, parent: int | None, scratch: str | None = None
) -> None:
    """A new worker's set-up: die with the parent, keep its temporary files in `scratch` (a
    folder the pool removes), load the modules, then take the ceiling.

    The modules come before the ceiling: a library mapped in under it could fail as a baffling
    ImportError instead of a clear MemoryError. Where they were loaded already (the fork server
    preloads them) the import is free.
    """
    # Imported here, in the worker: a command that starts none does without it.
    from leaflets.workers.libraries import libraries_from_loader_cache

    die_with_parent(parent)
    if scratch is not None:
        use_temporary_folder(scratch)
    with libraries_from_loader_cache():
        for name in preload:
            importlib.import_module(name)
    # What the worker holds now lives as long as it does: the collector's full passes need not
    # scan it again after every task (measured: half their time in a worker building leaflets).
    gc.freeze()
    limit_memory(memory)


def die_with_parent(parent: int | None) -> None:
    """Have the kernel kill this process when its parent ends (Linux), so that no worker
    outlives the caller that started it, even one killed without warning. `parent`, when
    known, catches a parent that ended before the request was made."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def use_temporary_folder(folder: str) -> None:
    """Make `folder` this process's temporary folder, for Python and the C libraries alike."""
    os.environ["TMPDIR"] = folder
    tempfile.tempdir = folder


def limit_memory(limit: int) -> None:
    """Hold this process to `limit` bytes of address space (never raising a lower ceiling)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY and soft <= limit:
        return
    new_hard = limit if hard == resource.RLIM_INFINITY or hard > limit else hard
    resource.setrlimit(resource.RLIMIT_AS, (min(limit, new_hard), new_hard))


def address_space() -> int:
    """This process's whole address space in bytes (what a fork starts with), 0 if unknown."""
    return _status_bytes("VmSize:")


def peak_rss() -> int:
    """This process's peak resident memory in bytes, shared pages from the fork included."""
    return _status_bytes("VmHWM:") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _status_bytes(field: str) -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
