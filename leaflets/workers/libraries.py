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
import os
import re
import shutil
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from leaflets.workers.programs import ProgramMissingError, ProgramTimeoutError, run_program

_CACHE_SECONDS = 5.0
# ctypes.util's own table (`_findSoname_ldconfig`), by machine and word size.
_ABIS = {
    "x86_64-64": "libc6,x86-64",
    "ppc64-64": "libc6,64bit",
    "sparc64-64": "libc6,64bit",
    "s390x-64": "libc6,64bit",
    "ia64-64": "libc6,IA-64",
}


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


def soname_in(cache: str, name: str, abi: str | None = None) -> str | None:
    """The first library called `lib<name>.<…>` for this machine's ABI in `ldconfig -p`'s
    listing, as ctypes reads it: a 32-bit library's entry is passed over on a 64-bit machine."""
    kind = re.escape(abi or machine_abi())
    pattern = rf"^\s+(lib{re.escape(name)}\.\S+)\s+\({kind}[,)]"
    found = re.search(pattern, cache, re.MULTILINE)
    return found.group(1) if found else None


def machine_abi() -> str:
    """How `ldconfig -p` names this machine's libraries, as ctypes maps it: 'libc6,x86-64' for
    64-bit x86, 'libc6' where it adds nothing."""
    bits = "64" if struct.calcsize("l") == 8 else "32"
    return _ABIS.get(f"{os.uname().machine}-{bits}", "libc6")


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
