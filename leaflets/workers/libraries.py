"""Finding shared libraries by the dynamic loader's cache alone, while a worker loads.

`ctypes.util.find_library` asks the loader's cache (`ldconfig -p`) and then, for a name the
cache lacks, links a test program with gcc and asks ld: about 0.1 s a name. A library loader
that tries several spellings per library (Windows and macOS names among them) therefore spends
a good part of a worker's start in the compiler. The cache is what the dynamic loader itself
reads, so its answer is taken as final here; without a cache the usual search stands.
"""

from __future__ import annotations

import ctypes.util
import functools
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from leaflets.workers.programs import ProgramMissingError, ProgramTimeoutError, run_program

_CACHE_SECONDS = 5.0


@contextmanager
def libraries_from_loader_cache() -> Iterator[None]:
    """While inside, `ctypes.util.find_library` answers from the loader's cache alone."""
    usual = ctypes.util.find_library
    ctypes.util.find_library = _finder(usual)  # type: ignore[assignment]
    try:
        yield
    finally:
        ctypes.util.find_library = usual


def _finder(usual: Callable[[str], str | None]) -> Callable[[str], str | None]:
    def find_library(name: str) -> str | None:
        cache = loader_cache()
        return usual(name) if cache is None else soname_in(cache, name)

    return find_library


def soname_in(cache: str, name: str) -> str | None:
    """The first library called `lib<name>.<…>` in `ldconfig -p`'s listing, as ctypes reads it;
    the loader picks the file of the right architecture for that name."""
    found = re.search(rf"^\s+(lib{re.escape(name)}\.\S+)\s+\(", cache, re.MULTILINE)
    return found.group(1) if found else None


@functools.cache
def loader_cache() -> str | None:
    """The loader's cache as `ldconfig -p` lists it; None where there is none to ask."""
    program = shutil.which("ldconfig") or shutil.which("ldconfig", path="/sbin:/usr/sbin")
    if program is None:
        return None
    try:
        listing = run_program(program, "-p", timeout=_CACHE_SECONDS)
    except (ProgramMissingError, ProgramTimeoutError, OSError):
        return None
    return listing.stdout if listing.returncode == 0 and listing.stdout.strip() else None
